"""Backup and restore of a Dinas server: the database, the sealed documents, and the key kept apart.

A backup folder holds `database.sqlite` (SQLite's online backup API: consistent while the server
runs) or `database.pgdump` (`pg_dump --format=custom`, when PostgreSQL's client tools are
installed), `documents/` (the sealed files as they are: the backup is as encrypted as the storage)
and `manifest.json` (what is in it, with SHA-256 of every file). The server key is *not* in it: it
goes to a separate file (`--key-out`), kept elsewhere, so a stolen backup alone opens nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from app.errors import KnownError
from sync.server import keys
from sync.server.storage import DiskStorage, file_sha256, private_folder

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite"
PG_FILE = "database.pgdump"


class BackupError(KnownError):
    """A backup or restore that cannot be done as asked (message for Dinas IT)."""


def _sqlite_path(url: str) -> Path | None:
    return Path(url[len("sqlite:///") :]) if url.startswith("sqlite:///") else None


def _pg_url(url: str) -> str:
    return url.replace("postgresql+pool://", "postgresql://").replace("postgres+pool://", "postgresql://")


def create(database_url: str, storage_dir: Path, out: Path, key_out: Path | None) -> dict[str, Any]:
    """Write a backup folder; the key (when asked) to its own file outside it."""
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"Folder cadangan {out} tidak kosong; pilih folder baru.")
    if key_out is not None and out.resolve() in key_out.resolve().parents:
        raise BackupError("Simpan kunci di luar folder cadangan (mis. media lain), bukan bersama datanya.")
    private_folder(out)
    sqlite = _sqlite_path(database_url)
    if sqlite is not None:
        target = out / SQLITE_FILE
        source = sqlite3.connect(sqlite)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        target.chmod(0o600)
        database = SQLITE_FILE
    else:
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            raise BackupError(
                "pg_dump tidak ditemukan. Pasang alat klien PostgreSQL (paket postgresql-client) dengan versi "
                "yang sama dengan servernya, atau cadangkan basis data dengan cara cadangan PostgreSQL Dinas, "
                "lalu jalankan perintah ini lagi untuk dokumen."
            )
        subprocess.run(
            [pg_dump, "--format=custom", "--no-owner", f"--file={out / PG_FILE}", _pg_url(database_url)], check=True
        )
        (out / PG_FILE).chmod(0o600)
        database = PG_FILE
    storage = DiskStorage(storage_dir)
    files: dict[str, str] = {}
    for sha in storage.stored():
        source_path = storage.path_of(sha)
        relative = source_path.relative_to(storage_dir)
        target_path = out / relative
        private_folder(target_path.parent)
        shutil.copy2(source_path, target_path)
        target_path.chmod(0o600)
        files[str(relative)] = file_sha256(target_path)
    files[database] = file_sha256(out / database)
    if key_out is not None:
        keys.write_key_file(key_out, storage.keyring.keys)
    manifest = {
        "format": 1,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": database,
        "key_ids": [keys.key_id(k).hex() for k in storage.keyring.keys],
        "files": files,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    (out / MANIFEST).chmod(0o600)
    return {
        "folder": str(out),
        "database": database,
        "documents": len(files) - 1,
        "key_file": str(key_out) if key_out else None,
        "key_ids": manifest["key_ids"],
    }


def describe(report: dict[str, Any]) -> str:
    """What a backup holds, for Dinas IT."""
    key = (
        f"Kunci server ditulis ke {report['key_file']}: simpan terpisah dari folder cadangan."
        if report["key_file"]
        else "Kunci server TIDAK ikut dicadangkan: tanpa kunci, cadangan ini tidak dapat dibaca. Simpan berkas "
        "kunci (loket-server.key) di tempat terpisah, atau ulangi dengan --key-out."
    )
    return (
        f"Cadangan di {report['folder']}: basis data ({report['database']}) dan {report['documents']} dokumen.\n{key}"
    )


def restore(
    source: Path, database_url: str, storage_dir: Path, key_file: Path | None, *, force: bool = False
) -> dict[str, Any]:
    """Put a backup back: check it against its manifest, restore the key, database and documents, then read it."""
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(f"{source} bukan folder cadangan loket-server (manifest.json tidak terbaca).") from None
    for relative, digest in manifest["files"].items():
        path = source / relative
        if not path.exists() or file_sha256(path) != digest:
            raise BackupError(f"Berkas cadangan {relative} hilang atau berubah; pemulihan dibatalkan.")
    key_path = keys.key_file_for(storage_dir)
    if key_file is not None:
        ring = keys.parse_keys(key_file.read_text(encoding="ascii"), str(key_file))
    elif os.environ.get(keys.ENV_KEY) or key_path.exists():
        ring = keys.load(storage_dir, create=False)
    else:
        raise BackupError(
            f"Kunci server tidak ada ({key_path}). Berikan --key-file dengan kunci yang disimpan saat pencadangan."
        )
    known = {keys.key_id(k).hex() for k in ring.keys}
    if not set(manifest.get("key_ids", [])) & known:
        raise BackupError("Kunci yang diberikan bukan kunci cadangan ini (id kunci berbeda).")
    sqlite = _sqlite_path(database_url)
    if manifest["database"] == SQLITE_FILE:
        if sqlite is None:
            raise BackupError("Cadangan ini dari SQLite; pulihkan ke --database sqlite:///PATH.")
        if sqlite.exists() and not force:
            raise BackupError(f"Basis data {sqlite} sudah ada; tambahkan --force untuk menggantinya.")
        sqlite.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(f"{sqlite}{suffix}").unlink(missing_ok=True)
        temp = sqlite.with_name(f".{sqlite.name}.restore")
        shutil.copyfile(source / SQLITE_FILE, temp)
        temp.chmod(0o600)
        os.replace(temp, sqlite)
    else:
        pg_restore = shutil.which("pg_restore")
        if sqlite is not None or pg_restore is None:
            raise BackupError(
                "Cadangan ini dari PostgreSQL: pulihkan dengan pg_restore (paket postgresql-client) ke basis data "
                "PostgreSQL yang kosong, lalu jalankan perintah ini lagi dengan --database postgresql://…"
            )
        subprocess.run(
            [
                pg_restore,
                "--no-owner",
                "--clean",
                "--if-exists",
                f"--dbname={_pg_url(database_url)}",
                str(source / PG_FILE),
            ],
            check=True,
        )
    if key_file is not None:
        if key_path.exists() and not force and keys.parse_keys(key_path.read_text("ascii"), "").keys != ring.keys:
            raise BackupError(f"Berkas kunci {key_path} sudah ada dengan kunci lain; tambahkan --force.")
        keys.write_key_file(key_path, ring.keys)
    storage = DiskStorage(storage_dir, ring)
    restored = 0
    for relative in manifest["files"]:
        if relative == manifest["database"]:
            continue
        target = storage_dir / relative
        private_folder(target.parent)
        shutil.copy2(source / relative, target)
        target.chmod(0o600)
        restored += 1
    unreadable = [sha for sha in storage.stored() if not storage.verify(sha)]
    if unreadable:
        raise BackupError(f"{len(unreadable)} dokumen tidak dapat dibuka dengan kunci ini setelah dipulihkan.")
    return {"database": manifest["database"], "documents": restored, "key_file": str(key_path)}


def describe_restore(report: dict[str, Any]) -> str:
    """What a restore did."""
    return (
        f"Dipulihkan: basis data ({report['database']}) dan {report['documents']} dokumen; semua dokumen terbuka "
        f"dengan kunci {report['key_file']}. Jalankan loket-server serve seperti biasa."
    )
