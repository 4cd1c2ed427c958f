"""The console scripts and `python -m` faces run, answer --help, print JSON and use the documented exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPTS_DIR = Path(sys.executable).parent


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, input=stdin, timeout=120, check=False)


@pytest.mark.parametrize("script", ["loket", "loket-server", "loket-admin"])
def test_console_scripts_answer_help(script: str) -> None:
    result = run(str(SCRIPTS_DIR / script), "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: {script}")


def test_loket_smoke_starts_and_quits() -> None:
    result = run(str(SCRIPTS_DIR / "loket"), "--smoke")
    assert result.returncode == 0, result.stderr


def test_admin_data_check_reports_all_data() -> None:
    result = run(str(SCRIPTS_DIR / "loket-admin"), "data-check")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert report["services"] == 43
    assert report["regions"] == 91_599
    assert "F-1.01@PMDN109-2019" in report["forms"]


def test_catalog_cli_lists_every_service() -> None:
    result = run(sys.executable, "-m", "app.catalog")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["services"]) == 43
    first = data["services"][0]
    for key in ("code", "title", "forms", "requirements", "outputs", "sla_days"):
        assert key in first


def test_catalog_cli_checklist(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"forms": {}, "fakta": {}}), encoding="utf-8")
    result = run(sys.executable, "-m", "app.catalog", "9", "--answers", str(answers))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["service"] == "KTPEL-BARU-WNI"
    assert data["requirements"] and all("applies" in item for item in data["requirements"])


@pytest.mark.parametrize(
    "args",
    [["NO-SUCH-SERVICE"], ["9", "--answers", "/nonexistent/answers.json"], ["--answers", "x.json"], ["--bogus"]],
)
def test_catalog_cli_bad_usage(args: list[str]) -> None:
    assert run(sys.executable, "-m", "app.catalog", *args).returncode == 2


def test_forms_cli_validate(tmp_path: Path) -> None:
    answers = tmp_path / "f101.json"
    answers.write_text(json.dumps({"header": {"jenis_data": 1}, "anggota": []}), encoding="utf-8")
    result = run(sys.executable, "-m", "app.forms", "validate", "F-1.01", str(answers))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["form"] == "F-1.01" and data["version"] == "PMDN109-2019"
    assert data["findings"]
    assert set(data["findings"][0]) == {"path", "code", "severity", "message"}


def test_forms_cli_malformed_json_is_a_finding(tmp_path: Path) -> None:
    answers = tmp_path / "broken.json"
    answers.write_text("{not json", encoding="utf-8")
    result = run(sys.executable, "-m", "app.forms", "validate", "F-1.02", str(answers))
    assert result.returncode == 0
    codes = [f["code"] for f in json.loads(result.stdout)["findings"]]
    assert "malformed_answers" in codes


def test_forms_cli_reads_stdin() -> None:
    result = run(sys.executable, "-m", "app.forms", "validate", "F-1.02", "-", stdin="{}")
    assert result.returncode == 0
    assert json.loads(result.stdout)["findings"]


@pytest.mark.parametrize("args", [["validate", "F-9.99", "-"], ["validate", "F-1.01", "/nonexistent.json"], []])
def test_forms_cli_bad_usage(args: list[str]) -> None:
    assert run(sys.executable, "-m", "app.forms", *args, stdin="{}").returncode == 2
