"""Tests of the form engine on a small synthetic schema: types, visibility, repeats, rules, malformed answers."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from app.forms import FormRegistry, SchemaError, evaluate
from app.forms.schema import FormSchema

TODAY = dt.date(2026, 11, 22)

CODELISTS = """
version: test
lists:
  jenis_kelamin:
    codes: [{code: 1, label: LAKI-LAKI}, {code: 2, label: PEREMPUAN}]
  shdk:
    codes: [{code: 1, label: KEPALA KELUARGA}, {code: 2, label: SUAMI}, {code: 3, label: ISTRI}, {code: 4, label: ANAK}]
  jenis:
    codes: [{code: "A", label: Satu}, {code: "B", label: Dua}]
"""

SCHEMA = """
form: T-1
version: TEST-2020
alias: t1
title: Formulir Uji
sections:
  - id: header
    title: Kepala
    fields:
      - {id: jenis, label: Jenis, type: choice, codes: jenis, required: true}
      - {id: nama, label: Nama Kepala, type: text, required: true, max_length: 10}
      - {id: catatan, label: Catatan, type: text, visible: "jenis == 'B'", required: true}
      - {id: jumlah, label: Jumlah Anggota, type: number, min: 1, max: 10}
      - {id: tanggal, label: Tanggal, type: date}
      - {id: jam, label: Jam, type: time}
      - {id: pilihan, label: Pilihan, type: multichoice, codes: jenis}
      - {id: setuju, label: Setuju, type: boolean}
      - {id: kode_pos, label: Kode Pos, type: postal_code}
      - {id: telepon, label: Telepon, type: phone}
      - {id: email, label: Email, type: email}
      - {id: kode_wilayah, label: Kode Wilayah, type: region, region_level: desa}
      - {id: petugas, label: Kode Petugas, type: text, required: true, staff_only: true}
      - {id: pola, label: RT, type: text, pattern: "[0-9]{1,3}", pattern_hint: Isi 1 sampai 3 angka.}
  - id: anggota
    title: Anggota
    repeat: {min: 1, max: 3}
    fields:
      - {id: nama, label: Nama Lengkap, type: text, required: true}
      - {id: jenis_kelamin, label: Jenis Kelamin, type: choice, codes: jenis_kelamin, required: true}
      - {id: tanggal_lahir, label: Tanggal Lahir, type: date, required: true}
      - {id: shdk, label: SHDK, type: choice, codes: shdk, required: true}
      - {id: nik, label: NIK, type: nik, allow_pending: true, sex_field: jenis_kelamin, birth_date_field: tanggal_lahir}
    rules:
      - id: anak_muda
        when: "shdk == 4"
        check: "age(tanggal_lahir) < 60"
        path: tanggal_lahir
        severity: warning
        message: "Anggota ke-{row} berstatus anak tetapi berumur 60 tahun atau lebih."
rules:
  - id: satu_kepala
    check: "count(anggota, shdk == 1) == 1"
    path: anggota
    message: "Harus ada tepat satu kepala keluarga."
  - id: jumlah_cocok
    check: "header.jumlah == count(anggota)"
    path: header.jumlah
    message: "Jumlah anggota tidak sama dengan banyaknya baris."
