"""Deactivating an officer re-keys the database: a copy of the old key file opens nothing of today's, the
remaining officers keep their passwords, scans stay readable, and a power cut at any point leaves a store
that opens (and finishes the re-key at the next log-in)."""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.paths import DataPaths
from app.store import Store
from app.store import applications as apps
from app.store.crypto import SALT_BYTES, derive_password_key, seal
from app.store.db import open_database
from app.store.errors import DatabaseCorruptError, WrongPasswordError
from app.store.keyring import KeyFile
from app.store.models import Officer, Page
from app.store.verify import verify_store
from tests.helpers.stores import FAST_KDF, OPERATOR, SUPERVISOR, new_store, with_operator

ROOT = Path(__file__).resolve().parents[4]
SECOND = ("dua", "Dewi Operator", "rahasia-dua-2")


def installation(base: Path) -> list[str]:
    """Supervisor, the operator who will be deactivated, a second operator; two scans. Returns their hashes."""
    store = new_store(base)
    with_operator(store)
    store.add_officer(SECOND[0], SECOND[1], "operator", SECOND[2])
    application = apps.create_draft(store, "KTPEL-BARU-WNI", applicant_name="Ani")
    apps.attach_page(store, application, "kk", b"kk sebelum" * 80, media_type="image/png")
    apps.attach_page(store, application, "kk", b"akta sebelum" * 80, media_type="image/png")
    digests = [page.blob_hash for page in Page.select()]
    store.close()
    return digests


def old_key(copy: Path, username: str, password: str) -> bytes:
    return KeyFile(copy, count_failures=False).unwrap(username, password).key


def assert_old_key_opens_nothing(base: Path, copy: Path) -> None:
    for username, password in ((OPERATOR[0], OPERATOR[2]), (SUPERVISOR[0], SUPERVISOR[2])):
        with pytest.raises(DatabaseCorruptError):
            open_database(base / "loket.db", old_key(copy, username, password)).close()


def assert_rekeyed_and_whole(base: Path, copy: Path, digests: list[str]) -> None:
    """After the re-key: one key, the old one useless, every scan readable, the others still log in."""
    paths = DataPaths(base)
    store = Store.unlock(paths, SUPERVISOR[0], SUPERVISOR[2])
    assert not store.keyfile.rekey_pending and OPERATOR[0] not in store.keyfile.usernames()
    assert all(store.blobs.get(digest) for digest in digests)
    assert verify_store(store).ok
    assert not list(paths.backups.glob("loket-before-rekey-*"))
    store.close()
    assert_old_key_opens_nothing(base, copy)
    Store.unlock(paths, SECOND[0], SECOND[2]).close()
    with pytest.raises(WrongPasswordError):
        Store.unlock(paths, OPERATOR[0], OPERATOR[2])


def test_a_copy_of_the_old_key_file_no_longer_opens_todays_database(tmp_path: Path) -> None:
    digests = installation(tmp_path)
    shutil.copy(tmp_path / "keys.json", tmp_path / "keys-copy.json")
    store = Store.unlock(DataPaths(tmp_path), SUPERVISOR[0], SUPERVISOR[2])
    done = store.deactivate_officer(OPERATOR[0])
    assert done.officers_to_reset == ()
    assert "Cadangan yang dibuat sebelum hari ini masih dapat dibuka dengan kata sandi lama" in done.message
    # New scans after the re-key, under the new key; old ones through the key history.
    application = apps.create_draft(store, "KK-HILANG-RUSAK")
    digests.append(apps.attach_page(store, application, "kk", b"sesudah" * 80, media_type="image/png").blob_hash)
    assert not Officer.get(Officer.username == OPERATOR[0]).active
    store.close()
    assert_rekeyed_and_whole(tmp_path, tmp_path / "keys-copy.json", digests)


def test_an_officer_from_the_old_key_format_is_named_for_a_reset(tmp_path: Path) -> None:
    installation(tmp_path)
    store = Store.unlock(DataPaths(tmp_path), SUPERVISOR[0], SUPERVISOR[2])
    # Written by Loket before key pairs: the database key wrapped straight under the password.
    salt = os.urandom(SALT_BYTES)
    kek = derive_password_key(SECOND[2], salt, FAST_KDF)
    keyring = json.loads(store.paths.keyring.read_text())
    keyring["officers"][SECOND[0]] = {
        "salt": base64.b64encode(salt).decode(),
        "kdf": FAST_KDF.to_dict(),
        "sealed": base64.b64encode(seal(kek, store.database_key, b"loket-database-key:dua")).decode(),
    }
    store.paths.keyring.write_text(json.dumps(keyring))
    store.keyfile = KeyFile(store.paths.keyring)
    done = store.deactivate_officer(OPERATOR[0])
    assert done.officers_to_reset == (SECOND[0],) and "reset-password" in done.message
    store.reset_password(SECOND[0], "sementara-dua-2")
    store.close()
    Store.unlock(DataPaths(tmp_path), SECOND[0], "sementara-dua-2").close()


