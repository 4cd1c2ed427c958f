"""The officer's session: idle lock and unlock, settings, the crash path, and log-in with wrong passwords."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from app.paths import DataPaths
from app.settings import Settings
from ui import crash
from ui.controller import Controller
from ui.login import LoginDialog
from ui.main_window import MainWindow
from ui.settings_dialog import SettingsDialog

from .conftest import PASSWORD, screenshot, type_into


def test_idle_lock_and_unlock(app_session: tuple[Controller, MainWindow], qtbot: QtBot) -> None:
    controller, window = app_session
    controller.settings.set("security.idle_lock_minutes", 1)
    controller.last_input = time.monotonic() - 61
    with qtbot.waitSignal(controller.login_shown, timeout=5000) as shown:
        controller.check_idle()
    dialog = shown.args[0]
    assert isinstance(dialog, LoginDialog) and dialog.locked_store is controller.store
    assert not window.isEnabled()
    screenshot(dialog, "10-lock")
    type_into(qtbot, dialog.password, "salah-sandinya")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "salah" in dialog.error.text(), timeout=15_000)
    assert "kata sandi salah" in dialog.error.text()
    type_into(qtbot, dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(window.isEnabled, timeout=15_000)
    assert not controller.locked


def test_relogin_after_the_period(app_session: tuple[Controller, MainWindow], qtbot: QtBot) -> None:
    controller, window = app_session
    assert controller.store is not None
    controller.store.unlocked_at -= 13 * 3600
    with qtbot.waitSignal(controller.login_shown, timeout=5000):
        controller.check_idle()
    assert controller.locked and not window.isEnabled()


def test_settings_dialog_saves_and_refuses_bad_values(qtbot: QtBot, tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    dialog = SettingsDialog(settings, [("pmdn109", "Permendagri 109/2019"), ("ngawi", "Kabupaten Ngawi")])
    qtbot.addWidget(dialog)
    dialog.show()
    screenshot(dialog, "11-settings")
    name = dialog.editors["outpost.name"]
    type_into(qtbot, name, "Kantor Kecamatan Sine")
    template = dialog.editors["print.template"]
    assert isinstance(template, QComboBox)
    template.setCurrentIndex(1)
    dialog.save()
    reloaded = Settings(tmp_path / "settings.json")
    assert reloaded.text("outpost.name") == "Kantor Kecamatan Sine"
    assert reloaded.text("print.template") == "ngawi"


def test_crash_path_writes_a_report_and_shows_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot) -> None:
    shown: list[tuple[Path, str]] = []
    monkeypatch.setattr(
        crash.CrashDialog, "ask", classmethod(lambda cls, report, details: shown.append((report, details)))
    )
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    crash.install(tmp_path / "logs")
    try:
        raise ValueError("bug for the test")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    finally:
        crash.uninstall()
    [(report, details)] = shown
    assert report.exists() and "bug for the test" in report.read_text(encoding="utf-8")
    assert "ValueError" in details


def test_first_run_refuses_mismatched_passwords_and_keeps_input(qtbot: QtBot, tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "data")
    paths.ensure()
    controller = Controller(paths, Settings(paths.settings))
    with qtbot.waitSignal(controller.login_shown, timeout=5000) as shown:
        controller.start()
    dialog = shown.args[0]
    type_into(qtbot, dialog.username, "siti")
    type_into(qtbot, dialog.full_name, "Siti Rahayu")
    type_into(qtbot, dialog.password, "kata-sandi-1")
    type_into(qtbot, dialog.repeat, "kata-sandi-2")
    qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)
    assert "tidak sama" in dialog.error.text()
    assert dialog.username.text() == "siti" and dialog.full_name.text() == "Siti Rahayu"
    controller.shutdown()
    dialog.close()


def test_settings_open_from_the_keyboard(app_session: tuple[Controller, MainWindow], qtbot: QtBot) -> None:
    """Ctrl+, on every platform (Qt's standard Preferences key is empty on Windows and Linux)."""
    _controller, window = app_session
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: getattr(window, "settings_dialog", None) is not None, timeout=5000)
    dialog = window.settings_dialog
    assert isinstance(dialog, SettingsDialog) and dialog.isVisible()
    dialog.reject()
