"""Tests of the statement forms F-1.04 (no population document) and F-1.06 (change of data elements)."""

from __future__ import annotations

from typing import Any

import pytest

from app.forms import FormSchema, evaluate, load_form

Answers = dict[str, Any]
HEAD_NIK = "3521011205800001"
WIFE_NIK = "3521014307850002"


@pytest.fixture(scope="module")
def f104() -> FormSchema:
    return load_form("F-1.04")


@pytest.fixture(scope="module")
def f106() -> FormSchema:
    return load_form("F-1.06")


def statement_f104() -> Answers:
    return {
        "pemohon": {
            "nama": "SARIMIN WIJAYA",
            "jenis_kelamin": 1,
            "tempat_lahir": "NGAWI",
            "tanggal_lahir": "1970-06-01",
            "alamat": "DUSUN KRAJAN",
            "rt": "002",
            "rw": "001",
            "kode_desa": "35.21.01.2001",
            "nama_ayah": "KARTO WIJAYA",
            "nama_ibu": "SAINEM WIJAYA",
        }
    }


def statement_f106() -> Answers:
    return {
        "pemohon": {"nama": "BUDI SANTOSO", "nik": HEAD_NIK, "no_kk": "3521011503100001", "alamat": "JL MERDEKA NO 5"},
        "anggota": [
            {"nama": "BUDI SANTOSO", "nik": HEAD_NIK, "shdk": 1, "keterangan": "PEMOHON"},
            {"nama": "SRI WAHYUNI", "nik": WIFE_NIK, "shdk": 3},
        ],
        "perubahan": [
            {
                "elemen": 1,
                "semula": "SLTA / SEDERAJAT",
                "menjadi": "DIPLOMA IV/ STRATA I",
                "dasar_perubahan": "IJAZAH S1 NOMOR 123/UNS/2020",
            },
            {
                "elemen": 4,
                "elemen_lainnya": "GOLONGAN DARAH",
                "semula": "TIDAK TAHU",
                "menjadi": "O",
                "dasar_perubahan": "SURAT KETERANGAN PUSKESMAS",
            },
        ],
    }


def test_f104_complete_statement_has_no_errors(f104: FormSchema) -> None:
    assert f104.key == "F-1.04@PMDN109-2019" and f104.alias == "f104"
    assert evaluate(f104, statement_f104()).errors == []


@pytest.mark.parametrize("field_id", ["nama", "tempat_lahir", "tanggal_lahir", "alamat", "kode_desa"])
def test_f104_identity_is_required(f104: FormSchema, field_id: str) -> None:
    answers = statement_f104()
    del answers["pemohon"][field_id]
    assert [f.code for f in evaluate(f104, answers).at(f"pemohon.{field_id}")] == ["required"]


@pytest.mark.parametrize("field_id", ["nama_ayah", "nama_ibu", "rt", "rw"])
def test_f104_parents_and_rt_rw_may_be_unknown(f104: FormSchema, field_id: str) -> None:
    answers = statement_f104()
    del answers["pemohon"][field_id]
    assert evaluate(f104, answers).errors == []


def test_f106_complete_statement_has_no_errors(f106: FormSchema) -> None:
    assert f106.key == "F-1.06@PMDN109-2019" and f106.alias == "f106"
    result = evaluate(f106, statement_f106())
    assert result.errors == []
    assert [f.code for f in result.findings if f.code in {"pemohon_tidak_dalam_kk", "semula_sama_dengan_menjadi"}] == []


def test_f106_change_rows_have_the_paper_columns(f106: FormSchema) -> None:
    section = f106.section("perubahan")
    assert section is not None and section.repeating
    assert {"elemen", "semula", "menjadi", "dasar_perubahan"} <= {f.id for f in section.fields}


def test_f106_unchanged_value_is_an_error(f106: FormSchema) -> None:
    answers = statement_f106()
    answers["perubahan"][1]["menjadi"] = "TIDAK TAHU"
    hits = [f for f in evaluate(f106, answers).findings if f.code == "semula_sama_dengan_menjadi"]
    assert [(f.path, f.severity) for f in hits] == [("perubahan[1].menjadi", "error")]
    assert "Perubahan ke-2" in hits[0].message


def test_f106_applicant_should_be_in_the_family_table(f106: FormSchema) -> None:
    answers = statement_f106()
    answers["anggota"] = answers["anggota"][1:]
    hits = [(f.path, f.severity) for f in evaluate(f106, answers).findings if f.code == "pemohon_tidak_dalam_kk"]
    assert hits == [("anggota", "warning")]


@pytest.mark.parametrize(("elemen", "shown"), [(1, False), (2, False), (3, False), (4, True)])
def test_f106_other_element_named_only_for_lainnya(f106: FormSchema, elemen: int, shown: bool) -> None:
    answers = statement_f106()
    answers["perubahan"][0]["elemen"] = elemen
    result = evaluate(f106, answers)
    assert ("perubahan[0].elemen_lainnya" in result.visible) is shown
    assert [f.code for f in result.at("perubahan[0].elemen_lainnya")] == (["required"] if shown else [])


@pytest.mark.parametrize("section", ["anggota", "perubahan"])
def test_f106_tables_need_a_row(f106: FormSchema, section: str) -> None:
    answers = statement_f106()
    answers[section] = []
    assert "too_few_rows" in {f.code for f in evaluate(f106, answers).at(section)}
