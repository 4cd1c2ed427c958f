"""Rules across rows in the one engine: `this.<field>` (the row a rule is about), `nik_birth_date`, `same_text`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.forms import SchemaError, evaluate
from app.forms.expr import nik_birth_date, same_text
from tests.unit.app.forms.test_engine import SCHEMA, TODAY, good, write_registry

ROW_RULES = """
      - id: nik_ganda
        when: "filled(nik)"
        check: "count(anggota, nik == this.nik) == 1"
        path: nik
        message: "NIK anggota ke-{row} dipakai dua kali."
      - id: anak_lebih_tua_dari_kepala
        when: "shdk == 4"
        check: "all_rows(anggota, shdk != 1 or tanggal_lahir < this.tanggal_lahir)"
        path: tanggal_lahir
        message: "Anggota ke-{row} lahir sebelum kepala keluarga."
"""


def _schema_with(tmp_path: Path, extra: str, where: str = "    rules:\n") -> str:
    assert where in SCHEMA
    return SCHEMA.replace(where, where + extra, 1)


def test_a_row_rule_compares_its_row_with_the_others(tmp_path: Path) -> None:
    schema = write_registry(tmp_path, _schema_with(tmp_path, ROW_RULES)).get("T-1")
    answers = good()
    assert not {f.code for f in evaluate(schema, answers, TODAY).findings} & {"nik_ganda", "anak_lebih_tua_dari_kepala"}
    rows = answers["anggota"]
    assert isinstance(rows, list)
    rows[0]["nik"] = rows[1]["nik"] = "3521011705800001"
    rows[1]["tanggal_lahir"] = "1970-01-01"
    found = {(f.path, f.code) for f in evaluate(schema, answers, TODAY).findings}
    assert {("anggota[0].nik", "nik_ganda"), ("anggota[1].nik", "nik_ganda")} <= found
    assert ("anggota[1].tanggal_lahir", "anak_lebih_tua_dari_kepala") in found


def test_this_is_refused_outside_a_member_row(tmp_path: Path) -> None:
    bad = """  - id: salah
    check: "count(anggota, nama == this.nama) == 1"
    path: anggota
    message: "x"
"""
    with pytest.raises(SchemaError, match=r"this\.<field>"):
        write_registry(tmp_path, SCHEMA + bad)
    unknown = ROW_RULES.replace("this.nik", "this.nomor")
    with pytest.raises(SchemaError, match=r"this\.nomor"):
        write_registry(tmp_path, _schema_with(tmp_path, unknown))


@pytest.mark.parametrize(
    ("nik", "born"),
    [
        ("3521014507900002", "1990-07-05"),  # a woman: day + 40
        ("3521011503150001", "2015-03-15"),
        ("3521011503990001", "1999-03-15"),
        ("3521013002900001", None),  # 30 February
        ("35210115", None),
    ],
)
def test_nik_birth_date(nik: str, born: str | None) -> None:
    assert nik_birth_date(nik, TODAY) == born


def test_nik_birth_date_takes_the_later_century_not_after_today() -> None:
    assert nik_birth_date("3521010101300001", dt.date(2026, 1, 1)) == "1930-01-01"
    assert nik_birth_date("3521010101250001", dt.date(2026, 1, 1)) == "2025-01-01"


def test_same_text_ignores_case_and_spacing() -> None:
    assert same_text("Budi  Santoso ", "BUDI SANTOSO") is True
    assert same_text("BUDI SANTOSA", "BUDI SANTOSO") is False
    assert same_text(None, "BUDI") is None
