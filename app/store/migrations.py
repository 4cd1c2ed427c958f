"""Schema versions of the local database: upgrade in place after a backup; refuse a newer database."""

from __future__ import annotations

from collections.abc import Callable

import peewee

from app.store.errors import DatabaseTooNewError
from app.store.models import TABLES

SCHEMA_VERSION = 1


def _create_tables(db: peewee.Database) -> None:
    db.create_tables(TABLES)


# MIGRATIONS[n] upgrades a database at version n - 1 to version n.
MIGRATIONS: dict[int, Callable[[peewee.Database], None]] = {1: _create_tables}


def schema_version(db: peewee.Database) -> int:
    """The version stored in the database (PRAGMA user_version; 0 for a new file)."""
    row = db.execute_sql("PRAGMA user_version").fetchone()
    return int(row[0]) if row else 0


def migrate(db: peewee.Database, backup: Callable[[], object]) -> int:
    """Bring the database to SCHEMA_VERSION; back up first when it holds data. Return the old version."""
    found = schema_version(db)
    if found > SCHEMA_VERSION:
        raise DatabaseTooNewError(found, SCHEMA_VERSION)
    if found == SCHEMA_VERSION:
        return found
    if found > 0:
        backup()
    with db.atomic():
        for version in range(found + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[version](db)
            db.execute_sql(f"PRAGMA user_version = {int(version)}")
    return found
