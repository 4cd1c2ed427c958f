"""Code-list and region pickers by keyboard: Enter in the open list takes the entry the officer chose,
or the only one, and moves on; leaving the field on words only one entry matches takes that entry.

Keys for the open list go to the list itself, as Qt routes them at a real desk (tests that type into
the field directly bypass the list)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app.forms import FieldSpec, load_form
from app.regions import default_index
from ui.forms.editors import ChoiceEditor, FieldEditor, RegionEditor, editor_for


def _field(form: str, field_id: str) -> FieldSpec:
    return next(f for s in load_form(form).sections for f in s.fields if f.id == field_id)


def _desk(qtbot: QtBot, editor: FieldEditor) -> tuple[QWidget, QLineEdit]:
    """The editor between two line edits in a shown window; returns the window and the field after it."""
    window = QWidget()
    layout = QVBoxLayout(window)
    layout.addWidget(QLineEdit())
    layout.addWidget(editor)
    after = QLineEdit()
    layout.addWidget(after)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    return window, after


def _religion(qtbot: QtBot) -> tuple[QWidget, ChoiceEditor, QLineEdit, QLineEdit]:
    return _code_list(qtbot, "agama")


def _code_list(qtbot: QtBot, field_id: str) -> tuple[QWidget, ChoiceEditor, QLineEdit, QLineEdit]:
    """An F-1.01 code list on a desk, with the keyboard in it: window, editor, its line edit, the field after."""
    editor = editor_for(_field("F-1.01", field_id))
    assert isinstance(editor, ChoiceEditor)
    window, after = _desk(qtbot, editor)
    line = editor.combo.lineEdit()
    assert line is not None
    editor.combo.setFocus()
    qtbot.waitUntil(line.hasFocus, timeout=5000)
    return window, editor, line, after


def _open_list(editor: ChoiceEditor | RegionEditor) -> QAbstractItemView:
    completer = editor.combo.completer() if isinstance(editor, ChoiceEditor) else editor.completer
    assert completer is not None
    popup = completer.popup()
    assert popup is not None and popup.isVisible()
    return popup


def test_enter_takes_the_only_entry_the_words_match_and_moves_on(qtbot: QtBot) -> None:
    _window, editor, line, after = _religion(qtbot)
    qtbot.keyClicks(line, "kris")
    qtbot.keyClick(_open_list(editor), Qt.Key.Key_Return)
    assert editor.value() == 2
    assert editor.combo.currentText() == "2 — KRISTEN"
    qtbot.waitUntil(after.hasFocus, timeout=5000)


def test_enter_leaves_several_matches_open_until_the_officer_picks_one(qtbot: QtBot) -> None:
    _window, editor, line, after = _religion(qtbot)
    qtbot.keyClicks(line, "k")  # KRISTEN, KATHOLIK, KHONGHUCU, KEPERCAYAAN...
    popup = _open_list(editor)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert popup.isVisible()
    assert editor.value() == "k"  # still the words typed: nothing was guessed
    assert line.hasFocus()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    chosen = popup.currentIndex().data()
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert editor.combo.currentText() == chosen
    assert isinstance(editor.value(), int)
    qtbot.waitUntil(after.hasFocus, timeout=5000)


def test_leaving_the_field_on_words_one_entry_matches_takes_it(qtbot: QtBot) -> None:
    _window, editor, line, after = _religion(qtbot)
    qtbot.keyClicks(line, "katho")
    qtbot.keyClick(_open_list(editor), Qt.Key.Key_Tab)
    qtbot.waitUntil(after.hasFocus, timeout=5000)
    assert editor.value() == 3


def test_a_code_typed_still_selects_its_entry(qtbot: QtBot) -> None:
    _window, editor, line, _after = _religion(qtbot)
    qtbot.keyClicks(line, "4")
    assert editor.value() == 4


def test_region_enter_takes_the_only_match_and_never_guesses_among_namesakes(qtbot: QtBot) -> None:
    default_index().search_index()  # loaded as after log-in
    editor = editor_for(_field("F-1.01", "kode_desa"))
    assert isinstance(editor, RegionEditor)
    _window, after = _desk(qtbot, editor)
    editor.line.setFocus()
    qtbot.waitUntil(editor.line.hasFocus, timeout=5000)
    qtbot.keyClicks(editor.line, "ujong mangki")
    qtbot.keyClick(_open_list(editor), Qt.Key.Key_Return)
    assert editor.value() == "11.01.01.2002"
    qtbot.waitUntil(after.hasFocus, timeout=5000)

    editor.line.setFocus()
    qtbot.waitUntil(editor.line.hasFocus, timeout=5000)
    editor.line.selectAll()
    qtbot.keyClicks(editor.line, "wonosari")  # fifteen villages of that name are listed
    popup = _open_list(editor)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert editor.line.text() == "wonosari"
    assert popup.isVisible()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    label = popup.currentIndex().data()
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    code = editor.value()
    assert isinstance(code, str) and label.startswith(f"{code} — Wonosari")
    assert editor.line.text() == f"{code} — Wonosari"  # the code and the name, not the code alone
    qtbot.waitUntil(after.hasFocus, timeout=5000)


def test_enter_on_a_typed_code_among_longer_codes_takes_it_and_moves_on(qtbot: QtBot) -> None:
    """Blood group '1' while 10-13 exist: the list opens with several entries; Enter means code 1."""
    _window, editor, line, after = _code_list(qtbot, "golongan_darah")
    qtbot.keyClicks(line, "1")
    qtbot.keyClick(_open_list(editor), Qt.Key.Key_Return)
    assert editor.value() == 1
    qtbot.waitUntil(after.hasFocus, timeout=5000)


def test_enter_moves_on_from_a_code_list_whose_list_is_closed(qtbot: QtBot) -> None:
    """The combo box has the focus and hands keys to its line edit directly, past the line edit's filter."""
    _window, editor, line, after = _religion(qtbot)
    qtbot.keyClicks(line, "xyz")  # nothing matches: no list
    completer = editor.combo.completer()
    popup = completer.popup() if completer is not None else None
    assert popup is not None and not popup.isVisible()
    qtbot.keyClick(editor.combo, Qt.Key.Key_Return)
    qtbot.waitUntil(after.hasFocus, timeout=5000)
    assert editor.value() == "xyz"  # kept as typed: the form says it is not in the list
