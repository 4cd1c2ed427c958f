"""The server's database: SQLite by default, PostgreSQL by URL, bound late to the models' proxy."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

import peewee
from playhouse.db_url import connect, parse

from app.errors import KnownError
from sync.server.models import TABLES, ServerMeta, database_proxy

log = logging.getLogger("loket.sync.server")
T = TypeVar("T")

SCHEMA_VERSION = 2
SQLITE_PRAGMAS: tuple[tuple[str, object], ...] = (
    ("journal_mode", "wal"),
    ("synchronous", "full"),  # an acknowledged batch survives a power cut
    ("foreign_keys", 1),
    ("busy_timeout", 30_000),
)
RETRYABLE = (peewee.IntegrityError, peewee.OperationalError)
ATTEMPTS = 5


# pg_advisory_lock key of schema work: replicas starting together create or upgrade the schema one at a time.
SCHEMA_LOCK = 0x4C4F4B4554  # "LOKET"


class DatabaseUrlError(ValueError):
    """A --database value that is neither sqlite:///PATH nor postgresql://..."""


class SchemaError(KnownError):
    """The database's schema is not one this server may use as it is (message for Dinas IT)."""


def newer_message(found: int) -> str:
    """Why a newer schema is refused: a downgrade is never done."""
    return (
        f"Skema basis data server ({found}) lebih baru daripada yang dikenal program ini ({SCHEMA_VERSION}). "
        "Penurunan versi tidak didukung: pasang kembali versi loket-server yang membuat basis data ini, "
        "atau pulihkan cadangan yang dibuat sebelum peningkatan (loket-server restore)."
    )


def older_message(found: int) -> str:
    """Why a PostgreSQL server does not upgrade by itself: replicas share it, and a backup comes first."""
    return (
        f"Skema basis data server ({found}) lebih lama daripada program ini ({SCHEMA_VERSION}). Jalankan "
        "`loket-server db upgrade --database URL` sekali (membuat cadangan dulu; --dry-run menampilkan langkahnya), "
        "lalu jalankan server."
    )


def schema_version(database: peewee.Database) -> int | None:
    """The schema version recorded in the database (None: an empty database), read without binding the models."""
    if not database.table_exists("server_meta"):
        return None
    row = database.execute_sql(  # type: ignore[no-untyped-call]
        "SELECT value FROM server_meta WHERE key = 'schema_version'"
    ).fetchone()
    return None if row is None else int(row[0])


class PostgresqlDatabase(peewee.PostgresqlDatabase):
    """PostgreSQL through psycopg 3, whose threads drop a connection the server has closed before reuse.

    peewee keeps one connection per thread and reconnects only when *it* closed it; after PostgreSQL
    restarts, every request thread would keep its dead connection (503) until the thread itself ends.
    Here a thread that finds its connection closed, outside a transaction, opens a new one.
    """

    def __init__(self, database: str, **kwargs: Any) -> None:
        super().__init__(database, prefer_psycopg3=True, **kwargs)

    def cursor(self, named_cursor: object = None) -> object:
        state = self._state  # type: ignore[attr-defined]  # peewee's per-thread connection state
        if not state.closed and state.conn is not None and state.conn.closed and not self.in_transaction():
            log.warning("database connection lost; reconnecting")
            state.reset()
        return super().cursor(named_cursor)  # type: ignore[no-untyped-call]


def open_database(url: str) -> peewee.Database:
    """Open the database a URL names (not yet connected): `sqlite:///path` or `postgresql://user@host/db`."""
    scheme = urlparse(url).scheme
    if scheme == "sqlite":
        path = url[len("sqlite:///") :] if url.startswith("sqlite:///") else ""
        if not path:
            raise DatabaseUrlError("a SQLite URL names a file: sqlite:///path/to/loket-server.db")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        # IMMEDIATE: writers queue at BEGIN instead of failing when they upgrade a read lock.
        return peewee.SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE", returning_clause=True)
    if scheme in ("postgres", "postgresql"):
        return PostgresqlDatabase(**parse(url))
    if scheme in ("postgres+pool", "postgresql+pool"):
        database: peewee.Database = connect(url, prefer_psycopg3=True)
        return database
    raise DatabaseUrlError(f"unsupported database URL scheme {scheme!r}: use sqlite:///PATH or postgresql://...")


def bind(database: peewee.Database, *, upgrade: bool | None = None) -> peewee.Database:
    """Bind the models to a database and create or check the schema.

    An older schema is upgraded in place when `upgrade` says so; by default only a SQLite file (a
    one-machine trial) is: a PostgreSQL database is shared by replicas and is upgraded by
    `loket-server db upgrade`, which makes a backup first. A newer schema is always refused.
    """
    from sync.server.migrations import upgrade as run_upgrade  # noqa: PLC0415 - migrations import the models

    database_proxy.initialize(database)
    with database.connection_context(), schema_lock(database):
        found = schema_version(database)
        if found is not None and found > SCHEMA_VERSION:
            raise SchemaError(newer_message(found))
        if found is not None and found < SCHEMA_VERSION:
            if not (upgrade if upgrade is not None else not is_postgres(database)):
                raise SchemaError(older_message(found))
            run_upgrade(database, found, SCHEMA_VERSION)
        database.create_tables(TABLES, safe=True)
        if is_postgres(database):
            # Name-prefix search (LIKE 'SITI%') uses an index only with the pattern operator class.
            database.execute_sql(  # type: ignore[no-untyped-call]
                'CREATE INDEX IF NOT EXISTS "application_name_key_prefix" ON "application" (name_key text_pattern_ops)'
            )
        if found is None:
            ServerMeta.insert(key="schema_version", value=str(SCHEMA_VERSION)).on_conflict_ignore().execute()
    return database


@contextmanager
def schema_lock(database: peewee.Database) -> Iterator[None]:
    """Hold PostgreSQL's session advisory lock of schema work (no-op on SQLite, whose writers are serial)."""
    if not is_postgres(database):
        yield
        return
    database.execute_sql("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK,))  # type: ignore[no-untyped-call]
    try:
        yield
    finally:
        database.execute_sql("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK,))  # type: ignore[no-untyped-call]


def is_postgres(database: peewee.Database) -> bool:
    """Whether the bound database is PostgreSQL (row locks, concurrent writers)."""
    return isinstance(database, peewee.PostgresqlDatabase)


def in_transaction(action: Callable[[], T]) -> T:
    """Run `action` in one transaction; retry when a concurrent writer won a unique key or a lock.

    On PostgreSQL two deliveries of the same package may race; the loser's insert fails, and its
    retry then sees the winner's rows and answers "already accepted".
    """
    database = database_proxy.obj
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with database.atomic():
                return action()
        except RETRYABLE as exc:
            if attempt == ATTEMPTS or not _retryable(exc):
                raise
            log.info("transaction retried after %s (attempt %d)", type(exc).__name__, attempt)
            time.sleep(0.01 * attempt)
    raise AssertionError("unreachable")


def _retryable(exc: Exception) -> bool:
    if isinstance(exc, peewee.IntegrityError):
        return True
    text = str(exc).lower()
    return any(word in text for word in ("deadlock", "could not serialize", "database is locked", "lock timeout"))
