"""Settling what an outpost and the Dinas could disagree on: cancellation requests and parked conflicts.

Cancellation: an outpost that may have sent an application asks the Dinas to cancel it. The Dinas
answers at once from the application's state: cancelled (it did not have it, or it was not yet
signed: the state becomes `cancelled` and leaves every work queue) or too late (signed, ready,
handed over, rejected). The request id makes a repeat (a lost answer) get the same outcome, with
where the application stands now. A cancelled application the Dinas did not hold stays a
tombstone: a package for it that arrives afterwards is not taken in (sync.server.intake).

Conflicts: a device asks what became of a package of its outpost that was parked as a conflict;
the answer carries the decision (sync.server.conflicts) and what the officer does next.
"""

from __future__ import annotations

import json
import logging

from app.store.lifecycle import STATE_LABELS
from app.store.models import utcnow
from sync.protocol import CancellationAnswer, CancellationRequest, ConflictDecision
from sync.server import audit
from sync.server.db import in_transaction
from sync.server.errors import ConflictError, NotFoundError
from sync.server.feed import add_event, lock_outpost
from sync.server.models import Application, Cancellation, Device
from sync.server.models import Conflict as ParkedConflict

log = logging.getLogger("loket.sync.server")

# Not yet signed: the Dinas can still stop the work. From `signed` on, the document exists.
CANCELLABLE = frozenset({"received", "verified", "validated", "produced", "returned"})


def _answer(row: Cancellation, application: Application | None) -> CancellationAnswer:
    if row.outcome == "too_late":
        state = application.state if application is not None else row.state_before
        message = (
            f"Terlambat: permohonan sudah berstatus '{STATE_LABELS.get(state, state)}' di Dinas dan tidak dapat "
            "dibatalkan. Hubungi Dinas bila pembatalan tetap diperlukan."
        )
    elif row.held:
        message = "Dinas membatalkan permohonan ini atas permintaan pos pelayanan."
    else:
        message = "Permohonan ini belum diterima Dinas; dibatalkan dan tidak akan diproses."
    return CancellationAnswer(
        request_id=row.request_id,
        client_id=row.client_id,
        outcome="too_late" if row.outcome == "too_late" else "cancelled",
        held=row.held,
        state=application.state if application is not None else "",
        revision=application.revision if application is not None else 0,
        registration_number=application.registration_number if application is not None else None,
        message=message,
        answered_at=row.answered_at,
    )


def request_cancellation(device: Device, request: CancellationRequest) -> CancellationAnswer:
    """Decide a cancellation request (idempotent by request id); journaled."""

    def run() -> CancellationAnswer:
        lock_outpost(device.outpost_id)
        application = Application.get_or_none(
            (Application.client_id == request.client_id) & (Application.outpost == device.outpost_id)
        )
        earlier = Cancellation.get_or_none(Cancellation.request_id == request.request_id)
        if earlier is not None:
            if earlier.outpost_id != device.outpost_id or earlier.client_id != request.client_id:
                raise ConflictError("Nomor permintaan pembatalan ini sudah dipakai.", code="request_conflict")
            return _answer(earlier, application)
        before = application.state if application is not None else ""
        if application is None or application.state == "cancelled" or application.state in CANCELLABLE:
            outcome = "cancelled"
        else:
            outcome = "too_late"
        now = utcnow()
        row = Cancellation.create(
            request_id=request.request_id,
            client_id=request.client_id,
            outpost=device.outpost_id,
            device=device.id,
            reason=request.reason,
            officer=request.officer,
            requested_at=request.requested_at,
            outcome=outcome,
            held=application is not None,
            state_before=before,
            answered_at=now,
        )
        actor = f"device:{device.device_id}"
        if application is not None and outcome == "cancelled" and application.state != "cancelled":
            application.state = "cancelled"
            application.updated_at = now
            application.save()
            add_event(
                application, "cancelled", actor, note=f"Dibatalkan atas permintaan pos pelayanan: {request.reason}"
            )
        subject = (application.registration_number if application is not None else None) or request.client_id
        audit.record(
            actor,
            "application.cancel_request",
            subject,
            {"request": request.request_id, "outcome": outcome, "state_before": before},
        )
        return _answer(row, application)

    answer = in_transaction(run)
    log.info("cancellation request %s: %s", request.request_id, answer.outcome)
    return answer


