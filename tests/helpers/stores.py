"""Helpers to make real encrypted stores quickly in tests (weak scrypt cost: tests only)."""

from __future__ import annotations

from pathlib import Path

from app.paths import DataPaths
from app.store import Store
from app.store.crypto import ScryptParams

FAST_KDF = ScryptParams(n=2**10, r=8, p=1)
SUPERVISOR = ("sup", "Siti Supervisor", "rahasia-sup-1")
OPERATOR = ("opr", "Oka Operator", "rahasia-opr-1")


def new_store(base: Path) -> Store:
    """A fresh installation with a supervisor logged in."""
    username, full_name, password = SUPERVISOR
    return Store.initialise(DataPaths(base), username, full_name, password, params=FAST_KDF)


def with_operator(store: Store) -> None:
    """Add the operator officer."""
    username, full_name, password = OPERATOR
    store.add_officer(username, full_name, "operator", password)
