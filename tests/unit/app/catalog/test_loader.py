"""Tests of the catalogue loader's validation and the checklist on a small synthetic catalogue."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from app.catalog import CatalogError, checklist, eligibility, read_catalog, required_forms
from app.forms import FormRegistry

TODAY = dt.date(2026, 11, 22)

CODELISTS = """
version: test
lists:
  status_kawin:
    codes: [{code: 1, label: BELUM KAWIN}, {code: 2, label: KAWIN TERCATAT}]
  jenis:
    codes: [{code: "I.C.1", label: Hilang}, {code: "I.C.2", label: Rusak}]
"""

FORM = """
form: T-1.02
version: TEST-2019
alias: t102
title: Formulir Uji
sections:
  - id: pemohon
    fields:
      - {id: tanggal_lahir, type: date}
      - {id: status_kawin, type: choice, codes: status_kawin}
  - id: permohonan
    fields:
      - {id: jenis, type: multichoice, codes: jenis}
  - id: anggota
    repeat: {min: 0}
    fields:
      - {id: status_kawin, type: choice, codes: status_kawin}
"""

CATALOG = """
version: "test-1"
outputs:
  - {id: kk, kind: kartu, title: Kartu Keluarga}
legal_basis:
  - {id: perpres_96_2018, title: Perpres 96/2018}
documents:
  - {id: kk, title: Kartu Keluarga}
  - {id: kk_rusak, title: KK yang rusak}
  - {id: laporan_polisi, title: Surat keterangan hilang dari kepolisian}
  - {id: sptjm, title: SPTJM, form: T-1.02}
groups:
  - {id: pendaftaran_penduduk, title: Pendaftaran Penduduk}
"""

SERVICE = """
number: 8
code: KK-HILANG-RUSAK
title: Penerbitan Kartu Keluarga Karena Hilang/Rusak
group: pendaftaran_penduduk
forms:
  - T-1.02
outputs: [kk]
sla_days: 1
fee: 0
legal_basis: [perpres_96_2018]
facts:
  - {id: pemohon_oa, label: Pemohon orang asing?, type: boolean}
eligibility:
  - id: dewasa
    label: Berusia 17 tahun atau pernah kawin
    check: "age(t102.pemohon.tanggal_lahir) >= 17 or t102.pemohon.status_kawin != 1"
    message: Pemohon belum 17 tahun dan belum kawin.
requirements:
  - id: laporan_hilang
    document: laporan_polisi
    copy: asli
    mandatory: "'I.C.1' in t102.permohonan.jenis"
  - id: kk_rusak
    document: kk_rusak
    copy: asli
    mandatory: "'I.C.2' in t102.permohonan.jenis"
    substitutes:
      - {id: pernyataan, label: Surat pernyataan, documents: [sptjm], when: "fakta.pemohon_oa"}
  - id: kk_kawin
    document: kk
    mandatory: "any_row(t102.anggota, status_kawin == 2)"
steps:
  - Pemohon mengisi F-1.02.
