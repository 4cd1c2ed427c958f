"""The region picker in a form: names or codes at every level, narrowed by the regions chosen above,
"kode — nama" once chosen, and Enter takes the only suggestion even when nothing is highlighted."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.forms import load_form
from app.regions import default_index
from ui.forms.editors import RegionEditor
from ui.forms.view import FormView


def _form(qtbot: QtBot, answers: dict[str, object] | None = None) -> FormView:
    default_index().search_index()  # loaded, as after log-in
    view = FormView(load_form("F-1.01"), answers or {"header": {"jenis_data": 1}})
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=5000)
    return view


def _region(view: FormView, field: str) -> RegionEditor:
    editor = view.rows[f"header.{field}"].editor
    assert isinstance(editor, RegionEditor)
    editor.line.setFocus()
    return editor


def _type(qtbot: QtBot, editor: RegionEditor, text: str) -> list[str]:
    qtbot.waitUntil(editor.line.hasFocus, timeout=5000)
    editor.line.selectAll()
    qtbot.keyClicks(editor.line, text)
    return editor.model.stringList()


def test_enter_takes_the_only_suggestion_though_its_text_does_not_start_with_what_was_typed(qtbot: QtBot) -> None:
    """ "ngawi" lists only "35.21 — Kabupaten Ngawi"; Qt counted no completion for it (its text does not
    start with "ngawi") and Enter left the words in the field."""
    view = _form(qtbot)
    kabupaten = _region(view, "kode_kabupaten")
    shown = _type(qtbot, kabupaten, "ngawi")
    assert shown == ["35.21 — Kabupaten Ngawi (Jawa Timur)"]
    popup = kabupaten.completer.popup()
    assert popup is not None and popup.isVisible()
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert kabupaten.value() == "35.21"
    assert kabupaten.line.text() == "35.21 — Kabupaten Ngawi"
    after = view.rows["header.kode_kecamatan"].editor
    qtbot.waitUntil(lambda: after.isAncestorOf(view.focusWidget()) or after is view.focusWidget(), timeout=5000)


def test_a_single_match_typed_by_name_is_taken_by_enter(qtbot: QtBot) -> None:
    view = _form(qtbot)
    desa = _region(view, "kode_desa")
    shown = _type(qtbot, desa, "ujong mangki")
    assert len(shown) == 1 and shown[0].startswith("11.01.01.2002 — Ujong Mangki")
    popup = desa.completer.popup()
    assert popup is not None
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert desa.value() == "11.01.01.2002"
    assert desa.line.text() == "11.01.01.2002 — Ujong Mangki"


def test_a_desa_name_typed_in_provinsi_suggests_its_provinces(qtbot: QtBot) -> None:
    view = _form(qtbot)
    provinsi = _region(view, "kode_provinsi")
    shown = _type(qtbot, provinsi, "ujong mangki")
    assert shown == ["11 — Aceh · memuat Desa Ujong Mangki (Bakongan, Kabupaten Aceh Selatan)"]
    qtbot.keyClick(provinsi.completer.popup(), Qt.Key.Key_Return)
    assert provinsi.value() == "11"
    assert provinsi.line.text() == "11 — Aceh"
    assert view.check().at("header.kode_provinsi") == []


def test_kecamatan_and_desa_suggestions_are_narrowed_by_the_province_and_kabupaten_chosen(qtbot: QtBot) -> None:
    view = _form(qtbot, {"header": {"jenis_data": 1, "kode_provinsi": "35", "kode_kabupaten": "35.21"}})
    desa = _region(view, "kode_desa")
    shown = _type(qtbot, desa, "wonosari")
    assert shown and all(line.startswith("35.21.") for line in shown)
    kecamatan = _region(view, "kode_kecamatan")
    kecamatan.set_value("35.21.01")
    desa = _region(view, "kode_desa")
    shown = _type(qtbot, desa, "wonosari")
    assert shown == ["35.21.01.2001 — Wonosari (Sine, Kabupaten Ngawi)"]
    view.rows["header.kode_kabupaten"].editor.set_value(None)
    view.rows["header.kode_kecamatan"].editor.set_value(None)
    shown = _type(qtbot, desa, "wonosari")
    assert len({line[:2] for line in shown}) == 1  # still within Jawa Timur
    assert len({line[:5] for line in shown}) > 1


def test_a_chosen_region_shows_code_and_name_and_answers_the_code(qtbot: QtBot) -> None:
    view = _form(qtbot, {"header": {"jenis_data": 1, "kode_kabupaten": "35.21", "kode_desa": "3521012001"}})
    kabupaten = view.rows["header.kode_kabupaten"].editor
    desa = view.rows["header.kode_desa"].editor
    assert isinstance(kabupaten, RegionEditor) and isinstance(desa, RegionEditor)
    assert kabupaten.line.text() == "35.21 — Kabupaten Ngawi"
    assert desa.line.text() == "35.21.01.2001 — Wonosari"
    assert view.answers()["header"] == {"jenis_data": 1, "kode_kabupaten": "35.21", "kode_desa": "35.21.01.2001"}
    kabupaten.line.setText("35.21 — Kabupaten Ngawix")  # the name edited: no longer that region
    assert kabupaten.value() == "35.21 — Kabupaten Ngawix"


def test_a_typed_code_shows_its_name_once_the_officer_moves_on(qtbot: QtBot) -> None:
    view = _form(qtbot)
    provinsi = _region(view, "kode_provinsi")
    _type(qtbot, provinsi, "35")
    provinsi.line.editingFinished.emit()
    assert provinsi.line.text() == "35 — Jawa Timur"
    assert provinsi.value() == "35"
