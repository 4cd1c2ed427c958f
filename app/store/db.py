"""The encrypted SQLite database: SQLCipher through sqlcipher3 and peewee, WAL, synchronous=FULL."""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import peewee
from playhouse.sqlcipher_ext import SqlCipherDatabase
from sqlcipher3 import dbapi2 as sqlcipher

from app.store.errors import DatabaseCorruptError, DiskFullError

T = TypeVar("T")

PRAGMAS: tuple[tuple[str, object], ...] = (
    ("journal_mode", "wal"),
    # FULL: every commit is fsynced, so a record shown as saved survives a power cut.
    ("synchronous", "full"),
    ("foreign_keys", 1),
    ("busy_timeout", 10_000),
    ("temp_store", "memory"),
)


class EncryptedDatabase(SqlCipherDatabase):
    """A SqlCipherDatabase keyed with a raw 256-bit key (no passphrase KDF at every open)."""

    def __init__(self, path: Path, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the database key must be 32 bytes")
        self._raw_key = key
        super().__init__(str(path), pragmas=PRAGMAS, check_same_thread=False)

    def use_key(self, key: bytes) -> None:
        """Connections made from now on use this key (after PRAGMA rekey on the open one)."""
        if len(key) != 32:
            raise ValueError("the database key must be 32 bytes")
        self._raw_key = key

    def _connect(self) -> Any:
        conn = sqlcipher.connect(self.database, isolation_level=None, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA key = \"x'{self._raw_key.hex()}'\"")
            self._add_conn_hooks(conn)
        except Exception:
            conn.close()
            raise
        return conn


def open_database(path: Path, key: bytes) -> EncryptedDatabase:
    """Open (or create) the database and prove the key works; raise a known error if it cannot be read."""
    db = EncryptedDatabase(path, key)
    try:
        guarded(lambda: db.connect(reuse_if_open=True))
        guarded(lambda: db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone())
    except BaseException:
        db.close()
        raise
    return db


def guarded(action: Callable[[], T]) -> T:
    """Run a database action, turning a full disk or a damaged file into the store's known errors."""
    try:
        return action()
    except (peewee.OperationalError, peewee.DatabaseError, sqlcipher.DatabaseError) as exc:
        raise translate(exc) from exc
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise DiskFullError(str(exc)) from exc
        raise


def translate(exc: BaseException) -> Exception:
    """The known error a SQLite/SQLCipher exception stands for (the original if it is a bug).

    The exception's context chain is searched too: when SQLite rolls a transaction back by itself
    (a full disk), peewee's own ROLLBACK then fails and hides the real cause.
    """
    seen: BaseException | None = exc
    while seen is not None:
        text = str(seen).lower()
        if "database or disk is full" in text or (isinstance(seen, OSError) and seen.errno == errno.ENOSPC):
            return DiskFullError(str(seen))
        if "file is not a database" in text or "malformed" in text or "file is encrypted" in text:
            return DatabaseCorruptError(str(seen))
        seen = seen.__cause__ or seen.__context__
    return exc if isinstance(exc, Exception) else RuntimeError(str(exc))
