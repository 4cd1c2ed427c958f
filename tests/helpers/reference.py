"""Catalogue versions for tests: a copy of the shipped catalogue and forms with a new version and changes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from app.resources import resources_dir

NEW_REQUIREMENT = "pengantar_rt_rw"
NEW_FORM_VERSION = "PMDN2027"


def catalogue_version(
    folder: Path, version: str, *, new_requirement: bool = True, new_form_version: bool = True
) -> Path:
    """A folder (catalog/ and forms/) like the shipped one, with `version` and, by default, a new mandatory
    requirement (a Surat Pengantar RT/RW) in every service and a new version of form F-1.02."""
    for name in ("catalog", "forms"):
        shutil.copytree(resources_dir() / name, folder / name)
    catalog = folder / "catalog" / "catalog.yaml"
    text = re.sub(r"^version: .*$", f'version: "{version}"', catalog.read_text(encoding="utf-8"), flags=re.M)
    catalog.write_text(text, encoding="utf-8")
    if new_requirement:
        for path in sorted((folder / "catalog" / "services").glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            data.setdefault("requirements", []).append(
                {"id": NEW_REQUIREMENT, "document": "surat_pengantar_rt_rw", "copy": "asli", "mandatory": True}
            )
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if new_form_version:
        source = folder / "forms" / "F-1.02@PMDN109-2019.yaml"
        text = re.sub(r"^version: .*$", f"version: {NEW_FORM_VERSION}", source.read_text(encoding="utf-8"), flags=re.M)
        (folder / "forms" / f"F-1.02@{NEW_FORM_VERSION}.yaml").write_text(text, encoding="utf-8")
    return folder
