"""The Dinas back-office workflow: verify, validate, return, reject, produce, sign, ready, handed over.

Each step checks the lifecycle (app.store.lifecycle.DINAS_TRANSITIONS), changes the state, adds a
change to the outpost's status feed and an audit entry, all in one transaction. Returning or
rejecting needs at least one reason (per requirement or per field).
"""

from __future__ import annotations

from collections.abc import Sequence

from app.store.lifecycle import DINAS_TRANSITIONS, STATE_LABELS
from app.store.models import utcnow
from sync.protocol import ACTION_STATES, Reason
from sync.server import audit
from sync.server.db import in_transaction
from sync.server.errors import ConflictError, NotFoundError, ServerError
from sync.server.feed import add_event, lock_outpost
from sync.server.models import Application, Event

NEEDS_REASON = frozenset({"return", "reject"})


def find_application(key: str) -> Application:
    """An application by registration number or client id."""
    application = Application.get_or_none(
        (Application.registration_number == key) | (Application.client_id == key.lower())
    )
    if application is None:
        raise NotFoundError(f"Permohonan {key} tidak ditemukan.")
    return application


def act(key: str, action: str, actor: str, reasons: Sequence[Reason] = (), note: str = "") -> Event:
    """Apply one workflow step to the application with this registration number (or client id)."""
    if action not in ACTION_STATES:
        raise ServerError(f"Langkah '{action}' tidak dikenal. Pilih: {', '.join(ACTION_STATES)}.")
    if action in NEEDS_REASON and not reasons:
        raise ServerError(
            "Alasan wajib diisi untuk mengembalikan atau menolak permohonan: sebutkan persyaratan atau isian "
            "yang perlu dilengkapi.",
            code="reason_required",
        )
    target = ACTION_STATES[action]
    found = find_application(key)

    def run() -> Event:
        lock_outpost(found.outpost_id)
        application = Application.get_by_id(found.id)
        if target not in DINAS_TRANSITIONS.get(application.state, frozenset()):
            raise ConflictError(
                f"Permohonan berstatus '{STATE_LABELS.get(application.state, application.state)}' tidak dapat "
                f"diubah menjadi '{STATE_LABELS.get(target, target)}'.",
                {"state": application.state},
                code="invalid_transition",
            )
        application.state = target
        application.updated_at = utcnow()
        application.save()
        event = add_event(application, target, actor, reasons, note)
        audit.record(
            actor,
            f"workflow.{action}",
            application.registration_number or application.client_id,
            {"revision": application.revision, "reasons": len(reasons), "state": target},
        )
        return event

    return in_transaction(run)
