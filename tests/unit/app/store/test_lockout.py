"""The failed-log-in counter: editing, deleting or forging lockout.json never shortens a wait."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.paths import DataPaths
from app.store import Store
from app.store.errors import LockedOutError, WrongPasswordError
from app.store.keyring import KeyFile
from app.store.lockout import MAX_DELAY_SECONDS, Lockout, lockout_delay
from tests.helpers.stores import SUPERVISOR, new_store

NOW = 1_000_000.0


def locked_after_three_failures(base: Path) -> KeyFile:
    new_store(base).close()
    keys = KeyFile(DataPaths(base).keyring)
    for _ in range(3):
        with pytest.raises(WrongPasswordError):
            keys.unwrap(SUPERVISOR[0], "salah-sekali", now=NOW)
    return keys


def test_editing_the_counter_back_to_zero_does_not_unlock(tmp_path: Path) -> None:
    locked_after_three_failures(tmp_path)
    path = tmp_path / "lockout.json"
    data = json.loads(path.read_text())
    data["state"]["officers"][SUPERVISOR[0]] = [0, 0.0]
    path.write_text(json.dumps(data))
    with pytest.raises(LockedOutError) as locked:
        KeyFile(DataPaths(tmp_path).keyring).unwrap(SUPERVISOR[0], SUPERVISOR[2], now=NOW + lockout_delay(3) + 1)
    assert locked.value.tampered and locked.value.wait_seconds == pytest.approx(MAX_DELAY_SECONDS)
    assert "hilang atau diubah" in locked.value.message


def test_deleting_the_counter_starts_the_longest_wait(tmp_path: Path) -> None:
    locked_after_three_failures(tmp_path)
    (tmp_path / "lockout.json").unlink()
    keys = KeyFile(DataPaths(tmp_path).keyring)
    with pytest.raises(LockedOutError) as locked:
        keys.unwrap(SUPERVISOR[0], SUPERVISOR[2], now=NOW + 5)
    assert locked.value.wait_seconds == pytest.approx(MAX_DELAY_SECONDS)
    # Deleting it again re-anchors the wait at that moment: it never gets shorter.
    (tmp_path / "lockout.json").unlink()
    with pytest.raises(LockedOutError) as again:
        keys.unwrap(SUPERVISOR[0], SUPERVISOR[2], now=NOW + 200)
    assert again.value.wait_seconds == pytest.approx(MAX_DELAY_SECONDS)
    # After the wait the right password works and writes a clean, authenticated record.
    keys.unwrap(SUPERVISOR[0], SUPERVISOR[2], now=NOW + 200 + MAX_DELAY_SECONDS + 1)
    fresh = Lockout(tmp_path)
    fresh.load(NOW + 1000)
    assert not fresh.tampered and fresh.attempts(SUPERVISOR[0]).failures == 0


def test_deleting_the_device_secret_counts_as_tampering(tmp_path: Path) -> None:
    locked_after_three_failures(tmp_path)
    (tmp_path / "device.secret").unlink()
    with pytest.raises(LockedOutError) as locked:
        KeyFile(DataPaths(tmp_path).keyring).unwrap(SUPERVISOR[0], SUPERVISOR[2], now=NOW + lockout_delay(3) + 1)
    assert locked.value.tampered


def test_a_fresh_installation_and_a_plain_log_in_are_not_locked(tmp_path: Path) -> None:
    new_store(tmp_path).close()
    Store.unlock(DataPaths(tmp_path), SUPERVISOR[0], SUPERVISOR[2]).close()
    lockout = Lockout(tmp_path)
    lockout.load(NOW)
    assert not lockout.tampered


def test_counters_of_a_format_1_key_file_carry_over(tmp_path: Path) -> None:
    new_store(tmp_path).close()
    # A key file as Loket wrote it before: counters inside keys.json, no lockout.json yet.
    keyring = DataPaths(tmp_path).keyring
    data = json.loads(keyring.read_text())
    data["format"] = 1
    for entry in data["officers"].values():
        entry.update(failures=5, last_failure=NOW)
    keyring.write_text(json.dumps(data))
    (tmp_path / "lockout.json").unlink()
    with pytest.raises(LockedOutError) as locked:
        KeyFile(keyring).unwrap(SUPERVISOR[0], SUPERVISOR[2], now=NOW + 1)
    assert not locked.value.tampered and locked.value.wait_seconds == pytest.approx(lockout_delay(5) - 1)
