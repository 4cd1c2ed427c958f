"""Opening the local store: first-run set-up, officer unlock, migrations, and the blob store."""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import time
from dataclasses import dataclass
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
from app.store.keyring import KeyFile, Unwrapped
from app.store.migrations import SCHEMA_VERSION, migrate, schema_version
from app.store.models import ROLES, Officer, Setting, database_proxy, utcnow
from app.store.passwords import MIN_PASSWORD_LENGTH, check_password_rules, password_problem

log = logging.getLogger("loket.store")

# The database keys used before the current one (a JSON list of hex keys, kept inside the encrypted
# database): blobs written before a re-key stay sealed under a key derived from one of them.
PREVIOUS_KEYS = "store.previous_keys"
# Which roles may do what (an operator cannot cancel a submitted application; a supervisor can).
PERMISSIONS: dict[str, frozenset[str]] = {
    "operator": frozenset({"capture", "submit"}),
    "supervisor": frozenset({"capture", "submit", "cancel", "manage_officers", "resolve_conflict"}),
    "admin": frozenset({"manage_officers", "backup", "settings"}),
}

__all__ = ["MIN_PASSWORD_LENGTH", "PERMISSIONS", "Deactivation", "Store", "check_password_rules"]


@dataclass(frozen=True)
class Deactivation:
    """What deactivating an officer did, for the supervisor to read."""

    username: str
    officers_to_reset: tuple[str, ...]

    @property
    def message(self) -> str:
        """The supervisor's summary in Bahasa Indonesia."""
        text = (
            f"Petugas {self.username} dinonaktifkan dan basis data dikunci ulang dengan kunci baru: salinan lama "
            "berkas kunci (keys.json) tidak dapat lagi membuka data hari ini. Cadangan yang dibuat sebelum hari ini "
            f"masih dapat dibuka dengan kata sandi lama, termasuk kata sandi {self.username}: simpan cadangan lama "
            "di tempat aman atau musnahkan, lalu buat cadangan baru sekarang."
        )
        if self.officers_to_reset:
            names = ", ".join(self.officers_to_reset)
            text += (
                f" Petugas berikut belum masuk sejak pembaruan Loket dan perlu kata sandi sementara dari supervisor "
                f"sebelum dapat masuk lagi: {names} (loket-admin officers reset-password NAMA)."
            )
        return text


