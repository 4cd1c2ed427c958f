"""What the sync area shows: an immutable snapshot of the sync state, per item and overall.

The client and the worker update a `ProgressTracker` from their thread; the UI receives `SyncState`
snapshots (immutable, safe to hand to another thread) through a callback and marshals them to the
GUI thread itself (e.g. with a queued Qt signal).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

Phase = Literal[
    "idle",  # nothing to do or waiting for the next run
    "connecting",
    "uploading",
    "committing",
    "pulling",  # applying the Dinas status feed
    "updating_catalog",
    "waiting",  # backing off after a failure
    "paused",
    "offline",
    "error",  # needs a person (enrolment, update)
    "revoked",  # the Dinas revoked this device: no more syncing, call Dinas IT
    "wiped",  # the Dinas ordered this device wiped: its keys are destroyed
]
ItemPhase = Literal["pending", "uploading", "committing", "acknowledged", "invalid", "failed", "conflict"]

PHASE_LABELS: dict[str, str] = {
    "idle": "Siap",
    "connecting": "Menghubungi server Dinas",
    "uploading": "Mengunggah dokumen",
    "committing": "Mengirim permohonan",
    "pulling": "Menerima status dari Dinas",
    "updating_catalog": "Memperbarui katalog layanan",
    "waiting": "Menunggu untuk mencoba lagi",
    "paused": "Dijeda",
    "offline": "Tidak ada koneksi",
    "error": "Perlu tindakan",
    "revoked": "Akses dicabut Dinas: hubungi TI Dinas",
    "wiped": "Data dihapus atas perintah Dinas",
}
ITEM_LABELS: dict[str, str] = {
    "pending": "Menunggu",
    "uploading": "Mengunggah",
    "committing": "Mengirim",
    "acknowledged": "Diterima Dinas",
    "invalid": "Dikembalikan pemeriksaan otomatis",
    "failed": "Gagal, dicoba lagi",
    "conflict": "Konflik, ditinjau supervisor",
}


@dataclass(frozen=True)
class ItemProgress:
    """One outbox item (a submitted revision) in this run."""

    item_id: str
    client_id: str
    revision: int
    service_code: str
    phase: ItemPhase = "pending"
    bytes_total: int = 0
    bytes_done: int = 0
    attempts: int = 0
    last_error: str = ""
    registration_number: str | None = None

    @property
    def fraction(self) -> float:
        """0..1 of this item's documents the server holds."""
        if self.phase in ("acknowledged", "invalid", "conflict"):
            return 1.0
        return self.bytes_done / self.bytes_total if self.bytes_total else 0.0

    @property
    def label(self) -> str:
        """The item's state for the officer."""
        return ITEM_LABELS[self.phase]


@dataclass(frozen=True)
class SyncState:
    """A snapshot of the whole sync: phase, items, bytes, errors and timing."""

    phase: Phase = "idle"
    items: tuple[ItemProgress, ...] = ()
    message: str = ""
    last_error: str = ""
    last_success_at: dt.datetime | None = None
    next_attempt_at: dt.datetime | None = None
    paused: bool = False
    online: bool | None = None
    throughput: float = 0.0  # bytes/s measured on the link
    chunk_size: int = 0
    running: bool = False

    @property
    def bytes_total(self) -> int:
        """Bytes this run's items need on the server."""
        return sum(i.bytes_total for i in self.items)

    @property
    def bytes_done(self) -> int:
        """Bytes the server holds of them."""
        return sum(min(i.bytes_done, i.bytes_total) for i in self.items)

    @property
    def fraction(self) -> float:
        """Overall progress 0..1 (items done count fully)."""
        if not self.items:
            return 1.0 if not self.running else 0.0
        return sum(i.fraction for i in self.items) / len(self.items)

    @property
    def label(self) -> str:
        """The phase for the officer."""
        return PHASE_LABELS[self.phase]


Listener = Callable[[SyncState], None]


class ProgressTracker:
    """Thread-safe builder of SyncState snapshots; tells a listener (throttled for byte progress)."""

    def __init__(self, listener: Listener | None = None, min_interval: float = 0.2) -> None:
        self._lock = threading.Lock()
        self._state = SyncState()
        self._listener = listener
        self._min_interval = min_interval
        self._told_at = 0.0

    def set_listener(self, listener: Listener | None) -> None:
        """Who hears about changes."""
        self._listener = listener

    def snapshot(self) -> SyncState:
        """The current state."""
        with self._lock:
            return self._state

    def update(self, *, throttle: bool = False, **changes: object) -> None:
        """Change overall fields (phase, message, ...)."""
        with self._lock:
            self._state = replace(self._state, **changes)  # type: ignore[arg-type]
        self._tell(throttle)

    def set_items(self, items: list[ItemProgress]) -> None:
        """Start tracking a run's items."""
        with self._lock:
            self._state = replace(self._state, items=tuple(items))
        self._tell(False)

    def item(self, item_id: str, *, throttle: bool = False, add_bytes: int = 0, **changes: object) -> None:
        """Change one item (and/or add uploaded bytes to it)."""
        with self._lock:
            items = []
            for entry in self._state.items:
                changed = entry
                if entry.item_id == item_id:
                    changed = replace(entry, **changes)  # type: ignore[arg-type]
                    if add_bytes:
                        changed = replace(changed, bytes_done=min(changed.bytes_total, changed.bytes_done + add_bytes))
                items.append(changed)
            self._state = replace(self._state, items=tuple(items))
        self._tell(throttle)

    def _tell(self, throttle: bool) -> None:
        listener = self._listener
        if listener is None:
            return
        now = time.monotonic()
        if throttle and now - self._told_at < self._min_interval:
            return
        self._told_at = now
        listener(self.snapshot())
