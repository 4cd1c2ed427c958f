"""The sync's part in settling applications with the Dinas: send cancellation requests, ask about conflicts.

Cancellation requests go first in a run (their applications' outbox items are held back until the
Dinas answers). A request whose answer is lost stays pending and is sent again with the same id;
the Dinas answers a repeat with the same outcome. Conflict items whose decision has not arrived are
asked about after the status feed (`GET /v1/conflicts/{item_id}`).
"""

from __future__ import annotations

import datetime as dt
import logging

from app.store import settlement
from app.store.models import CancelRequest
from app.store.store import Store
from sync.client.errors import RemoteError, SyncError
from sync.client.transport import Transport
from sync.client.uploads import Retrier
from sync.protocol import CancellationAnswer, CancellationRequest, ConflictDecision

log = logging.getLogger("loket.sync")


def send_cancellations(store: Store, transport: Transport, retrier: Retrier) -> int:
    """Send every pending cancellation request; return how many the Dinas answered."""
    answered = 0
    for row in settlement.pending_requests():
        answered += _send(store, transport, retrier, row)
    return answered


def _send(store: Store, transport: Transport, retrier: Retrier, row: CancelRequest) -> int:
    body = CancellationRequest(
        request_id=row.request_id,
        client_id=row.application.client_id,
        reason=row.reason[:1000],
        officer=row.officer[:100],
        requested_at=row.requested_at.replace(tzinfo=dt.UTC) if row.requested_at.tzinfo is None else row.requested_at,
    )
    try:
        answer = retrier.call(lambda: transport.post("/v1/cancellations", body, CancellationAnswer))
    except SyncError as exc:
        settlement.request_failed(store, row.request_id, exc.message)
        if isinstance(exc, RemoteError) and not exc.transient and exc.code not in ("device_revoked", "device_wiped"):
            log.warning("cancellation request %s refused (%s)", row.request_id, exc.code)
            return 0
        raise
    result = settlement.CancellationResult(
        outcome=answer.outcome,
        held=answer.held,
        state=answer.state,
        revision=answer.revision,
        registration_number=answer.registration_number,
        message=answer.message,
    )
    settlement.record_answer(store, row.request_id, result, answer.model_dump(mode="json"))
    return 1


def ask_conflicts(store: Store, transport: Transport, retrier: Retrier) -> int:
    """Ask what became of each parked package still without a decision; return how many were decided."""
    decided = 0
    for item in settlement.conflicts_to_ask():
        path = f"/v1/conflicts/{item.item_id}"

        def ask(path: str = path) -> ConflictDecision:
            return transport.get(path, ConflictDecision)

        try:
            answer = retrier.call(ask)
        except RemoteError as exc:
            if exc.status == 404:  # a server from before conflict decisions were asked for
                log.info("the server does not know conflict item %s", item.item_id)
                continue
            raise
        outcome = settlement.ConflictOutcome(
            resolved=answer.resolved,
            decision=answer.decision,
            message=answer.message,
            note=answer.note,
            state=answer.state,
            application_revision=answer.application_revision,
            registration_number=answer.registration_number,
        )
        if settlement.record_conflict_decision(store, item.item_id, outcome):
            decided += 1
    return decided
