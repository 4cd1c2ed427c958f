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
            {  # SLTA / SEDERAJAT -> DIPLOMA IV/ STRATA I (domain-reference §8.3)
                "nik": HEAD_NIK,
                "elemen": 1,
                "semula_pendidikan": 5,
                "menjadi_pendidikan": 8,
                "dasar_perubahan": "IJAZAH S1 NOMOR 123/UNS/2020",
            },
            {
                "nik": WIFE_NIK,
                "elemen": 4,
                "elemen_lainnya": "GELAR",
                "semula": "TIDAK ADA",
                "menjadi": "S.PD",
                "dasar_perubahan": "IJAZAH S1 NOMOR 77/UNIPMA/2021",
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
    answers["perubahan"][1]["menjadi"] = "TIDAK ADA"
    hits = [f for f in evaluate(f106, answers).findings if f.code == "semula_sama_dengan_menjadi"]
    assert [(f.path, f.severity) for f in hits] == [("perubahan[1].menjadi", "error")]
    assert "Perubahan ke-2" in hits[0].message


def test_f106_applicant_should_be_in_the_family_table(f106: FormSchema) -> None:
    answers = statement_f106()
    answers["anggota"] = answers["anggota"][1:]
    hits = [(f.path, f.severity) for f in evaluate(f106, answers).findings if f.code == "pemohon_tidak_dalam_kk"]
    assert hits == [("anggota", "warning")]


@pytest.mark.parametrize(("elemen", "shown"), [(1, False), (2, False), (3, False), (4, True), (5, False)])
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


# --------------------------------------------------------------------------- issue 16 item 9: F-1.06 rows
CODED = {1: "pendidikan", 2: "pekerjaan", 3: "agama", 5: "status_kawin", 6: "golongan_darah", 7: "penyandang_cacat"}


def test_f106_change_row_names_a_member_by_nik(f106: FormSchema) -> None:
    answers = statement_f106()
    del answers["perubahan"][0]["nik"]
    assert [f.code for f in evaluate(f106, answers).at("perubahan[0].nik")] == ["required"]


def test_f106_change_of_someone_outside_the_family_is_an_error(f106: FormSchema) -> None:
    answers = statement_f106()
    answers["perubahan"][1]["nik"] = "3521015507900009"
    hits = [(f.path, f.severity) for f in evaluate(f106, answers).findings if f.code == "nik_bukan_anggota_keluarga"]
    assert hits == [("perubahan[1].nik", "error")]


@pytest.mark.parametrize(("elemen", "codes"), sorted(CODED.items()))
def test_f106_coded_elements_are_chosen_from_their_code_list(f106: FormSchema, elemen: int, codes: str) -> None:
    section = f106.section("perubahan")
    assert section is not None
    for prefix in ("semula", "menjadi"):
        spec = section.field(f"{prefix}_{codes}")
        assert spec is not None and spec.type == "choice" and spec.codes is not None and spec.codes.id == codes
    answers = statement_f106()
    row = answers["perubahan"][0]
    row.clear()
    row.update(nik=HEAD_NIK, elemen=elemen, dasar_perubahan="SURAT KETERANGAN")
    result = evaluate(f106, answers)
    assert {f.path for f in result.errors} == {f"perubahan[0].semula_{codes}", f"perubahan[0].menjadi_{codes}"}
    assert "perubahan[0].menjadi" not in result.visible and "perubahan[0].semula" not in result.visible
    row.update({f"semula_{codes}": 1, f"menjadi_{codes}": 2})
    assert evaluate(f106, answers).errors == []
    row[f"menjadi_{codes}"] = 99
    assert [f.code for f in evaluate(f106, answers).at(f"perubahan[0].menjadi_{codes}")] != []


def test_f106_free_text_is_refused_for_a_coded_element(f106: FormSchema) -> None:
    answers = statement_f106()
    answers["perubahan"][0]["menjadi_pendidikan"] = "DIPLOMA IV/ STRATA I"
    assert [f.severity for f in evaluate(f106, answers).at("perubahan[0].menjadi_pendidikan")] == ["error"]


def test_f106_unchanged_coded_value_is_an_error(f106: FormSchema) -> None:
    answers = statement_f106()
    answers["perubahan"][0]["menjadi_pendidikan"] = 5
    hits = [
        (f.path, f.severity) for f in evaluate(f106, answers).findings if f.code == "kode_semula_sama_dengan_menjadi"
    ]
    assert hits == [("perubahan[0].elemen", "error")]


def test_f106_same_element_of_the_same_member_twice(f106: FormSchema) -> None:
    answers = statement_f106()
    answers["perubahan"].append(dict(answers["perubahan"][0], menjadi_pendidikan=9))
    hits = [f.path for f in evaluate(f106, answers).findings if f.code == "elemen_ganda"]
    assert hits == ["perubahan[0].elemen", "perubahan[2].elemen"]
    answers["perubahan"][2]["nik"] = WIFE_NIK  # the wife's education changes too: allowed
    assert [f for f in evaluate(f106, answers).findings if f.code == "elemen_ganda"] == []