def tombstoned(outpost_id: int, client_ids: list[str]) -> set[str]:
    """Of these client ids, those the outpost cancelled before the Dinas held them."""
    if not client_ids:
        return set()
    rows = Cancellation.select(Cancellation.client_id).where(
        (Cancellation.outpost == outpost_id)
        & Cancellation.client_id.in_(client_ids)
        & (Cancellation.outcome == "cancelled")
        & ~Cancellation.held
    )
    return {row.client_id for row in rows}


def cancellations_of(application: Application) -> list[Cancellation]:
    """The cancellation requests about an application (for its back-office page), oldest first."""
    return list(
        Cancellation.select()
        .where((Cancellation.client_id == application.client_id) & (Cancellation.outpost == application.outpost_id))
        .order_by(Cancellation.id)
    )


# -- conflicts ----------------------------------------------------------------------------------------------
def _next_step(decision: str, resolution_note: str, application: Application | None, revision: int) -> str:
    if decision == "accept":
        text = (
            f"Dinas menerima versi kiriman ini sebagai revisi {revision}. Tidak perlu tindakan; status berikutnya "
            "datang dari Dinas seperti biasa."
        )
    elif decision in ("keep", "duplicate") and application is not None:
        label = STATE_LABELS.get(application.state, application.state)
        text = (
            "Dinas mempertahankan versi yang sudah diterima sebelumnya; versi kiriman ini tidak diproses. "
            if decision == "keep"
            else "Dinas menandai kiriman ini sebagai kiriman ganda; versi yang sudah diterima tetap diproses. "
        ) + (
            f"Status di Dinas: '{label}'. Bila isi permohonan perlu diperbaiki, tunggu Dinas mengembalikannya "
            "atau hubungi Dinas; jangan kirim ulang."
        )
    else:
        text = (
            "Dinas menutup konflik ini tanpa memproses kiriman: nomor permohonan tercatat atas pos pelayanan lain. "
            "Buat permohonan baru bila pemohon masih memerlukan layanan."
        )
    return f"{text} Catatan Dinas: {resolution_note}" if resolution_note else text


def conflict_decision(device: Device, item_id: str) -> ConflictDecision:
    """What became of a package of the device's outpost that was parked as a conflict."""
    conflict = (
        ParkedConflict.select()
        .where((ParkedConflict.item_id == item_id) & (ParkedConflict.outpost == device.outpost_id))
        .order_by(ParkedConflict.id.desc())
        .first()
    )
    if conflict is None:
        raise NotFoundError("Tidak ada konflik dengan nomor item ini untuk pos pelayanan ini.")
    application = Application.get_or_none(
        (Application.client_id == conflict.client_id) & (Application.outpost == device.outpost_id)
    )
    answer = ConflictDecision(
        item_id=conflict.item_id,
        client_id=conflict.client_id,
        revision=conflict.revision,
        resolved=conflict.resolved_at is not None,
        state=application.state if application is not None else "",
        application_revision=application.revision if application is not None else 0,
        registration_number=application.registration_number if application is not None else None,
    )
    if conflict.resolved_at is None:
        return answer.model_copy(
            update={
                "message": "Paket ini ditahan Dinas sebagai konflik dan menunggu keputusan supervisor Dinas. Jangan "
                "kirim ulang; keputusannya akan tampil di sini."
            }
        )
    resolution = json.loads(conflict.resolution or "{}")
    decision = str(resolution.get("decision", ""))
    note = str(resolution.get("note", ""))
    revision = application.revision if application is not None else conflict.revision
    return answer.model_copy(
        update={
            "decision": decision,
            "note": note,
            "resolved_at": conflict.resolved_at,
            "message": _next_step(decision, note, application, revision),
        }
    )
