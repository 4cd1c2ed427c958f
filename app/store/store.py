"""Opening the local store: first-run set-up, officer unlock, migrations, and the blob store."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import time
from pathlib import Path

from app.paths import DataPaths
from app.store import audit
from app.store.blobs import BlobStore
from app.store.crypto import ScryptParams, new_key
from app.store.db import EncryptedDatabase, guarded, open_database
from app.store.errors import (
    DatabaseCorruptError,
    NotInitialisedError,
    PermissionDeniedError,
    StoreError,
    WrongPasswordError,
)
from app.store.keyring import KeyFile
from app.store.migrations import SCHEMA_VERSION, migrate, schema_version
from app.store.models import ROLES, Officer, database_proxy, utcnow

log = logging.getLogger("loket.store")

MIN_PASSWORD_LENGTH = 8
# Which roles may do what (an operator cannot cancel a submitted application; a supervisor can).
PERMISSIONS: dict[str, frozenset[str]] = {
    "operator": frozenset({"capture", "submit"}),
    "supervisor": frozenset({"capture", "submit", "cancel", "manage_officers", "resolve_conflict"}),
    "admin": frozenset({"manage_officers", "backup", "settings"}),
}


def check_password_rules(password: str) -> None:
    """Refuse a password that is too short, with a message saying what is needed."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StoreError(f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter. Buat kata sandi yang lebih panjang.")


