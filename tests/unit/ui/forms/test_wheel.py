"""The mouse wheel scrolls the form: it never changes a closed code list, nor a spin box or date field that
lacks the keyboard focus (it flipped the head of family's sex while the officer scrolled)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QScrollArea, QSpinBox, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app.forms import load_form
from ui.forms.editors import BooleanEditor, ChoiceEditor, DateEditor, guard_wheel
from ui.forms.view import FormView


def _wheel(widget: QWidget, steps: int = -1) -> None:
    """One notch of the wheel (down for negative steps) with the pointer over the widget."""
    local = QPointF(5, 5)
    event = QWheelEvent(
        local,
        QPointF(widget.mapToGlobal(QPoint(5, 5))),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def _scrolled_form(qtbot: QtBot) -> FormView:
    view = FormView(load_form("F-1.01"), {"header": {"jenis_data": 1}, "anggota": [{"jenis_kelamin": 1}]})
    qtbot.addWidget(view)
    view.resize(1366, 500)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.complete, timeout=5000)  # the fields below the first screen
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=5000)
    bar.setValue(bar.maximum() // 4)
    return view


def test_the_wheel_over_a_closed_code_list_scrolls_the_form_and_keeps_the_answer(qtbot: QtBot) -> None:
    view = _scrolled_form(qtbot)
    sex = view.rows["anggota[0].jenis_kelamin"].editor
    assert isinstance(sex, ChoiceEditor)
    bar = view.verticalScrollBar()
    for target in (sex.combo, sex.combo.lineEdit()):
        assert target is not None
        before = bar.value()
        _wheel(target)
        assert sex.value() == 1
        assert bar.value() > before
    sex.combo.setFocus()  # with the keyboard in it, the closed list is still not stepped by the wheel
    before = bar.value()
    _wheel(sex.combo, steps=1)
    assert sex.value() == 1 and bar.value() < before


def test_the_wheel_over_yes_no_and_date_fields_scrolls_the_form(qtbot: QtBot) -> None:
    view = FormView(load_form("F-2.01"), {"laporan": {"jenis_pelaporan": 1, "tanggal_pelaporan": "2026-11-02"}})
    qtbot.addWidget(view)
    view.resize(1366, 400)
    view.show()
    qtbot.waitExposed(view)
    bar = view.verticalScrollBar()
    date = view.rows["laporan.tanggal_pelaporan"].editor
    assert isinstance(date, DateEditor)
    _wheel(date.line)
    assert date.value() == "2026-11-02"
    assert bar.value() > 0
    yes_no = BooleanEditor(next(f for s in load_form("F-2.01").sections for f in s.fields if f.type == "choice"))
    area = QScrollArea()
    qtbot.addWidget(area)
    body = QWidget()
    body.setMinimumHeight(2000)
    QVBoxLayout(body).addWidget(yes_no)
    area.setWidget(body)
    area.resize(300, 200)
    area.show()
    yes_no.set_value(True)
    _wheel(yes_no.combo)
    assert yes_no.value() is True and area.verticalScrollBar().value() > 0


def test_a_spin_box_changes_by_wheel_only_with_the_keyboard_in_it(qtbot: QtBot) -> None:
    area = QScrollArea()
    qtbot.addWidget(area)
    body = QWidget()
    body.setMinimumHeight(2000)
    layout = QVBoxLayout(body)
    spin = QSpinBox()
    spin.setValue(5)
    other = QSpinBox()
    layout.addWidget(spin)
    layout.addWidget(other)
    guard_wheel(spin)
    area.setWidget(body)
    area.resize(300, 200)
    area.show()
    area.activateWindow()
    qtbot.waitUntil(area.isActiveWindow, timeout=5000)
    other.setFocus()
    qtbot.waitUntil(other.hasFocus, timeout=5000)
    _wheel(spin)
    assert spin.value() == 5 and area.verticalScrollBar().value() > 0
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus, timeout=5000)
    _wheel(spin, steps=1)
    assert spin.value() == 6
