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


def test_a_form_closed_while_it_still_builds_builds_nothing_more(qtbot: QtBot) -> None:
    """F-1.01 builds its fields below the first screen and its spare member row over later turns; closed
    before that ends (the officer closed the editor at once), it must not go on making widgets in a tree
    being deleted (they raised in Qt's event loop once their parts were gone)."""
    from app.forms import load_form
    from ui.forms.view import FormView, RepeatBlock, SectionBlock

    view = FormView(load_form("F-1.01"), {"anggota": [{}, {}]})
    view.show()
    assert not view.complete  # the rest comes in later turns
    later: list[str] = []
    build_fields = view.build_fields
    members = view.blocks["anggota"]
    assert isinstance(members, RepeatBlock)
    new_block = members._new_block

    def spy_fields(limit: int | None) -> bool:
        later.append("fields")
        return build_fields(limit)

    def spy_row(index: int, build: bool = True) -> SectionBlock:
        later.append("row")
        return new_block(index, build)

    view.build_fields = spy_fields  # type: ignore[method-assign]
    members._new_block = spy_row  # type: ignore[method-assign]
    disposal.dispose(view)
    assert disposal.disposed(view)
    qtbot.waitUntil(lambda: disposal.pending() == 0, timeout=10_000)
    assert later == []
