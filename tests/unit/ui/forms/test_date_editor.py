"""The date editor: typed DD-MM-YYYY, with a calendar built only when the officer opens it."""

from __future__ import annotations

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from app.forms import load_form
from ui.forms.editors import DateEditor, editor_for


def _date_editor(qtbot: QtBot) -> DateEditor:
    schema = load_form("F-1.01")
    spec = next(f for s in schema.sections for f in s.fields if f.type == "date")
    editor = editor_for(spec)
    assert isinstance(editor, DateEditor)
    qtbot.addWidget(editor)
    return editor


def test_the_calendar_is_built_on_first_opening_at_the_typed_date(qtbot: QtBot) -> None:
    editor = _date_editor(qtbot)
    assert editor.calendar is None
    editor.set_value("2019-08-17")
    menu = editor.button.menu()
    assert menu is not None
    menu.aboutToShow.emit()
    assert editor.calendar is not None
    assert editor.calendar.selectedDate() == QDate(2019, 8, 17)
    first = editor.calendar
    menu.aboutToShow.emit()
    assert editor.calendar is first  # built once


def test_picking_a_day_fills_the_field_and_reports_a_change(qtbot: QtBot) -> None:
    editor = _date_editor(qtbot)
    menu = editor.button.menu()
    assert menu is not None
    menu.aboutToShow.emit()
    assert editor.calendar is not None
    assert editor.calendar.selectedDate() == QDate.currentDate()  # nothing typed yet
    with qtbot.waitSignal(editor.changed, timeout=1000):
        editor.calendar.clicked.emit(QDate(2020, 2, 29))
    assert editor.line.text() == "29-02-2020"
    assert editor.value() == "2020-02-29"
