"""Filling a form with the keyboard: Tab lands on a field the previous answer just made appear."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.forms import load_form
from ui.forms.editors import ChoiceEditor
from ui.forms.view import FormView


def test_tab_right_after_an_answer_goes_to_the_field_it_made_appear(qtbot: QtBot) -> None:
    """'Akta Lahir: 2 — Ada' shows 'Nomor Akta Kelahiran'; the check ran 150 ms after the edit, so a
    quick Tab skipped the new field."""
    view = FormView(load_form("F-1.01"), {})
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=5000)
    akta = view.rows["anggota[0].akta_lahir"].editor
    number = view.rows["anggota[0].nomor_akta_lahir"]
    assert isinstance(akta, ChoiceEditor)
    assert not number.editor.isVisibleTo(view)
    akta.combo.setFocus()
    line = akta.combo.lineEdit()
    assert line is not None
    qtbot.waitUntil(line.hasFocus, timeout=5000)
    qtbot.keyClicks(line, "2")
    assert akta.value() == 2
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, Qt.Key.Key_Tab)  # at once, before the debounced check
    assert number.editor.isVisibleTo(view)
    assert number.editor.isAncestorOf(QApplication.focusWidget() or view)
