"""What a form says about its fields: a "*" on every field the answers so far make required (live), hints
that cannot pass for values, a missing answer said as the officer leaves the field, each message under its
own field, and messages that never push the fields below away from under the mouse."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from app.forms import load_form
from ui.forms.editors import ChoiceEditor, TextEditor
from ui.forms.view import FormView


def _show(qtbot: QtBot, view: FormView) -> FormView:
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=5000)
    return view


def _starred(view: FormView, path: str) -> bool:
    return view.rows[path].label.accessibleName().endswith(" *")


def _inner(view: FormView) -> QWidget:
    inner = view.widget()
    assert inner is not None
    return inner


def _top(view: FormView, widget: QWidget) -> int:
    return widget.mapTo(_inner(view), QPoint(0, 0)).y()


def test_required_markers_follow_the_answers(qtbot: QtBot) -> None:
    view = _show(qtbot, FormView(load_form("F-1.01"), {"header": {"jenis_data": 1}}))
    assert _starred(view, "header.kode_pos")  # required for WNI: a condition, not `true`
    assert _starred(view, "anggota[0].nama_ibu")
    assert not _starred(view, "header.telepon")
    jenis = view.rows["header.jenis_data"].editor
    assert isinstance(jenis, ChoiceEditor)
    jenis.set_value(3)  # WNI abroad: Kode Pos of the address here is no longer required
    view.check()
    assert not _starred(view, "header.kode_pos")
    assert _starred(view, "luar_negeri.kode_pos")


def test_nama_ibu_and_tanggal_lahir_ibu_are_marked_for_a_birth(qtbot: QtBot) -> None:
    view = _show(qtbot, FormView(load_form("F-2.01"), {"laporan": {"jenis_pelaporan": 7}}))
    assert not _starred(view, "ibu.tanggal_lahir")
    jenis = view.rows["laporan.jenis_pelaporan"].editor
    assert isinstance(jenis, ChoiceEditor)
    jenis.set_value(1)
    view.check()
    for path in ("ibu.nama", "ibu.tanggal_lahir", "subjek1.nama"):
        assert _starred(view, path), path


def test_a_star_coming_and_going_moves_no_field(qtbot: QtBot) -> None:
    view = _show(qtbot, FormView(load_form("F-1.01"), {"header": {"jenis_data": 1}}))
    row = view.rows["header.kode_pos"]
    below = view.rows["header.jumlah_anggota"].editor
    before = (row.label.height(), row.editor.x(), _top(view, below))
    view.rows["header.jenis_data"].editor.set_value(3)
    view.check()
    QApplication.processEvents()
    assert not _starred(view, "header.kode_pos")
    assert (row.label.height(), row.editor.x(), _top(view, below)) == before


def test_hints_are_no_sample_values_and_look_unlike_typed_text(qtbot: QtBot) -> None:
    view = _show(qtbot, FormView(load_form("F-1.01"), {}))
    hints: list[QLineEdit] = [line for line in view.findChildren(QLineEdit) if line.placeholderText()]
    assert hints
    for line in hints:
        if line.inputMask():
            continue  # a date shows its mask, not the hint
        assert not any(ch.isdigit() for ch in line.placeholderText().replace("16 angka", "").replace("5 angka", ""))
        assert line.font().italic() == (not line.text())
    postal = view.rows["header.kode_pos"].editor
    assert isinstance(postal, TextEditor)
    assert postal.line.placeholderText() == "5 angka"  # not "63263", which read as a postal code
    postal.line.setText("63263")
    assert not postal.line.font().italic()


def test_leaving_a_required_field_empty_says_so_at_once(qtbot: QtBot) -> None:
    view = _show(qtbot, FormView(load_form("F-1.01"), {"header": {"jenis_data": 1}}))
    name = view.rows["header.nama_kepala_keluarga"]
    assert isinstance(name.editor, TextEditor)
    name.editor.line.setFocus()
    qtbot.waitUntil(name.editor.line.hasFocus, timeout=5000)
    assert name.message.text() == ""
    qtbot.keyClick(name.editor.line, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: "wajib diisi" in name.message.text(), timeout=5000)
    untouched = view.rows["header.rt"]
    assert untouched.message.text() == ""  # not visited yet: no message before the review


def test_the_nik_message_sits_under_the_nik(qtbot: QtBot) -> None:
    view = _show(qtbot, FormView(load_form("F-1.02"), {"pemohon": {"nik": "3521017201900001"}}))
    nik, kk = view.rows["pemohon.nik"], view.rows["pemohon.no_kk"]
    message = nik.message
    assert "tanggal" in message.text().lower() and kk.message.text() == ""
    left, right = (
        message.mapTo(_inner(view), QPoint(0, 0)).x(),
        message.mapTo(_inner(view), QPoint(message.width(), 0)).x(),
    )
    nik_x = nik.editor.mapTo(_inner(view), QPoint(0, 0)).x()
    assert left <= nik_x < right  # in the NIK's column
    assert _top(view, nik.editor) < _top(view, message) < _top(view, kk.editor) + kk.editor.height()
    assert _top(view, message) - (_top(view, nik.editor) + nik.editor.height()) < message.height()


def test_messages_appearing_move_no_field_under_the_mouse(qtbot: QtBot) -> None:
    view = _show(qtbot, FormView(load_form("F-1.01"), {"header": {"jenis_data": 1}}))
    watched = [view.rows[p].editor for p in ("header.rt", "header.telepon", "header.kode_desa", "anggota[0].nik")]
    before = [_top(view, w) for w in watched]
    view.reveal()  # every "wajib diisi" shows, as after a refused submit
    QApplication.processEvents()
    assert "wajib diisi" in view.rows["header.alamat"].message.text()
    assert [_top(view, w) for w in watched] == before
    long = view.rows["header.alamat"]
    long.show_findings([("error", "sangat panjang " * 40), ("warning", "dan satu lagi")])
    QApplication.processEvents()
    assert [_top(view, w) for w in watched] == before
    assert long.message.toolTip().endswith("dan satu lagi")  # the whole text, where the line cuts it
