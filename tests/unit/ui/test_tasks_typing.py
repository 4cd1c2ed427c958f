"""The task runner's hand-offs are checked by mypy: a callback taking another type than the work gives is an error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

HANDOFFS = """
import threading
from ui.tasks import Report, TaskRunner

def rows() -> list[str]:
    return ["a"]

def show(rows: list[str]) -> None: ...
def show_count(count: int) -> None: ...
def page(value: bytes) -> None: ...
def failed(error: object) -> None: ...

def scan(report: Report[str], cancelled: threading.Event) -> int:
    report("page")
    return 1

def handoffs(runner: TaskRunner) -> None:
    runner.db("rows", rows, show)  # fine
    runner.pool("count", lambda: len(rows()), show_count)  # fine
    runner.run("scan", scan, on_done=show_count, on_failed=failed)  # fine
    runner.db("rows", rows, show_count)  # line 21: a list handed to a callback taking an int
    runner.run("scan", scan, on_done=show, on_failed=failed)  # line 22: an int to one taking a list
    runner.run("scan", scan, on_done=show_count, on_failed=failed, on_progress=page)  # line 23: str reports
"""


def test_mypy_rejects_a_callback_of_another_type_and_accepts_the_right_ones(tmp_path: Path) -> None:
    source = tmp_path / "handoffs.py"
    source.write_text(HANDOFFS, encoding="utf-8")
    config, cache = str(ROOT / "pyproject.toml"), str(tmp_path / "cache")
    command = [sys.executable, "-m", "mypy", "--config-file", config, "--cache-dir", cache, "--no-error-summary"]
    checked = subprocess.run(
        [*command, str(source)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    flagged = sorted({int(line.split(":")[1]) for line in checked.stdout.splitlines() if ": error:" in line})
    assert flagged == [21, 22, 23], checked.stdout + checked.stderr
