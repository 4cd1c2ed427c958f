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
from sync.server.errors import ConflictError, ForbiddenError, NotFoundError, ServerError
from sync.server.feed import add_event, lock_outpost
from sync.server.models import Application, Event, Outpost, Staff
from sync.server.roles import ROLES, STEP_LABELS, STEP_ROLES, may_step

NEEDS_REASON = frozenset({"return", "reject"})


def find_application(key: str) -> Application:
    """An application by registration number or client id."""
    application = Application.get_or_none(
        (Application.registration_number == key) | (Application.client_id == key.lower())
    )
    if application is None:
        raise NotFoundError(f"Permohonan {key} tidak ditemukan.")
    return application


def check_scope(staff: Staff, application: Application) -> None:
    """Refuse (as not found) an application outside the kecamatan a staff member is posted to."""
    scope = tuple(c for c in staff.kecamatan.split(",") if c)
    if not scope:
        return
    kecamatan = Outpost.select(Outpost.kecamatan).where(Outpost.id == application.outpost_id).scalar()
    if kecamatan not in scope:
        raise NotFoundError("Permohonan tidak ditemukan di wilayah tugas Anda.")


def check_step(staff: Staff, action: str) -> None:
    """Refuse a step the staff member's roles do not allow (403, with the roles that may)."""
    roles = frozenset(r for r in staff.roles.split(",") if r)
    if not may_step(roles, action):
        allowed = ", ".join(ROLES[r] for r in sorted(STEP_ROLES.get(action, frozenset())))
        raise ForbiddenError(
            f"Peran Anda tidak mengizinkan langkah '{STEP_LABELS.get(action, action)}'. "
            f"Langkah ini untuk: {allowed or 'tidak ada'}.",
            {"action": action},
            code="step_not_allowed",
        )


def last_actor(application: Application) -> tuple[str, str]:
    """Who took the application's latest step, and when (for "sudah diproses oleh ...")."""
    event = Event.select().where(Event.application == application).order_by(Event.seq.desc()).first()
    if event is None:
        return "", ""
    actor = event.actor.removeprefix("staf:")
    staff = Staff.get_or_none(Staff.username == actor)
    return (staff.full_name if staff else actor), event.at.strftime("%d-%m-%Y %H:%M UTC")


def act(
    key: str,
    action: str,
    actor: str,
    reasons: Sequence[Reason] = (),
    note: str = "",
    *,
    staff: Staff | None = None,
    expected_state: str | None = None,
    expected_revision: int | None = None,
) -> Event:
    """Apply one workflow step to the application with this registration number (or client id).

    With `staff`, the step must be one of their roles' and the application in their scope. With
    `expected_state` (what the staff member saw), a step someone else took first is refused with
    their name instead of being taken twice.
    """
    if staff is not None:
        check_step(staff, action)
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
    if staff is not None:
        check_scope(staff, found)

    def run() -> Event:
        lock_outpost(found.outpost_id)
        application = Application.get_by_id(found.id)
        if (expected_state is not None and application.state != expected_state) or (
            expected_revision is not None and application.revision != expected_revision
        ):
            who, when = last_actor(application)
            raise ConflictError(
                f"Permohonan ini sudah diproses oleh {who or 'staf lain'} ({when}): statusnya sekarang "
                f"'{STATE_LABELS.get(application.state, application.state)}', revisi {application.revision}. "
                "Muat ulang halaman untuk melihat keadaan terbaru.",
                {"state": application.state, "revision": application.revision, "by": who},
                code="already_processed",
            )
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
