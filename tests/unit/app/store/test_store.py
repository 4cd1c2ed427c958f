"""Tests of opening the store: first run, offline login, wrong passwords and the growing delay, roles."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.paths import DataPaths
from app.store import Store, StoreError
from app.store.errors import LockedOutError, NotInitialisedError, PermissionDeniedError, WrongPasswordError
from app.store.keyring import KeyFile, lockout_delay
from app.store.lockout import Lockout
from app.store.models import Officer
from tests.helpers.stores import OPERATOR, SUPERVISOR, new_store, with_operator


def test_first_run_creates_supervisor_and_unlocks_again(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    assert store.officer.role == "supervisor"
    store.close()
    again = Store.unlock(DataPaths(tmp_path), SUPERVISOR[0], SUPERVISOR[2])
    assert again.officer.username == SUPERVISOR[0]
    again.close()


def test_initialise_refuses_existing_installation(tmp_path: Path) -> None:
    new_store(tmp_path).close()
    with pytest.raises(StoreError, match="sudah berisi data"):
        new_store(tmp_path)


def test_unlock_without_installation(tmp_path: Path) -> None:
    with pytest.raises(NotInitialisedError):
        Store.unlock(DataPaths(tmp_path), "sup", "x")


def test_wrong_password_and_unknown_user_look_the_same(tmp_path: Path) -> None:
    new_store(tmp_path).close()
    paths = DataPaths(tmp_path)
    with pytest.raises(WrongPasswordError) as wrong:
        Store.unlock(paths, SUPERVISOR[0], "salah-sekali")
    with pytest.raises(WrongPasswordError) as unknown:
        Store.unlock(paths, "siapa", "salah-sekali")
    assert wrong.value.message.startswith(unknown.value.message[:40])
    assert "kata sandi salah" in wrong.value.message


def test_growing_delay_after_failures(tmp_path: Path) -> None:
    new_store(tmp_path).close()
    keys = KeyFile(DataPaths(tmp_path).keyring)
    now = 1_000_000.0
    for _ in range(3):
        with pytest.raises(WrongPasswordError):
            keys.unwrap(SUPERVISOR[0], "salah", now=now)
    with pytest.raises(LockedOutError) as locked:
        keys.unwrap(SUPERVISOR[0], SUPERVISOR[2], now=now + 1)
    assert "Tunggu" in locked.value.message
    unwrapped = keys.unwrap(SUPERVISOR[0], SUPERVISOR[2], now=now + lockout_delay(3) + 0.1)
    assert len(unwrapped.key) == 32
    # Success resets the counter (it is stored in lockout.json).
    lockout = Lockout(tmp_path)
    lockout.load(now + 10)
    assert lockout.attempts(SUPERVISOR[0]).failures == 0


def test_lockout_delay_doubles_and_caps() -> None:
    assert [lockout_delay(n) for n in range(6)] == [0, 0, 0, 2, 4, 8]
    assert lockout_delay(50) == 300


def test_operator_cannot_manage_or_cancel_submitted(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    with_operator(store)
    store.close()
    operator = Store.unlock(DataPaths(tmp_path), OPERATOR[0], OPERATOR[2])
    assert operator.can("capture") and not operator.can("cancel")
    with pytest.raises(PermissionDeniedError, match="Peran Anda"):
        operator.add_officer("x", "X", "operator", "panjang-sekali")
    operator.close()


def test_password_change_rewraps_only_own_copy(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    with_operator(store)
    before = KeyFile(store.paths.keyring).entries[SUPERVISOR[0]].sealed
    store.close()
    operator = Store.unlock(DataPaths(tmp_path), OPERATOR[0], OPERATOR[2])
    operator.change_password(OPERATOR[2], "sandi-baru-123")
    operator.close()
    assert KeyFile(DataPaths(tmp_path).keyring).entries[SUPERVISOR[0]].sealed == before
    Store.unlock(DataPaths(tmp_path), OPERATOR[0], "sandi-baru-123").close()
    with pytest.raises(WrongPasswordError):
        Store.unlock(DataPaths(tmp_path), OPERATOR[0], OPERATOR[2])


def test_supervisor_resets_forgotten_password(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    with_operator(store)
    store.reset_password(OPERATOR[0], "sementara-123")
    store.close()
    operator = Store.unlock(DataPaths(tmp_path), OPERATOR[0], "sementara-123")
    assert operator.must_change_password
    operator.change_password("sementara-123", "milik-sendiri-1")
    assert not operator.must_change_password
    operator.close()


def test_deactivated_officer_cannot_unlock(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    with_operator(store)
    store.deactivate_officer(OPERATOR[0])
    assert not Officer.get(Officer.username == OPERATOR[0]).active
    with pytest.raises(StoreError, match="akun sendiri"):
        store.deactivate_officer(SUPERVISOR[0])
    store.close()
    with pytest.raises(WrongPasswordError):
        Store.unlock(DataPaths(tmp_path), OPERATOR[0], OPERATOR[2])


@pytest.mark.parametrize(
    ("username", "role", "password", "problem"),
    [
        ("budi", "raja", "panjang-sekali", "Peran"),
        ("bu di!", "operator", "panjang-sekali", "huruf, angka"),
        ("budi", "operator", "pendek", "minimal 10"),
        ("budi", "operator", "sembilan9", "minimal 10"),
        ("sup", "operator", "panjang-sekali", "sudah dipakai"),
    ],
)
def test_add_officer_rejects_bad_input(tmp_path: Path, username: str, role: str, password: str, problem: str) -> None:
    store = new_store(tmp_path)
    with pytest.raises(StoreError, match=problem):
        store.add_officer(username, "Nama", role, password)
    store.close()
