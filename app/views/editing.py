"""One application as the editor shows it: its current revision's answers, facts, pages and the Dinas' reasons."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.store import applications as apps
from app.store.models import Application
from app.store.status import reasons_of
from app.submission import Attached

__all__ = ["Application", "Bundle", "application", "load_bundle"]  # Application: the record ui/ holds


@dataclass
class Bundle:
    """Everything the editor shows of one application."""

    application: Application
    answers: dict[str, dict[str, object]]
    facts: dict[str, object]
    attached: dict[str, Attached]
    reasons: list[dict[str, str]] = field(default_factory=list)


def application(client_id: str) -> Application:
    """The application with this client id (the record the store's write functions take)."""
    found: Application = Application.get(Application.client_id == client_id)
    return found


def load_bundle(client_id: str) -> Bundle:
    """Read one application's current revision.

    Its reasons are those of the Dinas' latest change (`app.store.status.reasons_of`): only drafts
    open in the editor, and a draft with an earlier revision became one by the Dinas returning it,
    which no later Dinas change follows, so these are the reasons of that return."""
    found = application(client_id)
    attached: dict[str, Attached] = {}
    for document, pages in apps.pages_of(found):
        previous = attached.get(document.requirement_id)
        count = len(pages) + (previous.pages if previous else 0)
        attached[document.requirement_id] = Attached(
            count, document.substitute_id or (previous.substitute_id if previous else "")
        )
    return Bundle(found, apps.answers_of(found), apps.facts_of(found), attached, reasons_of(found))
