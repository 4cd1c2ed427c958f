"""Settling an application with the Dinas: cancellation requests and the Dinas' decisions on conflicts.

Cancelling an application the Dinas cannot have (a draft never sent, a submitted revision never
attempted) happens at once (`applications.cancel`). Once a send was attempted, or the Dinas gave a
registration number, the Dinas may hold it: cancelling then becomes a **request** that the sync sends
(again and again until answered; the same request id makes a repeat harmless) and the Dinas answers:
`cancelled` (the application becomes cancelled here too, and its outbox items are settled) or
`too_late` (already signed, ready, handed over or rejected: it stays as it is). Until the answer
comes the application is neither sent nor edited.

A package the Dinas parked as a conflict waits for a Dinas supervisor; the sync asks what became of it
and records the decision here (`record_conflict_decision`), which the officer's lists show with what
to do next.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from app.store import applications, audit
from app.store.db import guarded
from app.store.errors import StateError
from app.store.lifecycle import STATE_LABELS
from app.store.models import Application, CancelRequest, OutboxItem, StatusEvent, utcnow
from app.store.store import Store

log = logging.getLogger("loket.sync")

FINAL = frozenset({"cancelled", "rejected", "handed_over"})
UNSETTLED = ("pending", "sending", "failed")
ERROR_LIMIT = 500


@dataclass(frozen=True)
class CancellationResult:
    """The Dinas' answer to a cancellation request (the store's own form: app/ does not import the wire)."""

    outcome: str  # cancelled | too_late
    held: bool
    state: str = ""
    revision: int = 0
    registration_number: str | None = None
    message: str = ""


@dataclass(frozen=True)
class ConflictOutcome:
    """What the Dinas decided about a parked package (empty decision: not yet)."""

    resolved: bool
    decision: str = ""
    message: str = ""
    note: str = ""
    state: str = ""
    application_revision: int = 0
    registration_number: str | None = None


@dataclass(frozen=True)
class Settlement:
    """What the officer's lists show about an application being settled with the Dinas."""

    label: str  # short, for the state column
    detail: str  # the whole story and what to do next (tooltip, details)


# -- cancellation -------------------------------------------------------------------------------------------
def may_be_at_dinas(application: Application) -> bool:
    """Whether the Dinas may hold this application: a send was attempted, or it has a registration number."""
    if application.registration_number:
        return True
    attempted = OutboxItem.select().where(
        (OutboxItem.application == application) & ((OutboxItem.state != "pending") | (OutboxItem.attempts > 0))
    )
    return bool(attempted.exists())


def pending_request(application: Application) -> CancelRequest | None:
    """The cancellation request still waiting for the Dinas' answer, if any."""
    found: CancelRequest | None = CancelRequest.get_or_none(
        (CancelRequest.application == application) & (CancelRequest.state == "pending")
    )
    return found


def check_not_cancelling(application: Application) -> None:
    """Refuse to send or change an application whose cancellation the Dinas has not answered yet."""
    if pending_request(application) is not None:
        raise StateError(
            "Pembatalan permohonan ini sudah diminta dan menunggu jawaban Dinas; permohonan tidak dapat diubah "
            "atau dikirim."
        )


def cancel(store: Store, application: Application, reason: str) -> CancelRequest | None:
    """Cancel an application: at once when the Dinas cannot have it, else by a request to the Dinas (returned).

    A submitted application (or one the Dinas may hold) only by a supervisor.
    """
    if not reason.strip():
        raise StateError("Alasan pembatalan wajib diisi. Tulis mengapa permohonan ini dibatalkan.")
    if not may_be_at_dinas(application):
        applications.cancel(store, application, reason)
        return None
    store.require("cancel", "membatalkan permohonan yang sudah dikirim")
    if application.state in FINAL:
        raise StateError(
            f"Permohonan berstatus '{STATE_LABELS.get(application.state, application.state)}' tidak dapat dibatalkan."
        )
    check_not_cancelling(application)

    def run() -> CancelRequest:
        with store.db.atomic():
            request = CancelRequest.create(
                application=application,
                request_id=str(uuid.uuid4()),
                reason=reason.strip(),
                officer=store.officer.username,
            )
            audit.append(
                store.officer.username,
                "application.cancel_request",
                application.client_id,
                {"reason": reason.strip(), "request": request.request_id, "state": application.state},
            )
            return request

    request = guarded(run)
    log.info("cancellation of application %s requested from the Dinas", application.client_id)
    return request


