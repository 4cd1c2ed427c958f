"""Loket updates in the main window: "Pembaruan tersedia" in the status bar, and the officer's restart.

The update check runs on the sync worker's thread after each sync (sync.client.updates_check); its
status comes back here through a queued signal. When a version is staged the status bar offers it
with its size; the officer restarts when it suits, never while an application is open (the restart
button waits for the editor to be closed). A security release is announced in a dialog that
cannot be put off: Loket restarts by itself as soon as no application is open.

    area = attach(bridge, window)          # from the controller, once the sync bridge exists
    started()                              # the start check of a version on trial (ui/main.py)
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, QProcess, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.updates import launch
from app.updates.state import UpdateHome
from app.version import version
from sync.client.updates_check import UpdateCheck, UpdateStatus
from ui import palette

log = logging.getLogger("loket.updates")
BUSY_POLL_MS = 5000


def megabytes(size: int) -> str:
    """A size for the officer: "1,4 MB" (Indonesian decimal comma)."""
    return f"{size / 2**20:.1f} MB".replace(".", ",")


def started(home: UpdateHome | None = None) -> bool:
    """The start check: this version came up (its window is on screen). True when it was on trial."""
    try:
        return launch.confirm_started(home or UpdateHome.resolve(), version())
    except OSError:
        log.exception("the update state could not be written at the start check")
        return False


def restart(argv: list[str] | None = None) -> bool:
    """Start Loket again through its launcher and quit this one (the window saves the open draft on close)."""
    command, env = launch.restart_command(sys.argv[1:] if argv is None else argv)
    process = QProcess()
    process.setProgram(command[0])
    process.setArguments(command[1:])
    process.setEnvironment([f"{key}={value}" for key, value in env.items()])
    ok, _pid = process.startDetached()
    if ok:
        QApplication.quit()
    return bool(ok)


class UpdateRelay(QObject):
    """Carries UpdateStatus from the sync thread to the GUI thread."""

    changed = Signal(object)  # UpdateStatus


class UpdateDialog(QDialog):
    """What the staged version is, what it costs, and the restart (offered only when no application is open)."""

    def __init__(self, status: UpdateStatus, busy: Callable[[], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = status
        self.busy = busy
        self.setWindowTitle(self.tr("Pembaruan tersedia"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        text = self.tr(
            "Loket versi {version} sudah diunduh ({size}) dan siap dipasang. Pembaruan dipasang saat Loket "
            "dimulai ulang; data dan permohonan tidak berubah. Bila versi baru gagal berjalan, Loket kembali "
            "sendiri ke versi {current}."
        ).format(version=status.version, size=megabytes(status.download_bytes), current=version())
        self.text = QLabel(text)
        self.text.setWordWrap(True)
        layout.addWidget(self.text)
        if status.notes:
            notes = QLabel(self.tr("Perubahan: {notes}").format(notes=status.notes))
            notes.setWordWrap(True)
            layout.addWidget(notes)
        if status.security:
            warning = QLabel(
                self.tr(
                    "Ini pembaruan keamanan dari Dinas dan wajib dipasang: Loket dimulai ulang otomatis segera "
                    "setelah tidak ada permohonan yang terbuka."
                )
            )
            warning.setWordWrap(True)
            warning.setStyleSheet(palette.style(palette.WARNING, "font-weight: bold;"))
            layout.addWidget(warning)
        self.waiting = QLabel(
            self.tr("Tutup dulu permohonan yang sedang dibuka (Ctrl+W, tersimpan otomatis), lalu mulai ulang.")
        )
        self.waiting.setWordWrap(True)
        layout.addWidget(self.waiting)
        self.buttons = QDialogButtonBox()
        self.restart_button = QPushButton(self.tr("&Mulai ulang sekarang"))
        self.buttons.addButton(self.restart_button, QDialogButtonBox.ButtonRole.AcceptRole)
        if not status.security:
            later = self.buttons.addButton(self.tr("&Nanti"), QDialogButtonBox.ButtonRole.RejectRole)
            later.setAutoDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.refresh)
        self.timer.start(BUSY_POLL_MS)
        self.refresh()

    def refresh(self) -> None:
        """Offer the restart only while no application is open; a security release restarts by itself then."""
        busy = self.busy()
        self.restart_button.setEnabled(not busy)
        self.waiting.setVisible(busy)
        if not busy:
            self.restart_button.setDefault(True)
            self.restart_button.setFocus()
            if self.status.security and self.isVisible():
                self.accept()

    def reject(self) -> None:
        if self.status.security:
            return  # announced and mandatory: Escape does not put it off
        super().reject()


class UpdateArea(QWidget):
    """Status-bar widget: hidden when there is nothing to say; the download's progress; the offer."""

    restart_requested = Signal()

    def __init__(self, busy: Callable[[], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.busy = busy
        self.status = UpdateStatus()
        self.dialog: UpdateDialog | None = None
        self._announced = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.button = QPushButton()
        self.button.clicked.connect(self.open_dialog)
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        self.show_status(UpdateStatus())

    def show_status(self, status: UpdateStatus) -> None:
        """Show one UpdateStatus (GUI thread)."""
        self.status = status
        self.button.setVisible(status.phase == "ready")
        self.label.setVisible(status.phase in ("downloading", "failed"))
        self.setVisible(status.phase != "idle")
        if status.phase == "downloading":
            share = status.received_bytes * 100 // status.download_bytes if status.download_bytes else 0
            self.label.setText(
                self.tr("Mengunduh pembaruan {version}: {share} % dari {size}").format(
                    version=status.version, share=share, size=megabytes(status.download_bytes)
                )
            )
            self.label.setStyleSheet(palette.style(palette.QUIET))
            self.label.setToolTip("")
        elif status.phase == "failed":
            self.label.setText(self.tr("Pembaruan tertunda"))
            self.label.setStyleSheet(palette.style(palette.WARNING))
            self.label.setToolTip(status.message)
        elif status.phase == "ready":
            self.button.setText(
                self.tr("Pembaruan tersedia: versi {version} ({size})").format(
                    version=status.version, size=megabytes(status.download_bytes)
                )
                if status.download_bytes
                else self.tr("Pembaruan tersedia: versi {version}").format(version=status.version)
            )
            self.button.setToolTip(self.tr("Pasang pembaruan dengan memulai ulang Loket"))
            if status.security and self._announced != status.version:
                self._announced = status.version
                QTimer.singleShot(0, self.open_dialog)  # a security release is announced at once

    def open_dialog(self) -> None:
        """The offer: restart now (when no application is open) or later."""
        if self.dialog is not None:
            self.dialog.raise_()
            return
        self.dialog = UpdateDialog(self.status, self.busy, self.window())
        self.dialog.finished.connect(self._closed)
        self.dialog.open()

    def _closed(self, result: int) -> None:
        self.dialog = None
        if result == QDialog.DialogCode.Accepted:
            self.restart_requested.emit()


def attach(bridge: object, window: QMainWindow, busy: Callable[[], bool], home: UpdateHome | None = None) -> UpdateArea:
    """Add the update check to a sync bridge (ui.sync_panel.SyncBridge) and its offer to the window's status bar."""
    relay = UpdateRelay(window)
    check = UpdateCheck(bridge.client, home=home, listener=relay.changed.emit)  # type: ignore[attr-defined]
    bridge.worker.after_success = check.after_sync  # type: ignore[attr-defined]
    area = UpdateArea(busy)
    window.statusBar().addPermanentWidget(area)
    relay.changed.connect(area.show_status)

    def restart_now() -> None:
        if not restart():
            log.error("Loket could not be restarted for the update")
            window.statusBar().showMessage(
                window.tr("Loket tidak dapat dimulai ulang otomatis; tutup dan buka kembali Loket."), 30_000
            )

    area.restart_requested.connect(restart_now)
    area.show_status(check.status)  # a version staged in an earlier session
    notice = launch.take_notice(check.home)  # updated, or rolled back: told once
    if notice:
        show = getattr(window, "show_message", None)
        show(notice) if callable(show) else window.statusBar().showMessage(notice, 30_000)
    return area
