"""The officer's side of updates (issue 19, item 4): the offer with its size, a restart only when no
application is open, a security release announced and not put off."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMainWindow
from pytestqt.qtbot import QtBot

from sync.client.updates_check import UpdateStatus
from ui.updates import UpdateArea, UpdateDialog, megabytes

READY = UpdateStatus(phase="ready", version="0.2.0", download_bytes=1_468_006, notes="Perbaikan cetak formulir F-1.01")


def window_with(area: UpdateArea, qtbot: QtBot) -> QMainWindow:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.statusBar().addPermanentWidget(area)
    window.resize(900, 120)
    window.show()
    return window


def test_the_status_bar_shows_the_download_then_the_offer_with_its_size(qtbot: QtBot, tmp_path: Path) -> None:
    area = UpdateArea(busy=lambda: False)
    window = window_with(area, qtbot)
    assert not area.isVisible()

    area.show_status(
        UpdateStatus(phase="downloading", version="0.2.0", download_bytes=2_000_000, received_bytes=500_000)
    )
    assert area.label.isVisible() and area.label.text() == "Mengunduh pembaruan 0.2.0: 25 % dari 1,9 MB"

    area.show_status(READY)
    assert area.button.isVisible() and not area.label.isVisible()
    assert area.button.text() == "Pembaruan tersedia: versi 0.2.0 (1,4 MB)"
    window.grab().save(str(tmp_path / "status-bar.png"))
    if os.environ.get("LOKET_SCREENSHOTS"):
        window.grab().save(os.path.join(os.environ["LOKET_SCREENSHOTS"], "updates-status-bar.png"))

    area.show_status(UpdateStatus(phase="failed", version="0.2.0", message="Ruang disk tidak cukup …"))
    assert area.label.text() == "Pembaruan tertunda" and area.label.toolTip() == "Ruang disk tidak cukup …"
    assert megabytes(0) == "0,0 MB"


def test_the_restart_waits_until_no_application_is_open(qtbot: QtBot) -> None:
    editing = {"open": True}
    dialog = UpdateDialog(READY, busy=lambda: editing["open"])
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.restart_button.isEnabled() and dialog.waiting.isVisible()
    assert "1,4 MB" in dialog.text.text() and "kembali sendiri ke versi" in dialog.text.text()
    if os.environ.get("LOKET_SCREENSHOTS"):
        dialog.grab().save(os.path.join(os.environ["LOKET_SCREENSHOTS"], "updates-dialog-busy.png"))

    editing["open"] = False
    dialog.refresh()
    assert dialog.restart_button.isEnabled() and dialog.restart_button.isDefault()
    # The keyboard: Enter restarts, Escape puts it off.
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == 0 and not dialog.isVisible()


def test_a_restart_chosen_in_the_dialog_is_asked_of_the_window(qtbot: QtBot) -> None:
    area = UpdateArea(busy=lambda: False)
    window = window_with(area, qtbot)
    area.show_status(READY)
    qtbot.mouseClick(area.button, Qt.MouseButton.LeftButton)
    assert area.dialog is not None
    with qtbot.waitSignal(area.restart_requested, timeout=2000):
        qtbot.keyClick(area.dialog, Qt.Key.Key_Return)
    assert window.isVisible()


def test_a_security_release_is_announced_and_cannot_be_put_off(qtbot: QtBot) -> None:
    editing = {"open": True}
    area = UpdateArea(busy=lambda: editing["open"])
    window = window_with(area, qtbot)

    area.show_status(UpdateStatus(phase="ready", version="0.2.1", download_bytes=300_000, security=True))
    qtbot.waitUntil(lambda: area.dialog is not None and area.dialog.isVisible(), timeout=2000)
    dialog = area.dialog
    assert dialog is not None
    roles = [dialog.buttons.buttonRole(b) for b in dialog.buttons.buttons()]
    assert QDialogButtonBox.ButtonRole.RejectRole not in roles  # no "Nanti"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()  # Escape does not put it off
    if os.environ.get("LOKET_SCREENSHOTS"):
        dialog.grab().save(os.path.join(os.environ["LOKET_SCREENSHOTS"], "updates-dialog-security.png"))

    with qtbot.waitSignal(area.restart_requested, timeout=2000):
        editing["open"] = False  # the officer closed the application: Loket restarts by itself
        dialog.refresh()
    assert window.isVisible()
