"""Demo back-office staff for trials and `make run`: one log-in per role, all with one known password."""

from __future__ import annotations

from sync.server import staff
from sync.server.models import Staff

DEMO_PASSWORD = "loket-demo-dinas"
DEMO_ADMIN = "admin"

DEMO_STAFF: tuple[tuple[str, str, str], ...] = (
    (DEMO_ADMIN, "Hendra Gunawan", "admin"),
    ("penerima", "Siti Rahmawati", "penerima"),
    ("verifikator", "Rina Kusumawati", "verifikator"),
    ("validator", "Agus Setiawan", "validator"),
    ("penandatangan", "Drs. Bambang Sutrisno, M.Si.", "penandatangan"),
    ("pencetak", "Dewi Lestari", "pencetak"),
    # Not `loket`: a password may not contain the username, and the demo password starts with "loket".
    ("petugas.loket", "Yusuf Hidayat", "loket"),
    ("pimpinan", "Ir. Sri Wahyuni, M.M.", "pimpinan"),
)
"""(username, full name, role) of each demo staff member: one per role."""


def create_demo_staff(password: str = DEMO_PASSWORD, *, actor: str = "demo") -> list[tuple[str, str, str]]:
    """Create the demo staff that do not exist yet (known password, no forced change); (username, name, role) of all."""
    for username, full_name, role in DEMO_STAFF:
        if Staff.get_or_none(Staff.username == username) is None:
            staff.add_staff(username, full_name, role, actor=actor, password=password)
    return list(DEMO_STAFF)
