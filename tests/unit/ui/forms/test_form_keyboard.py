"""Filling a form with the keyboard: Tab lands on a field the previous answer just made appear."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.forms import load_form
from ui.forms.editors import ChoiceEditor
from ui.forms.view import FormView, RepeatBlock


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


def _shown(qtbot: QtBot, answers: dict[str, object]) -> FormView:
    view = FormView(load_form("F-1.01"), answers)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=5000)
    view.build_all()
    view.check()
    return view


def _key(qtbot: QtBot, view: FormView, key: Qt.Key) -> str | None:
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, key)
    return view.path_of(QApplication.focusWidget())


def test_enter_goes_to_the_next_field_that_needs_an_answer_and_tab_to_the_next_field(qtbot: QtBot) -> None:
    """Enter passes what was carried or answered (sex and birth date from the NIK, WNI) and stops at the
    next required field still empty; Tab still visits every field; nothing is changed on the way."""
    row = {"nik": "3521015408150001", "nama_lengkap": "SITI AMINAH", "jenis_kelamin": 2}
    row |= {"tanggal_lahir": "2015-08-14", "kewarganegaraan": 1}
    view = _shown(qtbot, {"header": {"jenis_data": 1}, "anggota": [row]})
    assert view.focus_path("anggota[0].nama_lengkap")
    assert _key(qtbot, view, Qt.Key.Key_Tab) == "anggota[0].gelar_depan"  # Tab: the next field, needed or not
    assert view.focus_path("anggota[0].nama_lengkap")
    assert _key(qtbot, view, Qt.Key.Key_Return) == "anggota[0].tempat_lahir"  # Enter: past the sex
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClicks(focused, "NGAWI")
    assert _key(qtbot, view, Qt.Key.Key_Return) == "anggota[0].akta_lahir"  # past birth date and citizenship
    rows = view.answers()["anggota"]
    assert isinstance(rows, list)
    answers = rows[0]
    assert {k: answers.get(k) for k in row} == row and answers["tempat_lahir"] == "NGAWI"


def test_enter_stops_before_the_add_row_button_and_moves_like_tab_when_nothing_is_needed(qtbot: QtBot) -> None:
    view = _shown(qtbot, {"header": {"jenis_data": 1}})
    members = view.blocks["anggota"]
    assert isinstance(members, RepeatBlock)
    if not members.blocks:
        members.add_row()  # as the officer does
    view.check()
    last = "anggota[0].nama_ayah"  # the row's last required field; then '+ Tambah baris'
    assert view.next_needed(view.rows[last].editor.focus_widget()) is None
    assert view.focus_path(last)
    assert _key(qtbot, view, Qt.Key.Key_Return) != last  # moved on, like Tab
