"""Enter moves on in the app, where the editors' module is first imported on a worker thread (while the
officer logs in), not only in tests, where the main thread imports it: run in a process of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]

SCRIPT = """
import threading
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

app = QApplication([])
worker = threading.Thread(target=lambda: __import__("ui.forms.editors"))  # as Controller._prepare_main
worker.start()
worker.join()

from app.forms import load_form
from ui.forms.editors import editor_for

fields = [f for s in load_form("F-1.01").sections for f in s.fields if f.type == "text"][:2]
window = QWidget()
layout = QVBoxLayout(window)
first, second = (editor_for(spec) for spec in fields)
layout.addWidget(first)
layout.addWidget(second)
window.show()
window.activateWindow()
first.line.setFocus()
app.processEvents()
QTest.keyClick(first.line, Qt.Key.Key_Return)
app.processEvents()
print("moved" if second.line.hasFocus() else "stayed")
"""


def test_enter_moves_on_when_a_worker_imported_the_editors_first() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    assert "Cannot filter events for objects in a different thread" not in done.stderr
    assert done.stdout.strip().splitlines()[-1] == "moved"