class Store:
    """An unlocked installation: the database bound to the models, the blob store, the logged-in officer."""

    def __init__(self, paths: DataPaths, db: EncryptedDatabase, key: bytes, keyfile: KeyFile, officer: Officer) -> None:
        self.paths = paths
        self.db = db
        self.keyfile = keyfile
        self.officer = officer
        self._key = key
        self.blobs = BlobStore(paths.blobs, key, self.previous_keys())
        self.unlocked_at = time.monotonic()
        self.must_change_password = False
        # Why: "reset" (a supervisor set a temporary password) or "weak" (the password predates the rules).
        self.password_change_reason = ""

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
        if keyfile.lockout is not None:
            keyfile.lockout.reset()
        log.info("store initialised (schema %s)", SCHEMA_VERSION)
        return cls(paths, db, key, keyfile, officer)

    @classmethod
    def unlock(cls, paths: DataPaths, username: str, password: str) -> Store:
        """Log in offline: unwrap the database key with the officer's password and open the database."""
        if not paths.keyring.exists() or not paths.database.exists():
            raise NotInitialisedError(str(paths.base))
        keyfile = KeyFile(paths.keyring)
        unwrapped = keyfile.unwrap(username, password)
        if paths.database.stat().st_size == 0:
            raise DatabaseCorruptError(f"{paths.database} is empty")
        db, key = _open_with_either(paths, unwrapped)
        try:
            if schema_version(db) == 0:
                # Only initialise() creates a database; an unversioned one here lost its content.
                raise DatabaseCorruptError("the database has no schema")
            guarded(lambda: migrate(db, backup=lambda: backup_before_migration(paths, db)))
            officer = Officer.get_or_none(Officer.username == username)
            if officer is None or not officer.active:
                raise WrongPasswordError(0.0)
            store = cls(paths, db, key, keyfile, officer)
            store._finish_interrupted_rekey(unwrapped)
            with db.atomic():
                audit.append(username, "officer.login")
        except BaseException:
            db.close()
            raise
        store.must_change_password = unwrapped.must_change
        if unwrapped.must_change:
            store.password_change_reason = "reset"
        elif password_problem(password) is not None:
            # Set before the current rules: it keeps working, and the officer is asked to change it.
            store.must_change_password = True
            store.password_change_reason = "weak"
        log.info("officer unlocked the store (role %s)", officer.role)
        return store

    def reconfirm(self, password: str) -> Store:
        """Unlock after the idle lock or the re-login period: check the password again, restart the clock."""
        self.keyfile.unwrap(self.officer.username, password)
        self.unlocked_at = time.monotonic()
        with self.db.atomic():
            audit.append(self.officer.username, "officer.unlock")
        return self

    @property
    def database_key(self) -> bytes:
        """The current database key (for keys derived from it, e.g. a backup's HMAC key)."""
        return self._key

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
        self.password_change_reason = ""

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

    def deactivate_officer(self, username: str) -> Deactivation:
        """Remove an officer's access and re-key the database, so a copy of the old key file opens nothing new.

        Their past work stays attributed. The database gets a new random key (PRAGMA rekey), sealed to
        every remaining officer's public key; backups made before keep opening with the old passwords.
        Other threads must not hold a connection to the database meanwhile (pause the sync first).
        """
        self.require("manage_officers", "menonaktifkan petugas")
        if username == self.officer.username:
            raise StoreError("Anda tidak dapat menonaktifkan akun sendiri.")
        if Officer.get_or_none(Officer.username == username) is None:
            raise StoreError(f"Petugas '{username}' tidak ada.")
        with self.db.atomic():
            Officer.update(active=False).where(Officer.username == username).execute()
            audit.append(self.officer.username, "officer.deactivate", details={"username": username})
        dropped = self._rekey(remove=[username])
        return Deactivation(username, tuple(dropped))

    # -- re-keying --------------------------------------------------------------------------------
    def previous_keys(self) -> list[bytes]:
        """The database keys used before the current one, oldest first (blobs may still be sealed under them)."""
        row = guarded(lambda: Setting.get_or_none(Setting.key == PREVIOUS_KEYS))
        if row is None:
            return []
        return [bytes.fromhex(text) for text in json.loads(row.value)]

    def _rekey(self, remove: list[str]) -> list[str]:
        """Seal a new key to the remaining officers, then re-key the database with it (power-cut safe).

        Order: (1) the key file gets the next key beside the current one for every remaining
        officer; (2) the database is re-keyed in one SQLite transaction; (3) the key file drops the
        old key. A power cut before (2) commits leaves a database that opens with the old key, after
        it one that opens with the new key; both are in the key file, and the next log-in finishes
        the work (_finish_interrupted_rekey).
        """
        next_key = new_key()
        dropped = self.keyfile.begin_rekey(next_key, remove)
        self._apply_rekey(next_key)
        return dropped

    def _apply_rekey(self, next_key: bytes) -> None:
        old_key = self._key
        with self.db.atomic():
            known = [k.hex() for k in self.previous_keys()]
            if old_key.hex() not in known:
                known.append(old_key.hex())
            Setting.insert(key=PREVIOUS_KEYS, value=json.dumps(known)).on_conflict_replace().execute()
        copy = backup_before_migration(self.paths, self.db, label="rekey")
        guarded(lambda: self.db.execute_sql(f"PRAGMA rekey = \"x'{next_key.hex()}'\""))
        guarded(lambda: self.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)"))
        self.db.use_key(next_key)
        self._key = next_key
        self.blobs = BlobStore(self.paths.blobs, next_key, self.previous_keys())
        # Prove the file opens with the new key on a fresh connection before the old key is dropped.
        proof = open_database(self.paths.database, next_key)
        try:
            problems = guarded(lambda: proof.execute_sql("PRAGMA quick_check").fetchall())
        finally:
            proof.close()
        if [str(row[0]) for row in problems] != ["ok"]:
            raise DatabaseCorruptError(f"re-keyed database fails quick_check; the copy before is {copy}")
        self._rekey_finished()

    def _rekey_finished(self) -> None:
        """The database uses the next key: drop the old one from the key file, and the copies it opens."""
        self.keyfile.finish_rekey()
        with self.db.atomic():
            audit.append(self.officer.username, "store.rekey", details={"officers": len(self.keyfile.entries)})
        # Copies taken before a re-key open with the old key: once the new file is proven (or, after a
        # power cut, opened), none may outlive the change.
        for copy in self.paths.backups.glob("loket-before-rekey-*.db"):
            copy.unlink(missing_ok=True)
        log.info("database re-keyed")

    def _finish_interrupted_rekey(self, unwrapped: Unwrapped) -> None:
        """Complete a re-key a power cut interrupted, and one an interrupted deactivation never started."""
        if unwrapped.pending is not None:
            if self._key == unwrapped.pending:
                self._rekey_finished()
            else:
                self._apply_rekey(unwrapped.pending)
        active = {o.username for o in Officer.select(Officer.username).where(Officer.active)}
        stale = [name for name in self.keyfile.usernames() if name not in active]
        if stale:
            self._rekey(remove=stale)

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


def _open_with_either(paths: DataPaths, unwrapped: Unwrapped) -> tuple[EncryptedDatabase, bytes]:
    """Open the database with the current key, or with the next one if a re-key got that far."""
    keys = [unwrapped.key] + ([unwrapped.pending] if unwrapped.pending is not None else [])
    for key in keys:
        try:
            return _bind(open_database(paths.database, key)), key
        except DatabaseCorruptError:
            if key is keys[-1]:
                raise
    raise AssertionError("unreachable")


def backup_before_migration(paths: DataPaths, db: EncryptedDatabase, label: str = "migration") -> Path:
    """Copy the (still encrypted) database aside before changing its schema or its key."""
    guarded(lambda: db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)"))
    paths.backups.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = paths.backups / f"loket-before-{label}-{stamp}.db"
    try:
        shutil.copy2(paths.database, target)
    except OSError as exc:
        raise DatabaseCorruptError(f"backup before migration failed: {exc}") from exc
    return target
