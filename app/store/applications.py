"""Applications in the local store: drafts that autosave, attached pages, submit, amend, cancel.

Every change is one transaction, and every state change writes an audit entry in that same
transaction. A page's blob is written durably before the row that points to it commits.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Mapping, Sequence

from app.store import audit
from app.store.db import guarded
from app.store.errors import StateError
from app.store.lifecycle import check_transition
from app.store.models import (
    Answer,
    Application,
    AttachedDocument,
    Facts,
    OutboxItem,
    Page,
    StatusEvent,
    utcnow,
)
from app.store.store import Store

EDITABLE = frozenset({"draft"})
log = logging.getLogger("loket.store")


def create_draft(
    store: Store,
    service_code: str,
    *,
    applicant_name: str = "",
    applicant_nik: str = "",
    applicant_kk: str = "",
    site: str = "",
    client_id: str | None = None,
    catalog_version: str | None = None,
) -> Application:
    """Start a new application (revision 1, state draft) on `catalog_version` (default: the newest here)."""
    store.require("capture", "membuat permohonan")
    if catalog_version is None:
        from app.reference import library_at  # noqa: PLC0415 - the catalogue loads only when a draft starts

        catalog_version = library_at(store.paths.reference).newest().version

    def create() -> Application:
        with store.db.atomic():
            application = Application.create(
                client_id=client_id or str(uuid.uuid4()),
                service_code=service_code,
                state="draft",
                revision=1,
                applicant_name=applicant_name,
                applicant_nik=applicant_nik,
                applicant_kk=applicant_kk,
                site=site,
                created_by=store.officer,
                catalog_version=catalog_version,
            )
            StatusEvent.create(application=application, revision=1, state="draft", officer=store.officer.username)
            audit.append(store.officer.username, "application.create", application.client_id, {"service": service_code})
            return application

    application = guarded(create)
    log.info("application %s created (service %s)", application.client_id, service_code)
    return application


def last_draft(store: Store) -> Application | None:
    """The draft the logged-in officer touched last, to reopen it where it was after a restart."""
    found: Application | None = (
        Application.select()
        .where((Application.state == "draft") & (Application.created_by == store.officer))
        .order_by(Application.updated_at.desc())
        .first()
    )
    return found


def _editable(application: Application) -> None:
    if application.state not in EDITABLE:
        raise StateError(
            "Permohonan ini sudah dikirim dan tidak dapat diubah. Bila Dinas mengembalikannya, buat perbaikan "
            "(revisi baru) dari daftar permohonan dikembalikan."
        )


def save_answers(store: Store, application: Application, form_key: str, data: Mapping[str, object]) -> None:
    """Persist one form's answers of the current revision (called debounced as the officer types)."""
    _editable(application)
    form, _, version = form_key.partition("@")
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)

    def save() -> None:
        with store.db.atomic():
            Answer.insert(
                application=application,
                revision=application.revision,
                form=form,
                schema_version=form_key if version else form,
                data=text,
                updated_at=utcnow(),
            ).on_conflict(
                conflict_target=[Answer.application, Answer.revision, Answer.form],
                update={Answer.data: text, Answer.schema_version: form_key, Answer.updated_at: utcnow()},
            ).execute()
            Application.update(updated_at=utcnow(), current_form=form).where(Application.id == application.id).execute()

    guarded(save)
    log.debug("answers saved: application %s form %s (%d bytes)", application.client_id, form_key, len(text))


def save_applicant(store: Store, application: Application, *, name: str, nik: str = "", kk: str = "") -> None:
    """Update who the application is for (shown in the lists and used for search)."""
    _editable(application)

    def save() -> None:
        with store.db.atomic():
            Application.update(applicant_name=name, applicant_nik=nik, applicant_kk=kk, updated_at=utcnow()).where(
                Application.id == application.id
            ).execute()

    guarded(save)
    application.applicant_name, application.applicant_nik, application.applicant_kk = name, nik, kk


def save_facts(store: Store, application: Application, facts: Mapping[str, object]) -> None:
    """Persist the answers to the service's case questions."""
    _editable(application)
    text = json.dumps(facts, ensure_ascii=False, sort_keys=True)

    def save() -> None:
        with store.db.atomic():
            Facts.insert(application=application, revision=application.revision, data=text).on_conflict(
                conflict_target=[Facts.application, Facts.revision], update={Facts.data: text}
            ).execute()

    guarded(save)


def answers_of(application: Application, revision: int | None = None) -> dict[str, dict[str, object]]:
    """The saved answers of a revision, by form id, as the catalogue checklist expects them."""
    wanted = application.revision if revision is None else revision
    rows = Answer.select().where((Answer.application == application) & (Answer.revision == wanted))
    return {row.form: json.loads(row.data) for row in rows}


def schema_versions_of(application: Application, revision: int | None = None) -> dict[str, str]:
    """Which schema version each form's answers were given under."""
    wanted = application.revision if revision is None else revision
    rows = Answer.select().where((Answer.application == application) & (Answer.revision == wanted))
    return {row.form: row.schema_version for row in rows}


def facts_of(application: Application, revision: int | None = None) -> dict[str, object]:
    """The saved case facts of a revision."""
    wanted = application.revision if revision is None else revision
    row = Facts.get_or_none((Facts.application == application) & (Facts.revision == wanted))
    return json.loads(row.data) if row is not None else {}


