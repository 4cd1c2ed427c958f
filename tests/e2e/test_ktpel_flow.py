"""KTP-el Baru WNI from log-in to submission, keyboard only; plus a refused submit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.store.models import Application, AuditEntry, OutboxItem
from app.store.residents import ResidentRecord, add_residents
from ui.controller import Controller
from ui.editor.editor import ApplicationEditor
from ui.editor.requirements import RequirementsPage
from ui.forms.editors import ChoiceEditor, DateEditor, IdentifierEditor, MultiChoiceEditor, TextEditor
from ui.main_window import MainWindow
from ui.service_browser import ServicePickerDialog

from .conftest import db_value, document_scan, focus, screenshot, type_into


def pdf_text(path: Path) -> str:
    """All text of a PDF (pypdfium2)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def open_new(qtbot: QtBot, window: MainWindow, code: str, monkeypatch: pytest.MonkeyPatch) -> ApplicationEditor:
    monkeypatch.setattr(ServicePickerDialog, "ask", classmethod(lambda cls, parent=None: code))
    with qtbot.waitSignal(window.editor_opened, timeout=10_000) as opened:
        qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = opened.args[0]
    assert isinstance(editor, ApplicationEditor)
    return editor


def fill_f102_ktpel(qtbot: QtBot, editor: ApplicationEditor) -> None:
    view = editor.form_view("F-1.02")
    editor.tabs.setCurrentWidget(view)
    rows = view.rows
    name = rows["pemohon.nama"].editor
    assert isinstance(name, TextEditor)
    type_into(qtbot, name.line, "Dewi Lestari")
    qtbot.keyClick(name.line, Qt.Key.Key_Return)  # Enter: on to the next field that still needs an answer
    nik = rows["pemohon.nik"].editor
    assert isinstance(nik, IdentifierEditor)
    assert nik.value() == "3521015705080001"  # carried from the applicant page: Enter passed it
    kk = rows["pemohon.no_kk"].editor
    assert isinstance(kk, IdentifierEditor)
    assert kk.line.hasFocus()
    qtbot.keyClicks(kk.line, "3521012402150007")
    born = rows["pemohon.tanggal_lahir"].editor
    assert isinstance(born, DateEditor)
    assert born.value() == "2008-05-17"  # what the NIK says (day 57 = 17 + 40: a woman): nothing to type
    status = rows["pemohon.status_kawin"].editor
    assert isinstance(status, ChoiceEditor)
    focus(qtbot, status.combo)
    qtbot.keyClicks(status.combo, "1")
    citizen = rows["pemohon.kewarganegaraan"].editor
    assert isinstance(citizen, ChoiceEditor)
    focus(qtbot, citizen.combo)
    qtbot.keyClicks(citizen.combo, "1")
    kinds = rows["permohonan.jenis"].editor
    assert isinstance(kinds, MultiChoiceEditor)
    assert kinds.value() == ["II.A"]  # ticked from the chosen service (carry-over): no key to press
    view.check()


