"""Restore: authenticated backups (HMAC under a key from the database key), a supervisor's password from the
backup's own key file, the restored data opened and verified before anything is replaced, and a new laptop."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.paths import DataPaths
from app.store import Store
from app.store import applications as apps
from app.store.backup import (
    FORMAT,
    LEGACY_FORMAT,
    MANIFEST,
    BackupError,
    _manifest_body,
    backup_mac_key,
    create_backup,
    restore_backup,
)
from app.store.crypto import mac
from app.store.errors import PermissionDeniedError, WrongPasswordError
from app.store.models import Page
from app.store.verify import verify_store
from tests.helpers.stores import OPERATOR, SUPERVISOR, new_store, with_operator

LOGIN = (SUPERVISOR[0], SUPERVISOR[2])


def store_with_scans(base: Path, pages: int = 3) -> Store:
    store = new_store(base)
    with_operator(store)
    application = apps.create_draft(store, "KTPEL-BARU-WNI", applicant_name="Ani")
    for n in range(pages):
        apps.attach_page(store, application, "kk", f"halaman {n}".encode() * 50, media_type="image/png")
    return store


def rewrite(
    source: Path, target: Path, change: Callable[[str, bytes], bytes], manifest: Callable[[dict[str, Any]], None]
) -> None:
    """Copy a backup, changing members and recomputing every hash of the manifest (as an attacker can)."""
    with zipfile.ZipFile(source) as archive:
        members = {name: change(name, archive.read(name)) for name in archive.namelist() if name != MANIFEST}
        data = json.loads(archive.read(MANIFEST))
    for name, content in members.items():
        data["files"][name] = {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
    manifest(data)
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr(MANIFEST, json.dumps(data))
        for name, content in members.items():
            archive.writestr(name, content)


def flip_database_byte(name: str, content: bytes) -> bytes:
    if name != "loket.db":
        return content
    changed = bytearray(content)
    changed[len(changed) // 2] ^= 0x01
    return bytes(changed)


def test_changed_database_with_recomputed_manifest_is_refused(tmp_path: Path) -> None:
    store = store_with_scans(tmp_path / "data")
    create_backup(store, tmp_path / "b.loket")
    store.close()
    rewrite(tmp_path / "b.loket", tmp_path / "changed.loket", flip_database_byte, lambda m: None)
    before = (tmp_path / "data" / "loket.db").read_bytes()
    with pytest.raises(BackupError, match="telah diubah"):
        restore_backup(tmp_path / "changed.loket", DataPaths(tmp_path / "data"), *LOGIN)
    assert (tmp_path / "data" / "loket.db").read_bytes() == before
    assert not list((tmp_path / "data" / "backups").glob("before-restore-*"))


def test_stripping_the_mac_as_an_old_format_is_refused(tmp_path: Path) -> None:
    store = store_with_scans(tmp_path / "data")
    create_backup(store, tmp_path / "b.loket")
    store.close()

    def downgrade(manifest: dict[str, Any]) -> None:
        manifest["format"] = LEGACY_FORMAT
        manifest.pop("mac")

    rewrite(tmp_path / "b.loket", tmp_path / "old.loket", flip_database_byte, downgrade)
    with pytest.raises(BackupError, match="tanpa tanda keaslian"):
        restore_backup(tmp_path / "old.loket", DataPaths(tmp_path / "new"), *LOGIN)
    # Asked for explicitly, an old-format file is still opened and checked first: the changed page shows.
    with pytest.raises(BackupError, match=r"halaman \d+ rusak"):
        restore_backup(tmp_path / "old.loket", DataPaths(tmp_path / "new"), *LOGIN, allow_legacy=True)
    assert not (tmp_path / "new" / "loket.db").exists()


def test_authentic_but_damaged_data_is_opened_and_refused_before_replacing(tmp_path: Path) -> None:
    """A backup whose HMAC is right (made with the key) but whose scan is damaged: verification stops it."""
    store = store_with_scans(tmp_path / "data")
    create_backup(store, tmp_path / "b.loket")
    key = store.database_key
    store.close()

    def damage_scan(name: str, content: bytes) -> bytes:
        return content[:-1] + bytes([content[-1] ^ 1]) if name.startswith("blobs/") else content

    def sign(manifest: dict[str, Any]) -> None:
        manifest["mac"] = mac(backup_mac_key(key), _manifest_body(manifest))

    rewrite(tmp_path / "b.loket", tmp_path / "damaged.loket", damage_scan, sign)
    with pytest.raises(BackupError, match="rusak") as refused:
        restore_backup(tmp_path / "damaged.loket", DataPaths(tmp_path / "new"), *LOGIN)
    assert "0 hilang, 3 rusak" in refused.value.message
    assert not (tmp_path / "new" / "loket.db").exists() and not (tmp_path / "new" / "keys.json").exists()


def test_restore_needs_a_supervisor_of_the_backup(tmp_path: Path) -> None:
    store = store_with_scans(tmp_path / "data")
    create_backup(store, tmp_path / "b.loket")
    store.close()
    with pytest.raises(WrongPasswordError):
        restore_backup(tmp_path / "b.loket", DataPaths(tmp_path / "new"), SUPERVISOR[0], "bukan-sandinya-1")
    with pytest.raises(PermissionDeniedError):
        restore_backup(tmp_path / "b.loket", DataPaths(tmp_path / "new"), OPERATOR[0], OPERATOR[2])
    assert not (tmp_path / "new" / "loket.db").exists()


@pytest.mark.parametrize("prepared", [False, True], ids=["no-folder", "empty-installed-folder"])
def test_restore_onto_a_new_laptop_finds_every_scan(tmp_path: Path, prepared: bool) -> None:
    store = store_with_scans(tmp_path / "old-laptop", pages=4)
    create_backup(store, tmp_path / "b.loket")
    store.close()
    new = DataPaths(tmp_path / "new-laptop")
    if prepared:
        new.ensure()  # what the installer or a first start leaves: empty blobs/, backups/, logs/
    result = restore_backup(tmp_path / "b.loket", new, *LOGIN)
    assert result.previous_data is None
    assert not (new.blobs / "blobs").exists()
    restored = Store.unlock(new, *LOGIN)
    report = verify_store(restored)
    assert report.ok and report.blobs_checked == 4 and not report.blobs_missing
    assert all(restored.blobs.get(page.blob_hash) for page in Page.select())
    restored.close()
    Store.unlock(new, OPERATOR[0], OPERATOR[2]).close()


def test_restore_into_an_existing_installation_keeps_the_old_data_aside(tmp_path: Path) -> None:
    store = store_with_scans(tmp_path / "data")
    create_backup(store, tmp_path / "b.loket")
    apps.attach_page(store, apps.create_draft(store, "KK-HILANG-RUSAK"), "kk", b"sesudah", media_type="image/png")
    store.close()
    before = DataPaths(tmp_path / "data").keyring.read_bytes()
    aside = restore_backup(tmp_path / "b.loket", DataPaths(tmp_path / "data"), *LOGIN).previous_data
    assert aside is not None and (aside / "keys.json").read_bytes() == before
    assert len(list((aside / "blobs").glob("??/*.blob"))) == 4
    restored = Store.unlock(DataPaths(tmp_path / "data"), *LOGIN)
    assert verify_store(restored).ok and verify_store(restored).blobs_checked == 3
    restored.close()


def test_backup_manifest_is_authenticated(tmp_path: Path) -> None:
    store = store_with_scans(tmp_path / "data", pages=1)
    create_backup(store, tmp_path / "b.loket")
    with zipfile.ZipFile(tmp_path / "b.loket") as archive:
        manifest = json.loads(archive.read(MANIFEST))
    assert manifest["format"] == FORMAT
    assert manifest["mac"] == mac(backup_mac_key(store.database_key), _manifest_body(manifest))
    store.close()
    shutil.rmtree(tmp_path / "data")