def attach_page(
    store: Store,
    application: Application,
    requirement_id: str,
    data: bytes,
    *,
    media_type: str,
    substitute_id: str = "",
    document_id: str = "",
    source: str = "file",
    dpi: int | None = None,
    mode: str = "",
    width: int | None = None,
    height: int | None = None,
    checks: Mapping[str, object] | None = None,
) -> Page:
    """Store one page for a requirement: blob first (durable), then the row in one transaction."""
    _editable(application)
    digest = store.blobs.put(data)

    def attach() -> Page:
        with store.db.atomic():
            document = AttachedDocument.get_or_none(
                (AttachedDocument.application == application)
                & (AttachedDocument.revision == application.revision)
                & (AttachedDocument.requirement_id == requirement_id)
                & (AttachedDocument.substitute_id == substitute_id)
            )
            if document is None:
                document = AttachedDocument.create(
                    application=application,
                    revision=application.revision,
                    requirement_id=requirement_id,
                    substitute_id=substitute_id,
                    document_id=document_id,
                )
            position = Page.select().where(Page.document == document).count() + 1
            return Page.create(
                document=document,
                position=position,
                blob_hash=digest,
                size=len(data),
                media_type=media_type,
                source=source,
                dpi=dpi,
                mode=mode,
                width=width,
                height=height,
                checks=json.dumps(dict(checks or {}), ensure_ascii=False),
            )

    page = guarded(attach)
    log.debug("page %s attached to application %s (%d bytes)", digest[:12], application.client_id, len(data))
    return page


def pages_of(application: Application, revision: int | None = None) -> list[tuple[AttachedDocument, list[Page]]]:
    """The attached documents of a revision with their pages in order."""
    wanted = application.revision if revision is None else revision
    documents = AttachedDocument.select().where(
        (AttachedDocument.application == application) & (AttachedDocument.revision == wanted)
    )
    return [(doc, list(Page.select().where(Page.document == doc).order_by(Page.position))) for doc in documents]


def submit(store: Store, application: Application, acknowledged_warnings: Sequence[str] = ()) -> OutboxItem:
    """Freeze the current revision and queue it for the Dinas (the caller has checked it is complete)."""
    store.require("submit", "mengirim permohonan")
    check_transition(application.state, "submitted")
    _not_cancelling(application)

    def run() -> OutboxItem:
        with store.db.atomic():
            now = utcnow()
            Application.update(state="submitted", submitted_at=now, updated_at=now).where(
                Application.id == application.id
            ).execute()
            StatusEvent.create(
                application=application,
                revision=application.revision,
                state="submitted",
                officer=store.officer.username,
            )
            item = OutboxItem.create(application=application, revision=application.revision, item_id=str(uuid.uuid4()))
            details: dict[str, object] = {"revision": application.revision}
            if acknowledged_warnings:
                details["acknowledged_warnings"] = list(acknowledged_warnings)
            audit.append(store.officer.username, "application.submit", application.client_id, details)
            return item

    item = guarded(run)
    application.state = "submitted"
    log.info(
        "application %s revision %d submitted (outbox item %s)",
        application.client_id,
        application.revision,
        item.item_id,
    )
    return item


def amend(store: Store, application: Application) -> Application:
    """Start a new revision of a returned application, copying its answers and pages."""
    store.require("capture", "memperbaiki permohonan")
    check_transition(application.state, "draft")
    _not_cancelling(application)
    old, new = application.revision, application.revision + 1

    def run() -> None:
        with store.db.atomic():
            for answer in Answer.select().where((Answer.application == application) & (Answer.revision == old)):
                Answer.create(
                    application=application,
                    revision=new,
                    form=answer.form,
                    schema_version=answer.schema_version,
                    data=answer.data,
                )
            facts = Facts.get_or_none((Facts.application == application) & (Facts.revision == old))
            if facts is not None:
                Facts.create(application=application, revision=new, data=facts.data)
            for document, pages in pages_of(application, old):
                copy = AttachedDocument.create(
                    application=application,
                    revision=new,
                    requirement_id=document.requirement_id,
                    substitute_id=document.substitute_id,
                    document_id=document.document_id,
                )
                for page in pages:
                    Page.create(
                        document=copy,
                        position=page.position,
                        blob_hash=page.blob_hash,
                        size=page.size,
                        media_type=page.media_type,
                        source=page.source,
                        dpi=page.dpi,
                        mode=page.mode,
                        width=page.width,
                        height=page.height,
                        checks=page.checks,
                    )
            Application.update(state="draft", revision=new, updated_at=utcnow()).where(
                Application.id == application.id
            ).execute()
            StatusEvent.create(application=application, revision=new, state="draft", officer=store.officer.username)
            audit.append(store.officer.username, "application.amend", application.client_id, {"revision": new})

    guarded(run)
    application.state, application.revision = "draft", new
    return application


def _not_cancelling(application: Application) -> None:
    from app.store.settlement import check_not_cancelling  # noqa: PLC0415 - settlement builds on this module

    check_not_cancelling(application)


def cancel(store: Store, application: Application, reason: str) -> None:
    """Cancel an application (a submitted one only by a supervisor, before the Dinas has received it)."""
    if not reason.strip():
        raise StateError("Alasan pembatalan wajib diisi. Tulis mengapa permohonan ini dibatalkan.")
    if application.state != "draft":
        store.require("cancel", "membatalkan permohonan yang sudah dikirim")
    check_transition(application.state, "cancelled")

    def run() -> None:
        with store.db.atomic():
            Application.update(state="cancelled", updated_at=utcnow()).where(Application.id == application.id).execute()
            OutboxItem.delete().where(
                (OutboxItem.application == application) & (OutboxItem.state == "pending")
            ).execute()
            StatusEvent.create(
                application=application,
                revision=application.revision,
                state="cancelled",
                reasons=json.dumps([{"message": reason}], ensure_ascii=False),
                officer=store.officer.username,
            )
            audit.append(
                store.officer.username, "application.cancel", application.client_id, {"reason": reason.strip()}
            )

    guarded(run)
    application.state = "cancelled"
