"""Schema versions of the local database: upgrade in place after a backup; refuse a newer database."""

from __future__ import annotations

from collections.abc import Callable

import peewee

from app.store.errors import DatabaseTooNewError
from app.store.models import TABLES, CancelRequest

SCHEMA_VERSION = 4


def _create_tables(db: peewee.Database) -> None:
    db.create_tables(TABLES)


def _resident_words(db: peewee.Database) -> None:
    """Residents by any word of the name (a surname, a second given name): a full-text index over the
    folded names, kept in step by triggers; and the biodata column a member row is filled from."""
    if "details" not in {column.name for column in db.get_columns("resident")}:
        db.execute_sql("ALTER TABLE resident ADD COLUMN details TEXT NOT NULL DEFAULT '{}'")
    db.execute_sql(
        "CREATE VIRTUAL TABLE resident_name USING fts5("
        "name_key, content='resident', content_rowid='id', prefix='2 3', detail='none')"
    )
    db.execute_sql(
        "CREATE TRIGGER resident_name_insert AFTER INSERT ON resident BEGIN "
        "INSERT INTO resident_name(rowid, name_key) VALUES (new.id, new.name_key); END"
    )
    db.execute_sql(
        "CREATE TRIGGER resident_name_delete AFTER DELETE ON resident BEGIN "
        "INSERT INTO resident_name(resident_name, rowid, name_key) VALUES ('delete', old.id, old.name_key); END"
    )
    db.execute_sql(
        "CREATE TRIGGER resident_name_update AFTER UPDATE OF name_key ON resident BEGIN "
        "INSERT INTO resident_name(resident_name, rowid, name_key) VALUES ('delete', old.id, old.name_key); "
        "INSERT INTO resident_name(rowid, name_key) VALUES (new.id, new.name_key); END"
    )
    db.execute_sql("INSERT INTO resident_name(resident_name) VALUES ('rebuild')")


def _catalog_version(db: peewee.Database) -> None:
    """Each application records the catalogue version it was started with; older ones used the shipped one."""
    if "catalog_version" not in {column.name for column in db.get_columns("application")}:
        db.execute_sql("ALTER TABLE application ADD COLUMN catalog_version VARCHAR(40) NOT NULL DEFAULT ''")


def _cancel_requests(db: peewee.Database) -> None:
    """Cancellation requests to the Dinas: an application that may have been sent is cancelled by asking."""
    db.create_tables([CancelRequest])


# MIGRATIONS[n] upgrades a database at version n - 1 to version n.
MIGRATIONS: dict[int, Callable[[peewee.Database], None]] = {
    1: _create_tables,
    2: _resident_words,
    3: _catalog_version,
    4: _cancel_requests,
}


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
