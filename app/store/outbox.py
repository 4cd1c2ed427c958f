"""The outbox of submitted revisions: what to send, per-item attempts and errors, and the server's answer.

Nothing is ever deleted here: an item only changes state (pending -> sending -> acknowledged, or
failed / conflict with the reason), so a revision stays on the outpost's disk after the server has
confirmed it, and a crash mid-send leaves the item to be sent again (the server answers a repeat
with "already accepted").
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping, Sequence

import peewee

from app.store import audit
from app.store.db import guarded
from app.store.models import Application, CancelRequest, OutboxItem, StatusEvent, utcnow
from app.store.store import Store

log = logging.getLogger("loket.sync")

SENDABLE = ("pending", "sending", "failed")
ERROR_LIMIT = 500


def sendable(limit: int | None = None) -> list[OutboxItem]:
    """Items still to be sent (pending, interrupted or failed), oldest first, with their applications."""
    query = (
        OutboxItem.select(OutboxItem, Application)
        .join(Application)
        # A cancelled application's item is never sent, whatever state it was left in; one whose
        # cancellation waits for the Dinas' answer is held back (app.store.settlement).
        .where(
            OutboxItem.state.in_(SENDABLE)
            & (Application.state != "cancelled")
            & Application.id.not_in(
                CancelRequest.select(CancelRequest.application).where(CancelRequest.state == "pending")
            )
        )
        .order_by(OutboxItem.created_at, OutboxItem.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(query)


def items(states: Sequence[str] = ()) -> list[OutboxItem]:
    """Every item (or those in some states), oldest first, with their applications."""
    query = OutboxItem.select(OutboxItem, Application).join(Application)
    if states:
        query = query.where(OutboxItem.state.in_(list(states)))
    return list(query.order_by(OutboxItem.created_at, OutboxItem.id))


def waiting() -> tuple[int, dt.datetime | None]:
    """How many items the Dinas has not acknowledged yet, and when the oldest of them was submitted."""
    query = (
        OutboxItem.select(peewee.fn.COUNT(OutboxItem.id), peewee.fn.MIN(OutboxItem.created_at))
        .join(Application)
        .where(OutboxItem.state.in_(SENDABLE) & (Application.state != "cancelled"))
    )
    count, oldest = query.scalar(as_tuple=True)
    if isinstance(oldest, str):
        oldest = dt.datetime.fromisoformat(oldest)
    return int(count or 0), oldest


def counts() -> dict[str, int]:
    """Number of items per state."""
    result: dict[str, int] = {}
    for item in OutboxItem.select(OutboxItem.state):
        result[item.state] = result.get(item.state, 0) + 1
    return result


def mark_sending(store: Store, item_ids: Sequence[str]) -> None:
    """Record a send attempt of these items (attempts + 1)."""
    if not item_ids:
        return

    def run() -> None:
        with store.db.atomic():
            OutboxItem.update(state="sending", attempts=OutboxItem.attempts + 1, updated_at=utcnow()).where(
                OutboxItem.item_id.in_(list(item_ids))
            ).execute()

    guarded(run)


def mark_failed(store: Store, item_ids: Sequence[str], error: str) -> None:
    """Record why these items could not be sent this time; they are sent again later."""
    if not item_ids:
        return

    def run() -> None:
        with store.db.atomic():
            OutboxItem.update(state="failed", last_error=error[:ERROR_LIMIT], updated_at=utcnow()).where(
                OutboxItem.item_id.in_(list(item_ids)) & OutboxItem.state.in_(SENDABLE)
            ).execute()

    guarded(run)


def mark_conflict(store: Store, item_id: str, message: str, answer: Mapping[str, object]) -> None:
    """The server parked this item as a conflict: it is not sent again; a supervisor resolves it."""

    def run() -> None:
        with store.db.atomic():
            item = OutboxItem.get(OutboxItem.item_id == item_id)
            OutboxItem.update(
                state="conflict",
                last_error=message[:ERROR_LIMIT],
                server_ack=json.dumps(dict(answer), ensure_ascii=False),
                updated_at=utcnow(),
            ).where(OutboxItem.id == item.id).execute()
            audit.append(store.officer.username, "sync.conflict", item.application.client_id, {"item": item_id})

    guarded(run)


def mark_acknowledged(
    store: Store, item_id: str, answer: Mapping[str, object], registration_number: str | None, accepted: bool
) -> None:
    """The server stored this item: keep its answer, its registration number, and mark it received.

    An accepted revision moves the application from submitted to received (a local transition on
    the server's acknowledgement); an invalid one stays submitted until the status feed returns it.
    """

    def run() -> None:
        with store.db.atomic():
            item = OutboxItem.get(OutboxItem.item_id == item_id)
            application: Application = item.application
            OutboxItem.update(
                state="acknowledged",
                last_error="",
                server_ack=json.dumps(dict(answer), ensure_ascii=False),
                updated_at=utcnow(),
            ).where(OutboxItem.id == item.id).execute()
            changes: dict[str, object] = {}
            if registration_number and application.registration_number != registration_number:
                changes["registration_number"] = registration_number
            if accepted and application.state == "submitted" and application.revision == item.revision:
                changes.update(state="received", updated_at=utcnow())
                StatusEvent.create(
                    application=application,
                    revision=item.revision,
                    state="received",
                    source="dinas",
                    officer=store.officer.username,
                )
            if changes:
                Application.update(**changes).where(Application.id == application.id).execute()
            audit.append(
                store.officer.username,
                "sync.acknowledged",
                application.client_id,
                {"item": item_id, "revision": item.revision, "accepted": accepted},
            )

    guarded(run)
    log.info("outbox item %s acknowledged by the server (accepted: %s)", item_id, accepted)