def pending_requests() -> list[CancelRequest]:
    """Requests to send, oldest first, with their applications."""
    return list(
        CancelRequest.select(CancelRequest, Application)
        .join(Application)
        .where(CancelRequest.state == "pending")
        .order_by(CancelRequest.id)
    )


def request_failed(store: Store, request_id: str, error: str) -> None:
    """Count a send attempt that got no answer (it is sent again at the next sync)."""

    def run() -> None:
        with store.db.atomic():
            CancelRequest.update(attempts=CancelRequest.attempts + 1, last_error=error[:ERROR_LIMIT]).where(
                CancelRequest.request_id == request_id
            ).execute()

    guarded(run)


def record_answer(store: Store, request_id: str, result: CancellationResult, answer: dict[str, object]) -> None:
    """Apply the Dinas' answer once: cancel here too, or keep the application (too late); settle the outbox."""

    def run() -> None:
        with store.db.atomic():
            request = CancelRequest.get(CancelRequest.request_id == request_id)
            if request.state == "answered":
                return
            application: Application = request.application
            CancelRequest.update(
                state="answered",
                outcome=result.outcome,
                answer=json.dumps(answer, ensure_ascii=False, default=str),
                answered_at=utcnow(),
                attempts=CancelRequest.attempts + 1,
                last_error="",
            ).where(CancelRequest.id == request.id).execute()
            changes: dict[str, object] = {}
            if result.registration_number and result.registration_number != application.registration_number:
                changes["registration_number"] = result.registration_number
            settled = {"cancellation": asdict(result)}
            if result.outcome == "cancelled":
                _settle_items(application, settled)
                if application.state != "cancelled":
                    changes.update(state="cancelled", updated_at=utcnow())
                    StatusEvent.create(
                        application=application,
                        revision=application.revision,
                        state="cancelled",
                        reasons=json.dumps([{"message": result.message}], ensure_ascii=False),
                        source="dinas",
                        officer=store.officer.username,
                    )
            elif result.held:
                _settle_items(application, settled)
                if application.state == "submitted" and result.state and result.state != "submitted":
                    # The Dinas received it (the answer to the send was lost): its feed takes it from here.
                    changes.update(state="received", updated_at=utcnow())
                    StatusEvent.create(
                        application=application,
                        revision=application.revision,
                        state="received",
                        source="dinas",
                        officer=store.officer.username,
                    )
            if changes:
                Application.update(**changes).where(Application.id == application.id).execute()
            audit.append(
                store.officer.username,
                "application.cancel_answer",
                application.client_id,
                {"request": request_id, "outcome": result.outcome, "held": result.held},
            )

    guarded(run)
    log.info("cancellation request %s answered: %s", request_id, result.outcome)


def _settle_items(application: Application, answer: Mapping[str, object]) -> None:
    """The Dinas answered about this application: its unanswered outbox items are settled (never deleted)."""
    OutboxItem.update(
        state="acknowledged",
        last_error="",
        server_ack=json.dumps(answer, ensure_ascii=False, default=str),
        updated_at=utcnow(),
    ).where((OutboxItem.application == application) & OutboxItem.state.in_(UNSETTLED)).execute()


# -- conflicts ----------------------------------------------------------------------------------------------
def conflicts_to_ask() -> list[OutboxItem]:
    """Items parked as a conflict whose Dinas decision has not arrived yet."""
    return [item for item in OutboxItem.select().where(OutboxItem.state == "conflict") if not _decision(item)]


def _decision(item: OutboxItem) -> dict[str, object]:
    try:
        ack = json.loads(item.server_ack or "{}")
    except ValueError:
        return {}
    decision = ack.get("dinas_decision") if isinstance(ack, dict) else None
    return decision if isinstance(decision, dict) and decision.get("resolved") else {}


