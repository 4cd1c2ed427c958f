"""Issue 16, the forms side, through the officer's and the Dinas' face of the engine: `python -m app.forms validate`.

Each case is one the forms could not take before: witnesses of a divorce, the parents' marriage date, an arrival
from abroad, the KK number that stays when the whole family moves, F-1.06 rows tied to a member and to code lists.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.forms.__main__ import main as forms_cli
from tests.unit.app.forms.test_schema_f103 import datang_luar_negeri, skp
from tests.unit.app.forms.test_schema_f201 import CHILD_BORN, iso, report, witness, years_before
from tests.unit.app.forms.test_schema_statements import statement_f106

ROOT = Path(__file__).resolve().parents[4]


def validate(
    form: str, answers: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> list[dict[str, str]]:
    """Run `validate FORM FILE` and return its findings."""
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    assert forms_cli(["validate", form, str(path)]) == 0
    findings: list[dict[str, str]] = json.loads(capsys.readouterr().out)["findings"]
    return findings


def codes(findings: list[dict[str, str]]) -> set[tuple[str, str, str]]:
    return {(f["path"], f["code"], f["severity"]) for f in findings}


# --------------------------------------------------------------------------- item 5: witnesses
def test_divorce_without_witnesses_is_incomplete(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = report(5)
    del answers["saksi1"], answers["saksi2"]
    found = codes(validate("F-2.01", answers, tmp_path, capsys))
    assert {(f"saksi{n}.{field}", "required", "error") for n in (1, 2) for field in ("nama", "nik")} <= found


def test_divorce_witness_answers_are_checked_not_dropped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = report(5)
    answers["saksi2"] = dict(witness("SLAMET RIYADI", 42), nik=answers["saksi1"]["nik"])
    assert ("saksi2.nik", "saksi_sama", "error") in codes(validate("F-2.01", answers, tmp_path, capsys))


@pytest.mark.parametrize(("jenis", "blocks"), [(14, ("saksi1", "saksi2")), (9, ("saksi1",)), (11, ("saksi1",))])
def test_correction_needs_two_witnesses_recognition_and_name_change_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], jenis: int, blocks: tuple[str, ...]
) -> None:
    answers = report(jenis)
    answers.pop("saksi1", None)
    answers.pop("saksi2", None)
    required = {
        f["path"].split(".")[0] for f in validate("F-2.01", answers, tmp_path, capsys) if f["code"] == "required"
    }
    assert required == set(blocks)


# --------------------------------------------------------------------------- item 2/8: the parents' marriage date
def test_birth_before_the_parents_marriage_is_flagged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = report(1)
    answers["kelahiran"]["tanggal_perkawinan_orang_tua"] = iso(CHILD_BORN + dt.timedelta(days=5))
    found = codes(validate("F-2.01", answers, tmp_path, capsys))
    assert ("kelahiran.tanggal_perkawinan_orang_tua", "lahir_sebelum_perkawinan_orang_tua", "warning") in found
    assert not [f for f in found if f[2] == "error"]


def test_recognition_of_a_child_born_before_the_religious_marriage_needs_the_court(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = report(9)
    answers["pengakuan_anak"]["tanggal_perkawinan_agama"] = iso(years_before(dt.date.today(), 11))
    found = codes(validate("F-2.01", answers, tmp_path, capsys))
    assert ("pengakuan_anak.tanggal_perkawinan_agama", "pengakuan_lahir_sebelum_perkawinan_agama", "error") in found


def test_legitimation_without_the_religious_marriage_date_is_incomplete(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = report(10)
    del answers["pengesahan_anak"]["tanggal_perkawinan_agama"]
    found = codes(validate("F-2.01", answers, tmp_path, capsys))
    assert ("pengesahan_anak.tanggal_perkawinan_agama", "required", "error") in found


# --------------------------------------------------------------------------- items 4 and 7: F-1.03
def test_arrival_from_abroad_is_valid_without_a_desa_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    findings = validate("F-1.03", datang_luar_negeri(), tmp_path, capsys)
    assert [f for f in findings if f["severity"] == "error"] == []
    assert not [f for f in findings if f["code"] in ("unknown_field", "unknown_section")]


def test_whole_family_keeps_its_kk_number(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = skp()
    assert answers["kepindahan"] == {"klasifikasi": 3, "alasan": 1, "jenis_kepindahan": 2, "status_kk_pindah": 3}
    assert validate("F-1.03", answers, tmp_path, capsys) == []


# --------------------------------------------------------------------------- item 9: F-1.06
def test_change_row_of_someone_outside_the_family(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = statement_f106()
    answers["perubahan"][0]["nik"] = "3521015507900009"
    found = codes(validate("F-1.06", answers, tmp_path, capsys))
    assert ("perubahan[0].nik", "nik_bukan_anggota_keluarga", "error") in found


def test_coded_change_is_valid_and_free_text_is_not(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert validate("F-1.06", statement_f106(), tmp_path, capsys) == []
    answers = statement_f106()
    answers["perubahan"][0]["menjadi_pendidikan"] = "SARJANA"
    found = validate("F-1.06", answers, tmp_path, capsys)
    assert [(f["path"], f["severity"]) for f in found] == [("perubahan[0].menjadi_pendidikan", "error")]


def test_the_module_runs_as_a_program(tmp_path: Path) -> None:
    """The same check as a separate process, as an officer or the Dinas runs it."""
    path = tmp_path / "f103.json"
    path.write_text(json.dumps(datang_luar_negeri()), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "app.forms", "validate", "F-1.03", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert json.loads(done.stdout)["findings"] == []
