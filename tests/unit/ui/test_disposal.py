"""Disposing of a widget tree: hidden and silent at once, deleted over later turns of the loop."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QGroupBox, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ui import disposal


def _tree(blocks: int, fields: int) -> tuple[QWidget, list[QLineEdit], QTimer]:
    root = QWidget()
    layout = QVBoxLayout(root)
    edits: list[QLineEdit] = []
    for _ in range(blocks):
        box = QGroupBox("blok")
        inner = QVBoxLayout(box)
        for _ in range(fields):
            edit = QLineEdit()
            inner.addWidget(edit)
            edits.append(edit)
        layout.addWidget(box)
    timer = QTimer(root)
    timer.setInterval(1)
    return root, edits, timer


def test_the_whole_tree_is_deleted_leaves_first_and_nothing_fires_meanwhile(qtbot: QtBot) -> None:
    root, edits, timer = _tree(blocks=40, fields=60)
    root.show()
    fired: list[str] = []
    edits[0].textChanged.connect(fired.append)
    timer.timeout.connect(lambda: fired.append("timer"))
    timer.start()

    disposal.dispose(root)
    assert not root.isVisible()
    assert not timer.isActive()
    edits[0].setText("setelah ditutup")  # its signals are blocked: no slot runs on a dying tree
    assert shiboken6.isValid(root)  # not all at once
    qtbot.waitUntil(lambda: disposal.pending() == 0 and not shiboken6.isValid(root), timeout=5000)
    assert not any(shiboken6.isValid(edit) for edit in edits)
    assert fired == []


def test_a_tree_whose_parent_is_deleted_first_is_let_go(qtbot: QtBot) -> None:
    parent = QWidget()
    root, edits, _timer = _tree(blocks=30, fields=60)
    root.setParent(parent)
    disposal.dispose(root)
    shiboken6.delete(parent)  # e.g. the main window closed while the editor was being deleted
    qtbot.waitUntil(lambda: disposal.pending() == 0, timeout=5000)
    assert not shiboken6.isValid(edits[-1])