def test_a_format_1_entry_is_upgraded_at_log_in(tmp_path: Path) -> None:
    installation(tmp_path)
    store = Store.unlock(DataPaths(tmp_path), SUPERVISOR[0], SUPERVISOR[2])
    key = store.database_key
    store.close()
    salt = os.urandom(SALT_BYTES)
    kek = derive_password_key(SECOND[2], salt, FAST_KDF)
    keyring = json.loads((tmp_path / "keys.json").read_text())
    keyring["format"] = 1
    keyring["officers"][SECOND[0]] = {
        "salt": base64.b64encode(salt).decode(),
        "kdf": FAST_KDF.to_dict(),
        "sealed": base64.b64encode(seal(kek, key, b"loket-database-key:dua")).decode(),
        "failures": 0,
        "last_failure": 0.0,
    }
    (tmp_path / "keys.json").write_text(json.dumps(keyring))
    Store.unlock(DataPaths(tmp_path), SECOND[0], SECOND[2]).close()
    upgraded = json.loads((tmp_path / "keys.json").read_text())
    assert upgraded["format"] == 2 and upgraded["officers"][SECOND[0]]["scheme"] == "x25519-v1"


def test_a_deactivation_cut_before_the_key_file_changed_is_finished_at_log_in(tmp_path: Path) -> None:
    """The officer row was marked inactive, then the power went: the next log-in re-keys."""
    digests = installation(tmp_path)
    shutil.copy(tmp_path / "keys.json", tmp_path / "keys-copy.json")
    store = Store.unlock(DataPaths(tmp_path), SUPERVISOR[0], SUPERVISOR[2])
    Officer.update(active=False).where(Officer.username == OPERATOR[0]).execute()
    store.close()
    assert_rekeyed_and_whole(tmp_path, tmp_path / "keys-copy.json", digests)


# A child process deactivates the operator and is SIGKILLed at a chosen point of the re-key (the
# interpreter's profile hook sees the SQL about to run; nothing of Loket is replaced).
CHILD = """
import os, signal, sys
from app.paths import DataPaths
from app.store import Store
base, point = sys.argv[1], sys.argv[2]
store = Store.unlock(DataPaths.resolve(base), "sup", "rahasia-sup-1")
seen = {"rekey": False}
def hook(frame, event, arg):
    if event != "call" or frame.f_code.co_name != "execute_sql":
        return
    sql = str(frame.f_locals.get("sql", ""))
    if sql.startswith("PRAGMA rekey"):
        seen["rekey"] = True
        if point == "before-rekey":
            os.kill(os.getpid(), signal.SIGKILL)
    elif seen["rekey"] and sql.startswith("PRAGMA wal_checkpoint") and point == "after-commit":
        os.kill(os.getpid(), signal.SIGKILL)
sys.setprofile(hook)
store.deactivate_officer("opr")
print("FINISHED")
"""


def die_during_deactivation(base: Path, point: str) -> None:
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(base), point],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stdout + child.stderr


def drop_commit_frame(base: Path) -> None:
    """The power went while the re-key's last WAL frame (the commit) was being written."""
    wal = base / "loket.db-wal"
    data = wal.read_bytes()
    page_size = int.from_bytes(data[8:12], "big")
    assert len(data) > 32 + 2 * (24 + page_size), "the re-key's frames are in the WAL"
    wal.write_bytes(data[: len(data) - (24 + page_size)])


@pytest.mark.parametrize("point", ["before-rekey", "after-commit", "mid-rekey"])
def test_power_cut_during_rekey_leaves_a_store_that_opens(tmp_path: Path, point: str) -> None:
    digests = installation(tmp_path)
    shutil.copy(tmp_path / "keys.json", tmp_path / "keys-copy.json")
    die_during_deactivation(tmp_path, "before-rekey" if point == "before-rekey" else "after-commit")
    assert KeyFile(tmp_path / "keys.json", count_failures=False).rekey_pending
    if point == "mid-rekey":
        drop_commit_frame(tmp_path)
    # Which key the file answers to now (probed on a copy, so the WAL stays as the power cut left it):
    # the old one until the re-key's commit frame is on disk, the new one after.
    probe = tmp_path / "probe"
    probe.mkdir()
    for name in ("loket.db", "loket.db-wal"):
        if (tmp_path / name).exists():
            shutil.copy(tmp_path / name, probe / name)
    key = old_key(tmp_path / "keys-copy.json", SUPERVISOR[0], SUPERVISOR[2])
    if point == "after-commit":
        with pytest.raises(DatabaseCorruptError):
            open_database(probe / "loket.db", key).close()
    else:
        open_database(probe / "loket.db", key).close()
    assert_rekeyed_and_whole(tmp_path, tmp_path / "keys-copy.json", digests)
