"""Dinas status changes applied to local applications, and the notices they leave for the officer.

Changes arrive from the server's status feed in cursor order. Each is applied through
`lifecycle.check_transition(by_dinas=True)` with a StatusEvent (source "dinas", with the reasons)
and an audit entry; the cursor is stored in the same transaction, so applying a page twice (a crash,
a repeated delivery) changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from app.store import audit, settings
from app.store.db import guarded
from app.store.errors import StateError
from app.store.lifecycle import STATE_LABELS, check_transition
from app.store.models import Application, StatusEvent, utcnow
from app.store.store import Store

log = logging.getLogger("loket.sync")

CURSOR_KEY = "sync.status_cursor"
SEEN_KEY = "sync.notices_seen"
NOTICE_STATES = ("returned", "rejected", "ready")


@dataclass(frozen=True)
class DinasChange:
    """One change from the Dinas feed (the store's own form: app/ does not import the wire protocol)."""

    cursor: int
    client_id: str
    revision: int
    state: str
    registration_number: str | None = None
    reasons: tuple[Mapping[str, str], ...] = ()
    note: str = ""
    at: dt.datetime | None = None


@dataclass
class ApplyReport:
    """What applying a page of changes did."""

    applied: int = 0
    skipped: int = 0
    cursor: int = 0
    client_ids: list[str] = field(default_factory=list)


def cursor() -> int:
    """The cursor of the last change applied."""
    value: int = settings.get(CURSOR_KEY)
    return value


def apply_changes(store: Store, changes: Sequence[DinasChange]) -> ApplyReport:
    """Apply changes newer than the stored cursor, in order, in one transaction; return what happened."""
    report = ApplyReport(cursor=cursor())

    def run() -> None:
        with store.db.atomic():
            for change in sorted(changes, key=lambda c: c.cursor):
                if change.cursor <= report.cursor:
                    continue
                if _apply(store, change):
                    report.applied += 1
                    report.client_ids.append(change.client_id)
                else:
                    report.skipped += 1
                report.cursor = change.cursor
            settings.put(CURSOR_KEY, report.cursor)

    guarded(run)
    if report.applied or report.skipped:
        log.info(
            "status feed: %d changes applied, %d skipped, cursor %d", report.applied, report.skipped, report.cursor
        )
    return report


def _apply(store: Store, change: DinasChange) -> bool:
    application = Application.get_or_none(Application.client_id == change.client_id)
    if application is None:
        return False  # another device of the same outpost took this one in
    if change.revision != application.revision:
        return False  # a change for an older revision, superseded by an amendment
    updates: dict[str, object] = {}
    if change.registration_number and change.registration_number != application.registration_number:
        updates["registration_number"] = change.registration_number
    if application.state != change.state:
        try:
            check_transition(application.state, change.state, by_dinas=True)
        except StateError:
            log.warning(
                "status change %d for application %s skipped: %s -> %s is not a Dinas transition",
                change.cursor,
                change.client_id,
                application.state,
                change.state,
            )
            return False
        updates.update(state=change.state, updated_at=utcnow())
        StatusEvent.create(
            application=application,
            revision=change.revision,
            state=change.state,
            reasons=json.dumps([dict(r) for r in change.reasons], ensure_ascii=False),
            source="dinas",
            at=change.at or utcnow(),
            officer=store.officer.username,
        )
        audit.append(
            store.officer.username,
            "application.dinas_status",
            application.client_id,
            {"state": change.state, "revision": change.revision, "cursor": change.cursor},
        )
    if not updates:
        return False
    Application.update(**updates).where(Application.id == application.id).execute()
    return True


# -- notices ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Notice:
    """An application the Dinas returned, rejected or made ready, not yet seen by an officer."""

    client_id: str
    state: str
    label: str
    registration_number: str | None
    revision: int
    reasons: tuple[Mapping[str, str], ...]
    event_id: int


def latest_dinas_event(application: Application) -> StatusEvent | None:
    """The most recent change the Dinas made to an application."""
    event: StatusEvent | None = (
        StatusEvent.select()
        .where((StatusEvent.application == application) & (StatusEvent.source == "dinas"))
        .order_by(StatusEvent.id.desc())
        .first()
    )
    return event


def reasons_of(application: Application) -> list[dict[str, str]]:
    """The reasons of the Dinas' latest change (why it was returned or rejected)."""
    event = latest_dinas_event(application)
    reasons: list[dict[str, str]] = json.loads(event.reasons) if event is not None else []
    return reasons


def notices() -> list[Notice]:
    """Returned, rejected and ready applications whose latest Dinas change nobody has dismissed yet."""
    seen: dict[str, int] = settings.get(SEEN_KEY)
    result = []
    for application in Application.select().where(Application.state.in_(NOTICE_STATES)).order_by(Application.id):
        event = latest_dinas_event(application)
        if event is None or event.state != application.state or seen.get(application.client_id, 0) >= event.id:
            continue
        result.append(
            Notice(
                client_id=application.client_id,
                state=application.state,
                label=STATE_LABELS.get(application.state, application.state),
                registration_number=application.registration_number,
                revision=application.revision,
                reasons=tuple(json.loads(event.reasons)),
                event_id=event.id,
            )
        )
    return result


def dismiss(store: Store, notice: Notice) -> None:
    """The officer has seen a notice (it comes back when the Dinas changes the application again)."""

    def run() -> None:
        with store.db.atomic():
            seen: dict[str, int] = settings.get(SEEN_KEY)
            seen[notice.client_id] = max(seen.get(notice.client_id, 0), notice.event_id)
            settings.put(SEEN_KEY, seen)

    guarded(run)
