"""The status feed: every state change of an outpost's applications, numbered by a per-outpost cursor.

A change and its cursor are written in the transaction that changes the state, after that
transaction has locked the outpost's row, so cursors of one outpost commit in order: a reader never
sees cursor n + 1 before cursor n is visible.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from app.store.models import utcnow
from sync.protocol import Reason, StatusChange, StatusFeed
from sync.server.db import is_postgres
from sync.server.models import Application, Event, Outpost, database_proxy

MAX_PAGE = 500


def lock_outpost(outpost_id: int) -> None:
    """Take the outpost's row lock for the rest of the transaction (PostgreSQL; SQLite writers are serial)."""
    if is_postgres(database_proxy.obj):
        Outpost.select(Outpost.id).where(Outpost.id == outpost_id).for_update().execute()


def add_event(
    application: Application,
    state: str,
    actor: str,
    reasons: Sequence[Reason] = (),
    note: str = "",
) -> Event:
    """Append a change to the application's outpost feed (call after lock_outpost, in the same transaction)."""
    cursor = (
        Outpost.update(feed_seq=Outpost.feed_seq + 1)
        .where(Outpost.id == application.outpost_id)
        .returning(Outpost.feed_seq)
        .execute()
    )
    seq = next(iter(cursor)).feed_seq
    return Event.create(
        outpost=application.outpost_id,
        seq=seq,
        application=application,
        client_id=application.client_id,
        revision=application.revision,
        state=state,
        registration_number=application.registration_number,
        reasons=json.dumps([r.model_dump() for r in reasons], ensure_ascii=True),
        note=note,
        actor=actor[:64],
        at=utcnow(),
    )


def to_change(event: Event) -> StatusChange:
    """The wire form of one event."""
    return StatusChange(
        cursor=event.seq,
        client_id=event.client_id,
        revision=event.revision,
        state=event.state,  # type: ignore[arg-type]
        registration_number=event.registration_number,
        reasons=[Reason.model_validate(r) for r in json.loads(event.reasons)],
        note=event.note,
        at=event.at,
    )


def changes_after(outpost_id: int, after: int, limit: int = 100) -> StatusFeed:
    """The outpost's changes with a cursor above `after`, oldest first, at most `limit`."""
    limit = max(1, min(limit, MAX_PAGE))
    # A cancellation reaches the outpost in the answer to its request (sync.server.settling), not here:
    # `cancelled` is no state protocol 1's feed may carry.
    rows = list(
        Event.select()
        .where((Event.outpost == outpost_id) & (Event.seq > after) & (Event.state != "cancelled"))
        .order_by(Event.seq)
        .limit(limit + 1)
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return StatusFeed(changes=[to_change(e) for e in rows], cursor=rows[-1].seq if rows else after, more=more)
