"""Work queues and search: which applications each role works on, filtered, sorted and paged in SQL."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import peewee

from sync.server.models import Application, Outpost
from sync.server.search import digits_of, name_key

PAGE_SIZE = 50
SLA_STATES = ("received", "verified", "validated", "produced", "signed")
"""States in which the Dinas still owes work: the SLA clock runs."""
REGISTRATION = re.compile(r"^\d{4}-\d{8}-\d{6}$")


@dataclass(frozen=True)
class Queue:
    """One work queue: a name in the URL, a title, the states it holds and the roles it is for."""

    slug: str
    title: str
    states: tuple[str, ...]
    roles: frozenset[str]
    hint: str = ""


QUEUES: tuple[Queue, ...] = (
    Queue("verifikasi", "Perlu diverifikasi", ("received",), frozenset({"penerima", "verifikator"})),
    Queue("validasi", "Perlu divalidasi", ("verified",), frozenset({"validator"})),
    Queue("cetak", "Perlu dicetak", ("validated",), frozenset({"pencetak"})),
    Queue("tandatangan", "Siap ditandatangani", ("produced",), frozenset({"penandatangan"})),
    Queue("siapkan", "Ditandatangani, siapkan untuk diambil", ("signed",), frozenset({"pencetak"})),
    Queue("diambil", "Siap diambil", ("ready",), frozenset({"loket"})),
    Queue(
        "dikembalikan",
        "Dikembalikan ke desa",
        ("returned",),
        frozenset({"penerima", "verifikator", "validator", "pimpinan", "admin"}),
        "Menunggu perbaikan dari pos pelayanan.",
    ),
    Queue(
        "semua",
        "Semua permohonan",
        (),
        frozenset({"penerima", "verifikator", "validator", "penandatangan", "pencetak", "loket", "pimpinan", "admin"}),
    ),
)

SORTS: dict[str, tuple[str, str]] = {
    "jatuh_tempo": ("Jatuh tempo (terlambat dulu)", ""),
    "terbaru": ("Diterima (terbaru)", ""),
    "terlama": ("Diterima (terlama)", ""),
    "nama": ("Nama pemohon", ""),
}


def queue(slug: str) -> Queue | None:
    """A queue by its URL name."""
    return next((q for q in QUEUES if q.slug == slug), None)


def queues_for(roles: Iterable[str]) -> list[Queue]:
    """The queues someone with these roles works on, in workflow order."""
    have = set(roles)
    return [q for q in QUEUES if q.roles & have]


@dataclass(frozen=True)
class Filters:
    """What a queue page is narrowed by (all optional)."""

    outpost: str = ""
    kecamatan: str = ""
    service: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: str = "jatuh_tempo"
    page: int = 1


@dataclass(frozen=True)
class Row:
    """One application in a list."""

    registration_number: str
    client_id: str
    service_code: str
    applicant_name: str
    applicant_nik: str
    outpost_code: str
    outpost_name: str
    state: str
    revision: int
    received_at: dt.datetime
    due_date: dt.date | None
    overdue: bool
    due_today: bool

    @property
    def key(self) -> str:
        """How the application page is addressed."""
        return self.registration_number or self.client_id


@dataclass(frozen=True)
class Page:
    """One page of a list, with how many there are in all."""

    rows: list[Row]
    total: int
    page: int
    pages: int
    filters: Filters = field(default_factory=Filters)


def _scoped(query: peewee.ModelSelect[Any], scope: tuple[str, ...]) -> peewee.ModelSelect[Any]:
    return query.where(Outpost.kecamatan.in_(scope)) if scope else query


def _applications(query: peewee.ModelSelect[Any]) -> Iterator[Application]:
    rows: Iterator[Application] = iter(query)
    return rows


def _pairs(query: peewee.ModelSelect[Any]) -> dict[str, int]:
    return {str(state): int(n) for state, n in query.tuples()}


def _row(a: Application, today: dt.date) -> Row:
    due: dt.date | None = a.due_date
    running = a.state in SLA_STATES and due is not None
    return Row(
        registration_number=a.registration_number or "",
        client_id=a.client_id,
        service_code=a.service_code,
        applicant_name=a.applicant_name,
        applicant_nik=a.applicant_nik,
        outpost_code=a.outpost.code,
        outpost_name=a.outpost.name,
        state=a.state,
        revision=a.revision,
        received_at=a.received_at,
        due_date=a.due_date,
        overdue=running and due is not None and due < today,
        due_today=running and due == today,
    )


def _base() -> peewee.ModelSelect[Any]:
    return Application.select(
        Application.id,
        Application.registration_number,
        Application.client_id,
        Application.service_code,
        Application.applicant_name,
        Application.applicant_nik,
        Application.state,
        Application.revision,
        Application.received_at,
        Application.due_date,
        Outpost.code,
        Outpost.name,
    ).join(Outpost)


def list_queue(q: Queue, filters: Filters, scope: tuple[str, ...], today: dt.date) -> Page:
    """A page of a queue: filtered, sorted (overdue first by default), `PAGE_SIZE` rows."""
    query = _scoped(_base(), scope)
    if q.states:
        query = query.where(Application.state.in_(q.states))
    if filters.outpost:
        query = query.where(Outpost.code == filters.outpost)
    if filters.kecamatan:
        query = query.where(Outpost.kecamatan == filters.kecamatan)
    if filters.service:
        query = query.where(Application.service_code == filters.service)
    if filters.date_from:
        query = query.where(Application.received_at >= dt.datetime.combine(filters.date_from, dt.time()))
    if filters.date_to:
        end = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time())
        query = query.where(Application.received_at < end)
    total = query.count()
    order = {
        "jatuh_tempo": (Application.due_date.asc(nulls="LAST"), Application.received_at.asc(), Application.id),
        "terbaru": (Application.received_at.desc(), Application.id.desc()),
        "terlama": (Application.received_at.asc(), Application.id),
        "nama": (Application.name_key.asc(), Application.id),
    }.get(filters.sort) or (Application.due_date.asc(nulls="LAST"), Application.received_at.asc(), Application.id)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, filters.page), pages)
    rows = query.order_by(*order).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    return Page([_row(a, today) for a in _applications(rows)], total, page, pages, filters)


def counts(scope: tuple[str, ...], today: dt.date) -> tuple[dict[str, int], dict[str, int]]:
    """Applications per state, and overdue ones per state, for the queue menu (two grouped queries)."""
    grouped = Application.select(Application.state, peewee.fn.COUNT(Application.id))
    if scope:  # the join only when it narrows: unscoped counts are read from the (state, ...) index alone
        grouped = _scoped(grouped.join(Outpost), scope)
    per_state = _pairs(grouped.group_by(Application.state))
    overdue = _pairs(
        grouped.where(Application.state.in_(SLA_STATES) & (Application.due_date < today)).group_by(Application.state)
    )
    return per_state, overdue


def queue_count(q: Queue, per_state: dict[str, int]) -> int:
    """How many applications a queue holds, from the per-state counts."""
    if not q.states:
        return sum(per_state.values())
    return sum(per_state.get(s, 0) for s in q.states)


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search(text: str, scope: tuple[str, ...], today: dt.date, limit: int = PAGE_SIZE) -> tuple[str, list[Row]]:
    """Applications matching a NIK, Nomor KK, registration number or the start of a name; and what was searched."""
    typed = text.strip()
    query = _scoped(_base(), scope)
    if REGISTRATION.match(typed):
        kind = "nomor registrasi"
        query = query.where(Application.registration_number == typed)
    elif typed and len(digits_of(typed)) == 16 and not re.search(r"[A-Za-z]", typed):
        number = digits_of(typed)
        kind = "NIK atau Nomor KK"
        query = query.where((Application.applicant_nik == number) | (Application.applicant_kk == number))
    else:
        key = name_key(typed)
        if len(key) < 2:
            return "nama", []
        kind = "awal nama"
        # Plain LIKE (not peewee's ILIKE on PostgreSQL): name_key is upper case already, and a
        # text_pattern_ops index serves a case-sensitive prefix.
        query = query.where(
            peewee.NodeList((Application.name_key, peewee.SQL("LIKE"), _like_prefix(key), peewee.SQL("ESCAPE '\\'")))
        )
    rows = query.order_by(Application.received_at.desc(), Application.id.desc()).limit(limit)
    return kind, [_row(a, today) for a in _applications(rows)]