def test_ktpel_baru_wni_from_login_to_submission(
    app_session: tuple[Controller, MainWindow], qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    controller, window = app_session
    screenshot(window, "02-main-window-empty")
    editor = open_new(qtbot, window, "KTPEL-BARU-WNI", monkeypatch)
    type_into(qtbot, editor.applicant.name, "Dewi Lestari")
    type_into(qtbot, editor.applicant.nik, "3521015705080001")
    screenshot(window, "03-applicant")
    fill_f102_ktpel(qtbot, editor)
    screenshot(window, "04-form-f102")
    # The KK copy is mandatory: import a scan of it.
    scan = document_scan(tmp_path / "kk.png")
    monkeypatch.setattr(RequirementsPage, "choose", staticmethod(lambda parent, title: [str(scan)]))
    editor.tabs.setCurrentWidget(editor.requirements)
    qtbot.waitUntil(lambda: "kk" in editor.requirements.rows, timeout=5000)
    row = editor.requirements.rows["kk"]
    qtbot.mouseClick(row.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "1 halaman" in row.status.text(), timeout=10_000)
    screenshot(window, "05-requirements")
    editor.tabs.setCurrentWidget(editor.review)
    qtbot.waitUntil(editor.review.submit_button.isEnabled, timeout=5000)
    screenshot(window, "06-review")
    client_id = editor.application.client_id
    focus(qtbot, editor.review.submit_button)
    with qtbot.waitSignal(window.printed, timeout=30_000) as printed:
        qtbot.keyClick(editor.review.submit_button, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    [receipt] = printed.args[0]
    assert receipt.name.startswith("tanda-terima-") and receipt.read_bytes().startswith(b"%PDF")
    text = pdf_text(receipt)
    assert "Dewi Lestari".upper() in text.upper() and "Penerbitan KTP-el Baru Untuk WNI" in text and "Gratis" in text
    done: list[object] = []
    controller.runner.db(
        "check",
        lambda: (
            Application.get(Application.client_id == client_id).state,
            OutboxItem.select().count(),
            AuditEntry.select().where(AuditEntry.action == "application.submit").count(),
        ),
        done.append,
    )
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert done[0] == ("submitted", 1, 1)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)
    screenshot(window, "07-main-window-after-submit")


def test_refused_submit_says_why_and_keeps_answers(
    app_session: tuple[Controller, MainWindow], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, window = app_session
    editor = open_new(qtbot, window, "KTPEL-BARU-WNI", monkeypatch)
    view = editor.form_view("F-1.02")
    name = view.rows["pemohon.nama"].editor
    assert isinstance(name, TextEditor)
    type_into(qtbot, name.line, "Budi")
    view.check()
    editor.tabs.setCurrentWidget(editor.review)
    editor.recheck()
    assert not editor.review.submit_button.isEnabled()
    messages: list[str] = []
    editor.status.connect(messages.append)
    editor.submit([])
    assert messages and messages[0].startswith("Belum dapat dikirim")
    assert editor.review.errors.count() > 0
    # What was typed is still there, and the missing fields now say so.
    assert name.value() == "Budi"
    nik_message = view.rows["pemohon.nik"].message
    assert nik_message.isVisibleTo(view) and "wajib diisi" in nik_message.text()


def test_a_new_application_starts_at_the_lookup_and_alt_numbers_open_the_tabs(
    app_session: tuple[Controller, MainWindow], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keyboard first: after Ctrl+N the officer types at once, into the resident look-up (the toolbar's
    search box kept the focus before); a NIK not in the index lands in the NIK field, ready for the
    name; Alt+2 opens the first form with the keyboard on its first field. (The offscreen platform
    loses the window's activation now and then: the window's focus widget is what a desktop focuses.)"""
    _controller, window = app_session
    editor = open_new(qtbot, window, "KTPEL-BARU-WNI", monkeypatch)
    page = editor.applicant
    qtbot.waitUntil(lambda: window.focusWidget() is page.query, timeout=5000)
    titles = [editor.tabs.tabText(i) for i in range(editor.tabs.count())]
    # The shown forms from 2 without gaps (F-1.01, asked for only when the data is not yet in the database,
    # is hidden), then the fixed last two: the requirements Alt+8, the review Alt+9.
    assert titles == ["1. Pemohon", "2. F-1.02", "8. Persyaratan", "9. Tinjau dan kirim"]
    type_into(qtbot, page.query, "3521 0199 9999 0001")
    qtbot.keyClick(page.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.focusWidget() is page.name, timeout=5000)
    assert "Tidak ditemukan" in page.results_note.text()
    assert page.nik.text() == "3521019999990001"
    type_into(qtbot, page.name, "DEWI LESTARI")
    qtbot.keyClick(page.name, Qt.Key.Key_9, Qt.KeyboardModifier.AltModifier)  # straight to the review
    assert editor.tabs.currentWidget() is editor.review

    def errors() -> list[str]:
        return [editor.review.errors.item(i).text() for i in range(editor.review.errors.count())]

    qtbot.waitUntil(lambda: any("Tanggal Lahir" in e for e in errors()), timeout=5000)
    # The form's tab was never opened, yet the applicant's name and NIK count for it.
    assert not [e for e in errors() if "Nama Lengkap wajib" in e or "NIK (No. Induk Kependudukan) wajib" in e]
    qtbot.keyClick(window.focusWidget() or editor, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    view = editor.form_view("F-1.02")
    assert editor.tabs.currentWidget() is view
    first = view.rows["pemohon.nama"].editor
    qtbot.waitUntil(lambda: first.isAncestorOf(window.focusWidget() or view), timeout=5000)
    assert view.rows["pemohon.nik"].editor.value() == "3521019999990001"  # carried from the look-up
    assert view.rows["pemohon.nama"].editor.value() == "DEWI LESTARI"  # and from the applicant page
    titles_now = [editor.tabs.tabText(i) for i in range(editor.tabs.count())]
    assert titles_now == titles  # filling the form in from the applicant added no tab
    qtbot.keyClick(window.focusWidget() or view, Qt.Key.Key_9, Qt.KeyboardModifier.AltModifier)
    assert editor.tabs.currentWidget() is editor.review


def test_a_resident_taken_from_the_look_up_fills_the_forms_opened_later(
    app_session: tuple[Controller, MainWindow], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The forms' tabs are built when first opened: a resident chosen before that used to fill nothing."""
    controller, window = app_session
    store = controller.store
    assert store is not None
    resident = ResidentRecord("RINA MARLINA", "3521015505900003", "3521011010100004", dt.date(1990, 5, 15))
    db_value(qtbot, controller, lambda: add_residents(store, [resident]))
    editor = open_new(qtbot, window, "KTPEL-BARU-WNI", monkeypatch)
    page = editor.applicant
    type_into(qtbot, page.query, "3521015505900003")
    qtbot.keyClick(page.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.results.count() == 1, timeout=5000)
    focus(qtbot, page.results)
    qtbot.keyClick(page.results, Qt.Key.Key_Return)  # Enter takes the resident
    assert (page.name.text(), page.nik.text(), page.kk.text()) == ("RINA MARLINA", resident.nik, resident.kk)
    qtbot.waitUntil(lambda: window.focusWidget() is page.name, timeout=5000)
    view = editor.form_view("F-1.02")  # its tab opened only now
    values = {
        field: view.rows[f"pemohon.{field}"].editor.value() for field in ("nama", "nik", "no_kk", "tanggal_lahir")
    }
    assert values == {"nama": "RINA MARLINA", "nik": resident.nik, "no_kk": resident.kk, "tanggal_lahir": "1990-05-15"}
