"""What a new catalogue version changed, in the officer's words."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from app.catalog import load_catalog
from app.forms import default_registry
from app.reference import describe_changes
from app.reference.library import load_folder
from tests.helpers.reference import NEW_FORM_VERSION, catalogue_version


def test_the_same_catalogue_has_no_changes() -> None:
    assert describe_changes(load_catalog(), default_registry(), load_catalog(), default_registry()) == []


def test_requirements_forms_and_services_are_told_in_words(tmp_path: Path) -> None:
    folder = catalogue_version(tmp_path / "v", "2027.01-1")
    services = folder / "catalog" / "services"
    removed = sorted(services.glob("4*.yaml"))[-1]
    removed_title = yaml.safe_load(removed.read_text(encoding="utf-8"))["title"]
    removed.unlink()
    ktp = services / "09-ktpel-baru-wni.yaml"
    data = yaml.safe_load(ktp.read_text(encoding="utf-8"))
    data["sla_days"] = 7
    data["requirements"] = [r for r in data["requirements"] if r["id"] != "kk"] + [
        {"id": "kk", "document": "kk", "copy": "asli", "mandatory": True}
    ]
    ktp.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    catalog, forms = load_folder(folder)
    lines = describe_changes(load_catalog(), default_registry(), catalog, forms)
    title = catalog.service("KTPEL-BARU-WNI").title
    assert f"Layanan tidak lagi tersedia: {removed_title}." in lines
    assert f"{title}: persyaratan baru 'Surat Pengantar RT/RW' (wajib)." in lines
    assert any(line.startswith(f"{title}: persyaratan 'Kartu Keluarga (KK)' kini asli") for line in lines)
    assert any(line.startswith(f"{title}: 'Kartu Keluarga (KK)' tidak lagi dapat diganti dengan") for line in lines)
    assert any(line.startswith(f"{title}: waktu penyelesaian") and "→ 7 hari kerja" in line for line in lines)
    assert any(line.startswith(f"Formulir F-1.02 versi baru {NEW_FORM_VERSION}") for line in lines)
    shutil.rmtree(folder)