"""


def write_registry(folder: Path, schema: str = SCHEMA, name: str = "T-1@TEST-2020.yaml") -> FormRegistry:
    (folder / "codelists.yaml").write_text(textwrap.dedent(CODELISTS), encoding="utf-8")
    (folder / name).write_text(textwrap.dedent(schema), encoding="utf-8")
    return FormRegistry(folder)


@pytest.fixture
def schema(tmp_path: Path) -> FormSchema:
    return write_registry(tmp_path).get("T-1")


def good() -> dict[str, object]:
    return {
        "header": {"jenis": "A", "nama": "Budi", "jumlah": 2, "tanggal": "2020-01-31"},
        "anggota": [
            {"nama": "Budi", "jenis_kelamin": 1, "tanggal_lahir": "1980-05-17", "shdk": 1},
            {"nama": "Ani", "jenis_kelamin": 2, "tanggal_lahir": "2010-02-01", "shdk": 4, "nik": "belum-punya-nik"},
        ],
    }


def codes(schema: FormSchema, answers: object) -> set[tuple[str, str]]:
    return {(f.path, f.code) for f in evaluate(schema, answers, TODAY).findings}


def test_good_answers_have_no_findings(schema: FormSchema) -> None:
    result = evaluate(schema, good(), TODAY)
    assert result.findings == []
    assert "header.nama" in result.visible
    assert "anggota[1].nik" in result.visible
    assert "header.catatan" not in result.visible


def test_conditional_field_becomes_visible_and_required(schema: FormSchema) -> None:
    answers = good()
    answers["header"]["jenis"] = "B"  # type: ignore[index]
    result = evaluate(schema, answers, TODAY)
    assert "header.catatan" in result.visible
    assert ("header.catatan", "required") in {(f.path, f.code) for f in result.errors}


def test_staff_only_field_not_required_at_outpost(schema: FormSchema) -> None:
    assert ("header.petugas", "required") not in codes(schema, good())


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("nama", "Nama yang terlalu panjang", "too_long"),
        ("nama", 12, "type"),
        ("jumlah", "dua", "type"),
        ("jumlah", True, "type"),
        ("jumlah", 0, "too_small"),
        ("jumlah", 11, "too_large"),
        ("tanggal", "31-01-2020", "date_invalid"),
        ("tanggal", "2020-02-30", "date_invalid"),
        ("tanggal", "2026-11-23", "future_date"),
        ("tanggal", "1850-01-01", "date_too_old"),
        ("jam", "25:00", "time_invalid"),
        ("jenis", "C", "unknown_code"),
        ("jenis", 1, "unknown_code"),
        ("pilihan", "A", "type"),
        ("pilihan", ["A", "Z"], "unknown_code"),
        ("pilihan", ["A", "A"], "duplicate_choice"),
        ("setuju", "ya", "type"),
        ("kode_pos", "6326", "postal_code"),
        ("telepon", "08-12", "phone"),
        ("email", "bukan-email", "email"),
        ("pola", "12a", "pattern"),
        ("kode_wilayah", "35.21", "region_level"),
        ("kode_wilayah", "99.99.99.9999", "region_unknown"),
    ],
)
def test_value_checks(schema: FormSchema, field: str, value: object, code: str) -> None:
    answers = good()
    answers["header"][field] = value  # type: ignore[index]
    found = codes(schema, answers)
    assert (f"header.{field}", code) in found, found


def test_valid_optional_values_accepted(schema: FormSchema) -> None:
    answers = good()
    answers["header"].update(  # type: ignore[attr-defined]
        {
            "jam": "08:30",
            "pilihan": ["A", "B"],
            "setuju": True,
            "kode_pos": "63263",
            "telepon": "+62 812-3456-7890",
            "email": "desa@contoh.id",
            "kode_wilayah": "35.21.01.2001",
            "pola": "7",
        }
    )
    assert evaluate(schema, answers, TODAY).findings == []


def test_messages_are_bahasa_indonesia_and_name_the_field(schema: FormSchema) -> None:
    answers = good()
    answers["header"]["nama"] = ""  # type: ignore[index]
    [finding] = [f for f in evaluate(schema, answers, TODAY).findings if f.path == "header.nama"]
    assert finding.message.startswith("Nama Kepala wajib diisi")
    assert finding.severity == "error"


def test_form_rules(schema: FormSchema) -> None:
    answers = good()
    answers["anggota"][1]["shdk"] = 1  # type: ignore[index]
    found = codes(schema, answers)
    assert ("anggota", "satu_kepala") in found
    answers = good()
    answers["header"]["jumlah"] = 3  # type: ignore[index]
    assert ("header.jumlah", "jumlah_cocok") in codes(schema, answers)


def test_row_rule_uses_row_number(schema: FormSchema) -> None:
    answers = good()
    answers["anggota"][1]["tanggal_lahir"] = "1950-01-01"  # type: ignore[index]
    result = evaluate(schema, answers, TODAY)
    [finding] = [f for f in result.findings if f.code == "anak_muda"]
    assert finding.path == "anggota[1].tanggal_lahir"
    assert finding.severity == "warning"
    assert "ke-2" in finding.message


def test_rule_with_unknown_inputs_does_not_fire(schema: FormSchema) -> None:
    answers = good()
    del answers["header"]["jumlah"]  # type: ignore[attr-defined]
    assert not any(code == "jumlah_cocok" for _, code in codes(schema, answers))


def test_repeat_bounds(schema: FormSchema) -> None:
    answers = good()
    answers["anggota"] = []
    assert ("anggota", "too_few_rows") in codes(schema, answers)
    answers["anggota"] = [good()["anggota"][1]] * 4  # type: ignore[index]
    assert ("anggota", "too_many_rows") in codes(schema, answers)


def test_nik_checked_against_row_fields(schema: FormSchema) -> None:
    answers = good()
    # A man's NIK digits (day 17, May 1980) on a woman's row: a warning, not an error.
    answers["anggota"][0]["nik"] = "3521011705800001"  # type: ignore[index]
    answers["anggota"][0]["jenis_kelamin"] = 2  # type: ignore[index]
    result = evaluate(schema, answers, TODAY)
    row = [f for f in result.findings if f.path == "anggota[0].nik"]
    assert row and all(f.severity == "warning" for f in row)
    answers["anggota"][0]["nik"] = "35210117058"  # type: ignore[index]
    assert any(f.severity == "error" for f in evaluate(schema, answers, TODAY).at("anggota[0].nik"))


@pytest.mark.parametrize(
    "answers",
    [
        None,
        [],
        "teks",
        42,
        {"header": [], "anggota": {}},
        {"header": {"nama": ["x"]}, "anggota": [None, 3, "x"]},
        {"anggota": [{"shdk": "1", "tanggal_lahir": 19800517}]},
        {"lain": {}},
        {"header": {"jenis": {"a": 1}}},
    ],
)
def test_malformed_answers_are_findings_not_exceptions(schema: FormSchema, answers: object) -> None:
    result = evaluate(schema, answers, TODAY)
    assert result.errors, "malformed answers must produce at least one blocking finding"


def test_unknown_fields_and_sections_are_warnings(schema: FormSchema) -> None:
    answers = good()
    answers["header"]["rahasia"] = "x"  # type: ignore[index]
    answers["ekstra"] = {}
    found = {(f.path, f.code, f.severity) for f in evaluate(schema, answers, TODAY).findings}
    assert ("header.rahasia", "unknown_field", "warning") in found
    assert ("ekstra", "unknown_section", "warning") in found


@pytest.mark.parametrize(
    ("replace", "by", "problem"),
    [
        ("codes: jenis, required: true", "codes: tidak_ada", "unknown code list"),
        ('check: "count(anggota, shdk == 1) == 1"', 'check: "count(anggota, hubungan == 1) == 1"', "unknown field"),
        ("visible: \"jenis == 'B'\"", 'visible: "jenis =="', "bad expression"),
        ("visible: \"jenis == 'B'\"", "visible: \"kepala.jenis == 'B'\"", "unknown field"),
        ("type: time", "type: jam", "unknown type"),
        ("path: tanggal_lahir", "path: umur", "unknown field"),
        ("{id: jam,", "{id: nama,", "used twice"),
        ("birth_date_field: tanggal_lahir", "birth_date_field: lahir", "unknown field"),
    ],
)
def test_schema_errors_name_file_and_entry(tmp_path: Path, replace: str, by: str, problem: str) -> None:
    assert replace in SCHEMA
    with pytest.raises(SchemaError) as caught:
        write_registry(tmp_path, SCHEMA.replace(replace, by))
    assert caught.value.file == "T-1@TEST-2020.yaml"
    assert problem in caught.value.problem
    assert caught.value.entry


def test_file_name_must_match_form_and_version(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="file name must be"):
        write_registry(tmp_path, SCHEMA, name="T-1@OTHER-2020.yaml")


def test_newest_version_is_default(tmp_path: Path) -> None:
    write_registry(tmp_path)
    newer = SCHEMA.replace("version: TEST-2020", "version: TEST-2026").replace("title: Formulir Uji", "title: Baru")
    (tmp_path / "T-1@TEST-2026.yaml").write_text(textwrap.dedent(newer), encoding="utf-8")
    registry = FormRegistry(tmp_path)
    assert registry.get("T-1").version == "TEST-2026"
    assert registry.get("T-1@TEST-2020").title == "Formulir Uji"
    assert registry.get("T-1").key == "T-1@TEST-2026"
    with pytest.raises(KeyError):
        registry.get("T-9")
