"""Backup and restore: one verifiable file holding the encrypted database, the key file and the blobs.

The backup is a ZIP container with a manifest of SHA-256 hashes, authenticated with an HMAC-SHA256
under a key derived from the database key: anyone can recompute hashes, only a holder of the key can
make the HMAC, so a changed database (or key file, or scan) with a recomputed manifest is refused.
Everything in it is already encrypted (SQLCipher pages, AES-GCM blobs, keys wrapped under officers'
passwords), so the file reveals nothing without an officer's password.

Restore asks for the password of a supervisor (or admin) *in the backup's own key file*, checks the
HMAC, opens the restored database in a staging folder and runs the full verification (integrity,
audit chain, every scan) before it replaces anything; the current data is moved aside, never
deleted. The same path serves an existing installation and an empty data folder (a new laptop).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from app.fileio import fsync_dir
from app.paths import DataPaths
from app.store.crypto import derive_subkey, mac, mac_matches
from app.store.db import guarded, open_database
from app.store.errors import DatabaseCorruptError, PermissionDeniedError, StoreError
from app.store.keyring import KeyFile
from app.store.lockout import Lockout
from app.store.migrations import SCHEMA_VERSION, schema_version
from app.store.models import Officer, database_proxy
from app.store.store import PERMISSIONS, Store
from app.store.verify import verify_store
from app.version import version

FORMAT = "loket-backup-2"
LEGACY_FORMAT = "loket-backup-1"  # an unkeyed manifest: restored only when asked for explicitly
MANIFEST = "manifest.json"
DB_NAME = "loket.db"
KEYS_NAME = "keys.json"
MAC_PURPOSE = "loket-backup-v2"
_MEMBER = re.compile(r"(loket\.db|keys\.json|blobs/[0-9a-f]{2}/[0-9a-f]{64}\.blob)")


class BackupError(StoreError):
    """A backup file is unreadable, incomplete, damaged or changed."""

    def __init__(self, detail: str, message: str = "") -> None:
        super().__init__(
            message
            or "Berkas cadangan rusak atau tidak lengkap; data tidak dipulihkan dan data yang ada tidak diubah. "
            "Gunakan berkas cadangan lain.",
            detail,
        )


def _changed(detail: str) -> BackupError:
    return BackupError(
        detail,
        "Berkas cadangan telah diubah setelah dibuat (tanda keasliannya tidak cocok), atau kata sandi bukan milik "
        "instalasi cadangan ini. Data tidak dipulihkan dan data yang ada tidak diubah. Gunakan berkas cadangan lain.",
    )


@dataclass(frozen=True)
class BackupInfo:
    """What a verified backup holds."""

    path: Path
    created: str
    schema_version: int
    files: int
    bytes: int
    authenticated: bool = True


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did."""

    info: BackupInfo
    previous_data: Path | None


