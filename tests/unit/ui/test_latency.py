"""The GUI latency probe (ui/latency.py) used by `make bench`: run in a process of its own, since it
must be the application object and tests already have one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SCRIPT = """
import time
from PySide6.QtCore import QTimer
from ui.latency import application_class
from ui.tasks import TaskRunner

app = application_class()([])
runner = TaskRunner()
runner.pool("slow answer", lambda: 1, lambda _result: (time.sleep(0.08), app.quit()))
QTimer.singleShot(5000, app.quit)
app.exec()
runner.stop()
app.save()
"""


def test_the_probe_names_the_slow_task_delivery_and_saves_its_figures(tmp_path: Path) -> None:
    target = tmp_path / "latency.jsonl"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LOKET_GUI_LATENCY_FILE": str(target)}
    subprocess.run([sys.executable, "-c", SCRIPT], env=env, cwd=ROOT, check=True, timeout=120)
    record = json.loads(target.read_text(encoding="utf-8"))
    assert record["max_ms"] >= 80
    ms, what, _nested = record["slowest"][0]
    assert ms >= 80
    assert what == "TaskRunner/MetaCall [slow answer]"


def test_the_probe_creates_pyside_types_before_it_times_anything(tmp_path: Path) -> None:
    probe = (
        "import enum\n"
        "created = []\n"
        "original = enum.EnumType._create_\n"
        "enum.EnumType._create_ = lambda cls, *a, **k: created.append(1) or original(cls, *a, **k)\n"
        "from ui.latency import MeasuredApplication\n"
        "app = MeasuredApplication([])\n"
        "before = len(created)\n"
        "from PySide6 import QtCore\n"
        "QtCore.QProcess.ProcessError\n"
        "print(before, len(created))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=ROOT, check=True, timeout=120, capture_output=True, text=True
    )
    before, after = (int(n) for n in done.stdout.split())
    assert before > 100  # PySide's enums were made while the probe started
    assert after == before  # a Qt class first used later costs nothing more
