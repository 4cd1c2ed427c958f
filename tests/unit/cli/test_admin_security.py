"""loket-admin on damaged and changed installations: findings in words and exit 1, never a traceback;
deactivating an officer re-keys and says what older backups still open with."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from app.paths import DataPaths
from app.store import Store
from app.store import applications as apps
from app.store.backup import create_backup
from app.store.models import AuditEntry, Page
from tests.helpers.stores import OPERATOR, SUPERVISOR, new_store, with_operator

ADMIN = str(Path(sys.executable).parent / "loket-admin")


def admin(base: Path, *args: str, password: str = SUPERVISOR[2]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LOKET_PASSWORD", "LOKET_NEW_PASSWORD")}
    env["LOKET_PASSWORD"] = password
    return subprocess.run(
        [ADMIN, "--basedir", str(base), *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )


def installation(base: Path) -> Store:
    """An installation with two scanned pages, closed and checkpointed."""
    store = new_store(base)
    application = apps.create_draft(store, "KTPEL-BARU-WNI", applicant_name="Ani")
    apps.attach_page(store, application, "kk", b"halaman kk" * 100, media_type="image/png")
    apps.attach_page(store, application, "kk", b"halaman dua" * 100, media_type="image/png")
    return store


def corrupt_page_table(base: Path, store: Store) -> None:
    root = int(store.db.execute_sql("SELECT rootpage FROM sqlite_master WHERE name = 'page'").fetchone()[0])
    page_size = int(store.db.execute_sql("PRAGMA page_size").fetchone()[0])
    store.close()
    with (base / "loket.db").open("r+b") as handle:
        handle.seek((root - 1) * page_size + 100)
        byte = handle.read(1)
        handle.seek(-1, os.SEEK_CUR)
        handle.write(bytes([byte[0] ^ 0xFF]))


def missing_scan(base: Path, store: Store) -> None:
    store.blobs.path_of(Page.select().first().blob_hash).unlink()
    store.close()


def changed_scan(base: Path, store: Store) -> None:
    path = store.blobs.path_of(Page.select().first().blob_hash)
    data = bytearray(path.read_bytes())
    data[-3] ^= 0x10
    path.write_bytes(bytes(data))
    store.close()


def broken_audit_chain(base: Path, store: Store) -> None:
    AuditEntry.update(action="officer.logout").where(AuditEntry.seq == 1).execute()
    store.close()


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (corrupt_page_table, "rusak: isinya berubah atau terpotong"),
        (missing_scan, "1 hilang"),
        (changed_scan, "1 rusak"),
        (broken_audit_chain, "isinya diubah setelah dicatat"),
    ],
    ids=["database-page", "missing-scan", "changed-scan", "audit-chain"],
)
def test_verify_reports_damage_in_words(tmp_path: Path, damage: Callable[[Path, Store], None], words: str) -> None:
    base = tmp_path / "data"
    damage(base, installation(base))
    result = admin(base, "--user", SUPERVISOR[0], "verify")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert words in result.stdout and "HASIL: ADA KERUSAKAN" in result.stdout


def test_deactivate_rekeys_and_tells_about_older_backups(tmp_path: Path) -> None:
    base = tmp_path / "data"
    store = installation(base)
    with_operator(store)
    create_backup(store, tmp_path / "sebelum.loket")
    store.close()
    old_keys = tmp_path / "keys-copy.json"
    shutil.copy(base / "keys.json", old_keys)
    result = admin(base, "--user", SUPERVISOR[0], "officers", "deactivate", OPERATOR[0])
    assert result.returncode == 0, result.stderr
    assert "Cadangan yang dibuat sebelum hari ini masih dapat dibuka dengan kata sandi lama" in result.stdout
    # The old key file, put back, no longer opens today's database: a clear message, no traceback.
    shutil.copy(old_keys, base / "keys.json")
    refused = admin(base, "--user", SUPERVISOR[0], "verify")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "Basis data rusak" in refused.stderr
    # The backup from before still restores with the old password, onto a new laptop.
    restored = admin(tmp_path / "baru", "--user", SUPERVISOR[0], "restore", str(tmp_path / "sebelum.loket"))
    assert restored.returncode == 0, restored.stderr
    assert Store.unlock(DataPaths(tmp_path / "baru"), OPERATOR[0], OPERATOR[2]).officer.active