class Store:
    """An unlocked installation: the database bound to the models, the blob store, the logged-in officer."""

    def __init__(self, paths: DataPaths, db: EncryptedDatabase, key: bytes, keyfile: KeyFile, officer: Officer) -> None:
        self.paths = paths
        self.db = db
        self.keyfile = keyfile
        self.officer = officer
        self.blobs = BlobStore(paths.blobs, key)
        self._key = key
        self.unlocked_at = time.monotonic()
        self.must_change_password = False

    # -- opening ----------------------------------------------------------------------------------
    @classmethod
    def exists(cls, paths: DataPaths) -> bool:
        """Whether an installation has been set up in this folder."""
        return paths.database.exists() or paths.keyring.exists()

    @classmethod
    def initialise(
        cls,
        paths: DataPaths,
        username: str,
        full_name: str,
        password: str,
        params: ScryptParams | None = None,
    ) -> Store:
        """First run: create the database key, the database, and the first supervisor."""
        if cls.exists(paths):
            raise StoreError("Folder ini sudah berisi data Loket; gunakan folder lain atau masuk sebagai petugas.")
        check_password_rules(password)
        paths.ensure()
        key = new_key()
        keyfile = KeyFile(paths.keyring, params)
        db = _bind(open_database(paths.database, key))
        guarded(lambda: migrate(db, backup=lambda: None))
        with db.atomic():
            officer = Officer.create(username=username, full_name=full_name, role="supervisor")
            audit.append(username, "store.init", details={"schema": SCHEMA_VERSION})
        keyfile.wrap(username, password, key)
        log.info("store initialised (schema %s)", SCHEMA_VERSION)
        return cls(paths, db, key, keyfile, officer)

    @classmethod
    def unlock(cls, paths: DataPaths, username: str, password: str) -> Store:
        """Log in offline: unwrap the database key with the officer's password and open the database."""
        if not paths.keyring.exists() or not paths.database.exists():
            raise NotInitialisedError(str(paths.base))
        keyfile = KeyFile(paths.keyring)
        key, must_change = keyfile.unwrap(username, password)
        if paths.database.stat().st_size == 0:
            raise DatabaseCorruptError(f"{paths.database} is empty")
        db = _bind(open_database(paths.database, key))
        try:
            if schema_version(db) == 0:
                # Only initialise() creates a database; an unversioned one here lost its content.
                raise DatabaseCorruptError("the database has no schema")
            guarded(lambda: migrate(db, backup=lambda: backup_before_migration(paths, db)))
            officer = Officer.get_or_none(Officer.username == username)
            if officer is None or not officer.active:
                raise WrongPasswordError(0.0)
            with db.atomic():
                audit.append(username, "officer.login")
        except BaseException:
            db.close()
            raise
        store = cls(paths, db, key, keyfile, officer)
        store.must_change_password = must_change
        log.info("officer unlocked the store (role %s)", officer.role)
        return store

    def reconfirm(self, password: str) -> Store:
        """Unlock after the idle lock or the re-login period: check the password again, restart the clock."""
        self.keyfile.unwrap(self.officer.username, password)
        self.unlocked_at = time.monotonic()
        with self.db.atomic():
            audit.append(self.officer.username, "officer.unlock")
        return self

    def close(self) -> None:
        """Close the database."""
        if not self.db.is_closed():
            self.db.close()

    # -- roles ------------------------------------------------------------------------------------
    def can(self, permission: str) -> bool:
        """Whether the logged-in officer's role allows a permission."""
        return permission in PERMISSIONS.get(self.officer.role, frozenset())

    def require(self, permission: str, action: str) -> None:
        """Raise PermissionDeniedError (told in Bahasa Indonesia) if the role does not allow it."""
        if not self.can(permission):
            raise PermissionDeniedError(action)

    # -- officers ---------------------------------------------------------------------------------
    def add_officer(self, username: str, full_name: str, role: str, password: str) -> Officer:
        """Create an officer who can unlock this installation with their own password."""
        self.require("manage_officers", "menambah petugas")
        if role not in ROLES:
            raise StoreError(f"Peran '{role}' tidak dikenal. Pilih salah satu: {', '.join(ROLES)}.")
        if not username or not username.replace(".", "").replace("_", "").isalnum():
            raise StoreError("Nama pengguna hanya boleh berisi huruf, angka, titik dan garis bawah.")
        if Officer.get_or_none(Officer.username == username) is not None:
            raise StoreError(f"Nama pengguna '{username}' sudah dipakai. Pilih nama pengguna lain.")
        check_password_rules(password)
        with self.db.atomic():
            officer = Officer.create(username=username, full_name=full_name, role=role)
            audit.append(self.officer.username, "officer.add", details={"username": username, "role": role})
        self.keyfile.wrap(username, password, self._key)
        return officer

    def change_password(self, old_password: str, new_password: str) -> None:
        """The logged-in officer changes their own password (only their copy of the key is re-wrapped)."""
        check_password_rules(new_password)
        self.keyfile.unwrap(self.officer.username, old_password)
        self.keyfile.wrap(self.officer.username, new_password, self._key)
        with self.db.atomic():
            Officer.update(password_changed_at=utcnow()).where(Officer.id == self.officer.id).execute()
            audit.append(self.officer.username, "officer.password_changed")
        self.must_change_password = False

    def reset_password(self, username: str, temporary_password: str) -> None:
        """A supervisor re-wraps the key for an officer who forgot the password; they must change it at login."""
        self.require("manage_officers", "mengatur ulang kata sandi petugas")
        target = Officer.get_or_none(Officer.username == username)
        if target is None:
            raise StoreError(f"Petugas '{username}' tidak ada.")
        check_password_rules(temporary_password)
        self.keyfile.wrap(username, temporary_password, self._key, must_change=True)
        with self.db.atomic():
            audit.append(self.officer.username, "officer.password_reset", details={"username": username})

    def deactivate_officer(self, username: str) -> None:
        """Remove an officer's access (their key copy is deleted; their past work stays attributed)."""
        self.require("manage_officers", "menonaktifkan petugas")
        if username == self.officer.username:
            raise StoreError("Anda tidak dapat menonaktifkan akun sendiri.")
        with self.db.atomic():
            Officer.update(active=False).where(Officer.username == username).execute()
            audit.append(self.officer.username, "officer.deactivate", details={"username": username})
        self.keyfile.remove(username)

    # -- maintenance ------------------------------------------------------------------------------
    def checkpoint(self) -> None:
        """Fold the WAL into the database file (before copying it)."""
        self.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def export_copy(self, target: Path) -> None:
        """Write a consistent encrypted copy of the live database (sqlcipher_export within one read)."""
        target.unlink(missing_ok=True)
        self.db.execute_sql(f"ATTACH DATABASE ? AS backup KEY \"x'{self._key.hex()}'\"", (str(target),))
        try:
            self.db.execute_sql("SELECT sqlcipher_export('backup')")
            self.db.execute_sql(f"PRAGMA backup.user_version = {int(schema_version(self.db))}")
        finally:
            self.db.execute_sql("DETACH DATABASE backup")

    def integrity_errors(self) -> list[str]:
        """SQLite's own integrity check; an empty list when the file is sound."""
        rows = self.db.execute_sql("PRAGMA integrity_check").fetchall()
        return [str(r[0]) for r in rows if str(r[0]) != "ok"]


def _bind(db: EncryptedDatabase) -> EncryptedDatabase:
    database_proxy.initialize(db)
    return db


def backup_before_migration(paths: DataPaths, db: EncryptedDatabase) -> Path:
    """Copy the (still encrypted) database aside before changing its schema."""
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    paths.backups.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = paths.backups / f"loket-before-migration-{stamp}.db"
    try:
        shutil.copy2(paths.database, target)
    except OSError as exc:
        raise DatabaseCorruptError(f"backup before migration failed: {exc}") from exc
    return target
