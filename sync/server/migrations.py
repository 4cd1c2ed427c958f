"""Upgrades of the server database from one schema version to the next (run by `bind`, in order).

Each step adds what its version introduced and fills it from what is already stored, so a Dinas
that upgrades the server keeps every application, account and audit entry.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable

import peewee
from playhouse.migrate import PostgresqlMigrator, SchemaMigrator, SqliteMigrator, migrate

from app.catalog import load_catalog
from app.printing.workdays import add_working_days, default_holidays
from sync.server import audit
from sync.server.keys import read_package
from sync.server.models import (
    Application,
    AuditLog,
    Cancellation,
    Device,
    DocumentOwner,
    Outpost,
    ServerMeta,
    Staff,
    StaffSession,
    Submission,
    Upload,
)
from sync.server.search import kecamatan_of, name_key

SLA_STATES = ("received", "verified", "validated", "produced", "signed")

log = logging.getLogger("loket.sync.server")


def _migrator(database: peewee.Database) -> SchemaMigrator:
    if isinstance(database, peewee.PostgresqlDatabase):
        return PostgresqlMigrator(database)
    return SqliteMigrator(database)


def _add_missing(database: peewee.Database, model: type[peewee.Model], names: tuple[str, ...]) -> None:
    table = model._meta.table_name
    present = {column.name for column in database.get_columns(table)}
    migrator = _migrator(database)
    operations = [
        migrator.add_column(table, model._meta.fields[name].column_name, model._meta.fields[name])
        for name in names
        if model._meta.fields[name].column_name not in present
    ]
    if operations:
        migrate(*operations)


def to_2(database: peewee.Database) -> None:
    """Schema 2, the back office: staff passwords and roles, sessions, search keys, SLA dates, audit chain."""
    _add_missing(database, Outpost, ("kecamatan",))
    _add_missing(
        database, Device, ("outbox_waiting", "outbox_oldest_at", "outbox_reported_at", "wipe_order", "wiped_at")
    )
    _add_missing(
        database,
        Staff,
        (
            "password_hash",
            "roles",
            "kecamatan",
            "must_change_password",
            "failed_logins",
            "last_failed_at",
            "token_expires_at",
        ),
    )
    _add_missing(database, Application, ("applicant_nik", "applicant_kk", "name_key", "due_date"))
    _add_missing(database, AuditLog, ("prev_hash", "entry_hash"))
    database.create_tables([StaffSession, DocumentOwner, Upload, Cancellation], safe=True)
    for column in ("applicant_nik", "applicant_kk", "name_key", "due_date"):
        statement = f'CREATE INDEX IF NOT EXISTS "application_{column}" ON "application" ("{column}")'
        database.execute_sql(statement)  # type: ignore[no-untyped-call]
    database.execute_sql(  # type: ignore[no-untyped-call]
        'CREATE INDEX IF NOT EXISTS "application_state_due_date_received_at_id" '
        'ON "application" ("state", "due_date", "received_at", "id")'
    )
    for outpost in Outpost.select().where(Outpost.kecamatan == ""):
        Outpost.update(kecamatan=kecamatan_of(outpost.code)).where(Outpost.id == outpost.id).execute()
    # Existing staff keep their tokens and may do everything they could before (all roles but admin).
    Staff.update(roles="penerima,verifikator,validator,penandatangan,pencetak,loket").where(Staff.roles == "").execute()
    latest = (
        Submission.select(Submission.application, peewee.fn.MAX(Submission.revision).alias("revision"))
        .group_by(Submission.application)
        .alias("latest")
    )
    rows = Submission.select(Submission.application, Submission.package).join(
        latest, on=(Submission.application == latest.c.application_id) & (Submission.revision == latest.c.revision)
    )
    for row in rows.iterator():
        application_id = row.application_id
        applicant = json.loads(read_package(row)).get("applicant", {})
        Application.update(
            applicant_nik=str(applicant.get("nik", "")),
            applicant_kk=str(applicant.get("kk", "")),
            name_key=name_key(str(applicant.get("name", ""))),
        ).where(Application.id == application_id).execute()
    database.execute_sql(  # type: ignore[no-untyped-call]
        'CREATE INDEX IF NOT EXISTS "submission_received_at" ON "submission" ("received_at")'
    )
    _fill_due_dates()
    _fill_document_owners()
    audit.record("sistem", "schema.upgrade", "2")


def _fill_document_owners() -> None:
    """Each outpost owns the documents its packages already cite (documents per outpost)."""
    seen: set[tuple[int, str]] = set()
    rows = Submission.select(Submission.package, Application.outpost).join(Application)
    for row in rows.iterator():
        outpost_id = row.application.outpost_id
        for document in json.loads(read_package(row)).get("documents", []):
            for page in document.get("pages", []):
                sha, size = str(page.get("sha256", "")), int(page.get("size", 0))
                if (outpost_id, sha) in seen or len(sha) != 64:
                    continue
                seen.add((outpost_id, sha))
                DocumentOwner.insert(outpost=outpost_id, sha256=sha, size=size).on_conflict_ignore().execute()


def _fill_due_dates() -> None:
    """SLA due dates for applications still at the Dinas: received + the service's working days."""
    catalog = load_catalog()
    holidays = default_holidays()
    days: dict[str, int | None] = {}
    for service in catalog.services:
        days[service.code] = service.sla_days
    waiting = Application.select(Application.id, Application.service_code, Application.received_at).where(
        Application.due_date.is_null() & Application.state.in_(SLA_STATES)
    )
    for application in waiting.iterator():
        sla = days.get(application.service_code)
        if sla is None:
            continue
        received = application.received_at
        if isinstance(received, str):
            received = dt.datetime.fromisoformat(received)
        due = add_working_days(received.date(), sla, holidays)
        Application.update(due_date=due).where(Application.id == application.id).execute()


STEPS: dict[int, Callable[[peewee.Database], None]] = {2: to_2}


def describe(current: int, target: int) -> list[tuple[int, str]]:
    """The steps from `current` up to `target`: (version, what it does), for a dry run."""
    return [
        (version, (STEPS[version].__doc__ or "").strip().splitlines()[0]) for version in range(current + 1, target + 1)
    ]


def upgrade(database: peewee.Database, current: int, target: int) -> None:
    """Run every step after `current` up to `target`, each in its own transaction with its version number.

    A step that fails leaves the database at the previous version (its transaction rolls back), so the
    upgrade can be run again. SQLite adds some columns by rebuilding the table, which a foreign key to
    it would refuse: foreign keys are off during the upgrade (the pragma has no effect inside a
    transaction) and checked after.
    """
    sqlite = database if isinstance(database, peewee.SqliteDatabase) else None
    if sqlite is not None:
        sqlite.pragma("foreign_keys", 0)
    try:
        for version in range(current + 1, target + 1):
            log.info("upgrading the server database to schema %d", version)
            with database.atomic():
                STEPS[version](database)
                if sqlite is not None and database.execute_sql("PRAGMA foreign_key_check").fetchall():  # type: ignore[no-untyped-call]
                    raise RuntimeError(f"the upgrade to schema {version} left broken references; nothing was changed")
                ServerMeta.update(value=str(version)).where(ServerMeta.key == "schema_version").execute()
    finally:
        if sqlite is not None:
            sqlite.pragma("foreign_keys", 1)
