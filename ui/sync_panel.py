"""The sync area of the main window: online or not, paused or not, progress overall and per item, last success.

The sync client runs on its own thread (sync.client.SyncWorker); its snapshots come back to the GUI
thread through a queued signal, and widgets are only touched here. The bridge follows the
installation's sync settings (bandwidth cap, interval, pause) as they change.
"""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.settings import Settings, SettingsError
from app.store import Store
from sync.client import SyncClient, SyncState, SyncWorker
from ui import palette

log = logging.getLogger("loket.sync")


class SyncBridge(QObject):
    """Owns the sync worker and forwards its snapshots to the GUI thread."""

    state_changed = Signal(object)  # SyncState
    refused = Signal(str)  # a setting the officer may not change, in words

    def __init__(self, store: Store, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.client = SyncClient(store)
        self.client.set_bandwidth_cap(settings.number("sync.bandwidth_cap_kbps"))
        self.worker = SyncWorker(
            self.client,
            listener=self._relay,
            interval=float(settings.number("sync.interval_seconds")),
            paused=settings.flag("sync.paused"),
        )
        settings.observe(self.setting_changed)

    def setting_changed(self, key: str, value: object) -> None:
        """Apply a changed sync setting at once (observer of the installation's settings)."""
        if key == "sync.bandwidth_cap_kbps" and isinstance(value, int):
            self.worker.set_bandwidth_cap(value)
        elif key == "sync.interval_seconds" and isinstance(value, int):
            self.worker.set_interval(float(value))
        elif key == "sync.paused":
            if value is True:
                self.worker.pause()
            else:
                self.worker.resume()

    def set_paused(self, paused: bool) -> None:
        """The officer paused or resumed the sync: remembered in `sync.paused`, applied through the observer."""
        try:
            self.settings.set("sync.paused", paused, by="officer")
        except SettingsError as exc:
            self.refused.emit(exc.message)

    def _relay(self, state: SyncState) -> None:
        self.state_changed.emit(state)  # emitted on the sync thread, delivered on the GUI thread

    def start(self) -> None:
        """Start syncing (it runs at once, then on a timer)."""
        self.worker.start()

    def trigger(self) -> None:
        """Sync now."""
        self.worker.trigger()

    def stop(self) -> None:
        """Stop at the next safe point (before the store closes)."""
        self.settings.unobserve(self.setting_changed)
        self.worker.stop()


def _time(moment: dt.datetime | None) -> str:
    if moment is None:
        return "belum pernah"
    local = moment.replace(tzinfo=dt.UTC).astimezone()
    return local.strftime("%d-%m %H:%M")


def _clock(moment: dt.datetime) -> str:
    return moment.replace(tzinfo=dt.UTC).astimezone().strftime("%H:%M")


class SyncArea(QWidget):
    """Status-bar widget: a dot for online/offline, the phase, progress, last success, sync button."""

    sync_requested = Signal()
    pause_requested = Signal(bool)  # True: pause, False: resume

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state_label = QLabel(self.tr("● Luring"))
        self.state_label.setStyleSheet(palette.style(palette.WARNING))
        self.waiting = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(120)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.last = QLabel(self.tr("Terakhir terkirim: belum pernah"))
        self.button = QPushButton(self.tr("Sinkronkan"))
        self.button.clicked.connect(self.sync_requested)
        self.pause_button = QPushButton(self.tr("Jeda"))
        self.pause_button.setToolTip(self.tr("Hentikan sinkronisasi otomatis, mis. di hotspot ponsel berkuota"))
        self.paused = False
        self.pause_button.clicked.connect(lambda: self.pause_requested.emit(not self.paused))
        self.details_button = QPushButton(self.tr("Rincian"))
        self.details_button.clicked.connect(self.show_details)
        self.state: SyncState | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        for widget in (
            self.state_label,
            self.waiting,
            self.progress,
            self.last,
            self.button,
            self.pause_button,
            self.details_button,
        ):
            layout.addWidget(widget)

    def show_counts(self, waiting: int, returned: int, ready: int) -> None:
        """Items waiting to be sent and notices for the officer."""
        text = self.tr("%n menunggu kirim", "", waiting)
        if returned:
            text += " · " + self.tr("%n dikembalikan", "", returned)
        if ready:
            text += " · " + self.tr("%n siap diambil", "", ready)
        self.waiting.setText(text)

    def show_state(self, state: SyncState) -> None:
        """Show a snapshot from the sync thread."""
        self.state = state
        self.paused = state.paused
        online = state.online is not False and state.phase not in ("offline", "error")
        colour = palette.GOOD if online else (palette.ERROR if state.phase == "error" else palette.WARNING)
        word = self.tr("Daring") if online else self.tr("Luring")
        if state.paused and not state.running:
            self.state_label.setText(self.tr("● Sinkronisasi dijeda"))
            self.state_label.setStyleSheet(palette.style(palette.QUIET))
        else:
            self.state_label.setText(f"● {word} · {state.label}")
            self.state_label.setStyleSheet(palette.style(colour))
        self.state_label.setToolTip(state.last_error or state.message)
        self.pause_button.setText(self.tr("Lanjutkan") if state.paused else self.tr("Jeda"))
        self.pause_button.setToolTip(
            self.tr("Sambungkan lagi sinkronisasi otomatis")
            if state.paused
            else self.tr("Hentikan sinkronisasi otomatis, mis. di hotspot ponsel berkuota")
        )
        last = self.tr("Terakhir terkirim: ") + _time(state.last_success_at)
        if not state.paused and not state.running and state.next_attempt_at is not None:
            last += self.tr(" · berikutnya ") + _clock(state.next_attempt_at)
        self.last.setText(last)
        busy = state.running and bool(state.items)
        self.progress.setVisible(busy)
        if busy:
            self.progress.setValue(int(state.fraction * 100))
            self.progress.setFormat(f"{int(state.fraction * 100)}%")

    def show_details(self) -> None:
        """Per-item progress of the current or last run."""
        dialog = SyncDetails(self.state, self)
        dialog.open()
        self._details = dialog


class SyncDetails(QDialog):
    """Each outbox item of the run: its state, bytes sent, attempts and last error."""

    def __init__(self, state: SyncState | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Rincian sinkronisasi"))
        heading = QLabel()
        items = QListWidget()
        if state is None:
            heading.setText(self.tr("Sinkronisasi belum berjalan."))
        else:
            heading.setText(f"{state.label}. {state.message or state.last_error}")
            for item in state.items:
                line = (
                    f"{item.service_code} · rev. {item.revision} · {item.label} · "
                    f"{item.bytes_done // 1024} / {item.bytes_total // 1024} KB"
                )
                if item.registration_number:
                    line += f" · No. {item.registration_number}"
                if item.attempts:
                    line += f" · percobaan {item.attempts}"
                if item.last_error:
                    line += f" · {item.last_error}"
                items.addItem(line)
            if not state.items:
                items.addItem(self.tr("Tidak ada permohonan yang sedang dikirim."))
        heading.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Tutup"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(items)
        layout.addWidget(buttons)
        self.resize(720, 360)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
