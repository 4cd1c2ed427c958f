"""The officer's lists of applications, the count each list holds, and the sync bar's counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from app.store import outbox
from app.store.models import Application
from app.store.settlement import settlements

# The officer's lists: which states each shows ("today" and "all": every state).
LISTS: dict[str, tuple[str, ...]] = {
    "today": (),
    "draft": ("draft",),
    "waiting": ("submitted",),
    "returned": ("returned",),
    "in_progress": ("received", "verified", "validated", "produced", "signed"),
    "ready": ("ready",),
    "all": (),
}


@dataclass(frozen=True)
class ApplicationRow:
    """What a list shows of one application."""

    client_id: str
    number: str
    service_code: str
    service_title: str
    applicant: str
    nik: str
    state: str
    revision: int
    updated: dt.datetime
    settling: str = ""  # a conflict or a cancellation being settled with the Dinas (short)
    settling_detail: str = ""  # the Dinas' answer and what to do next


@dataclass(frozen=True)
class BarCounts:
    """What the sync bar counts: outbox items the Dinas has not acknowledged, returned and ready applications."""

    waiting: int
    returned: int
    ready: int


@dataclass(frozen=True)
class ListPage:
    """One list as shown: its rows, every list's count (the sidebar) and the sync bar's counts."""

    rows: list[ApplicationRow]
    list_counts: dict[str, int]
    bar: BarCounts


def _in_list(list_id: str) -> Any:
    """The applications of one list, as a query."""
    select = Application.select()
    states = LISTS.get(list_id, ())
    if states:
        select = select.where(Application.state.in_(states))
    if list_id == "today":
        start = dt.datetime.combine(dt.date.today(), dt.time()) - dt.timedelta(hours=12)
        select = select.where(Application.updated_at >= start)
    return select


def list_counts() -> dict[str, int]:
    """How many applications each list holds, for the sidebar."""
    return {list_id: _in_list(list_id).count() for list_id in LISTS}


def bar_counts() -> BarCounts:
    """The sync bar's counts. "Waiting" is every outbox item not acknowledged yet (conflicts included)."""
    by_state = outbox.counts()
    waiting = sum(count for state, count in by_state.items() if state != "acknowledged")
    returned = Application.select().where(Application.state == "returned").count()
    ready = Application.select().where(Application.state == "ready").count()
    return BarCounts(waiting, returned, ready)


def load_rows(list_id: str, query: str, titles: dict[str, str], limit: int = 500) -> list[ApplicationRow]:
    """Read one list, newest change first. `query` matches NIK, KK, name or registration number."""
    select = _in_list(list_id)
    text = query.strip()
    if text:
        digits = "".join(ch for ch in text if ch.isdigit())
        if len(digits) >= 6 and len(digits) == len(text.replace(" ", "").replace(".", "").replace("-", "")):
            select = select.where(
                (Application.applicant_nik.startswith(digits))
                | (Application.applicant_kk.startswith(digits))
                | (Application.registration_number.contains(digits))
            )
        else:
            select = select.where(
                (Application.applicant_name.contains(text))
                | (Application.registration_number.contains(text))
                | (Application.client_id.startswith(text.lower()))
            )
    rows = []
    for app in select.order_by(Application.updated_at.desc()).limit(limit):
        rows.append(
            ApplicationRow(
                client_id=app.client_id,
                number=app.registration_number or app.client_id[:8].upper(),
                service_code=app.service_code,
                service_title=titles.get(app.service_code, app.service_code),
                applicant=app.applicant_name,
                nik=app.applicant_nik,
                state=app.state,
                revision=app.revision,
                updated=app.updated_at,
            )
        )
    found = settlements([row.client_id for row in rows])
    return [
        replace(row, settling=found[row.client_id].label, settling_detail=found[row.client_id].detail)
        if row.client_id in found
        else row
        for row in rows
    ]


def list_page(list_id: str, query: str, titles: dict[str, str]) -> ListPage:
    """One list with the sidebar's and the sync bar's counts, read together."""
    return ListPage(load_rows(list_id, query, titles), list_counts(), bar_counts())
