"""Tests of `python -m app.identity`, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from app.identity.__main__ import guess_kind

ROOT = Path(__file__).resolve().parents[4]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.identity", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _json(*args: str) -> Any:
    done = _run(*args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_one_object_per_value_with_kind_guessed() -> None:
    out = _json("3521011203900001", "35.21.01.2001", "3521", "Budi Santoso", "12345", "belum-punya-nik")
    assert [o["kind"] for o in out] == ["nik", "region", "region", "name", "nik", "nik_pending"]
    assert out[0]["errors"] == [] and out[0]["kecamatan_name"] == "Sine"
    assert out[1]["name"] == "Wonosari"
    assert out[4]["errors"][0]["code"] == "nik_length"
    assert out[5]["errors"][0]["code"] == "nik_pending_not_allowed"


def test_findings_still_exit_0() -> None:
    out = _json("1001011203900000")
    assert {e["code"] for e in out[0]["errors"]} == {"nik_province_unknown", "nik_serial_zero"}


def test_sex_and_birth_date_options() -> None:
    out = _json("3521015203900001", "--sex", "1", "--birth-date", "1990-03-13")
    assert [w["code"] for w in out[0]["warnings"]] == ["nik_sex_mismatch", "nik_birth_date_mismatch"]


def test_kind_kk_and_allow_pending() -> None:
    out = _json("--kind", "kk", "3521015203150001")
    assert out[0]["kind"] == "kk"
    assert out[0]["errors"][0]["code"] == "kk_date_invalid"
    pending = _json("--allow-pending", "belum-punya-nik")
    assert pending[0]["kind"] == "nik_pending"
    assert pending[0]["errors"] == []


def test_bad_usage_exits_2() -> None:
    assert _run().returncode == 2
    assert _run("--birth-date", "13-03-1990", "3521011203900001").returncode == 2
    assert _run("--sex", "3", "3521011203900001").returncode == 2
    bad_kind = _run("--kind", "passport", "123")
    assert bad_kind.returncode == 2
    assert "usage:" in bad_kind.stderr


def test_guess_kind() -> None:
    assert guess_kind("3521011203900001") == "nik"
    assert guess_kind("352101") == "region"
    assert guess_kind("35.21.01.2001") == "region"
    assert guess_kind("Siti") == "name"
    assert guess_kind("35210112O3900001") == "nik"
    assert guess_kind("") == "nik"