def _sha256(handle: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _manifest_body(manifest: dict[str, object]) -> bytes:
    """The bytes the HMAC covers: the manifest without its "mac", in a canonical form."""
    unsigned = {k: v for k, v in manifest.items() if k != "mac"}
    return json.dumps(unsigned, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def backup_mac_key(database_key: bytes) -> bytes:
    """The key that authenticates a backup's manifest."""
    return derive_subkey(database_key, MAC_PURPOSE)


def create_backup(store: Store, target: Path) -> BackupInfo:
    """Write a backup file (temp, then rename), and verify it before returning."""
    target = target.resolve()
    work = target.with_name(f".{target.name}.work")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    mac_key = backup_mac_key(store.database_key)
    try:
        guarded(lambda: store.export_copy(work / DB_NAME))
        entries: list[tuple[str, Path]] = [(DB_NAME, work / DB_NAME), (KEYS_NAME, store.paths.keyring)]
        entries.extend((f"blobs/{p.parent.name}/{p.name}", p) for p in sorted(store.paths.blobs.glob("??/*.blob")))
        files: dict[str, object] = {}
        for name, path in entries:
            with path.open("rb") as handle:
                digest, size = _sha256(handle)
            files[name] = {"sha256": digest, "size": size}
        manifest: dict[str, object] = {
            "format": FORMAT,
            "created": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "app_version": version(),
            "schema_version": SCHEMA_VERSION,
            "files": files,
        }
        manifest["mac"] = mac(mac_key, _manifest_body(manifest))
        partial = target.with_name(f".{target.name}.partial")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
            archive.writestr(MANIFEST, json.dumps(manifest, indent=1))
            for name, path in entries:
                archive.write(path, name)
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
        fsync_dir(target.parent)  # or a power cut loses the rename: the backup reported written is gone
    except OSError as exc:
        raise StoreError(f"Cadangan tidak dapat ditulis ke {target}: {exc.strerror}. Periksa ruang disk.") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    info = verify_backup(target)
    with zipfile.ZipFile(target) as archive:
        if not mac_matches(mac_key, _manifest_body(json.loads(archive.read(MANIFEST))), manifest["mac"]):
            raise BackupError("written backup fails its own MAC")
    return info


def _read_manifest(archive: zipfile.ZipFile) -> dict[str, object]:
    manifest = json.loads(archive.read(MANIFEST))
    if not isinstance(manifest, dict) or manifest.get("format") not in (FORMAT, LEGACY_FORMAT):
        raise BackupError(f"unknown format {manifest.get('format') if isinstance(manifest, dict) else None!r}")
    files = manifest.get("files")
    if not isinstance(files, dict):
        raise BackupError("manifest lists no files")
    names = set(archive.namelist()) - {MANIFEST}
    if names != set(files):
        raise BackupError(f"files differ from the manifest: {sorted(names ^ set(files))[:5]}")
    if DB_NAME not in files or KEYS_NAME not in files:
        raise BackupError("database or key file missing")
    strange = [name for name in files if not _MEMBER.fullmatch(name)]
    if strange:
        raise BackupError(f"unexpected names in the backup: {strange[:3]}")
    return manifest


def _info(path: Path, manifest: dict[str, object], total: int) -> BackupInfo:
    files = manifest["files"]
    assert isinstance(files, dict)
    return BackupInfo(
        path,
        str(manifest["created"]),
        int(str(manifest["schema_version"])),
        len(files),
        total,
        manifest.get("format") == FORMAT,
    )


def verify_backup(path: Path) -> BackupInfo:
    """Check every file of a backup against its manifest (hashes only; restore also checks the HMAC)."""
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = _read_manifest(archive)
            files = manifest["files"]
            assert isinstance(files, dict)
            total = 0
            for name, meta in files.items():
                with archive.open(name) as member:
                    digest, size = _sha256(member)
                total += size
                if digest != meta["sha256"]:
                    raise BackupError(f"{name}: hash does not match")
            return _info(path, manifest, total)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise BackupError(str(exc)) from exc


def _check_staged(staging: Path, manifest: dict[str, object]) -> int:
    """Hash the extracted files against the manifest (what is restored is what was checked)."""
    files = manifest["files"]
    assert isinstance(files, dict)
    total = 0
    for name, meta in files.items():
        with (staging / name).open("rb") as handle:
            digest, size = _sha256(handle)
        total += size
        if digest != meta["sha256"]:
            raise BackupError(f"{name}: hash does not match")
    return total


def _open_and_verify(staging: Path, username: str, key: bytes) -> None:
    """Open the staged database with the backup's key and run every check; raise if anything is wrong."""
    staged = DataPaths(staging)
    try:
        db = open_database(staged.database, key)
    except DatabaseCorruptError as exc:
        raise _changed(f"database does not open with the backup's key: {exc.detail}") from None
    previous = database_proxy.obj
    database_proxy.initialize(db)
    try:
        found = guarded(lambda: schema_version(db))
        if found > SCHEMA_VERSION:
            raise StoreError(
                f"Cadangan ini dibuat oleh versi Loket yang lebih baru (skema {found}). Pasang versi Loket terbaru "
                "sebelum memulihkan."
            )
        officer = guarded(lambda: Officer.get_or_none(Officer.username == username))
        if officer is None or not officer.active or "manage_officers" not in PERMISSIONS.get(officer.role, ()):
            raise PermissionDeniedError("memulihkan cadangan (masuk sebagai supervisor yang ada di cadangan itu)")
        store = Store(staged, db, key, KeyFile(staged.keyring, count_failures=False), officer)
        report = verify_store(store)
        if not report.ok:
            raise BackupError(
                "restored data fails verification",
                "Data di dalam cadangan ini rusak, jadi tidak dipulihkan; data yang ada tidak diubah.\n"
                + report.to_text(),
            )
    finally:
        db.close()
        database_proxy.initialize(previous)


def _move_aside(paths: DataPaths) -> Path | None:
    current = [
        paths.database,
        paths.keyring,
        paths.blobs,
        *(paths.database.with_name(paths.database.name + s) for s in ("-wal", "-shm")),
    ]
    present = [p for p in current if p.exists() and (p.is_file() or any(p.iterdir()))]
    if not present:
        return None
    aside = paths.backups / f"before-restore-{dt.datetime.now():%Y%m%d-%H%M%S-%f}"
    aside.mkdir(parents=True)
    for item in present:
        os.replace(item, aside / item.name)
    return aside


def restore_backup(
    path: Path, paths: DataPaths, username: str, password: str, *, allow_legacy: bool = False
) -> RestoreResult:
    """Check, authenticate, open and verify a backup, then put it in place of the data folder's data.

    `username`/`password` are a supervisor's (or admin's) in the backup's own key file. The current
    data is moved to backups/before-restore-<time>/ (never deleted). Works the same into an empty
    or missing data folder.
    """
    paths.base.mkdir(parents=True, exist_ok=True)
    staging = paths.base / ".restore"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        try:
            with zipfile.ZipFile(path) as archive:
                manifest = _read_manifest(archive)
                staging.mkdir()
                archive.extractall(staging)
            total = _check_staged(staging, manifest)
        except (OSError, zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
            raise BackupError(str(exc)) from exc
        info = _info(path, manifest, total)
        if info.schema_version > SCHEMA_VERSION:
            raise StoreError(
                f"Cadangan ini dibuat oleh versi Loket yang lebih baru (skema {info.schema_version}). Pasang versi "
                "Loket terbaru sebelum memulihkan."
            )
        if not info.authenticated and not allow_legacy:
            raise BackupError(
                "legacy backup without a MAC",
                "Cadangan ini dibuat oleh Loket versi lama tanpa tanda keaslian, sehingga perubahan di dalamnya tidak "
                "dapat dikenali. Pulihkan hanya jika berkas ini pasti tidak diubah: 'loket-admin restore --legacy "
                "FILE'. Data yang ada tidak diubah.",
            )
        keys = KeyFile(staging / KEYS_NAME, count_failures=False)
        key = keys.unwrap(username, password).key
        if info.authenticated and not mac_matches(backup_mac_key(key), _manifest_body(manifest), manifest.get("mac")):
            raise _changed("manifest MAC does not match")
        _open_and_verify(staging, username, key)
        for leftover in ("-wal", "-shm"):
            (staging / (DB_NAME + leftover)).unlink(missing_ok=True)
        if not (staging / "blobs").exists():
            (staging / "blobs").mkdir()
        try:
            aside = _move_aside(paths)
            if paths.blobs.exists():
                paths.blobs.rmdir()  # empty (moved aside otherwise): rename the restored folder in its place
            os.replace(staging / KEYS_NAME, paths.keyring)
            os.replace(staging / "blobs", paths.blobs)
            os.replace(staging / DB_NAME, paths.database)
            fsync_dir(paths.base)
        except OSError as exc:
            raise StoreError(
                f"Pemulihan gagal: {exc.strerror}. Data sebelumnya ada di {paths.backups}; salin kembali atau hubungi "
                "dukungan teknis."
            ) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    paths.ensure()
    # The password was just proven: the restored installation starts with clean counters.
    Lockout(paths.base).reset()
    return RestoreResult(info, aside)
