"""Backup and restore: one verifiable file holding the encrypted database, the key file and the blobs.

The backup is a ZIP container with a manifest of SHA-256 hashes. Everything in it is already
encrypted (SQLCipher pages, AES-GCM blobs, keys wrapped under officers' passwords), so the file
reveals nothing without an officer's password. Restore verifies the whole file first and moves the
current data aside instead of deleting it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from app.paths import DataPaths
from app.store.db import guarded
from app.store.errors import StoreError
from app.store.migrations import SCHEMA_VERSION
from app.store.store import Store
from app.version import version

FORMAT = "loket-backup-1"
MANIFEST = "manifest.json"
DB_NAME = "loket.db"
KEYS_NAME = "keys.json"


class BackupError(StoreError):
    """A backup file is unreadable, incomplete or damaged."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            "Berkas cadangan rusak atau tidak lengkap; data tidak dipulihkan dan data yang ada tidak diubah. "
            "Gunakan berkas cadangan lain.",
            detail,
        )


@dataclass(frozen=True)
class BackupInfo:
    """What a verified backup holds."""

    path: Path
    created: str
    schema_version: int
    files: int
    bytes: int


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def create_backup(store: Store, target: Path) -> BackupInfo:
    """Write a backup file (temp, then rename), and verify it before returning."""
    target = target.resolve()
    work = target.with_name(f".{target.name}.work")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        guarded(lambda: store.export_copy(work / DB_NAME))
        entries: list[tuple[str, Path]] = [(DB_NAME, work / DB_NAME), (KEYS_NAME, store.paths.keyring)]
        entries.extend((f"blobs/{p.parent.name}/{p.name}", p) for p in sorted(store.paths.blobs.glob("??/*.blob")))
        manifest = {
            "format": FORMAT,
            "created": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "app_version": version(),
            "schema_version": SCHEMA_VERSION,
            "files": {name: {"sha256": _sha256_file(path), "size": path.stat().st_size} for name, path in entries},
        }
        partial = target.with_name(f".{target.name}.partial")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
            archive.writestr(MANIFEST, json.dumps(manifest, indent=1))
            for name, path in entries:
                archive.write(path, name)
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except OSError as exc:
        raise StoreError(f"Cadangan tidak dapat ditulis ke {target}: {exc.strerror}. Periksa ruang disk.") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return verify_backup(target)


def verify_backup(path: Path) -> BackupInfo:
    """Check every file of a backup against its manifest; raise BackupError on any fault."""
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read(MANIFEST))
            if manifest.get("format") != FORMAT:
                raise BackupError(f"unknown format {manifest.get('format')!r}")
            files = manifest["files"]
            names = set(archive.namelist()) - {MANIFEST}
            if names != set(files):
                raise BackupError(f"files differ from the manifest: {sorted(names ^ set(files))[:5]}")
            total = 0
            for name, meta in files.items():
                digest = hashlib.sha256()
                with archive.open(name) as member:
                    for chunk in iter(lambda: member.read(1 << 20), b""):
                        digest.update(chunk)
                        total += len(chunk)
                if digest.hexdigest() != meta["sha256"]:
                    raise BackupError(f"{name}: hash does not match")
            if DB_NAME not in files or KEYS_NAME not in files:
                raise BackupError("database or key file missing")
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise BackupError(str(exc)) from exc
    return BackupInfo(path, str(manifest["created"]), int(manifest["schema_version"]), len(files), total)


def restore_backup(path: Path, paths: DataPaths) -> tuple[BackupInfo, Path | None]:
    """Verify, then replace the data folder's database, key file and blobs with the backup's.

    The current data is moved to backups/before-restore-<time>/ (never deleted). Returns the
    backup's info and where the old data went (None if there was none).
    """
    info = verify_backup(path)
    if info.schema_version > SCHEMA_VERSION:
        raise StoreError(
            f"Cadangan ini dibuat oleh versi Loket yang lebih baru (skema {info.schema_version}). Pasang versi "
            "Loket terbaru sebelum memulihkan."
        )
    paths.ensure()
    aside: Path | None = None
    current = [
        paths.database,
        paths.keyring,
        paths.blobs,
        *(paths.database.with_name(paths.database.name + s) for s in ("-wal", "-shm")),
    ]
    if any(p.exists() and (p.is_file() or any(p.iterdir())) for p in current):
        aside = paths.backups / f"before-restore-{dt.datetime.now():%Y%m%d-%H%M%S}"
        aside.mkdir(parents=True)
        for item in current:
            if item.exists():
                shutil.move(str(item), str(aside / item.name))
    staging = paths.base / ".restore"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        with zipfile.ZipFile(path) as archive:
            archive.extractall(staging)
        shutil.move(str(staging / KEYS_NAME), str(paths.keyring))
        if (staging / "blobs").exists():
            shutil.move(str(staging / "blobs"), str(paths.blobs))
        else:
            paths.blobs.mkdir(exist_ok=True)
        shutil.move(str(staging / DB_NAME), str(paths.database))
    except OSError as exc:
        raise StoreError(
            f"Pemulihan gagal: {exc.strerror}. Data sebelumnya ada di {aside}; salin kembali atau hubungi dukungan."
        ) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return info, aside
