"""Tests of `python -m app.regions`, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[4]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.regions", *args],
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


def test_desa_code_with_path_and_postal_code() -> None:
    out = _json("3521012001")
    assert out["code"] == "35.21.01.2001"
    assert out["name"] == "Wonosari"
    assert out["level"] == "desa"
    assert out["postal_code"] == "63264"
    assert [p["code"] for p in out["path"]] == ["35", "35.21", "35.21.01", "35.21.01.2001"]
    assert out["path"][1] == {"code": "35.21", "name": "Kabupaten Ngawi", "level": "kabupaten"}
    assert out["children"] == []
    assert "historical" not in out


def test_kabupaten_lists_its_kecamatan() -> None:
    out = _json("35.21")
    assert out["level"] == "kabupaten"
    assert len(out["children"]) == 19
    assert out["children"][0] == {"code": "35.21.01", "name": "Sine", "level": "kecamatan"}
    assert "postal_code" not in out


def test_retired_code_shows_historical_entry() -> None:
    out = _json("91.01")
    assert out["code"] == "91.01"
    assert out["historical"]["last_seen_edition"] == "2022"
    assert out["historical"]["successor"]["code"] == "93.01"
    assert out["children"]
    assert "errors" not in out


def test_unknown_code_reports_errors_and_exits_0() -> None:
    out = _json("35.21.99.9999")
    assert out["code"] == "35.21.99.9999"
    assert [e["code"] for e in out["errors"]] == ["region_unknown"]
    assert out["errors"][0]["severity"] == "error"
    assert "name" not in out


def test_malformed_code_reports_format_error() -> None:
    out = _json("abc")
    assert out == {"code": "abc", "errors": [out["errors"][0]]}
    assert out["errors"][0]["code"] == "region_format"


def test_search_prints_a_list() -> None:
    out = _json("--search", "wonosari sine")
    assert isinstance(out, list)
    assert out[0]["code"] == "35.21.01.2001"
    assert out[0]["path"][2]["name"] == "Sine"


def test_search_with_level_parent_and_limit() -> None:
    out = _json("--search", "wono", "--level", "desa", "--parent", "35.21", "--limit", "2")
    assert len(out) == 2
    assert all(r["level"] == "desa" and r["code"].startswith("35.21.") for r in out)


def test_no_argument_is_bad_usage() -> None:
    done = _run()
    assert done.returncode == 2
    assert "usage:" in done.stderr
    assert done.stdout == ""


def test_code_and_search_together_is_bad_usage() -> None:
    done = _run("35.21", "--search", "sine")
    assert done.returncode == 2
    assert "usage:" in done.stderr


def test_unknown_level_is_bad_usage() -> None:
    done = _run("--search", "sine", "--level", "nagari")
    assert done.returncode == 2