"""


def make(tmp_path: Path, service: str = SERVICE, catalog: str = CATALOG) -> Path:
    forms = tmp_path / "forms"
    forms.mkdir(parents=True)
    (forms / "codelists.yaml").write_text(textwrap.dedent(CODELISTS), encoding="utf-8")
    (forms / "T-1.02@TEST-2019.yaml").write_text(textwrap.dedent(FORM), encoding="utf-8")
    folder = tmp_path / "catalog"
    (folder / "services").mkdir(parents=True)
    (folder / "catalog.yaml").write_text(textwrap.dedent(catalog), encoding="utf-8")
    (folder / "services" / "08-kk-hilang.yaml").write_text(textwrap.dedent(service), encoding="utf-8")
    return tmp_path


def load(tmp_path: Path, service: str = SERVICE, catalog: str = CATALOG):  # type: ignore[no-untyped-def]
    root = make(tmp_path, service, catalog)
    forms = FormRegistry(root / "forms")
    return read_catalog(root / "catalog", forms), forms


def test_checklist_follows_answers(tmp_path: Path) -> None:
    catalog, forms = load(tmp_path)
    service = catalog.service("kk-hilang-rusak")
    assert catalog.service(8) is service
    lost = {"forms": {"T-1.02": {"permohonan": {"jenis": ["I.C.1"]}}}}
    items = {i.requirement.id: i for i in checklist(service, lost, forms, TODAY)}
    assert items["laporan_hilang"].applies and items["laporan_hilang"].conditional
    assert not items["kk_rusak"].applies
    damaged = {"forms": {"T-1.02@TEST-2019": {"permohonan": {"jenis": ["I.C.2"]}}}, "fakta": {"pemohon_oa": True}}
    items = {i.requirement.id: i for i in checklist(service, damaged, forms, TODAY)}
    assert items["kk_rusak"].applies and not items["laporan_hilang"].applies
    assert [s.id for s in items["kk_rusak"].substitutes] == ["pernyataan"]
    items = {i.requirement.id: i for i in checklist(service, {}, forms, TODAY)}
    assert items["kk_rusak"].substitutes == ()
    assert "belum dapat ditentukan" in items["laporan_hilang"].reason
    married = {"forms": {"T-1.02": {"anggota": [{"status_kawin": 1}, {"status_kawin": 2}]}}}
    assert {i.requirement.id for i in checklist(service, married, forms, TODAY) if i.applies} == {"kk_kawin"}
    assert required_forms(service, {}, forms) == ["T-1.02"]


def test_eligibility_findings(tmp_path: Path) -> None:
    catalog, forms = load(tmp_path)
    service = catalog.service(8)
    young = {"forms": {"T-1.02": {"pemohon": {"tanggal_lahir": "2012-01-01", "status_kawin": 1}}}}
    [finding] = eligibility(service, young, forms, TODAY)
    assert (finding.path, finding.code, finding.severity) == ("eligibility.dewasa", "dewasa", "error")
    adult = {"forms": {"T-1.02": {"pemohon": {"tanggal_lahir": "2000-01-01", "status_kawin": 1}}}}
    assert eligibility(service, adult, forms, TODAY) == []
    assert eligibility(service, {}, forms, TODAY) == []
    assert eligibility(service, "rusak", forms, TODAY) == []


@pytest.mark.parametrize(
    ("old", "new", "entry", "problem"),
    [
        ("  - T-1.02\n", "  - T-9.99\n", "forms[0]", "unknown form"),
        (
            "document: laporan_polisi",
            "document: surat_sakti",
            "requirements.laporan_hilang.document",
            "unknown document",
        ),
        (
            "documents: [sptjm]",
            "documents: [tidak_ada]",
            "requirements.kk_rusak.substitutes.pernyataan.documents[0]",
            "unknown document",
        ),
        (
            "mandatory: \"'I.C.1' in t102.permohonan.jenis\"",
            "mandatory: \"'I.C.1' in\"",
            "requirements.laporan_hilang.mandatory",
            "bad condition",
        ),
        (
            "mandatory: \"'I.C.1' in t102.permohonan.jenis\"",
            'mandatory: "t102.permohonan.jenis_kk == 1"',
            "requirements.laporan_hilang.mandatory",
            "names 't102.permohonan.jenis_kk'",
        ),
        (
            'when: "fakta.pemohon_oa"',
            'when: "fakta.tidak_dideklarasikan"',
            "requirements.kk_rusak.substitutes.pernyataan.when",
            "neither a declared fact",
        ),
        ("status_kawin == 2)", "hubungan == 2)", "requirements.kk_kawin.mandatory", "names 'hubungan'"),
        ("outputs: [kk]", "outputs: [ktp]", "outputs[0]", "unknown output"),
        ("group: pendaftaran_penduduk", "group: lain", "group", "unknown group"),
        ("legal_basis: [perpres_96_2018]", "legal_basis: [uu_1]", "legal_basis[0]", "unknown legal basis"),
        ("  - id: kk_kawin\n", "  - id: kk_rusak\n", "requirements.kk_rusak", "used twice"),
        ("code: KK-HILANG-RUSAK", "code: kk hilang", "code", "UPPER-KEBAB"),
        (
            "copy: asli\n    mandatory: \"'I.C.1'",
            "copy: salinan\n    mandatory: \"'I.C.1'",
            "requirements.laporan_hilang.copy",
            "must be one of",
        ),
        ("sla_days: 1", "sla_days: satu", "sla_days", "working days"),
        ("steps:\n  - Pemohon mengisi F-1.02.\n", "steps: []\n", "steps", "procedure steps"),
    ],
)
def test_errors_name_file_and_entry(tmp_path: Path, old: str, new: str, entry: str, problem: str) -> None:
    assert old in SERVICE
    with pytest.raises(CatalogError) as caught:
        load(tmp_path, SERVICE.replace(old, new))
    assert caught.value.file == "08-kk-hilang.yaml"
    assert caught.value.entry == entry
    assert problem in caught.value.problem


def test_shared_file_errors(tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as caught:
        load(tmp_path, catalog=CATALOG.replace("form: T-1.02", "form: F-9.99"))
    assert (caught.value.file, caught.value.entry) == ("catalog.yaml", "documents.sptjm.form")
    with pytest.raises(CatalogError) as caught:
        load(tmp_path / "b", catalog=CATALOG.replace("kind: kartu", "kind: buku"))
    assert caught.value.entry == "outputs.kk.kind"


def test_duplicate_numbers_across_files(tmp_path: Path) -> None:
    root = make(tmp_path)
    other = SERVICE.replace("code: KK-HILANG-RUSAK", "code: KK-LAIN")
    (root / "catalog" / "services" / "09-lain.yaml").write_text(textwrap.dedent(other), encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        read_catalog(root / "catalog", FormRegistry(root / "forms"))
    assert caught.value.file == "09-lain.yaml" and caught.value.entry == "number"
