"""Settling parked conflicts: take the incoming package as the next revision, keep the current one, or mark a duplicate.

Every decision is journaled and told to the outpost through its status feed, so both sides agree.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

from app.printing.workdays import add_working_days, default_holidays
from app.store.lifecycle import STATE_LABELS
from app.store.models import utcnow
from sync.protocol import ApplicationPackage
from sync.server import audit
from sync.server.db import in_transaction
from sync.server.errors import ConflictError, NotFoundError, ServerError
from sync.server.feed import add_event, lock_outpost
from sync.server.keys import read_package
from sync.server.models import Application, Submission
from sync.server.models import Conflict as ParkedConflict
from sync.server.reference import Reference
from sync.server.search import name_key
from sync.server.validation import validate

DECISIONS: dict[str, str] = {
    "accept": "Terima versi masuk sebagai revisi berikutnya",
    "keep": "Pertahankan versi yang sudah ada",
    "duplicate": "Tandai sebagai kiriman ganda",
}


def resolve(conflict_id: int, decision: str, actor: str, reference: Reference, today: dt.date, note: str = "") -> str:
    """Settle one parked conflict; returns what was done, in Bahasa Indonesia."""
    if decision not in DECISIONS:
        raise ServerError(f"Keputusan '{decision}' tidak dikenal. Pilih: {', '.join(DECISIONS)}.")
    found = ParkedConflict.get_or_none(ParkedConflict.id == conflict_id)
    if found is None:
        raise NotFoundError(f"Konflik {conflict_id} tidak ada.")
    package = ApplicationPackage.model_validate_json(read_package(found))
    reasons = validate(package, reference, min(package.submitted_at.date(), today)) if decision == "accept" else []
    if reasons:
        raise ServerError(
            "Versi masuk tidak lolos pemeriksaan otomatis ("
            + "; ".join(r.message for r in reasons[:3])
            + "). Pilih 'Pertahankan versi yang sudah ada' dan minta desa mengirim perbaikan.",
            code="conflict_invalid",
        )

    def run() -> str:
        lock_outpost(found.outpost.id)
        conflict = ParkedConflict.get_by_id(conflict_id)
        if conflict.resolved_at is not None:
            raise ConflictError(f"Konflik ini sudah diselesaikan ({conflict.resolution}).", code="already_processed")
        application = Application.get_or_none(
            (Application.client_id == conflict.client_id) & (Application.outpost == conflict.outpost)
        )
        if decision == "accept" and application is None:
            raise ServerError(
                "Versi masuk tidak dapat diterima: permohonan ini tercatat atas pos pelayanan lain. Pilih "
                "'Pertahankan versi yang sudah ada'.",
                code="conflict_foreign",
            )
        now = utcnow()
        replaced = ""
        if decision == "accept" and application is not None:
            # The incoming package keeps the revision number the outpost gave it, so both sides go on
            # counting the same revisions: a newer one is added, the same one replaces what was stored
            # (the replaced content's hash is kept in the resolution), an older one is refused.
            revision = conflict.revision
            if revision < application.revision:
                raise ServerError(
                    f"Versi masuk adalah revisi {revision}, lebih lama dari revisi {application.revision} yang "
                    "sudah diterima Dinas. Pilih 'Pertahankan versi yang sudah ada'.",
                    code="conflict_older",
                )
            stored = Submission.get_or_none(
                (Submission.client_id == application.client_id) & (Submission.revision == revision)
            )
            taken = Submission.get_or_none(Submission.item_id == conflict.item_id)
            item_id = (
                conflict.item_id
                if taken is None or (stored is not None and taken.id == stored.id)
                else str(uuid.uuid4())
            )
            if stored is not None:
                replaced = stored.content_hash
                Submission.update(
                    item_id=item_id,
                    content_hash=conflict.content_hash,
                    package=conflict.package,
                    outcome="accepted",
                    reasons="[]",
                    device=conflict.device,
                    batch_id=f"conflict-{conflict.id}",
                    received_at=now,
                ).where(Submission.id == stored.id).execute()
            else:
                Submission.create(
                    item_id=item_id,
                    application=application,
                    client_id=application.client_id,
                    revision=revision,
                    content_hash=conflict.content_hash,
                    package=conflict.package,
                    outcome="accepted",
                    reasons="[]",
                    device=conflict.device,
                    batch_id=f"conflict-{conflict.id}",
                    received_at=now,
                )
            try:
                days = reference.catalog.service(package.service_code).sla_days
                due: dt.date | None = add_working_days(today, days, default_holidays())
            except KeyError:
                due = None
            application.revision = revision
            application.state = "received"
            application.service_code = package.service_code
            application.applicant_name = package.applicant.name
            application.applicant_nik = package.applicant.nik
            application.applicant_kk = package.applicant.kk
            application.name_key = name_key(package.applicant.name)
            application.due_date = due
            application.received_at = now
            application.updated_at = now
            application.save()
            told = f"Konflik diselesaikan Dinas: versi kiriman diterima sebagai revisi {revision}" + (
                " (menggantikan isi yang diterima sebelumnya)." if replaced else "."
            )
            add_event(application, "received", actor, note=(told + " " + note).strip())
            outcome = told
        elif application is not None:
            told = (
                "Konflik diselesaikan Dinas: versi yang sudah diterima dipertahankan"
                if decision == "keep"
                else "Konflik diselesaikan Dinas: kiriman ganda, tidak diproses"
            )
            add_event(application, application.state, actor, note=(told + ". " + note).strip())
            outcome = f"{told}. Status tetap '{STATE_LABELS.get(application.state, application.state)}'."
        else:
            outcome = "Konflik ditutup tanpa perubahan permohonan."
        conflict.resolved_at = now
        conflict.resolution = json.dumps(
            {"decision": decision, "by": actor, "note": note[:500], **({"replaced": replaced} if replaced else {})},
            ensure_ascii=True,
        )
        conflict.save()
        audit.record(actor, f"conflict.{decision}", conflict.client_id, {"conflict": conflict.id})
        return outcome

    return in_transaction(run)
