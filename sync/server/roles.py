"""Back-office roles and what each may do: one table guards the pages, the API and the CLI alike."""

from __future__ import annotations

from collections.abc import Iterable

ROLES: dict[str, str] = {
    "penerima": "Penerima berkas",
    "verifikator": "Verifikator",
    "validator": "Validator",
    "penandatangan": "Penandatangan",
    "pencetak": "Pencetak",
    "loket": "Petugas loket penyerahan",
    "pimpinan": "Pimpinan (baca dan laporan)",
    "admin": "Administrator",
}
"""Role name -> its label in the back office."""

STEP_ROLES: dict[str, frozenset[str]] = {
    "verify": frozenset({"penerima", "verifikator"}),
    "validate": frozenset({"validator"}),
    "return": frozenset({"penerima", "verifikator", "validator"}),
    "reject": frozenset({"verifikator", "validator"}),
    "produce": frozenset({"pencetak"}),
    "sign": frozenset({"penandatangan"}),
    "ready": frozenset({"pencetak"}),
    "handed_over": frozenset({"loket"}),
}
"""Workflow step -> the roles that may take it."""

PERMISSION_ROLES: dict[str, frozenset[str]] = {
    "view": frozenset(ROLES),
    "reports": frozenset({"pimpinan", "admin", "validator"}),
    "conflicts": frozenset({"validator", "admin"}),
    "outposts": frozenset({"admin", "pimpinan"}),
    "admin": frozenset({"admin"}),
}
"""Other permissions -> the roles that have them."""

STEP_LABELS: dict[str, str] = {
    "verify": "Verifikasi",
    "validate": "Validasi",
    "return": "Kembalikan ke desa",
    "reject": "Tolak",
    "produce": "Dicetak",
    "sign": "Tandatangani",
    "ready": "Siap diambil",
    "handed_over": "Sudah diserahkan",
}
"""Workflow step -> its button label."""

ALL_BUT_ADMIN = ",".join(r for r in ROLES if r not in ("admin", "pimpinan"))


def parse_roles(text: str | Iterable[str]) -> frozenset[str]:
    """Role names from `a,b` or a list; raises ValueError naming an unknown role."""
    names = [n.strip() for n in (text.split(",") if isinstance(text, str) else text) if n.strip()]
    unknown = [n for n in names if n not in ROLES]
    if unknown:
        raise ValueError(f"Peran tidak dikenal: {', '.join(unknown)}. Pilih dari: {', '.join(ROLES)}.")
    return frozenset(names)


def may_step(roles: Iterable[str], step: str) -> bool:
    """Whether someone with these roles may take this workflow step."""
    return bool(STEP_ROLES.get(step, frozenset()) & set(roles))


def may(roles: Iterable[str], permission: str) -> bool:
    """Whether someone with these roles has this permission."""
    return bool(PERMISSION_ROLES.get(permission, frozenset()) & set(roles))