def record_conflict_decision(store: Store, item_id: str, outcome: ConflictOutcome) -> bool:
    """Keep what the Dinas decided about a parked package; follow it locally. True when newly resolved."""
    if not outcome.resolved:
        return False

    def run() -> bool:
        with store.db.atomic():
            item = OutboxItem.get(OutboxItem.item_id == item_id)
            if _decision(item):
                return False
            ack = json.loads(item.server_ack or "{}") if item.server_ack else {}
            ack = ack if isinstance(ack, dict) else {}
            ack["dinas_decision"] = asdict(outcome)
            application: Application = item.application
            same_revision = outcome.application_revision == item.revision == application.revision
            state = item.state
            if outcome.decision == "accept" and same_revision:
                state = "acknowledged"
            OutboxItem.update(server_ack=json.dumps(ack, ensure_ascii=False), state=state, updated_at=utcnow()).where(
                OutboxItem.id == item.id
            ).execute()
            changes: dict[str, object] = {}
            if outcome.registration_number and outcome.registration_number != application.registration_number:
                changes["registration_number"] = outcome.registration_number
            if (
                same_revision
                and outcome.state
                and outcome.state != application.state
                and application.state == "submitted"
            ):
                # The Dinas' decision on its copy is the application's state now (for this revision).
                changes.update(state=outcome.state, updated_at=utcnow())
                StatusEvent.create(
                    application=application,
                    revision=application.revision,
                    state=outcome.state,
                    reasons=json.dumps([{"message": outcome.message}], ensure_ascii=False),
                    source="dinas",
                    officer=store.officer.username,
                )
            if changes:
                Application.update(**changes).where(Application.id == application.id).execute()
            audit.append(
                store.officer.username,
                "sync.conflict_decided",
                application.client_id,
                {"item": item_id, "decision": outcome.decision},
            )
            return True

    return guarded(run)


# -- what the officer sees ----------------------------------------------------------------------------------
def settlements(client_ids: list[str]) -> dict[str, Settlement]:
    """For these applications, what is being (or was) settled with the Dinas, by client id."""
    if not client_ids:
        return {}
    result: dict[str, Settlement] = {}
    items = (
        OutboxItem.select(OutboxItem, Application)
        .join(Application)
        .where(
            Application.client_id.in_(client_ids)
            & (OutboxItem.server_ack.contains("dinas_decision") | (OutboxItem.state == "conflict"))
        )
        .order_by(OutboxItem.id)
    )
    for item in items:
        decision = _decision(item)
        if decision:
            result[item.application.client_id] = Settlement(
                "Konflik diputuskan Dinas",
                "Paket ini sempat ditahan Dinas sebagai konflik. Keputusan Dinas: " + str(decision.get("message", "")),
            )
        else:
            result[item.application.client_id] = Settlement(
                "Konflik, menunggu keputusan Dinas",
                "Dinas sudah menerima versi lain dari permohonan ini, sehingga kiriman ini ditahan sebagai konflik "
                "untuk diperiksa supervisor Dinas. Jangan kirim ulang atau membuat permohonan baru; keputusan Dinas "
                "akan tampil di sini setelah sinkronisasi berikutnya.",
            )
    requests = (
        CancelRequest.select(CancelRequest, Application)
        .join(Application)
        .where(Application.client_id.in_(client_ids))
        .order_by(CancelRequest.id)
    )
    for request in requests:
        client_id = request.application.client_id
        if request.state == "pending":
            result[client_id] = Settlement(
                "Pembatalan diminta",
                f"Pembatalan diminta ({request.reason}) dan akan dikirim ke Dinas pada sinkronisasi berikutnya; "
                "jawaban Dinas (dibatalkan, atau terlambat bila sudah ditandatangani) tampil di sini. Sementara "
                "itu permohonan tidak dikirim atau diubah.",
            )
        elif request.outcome == "too_late":
            message = json.loads(request.answer or "{}").get("message", "")
            result[client_id] = Settlement(
                "Pembatalan ditolak Dinas",
                f"{message} Permohonan tetap diproses; serahkan hasilnya seperti biasa atau hubungi Dinas.",
            )
        elif request.outcome == "cancelled":
            message = json.loads(request.answer or "{}").get("message", "")
            result[client_id] = Settlement("Dibatalkan Dinas", f"{message} Tidak perlu tindakan lagi.")
    return result
