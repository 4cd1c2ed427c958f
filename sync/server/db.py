"""The server's database: SQLite by default, PostgreSQL by URL, bound late to the models' proxy."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlparse

import peewee
from playhouse.db_url import connect

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


class DatabaseUrlError(ValueError):
    """A --database value that is neither sqlite:///PATH nor postgresql://..."""


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
    if scheme in ("postgres", "postgresql", "postgres+pool", "postgresql+pool"):
        database: peewee.Database = connect(url)
        return database
    raise DatabaseUrlError(f"unsupported database URL scheme {scheme!r}: use sqlite:///PATH or postgresql://...")


def bind(database: peewee.Database) -> peewee.Database:
    """Bind the models to a database and create or check the schema."""
    from sync.server.migrations import upgrade  # noqa: PLC0415 - migrations import the models

    database_proxy.initialize(database)
    with database.connection_context():
        row = (
            ServerMeta.get_or_none(ServerMeta.key == "schema_version") if database.table_exists("server_meta") else None
        )
        if row is not None and int(row.value) > SCHEMA_VERSION:
            raise RuntimeError(f"the database schema {row.value} is newer than this server ({SCHEMA_VERSION})")
        if row is not None and int(row.value) < SCHEMA_VERSION:
            upgrade(database, int(row.value), SCHEMA_VERSION)
            ServerMeta.update(value=str(SCHEMA_VERSION)).where(ServerMeta.key == "schema_version").execute()
        database.create_tables(TABLES, safe=True)
        if is_postgres(database):
            # Name-prefix search (LIKE 'SITI%') uses an index only with the pattern operator class.
            database.execute_sql(  # type: ignore[no-untyped-call]
                'CREATE INDEX IF NOT EXISTS "application_name_key_prefix" ON "application" (name_key text_pattern_ops)'
            )
        if row is None:
            ServerMeta.insert(key="schema_version", value=str(SCHEMA_VERSION)).on_conflict_ignore().execute()
    return database


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
