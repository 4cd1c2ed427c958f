"""What support staff read from an unlocked store: applications, pages, reasons, the outbox, the server's answers.

Plain data (JSON-able dicts) for `loket-admin applications list|show` and `outbox`; the texts are
made by the command line.
"""

from __future__ import annotations

import json
from typing import Any

from app.errors import KnownError
from app.store.lifecycle import STATE_LABELS
from app.store.models import Application, AttachedDocument, OutboxItem, Page, StatusEvent

MIN_PREFIX = 8  # the shortest client-id prefix `applications show` accepts


class ApplicationNotFoundError(KnownError):
    """No application, or more than one, matches what support typed."""


def _iso(moment: Any) -> str | None:
    return None if moment is None else str(moment.isoformat(timespec="seconds"))


def _json(text: str, empty: Any) -> Any:
    try:
        return json.loads(text) if text else empty
    except ValueError:
        return empty


def outbox_row(item: OutboxItem) -> dict[str, object]:
    """One outbox item with its application's registration number and the server's answer."""
    application: Application = item.application
    return {
        "item": item.item_id,
        "application": application.client_id,
        "registration_number": application.registration_number,
        "service": application.service_code,
        "revision": item.revision,
        "state": item.state,
        "attempts": item.attempts,
        "last_error": item.last_error,
        "server_answer": _json(item.server_ack, None),
        "created_at": _iso(item.created_at),
        "updated_at": _iso(item.updated_at),
    }


def outbox_rows() -> list[dict[str, object]]:
    """Every outbox item, oldest first."""
    query = OutboxItem.select(OutboxItem, Application).join(Application).order_by(OutboxItem.created_at)
    return [outbox_row(item) for item in query]


def _latest_outbox(application: Application) -> OutboxItem | None:
    item: OutboxItem | None = (
        OutboxItem.select()
        .where(OutboxItem.application == application)
        .order_by(OutboxItem.revision.desc(), OutboxItem.created_at.desc())
        .first()
    )
    return item


def _dinas_reasons(application: Application) -> list[dict[str, str]]:
    """The reasons of the Dinas' latest decision about the current revision (returned, rejected)."""
    event: StatusEvent | None = (
        StatusEvent.select()
        .where((StatusEvent.application == application) & (StatusEvent.source == "dinas"))
        .order_by(StatusEvent.at.desc(), StatusEvent.id.desc())
        .first()
    )
    if event is None:
        return []
    reasons = _json(event.reasons, [])
    return [{str(k): str(v) for k, v in r.items()} for r in reasons if isinstance(r, dict)]


def _page_count(application: Application) -> int:
    count: int = (
        Page.select()
        .join(AttachedDocument)
        .where((AttachedDocument.application == application) & (AttachedDocument.revision == application.revision))
        .count()
    )
    return count


def application_row(application: Application) -> dict[str, object]:
    """The summary of one application: state, registration number, reasons, pages, outbox and answer."""
    item = _latest_outbox(application)
    return {
        "client_id": application.client_id,
        "registration_number": application.registration_number,
        "service": application.service_code,
        "state": application.state,
        "state_label": STATE_LABELS.get(application.state, application.state),
        "revision": application.revision,
        "site": application.site,
        "created_at": _iso(application.created_at),
        "submitted_at": _iso(application.submitted_at),
        "updated_at": _iso(application.updated_at),
        "pages": _page_count(application),
        "reasons": _dinas_reasons(application),
        "outbox_state": item.state if item is not None else None,
        "outbox_error": item.last_error if item is not None else "",
        "server_answer": _json(item.server_ack, None) if item is not None else None,
    }


def application_rows(state: str | None, limit: int, offset: int) -> tuple[list[dict[str, object]], int]:
    """A page of applications, most recently changed first, and how many there are in all."""
    query = Application.select()
    if state:
        query = query.where(Application.state == state)
    total: int = query.count()
    page = query.order_by(Application.updated_at.desc(), Application.id.desc()).limit(limit).offset(offset)
    return [application_row(a) for a in page], total


def find_application(reference: str) -> Application:
    """An application by registration number, client id, or a client-id prefix of 8 characters or more."""
    text = reference.strip()
    found: Application | None = Application.get_or_none(
        (Application.registration_number == text) | (Application.client_id == text)
    )
    if found is not None:
        return found
    if len(text) >= MIN_PREFIX:
        matches = list(Application.select().where(Application.client_id.startswith(text)).limit(2))
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise ApplicationNotFoundError(f"Lebih dari satu permohonan berawalan '{text}'; ketik lebih panjang.")
    raise ApplicationNotFoundError(
        f"Permohonan '{text}' tidak ada: ketik nomor registrasi, atau id permohonan (minimal {MIN_PREFIX} karakter)."
    )


def application_detail(application: Application) -> dict[str, object]:
    """One application in full: the summary, its history, its pages and every outbox item."""
    data = application_row(application)
    data["applicant_name"] = application.applicant_name
    data["catalog_version"] = application.catalog_version
    data["history"] = [
        {
            "at": _iso(e.at),
            "state": e.state,
            "revision": e.revision,
            "source": e.source,
            "officer": e.officer,
            "reasons": _json(e.reasons, []),
        }
        for e in StatusEvent.select()
        .where(StatusEvent.application == application)
        .order_by(StatusEvent.at, StatusEvent.id)
    ]
    pages: list[dict[str, object]] = []
    documents = (
        AttachedDocument.select()
        .where((AttachedDocument.application == application) & (AttachedDocument.revision == application.revision))
        .order_by(AttachedDocument.requirement_id, AttachedDocument.id)
    )
    for document in documents:
        for page in Page.select().where(Page.document == document).order_by(Page.position):
            pages.append(
                {
                    "requirement_id": document.requirement_id,
                    "substitute_id": document.substitute_id,
                    "position": page.position,
                    "source": page.source,
                    "media_type": page.media_type,
                    "size": page.size,
                    "dpi": page.dpi,
                    "sha256": page.blob_hash,
                }
            )
    data["page_list"] = pages
    data["outbox"] = [
        outbox_row(item)
        for item in OutboxItem.select(OutboxItem, Application)
        .join(Application)
        .where(OutboxItem.application == application)
        .order_by(OutboxItem.created_at)
    ]
    return data


__all__ = [
    "ApplicationNotFoundError",
    "application_detail",
    "application_row",
    "application_rows",
    "find_application",
    "outbox_row",
    "outbox_rows",
]
