"""The main window an officer expects: Escape never closes the editor (Ctrl+W does, asking only when a save
failed), Escape clears the search, the lock hides the work and says "Terkunci", the lists show counts, and
every dialog button speaks Bahasa Indonesia."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QDialog, QLabel
from pytestqt.qtbot import QtBot

from app.catalog import load_catalog
from ui.controller import Controller
from ui.editor.requirements import file_dialog
from ui.login import ChangePasswordDialog, FirstRunDialog, LoginDialog
from ui.main_window import LeaveUnsaved, MainWindow
from ui.service_browser import ServicePickerDialog
from ui.settings_dialog import SettingsDialog
from ui.sync_panel import SyncDetails

from .conftest import focus, type_into
from .test_ktpel_flow import open_new

ENGLISH = {"cancel", "close", "ok", "open", "save", "yes", "no", "&cancel", "&close", "&ok", "&open", "&save"}


def test_escape_never_closes_the_editor_and_ctrl_w_asks_only_when_a_save_failed(
    app_session: tuple[Controller, MainWindow], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    _controller, window = app_session
    editor = open_new(qtbot, window, "KTPEL-BARU-WNI", monkeypatch)
    type_into(qtbot, editor.applicant.name, "DEWI")
    qtbot.keyClick(editor.applicant.name, Qt.Key.Key_Escape)
    view = editor.form_view("F-1.02")
    focus(qtbot, view)
    qtbot.keyClick(window.focusWidget() or view, Qt.Key.Key_Escape)
    assert window.editor is editor and window.stack.currentWidget() is editor
    asked: list[str] = []

    def refuse(_cls: type, _parent: object, reason: str) -> bool:
        asked.append(reason)
        return False

    monkeypatch.setattr(LeaveUnsaved, "ask", classmethod(refuse))
    editor.save_error = "Disk penuh."  # what _save_failed records when a save is refused
    window.back_action.trigger()  # Ctrl+W
    assert asked == ["Disk penuh."] and window.editor is editor  # the officer chose to stay
    editor.save_error = ""
    focus(qtbot, editor.applicant.name)
    qtbot.keyClick(editor.applicant.name, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.editor is None, timeout=5000)
    assert asked == ["Disk penuh."]  # saved: no question


def test_escape_clears_the_search(app_session: tuple[Controller, MainWindow], qtbot: QtBot) -> None:
    _controller, window = app_session
    qtbot.keyClicks(window.search, "3521")  # straight to the field (offscreen windows lose activation)
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    assert window.search.text() == ""
    picker = ServicePickerDialog(window)
    qtbot.addWidget(picker)
    picker.show()
    qtbot.keyClicks(picker.browser.search, "akta lahir")
    qtbot.keyClick(picker.browser.search, Qt.Key.Key_Escape)  # clears the search; the picker stays open
    assert picker.browser.search.text() == "" and picker.isVisible()
    qtbot.keyClick(picker.browser.search, Qt.Key.Key_Escape)  # then closes it
    assert not picker.isVisible()


def test_the_lock_hides_names_and_says_terkunci(app_session: tuple[Controller, MainWindow], qtbot: QtBot) -> None:
    controller, window = app_session
    with qtbot.waitSignal(controller.login_shown, timeout=5000) as shown:
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # a manual lock
    dialog = shown.args[0]
    assert isinstance(dialog, LoginDialog)
    words = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "Terkunci" in words and "tidak aktif" not in words
    assert window.content.currentWidget() is window.locked_page
    assert not window.table.isVisibleTo(window) and not window.search.isVisibleTo(window)
    assert not window.statusBar().isVisibleTo(window)
    dialog.reject()  # "Ganti petugas": logs out
    qtbot.waitUntil(lambda: controller.window is None, timeout=5000)


def test_the_lists_show_counts(
    app_session: tuple[Controller, MainWindow], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    _controller, window = app_session
    qtbot.waitUntil(lambda: window.lists.item(1).text() == "Draf (0)", timeout=5000)
    open_new(qtbot, window, "KTPEL-BARU-WNI", monkeypatch)
    window.close_editor()
    qtbot.waitUntil(lambda: window.lists.item(1).text() == "Draf (1)", timeout=5000)
    assert window.lists.item(0).text() == "Hari ini (1)"


def test_every_dialog_button_speaks_indonesian(app_session: tuple[Controller, MainWindow], qtbot: QtBot) -> None:
    controller, window = app_session
    store = controller.store
    assert store is not None
    service = load_catalog().service("KTPEL-BARU-WNI")
    dialogs: list[QDialog] = [
        ServicePickerDialog(window),
        SettingsDialog(controller.settings, None, window),
        SyncDetails(None, window),
        LoginDialog(controller.runner, controller.paths, window),
        LoginDialog(controller.runner, controller.paths, window, username="siti", locked=store),
        FirstRunDialog(controller.runner, controller.paths, window),
        ChangePasswordDialog(controller.runner, store, window),
        file_dialog(window, "Impor berkas: " + service.requirements[0].title),
    ]
    for dialog in dialogs:
        texts = {button.text().strip().lower() for button in dialog.findChildren(QAbstractButton) if button.text()}
        assert not texts & ENGLISH, (type(dialog).__name__, texts & ENGLISH)
        dialog.deleteLater()
