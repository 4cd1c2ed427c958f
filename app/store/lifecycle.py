"""The application lifecycle of DESIGN.md as a transition table."""

from __future__ import annotations

from app.store.errors import StateError

# Who moves an application from one state to the next: the outpost (local) or the Dinas (feed).
LOCAL_TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"submitted", "cancelled"}),
    "submitted": frozenset({"received", "cancelled"}),
    "returned": frozenset({"draft"}),
}
DINAS_TRANSITIONS: dict[str, frozenset[str]] = {
    "submitted": frozenset({"received", "returned", "rejected"}),
    "received": frozenset({"verified", "returned", "rejected"}),
    "verified": frozenset({"validated", "returned", "rejected"}),
    "validated": frozenset({"produced", "returned", "rejected"}),
    "produced": frozenset({"signed"}),
    "signed": frozenset({"ready"}),
    "ready": frozenset({"handed_over"}),
}

STATE_LABELS: dict[str, str] = {
    "draft": "Draf",
    "submitted": "Menunggu kirim",
    "received": "Diterima Dinas",
    "verified": "Diverifikasi",
    "validated": "Divalidasi",
    "produced": "Dicetak",
    "signed": "Ditandatangani",
    "ready": "Siap diambil",
    "handed_over": "Sudah diserahkan",
    "returned": "Perlu dilengkapi",
    "rejected": "Ditolak",
    "cancelled": "Dibatalkan",
}


def check_transition(current: str, target: str, *, by_dinas: bool = False) -> None:
    """Raise StateError, in Bahasa Indonesia, when `current` cannot move to `target`."""
    table = DINAS_TRANSITIONS if by_dinas else LOCAL_TRANSITIONS
    if target not in table.get(current, frozenset()):
        raise StateError(
            f"Permohonan berstatus '{STATE_LABELS.get(current, current)}' tidak dapat diubah menjadi "
            f"'{STATE_LABELS.get(target, target)}'."
        )
