"""A frozen revision read from the local store as the wire package, signed with the device key.

The same revision always gives the same package (sorted documents and pages, the time of its own
submit event), so a package rebuilt after a crash has the same content hash: the server answers
"already accepted" instead of "conflict".
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.applicant_check import ApplicantHeader, header_from_forms
from app.forms import default_registry
from app.forms.pruning import visible_answers
from app.store.applications import facts_of, pages_of
from app.store.models import Answer, Application, OutboxItem, StatusEvent
from sync.protocol import (
    Applicant,
    ApplicationPackage,
    AttachedDocument,
    FormAnswers,
    PageRef,
    signing_payload,
)


class Signer:
    """The device's Ed25519 key (made at enrolment, kept in the encrypted database)."""

    def __init__(self, private_key: bytes) -> None:
        self._key = Ed25519PrivateKey.from_private_bytes(private_key)

    def sign(self, package: ApplicationPackage) -> ApplicationPackage:
        """The package with its signature."""
        signature = self._key.sign(signing_payload(package.model_copy(update={"signature": None})))
        return package.model_copy(update={"signature": base64.b64encode(signature).decode("ascii")})


def _schema_key(form: str, stored: str) -> str:
    """The full `FORM@VERSION` key (answers saved under a bare form id mean the newest local version)."""
    if "@" in stored:
        return stored
    registry = default_registry()
    return registry.get(form).key if form in registry else stored


def _sent_answers(key: str, answers: dict[str, Any], day: dt.date) -> dict[str, Any]:
    """The answers the Dinas receives: those of fields the engine hides left out (app.forms.pruning).

    A hidden field's answer (the outpost's desa carried into an arrival from abroad's origin before the
    abroad switch hid it) is not part of the application: sent, the Dinas would keep it and a print-out
    made from its copy could show it. Pruned here, before the header is taken from the forms and before
    the package is hashed and signed, the Dinas' own evaluation (same engine, same schema version, the
    submission date) sees the same visible fields, so its applicant check and its view agree with the
    outpost's. `day` is the submission date, so a rebuilt package is byte for byte the same.
    """
    registry = default_registry()
    if not isinstance(answers, dict) or key not in registry:
        return answers  # a malformed or unknown form goes as stored: the Dinas reports it
    return visible_answers(registry.get(key), answers, day)


def _submitted_at(item: OutboxItem) -> dt.datetime:
    """The time of the revision's own submit event (the application's, or the item's, when it has none)."""
    application: Application = item.application
    submitted = (
        StatusEvent.select(StatusEvent.at)
        .where(
            (StatusEvent.application == application)
            & (StatusEvent.revision == item.revision)
            & (StatusEvent.state == "submitted")
        )
        .order_by(StatusEvent.id)
        .first()
    )
    at: dt.datetime = submitted.at if submitted is not None else application.submitted_at or item.created_at
    return at


def build_package(item: OutboxItem, signer: Signer | None = None) -> ApplicationPackage:
    """The wire package of one outbox item (its application's frozen revision)."""
    application: Application = item.application
    revision = item.revision
    answers = (
        Answer.select().where((Answer.application == application) & (Answer.revision == revision)).order_by(Answer.form)
    )
    submitted_at = _submitted_at(item)
    forms = []
    for answer in answers:
        key = _schema_key(answer.form, answer.schema_version)
        sent = _sent_answers(key, json.loads(answer.data), submitted_at.date())
        forms.append(FormAnswers(form=answer.form, schema_version=key, answers=sent))
    documents = []
    for document, pages in sorted(
        pages_of(application, revision), key=lambda dp: (dp[0].requirement_id, dp[0].substitute_id, dp[0].id)
    ):
        documents.append(
            AttachedDocument(
                requirement_id=document.requirement_id,
                substitute_id=document.substitute_id,
                document_id=document.document_id,
                pages=[
                    PageRef(
                        sha256=page.blob_hash,
                        size=page.size,
                        position=page.position,
                        media_type=page.media_type,
                        source=page.source,
                        dpi=page.dpi or None,
                        mode=page.mode,
                        width=page.width or None,
                        height=page.height or None,
                    )
                    for page in pages
                ],
            )
        )
    # A NIK or KK given only in a form (the applicant page left it empty) still names the applicant to the Dinas.
    header = header_from_forms(
        ApplicantHeader(application.applicant_name, application.applicant_nik, application.applicant_kk),
        {f.schema_version: f.answers for f in forms},
    )
    package = ApplicationPackage(
        item_id=item.item_id,
        client_id=application.client_id,
        revision=revision,
        service_code=application.service_code,
        applicant=Applicant(name=header.name, nik=header.nik, kk=header.kk),
        site=application.site,
        officer=application.created_by.full_name,
        catalog_version=application.catalog_version,
        submitted_at=submitted_at,
        forms=forms,
        facts=facts_of(application, revision),
        documents=documents,
    )
    return signer.sign(package) if signer is not None else package
