"""Benchmark of the Dinas back office on PostgreSQL at production size: 200,000 applications of 236 outposts in
19 kecamatan of Kabupaten Ngawi (35.21), received over the last 12 months, one submitted package each with
~5 scanned pages' metadata (1,000,000 pages in all) and the status events of their lifecycle.

The data is bulk loaded with COPY into a throwaway cluster (secondary indexes dropped during the load and
made again by `sync.server.db.bind`, then VACUUM ANALYZE as autovacuum would have done). Pages are then
requested through the real ASGI app (`create_app` under Starlette's TestClient) as a signed-in staff member
with a browser session, and the server time of each request is measured (p95 and median of RUNS requests
after WARMUP): queue pages, the application page (which writes its audit entry), NIK and name-prefix search,
and the daily register of one kecamatan-day.

Run only this benchmark with `python -m tests.bench.bench_backoffice`; `LOKET_BENCH_APPLICATIONS=20000`
makes a smaller data set for a quick look (the budgets are for 200,000).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import peewee
import psycopg
from fastapi.testclient import TestClient

from app.catalog import Service, checklist
from app.demo import names
from app.demo.answers import build_case
from app.demo.people import PeopleGenerator
from app.demo.populate import DEFAULT_WEIGHT, SERVICE_WEIGHTS
from app.printing.workdays import HolidayCalendar, add_working_days, default_holidays
from sync.protocol import ApplicationPackage, AttachedDocument, FormAnswers, PageRef
from sync.server.api import ServerConfig, create_app
from sync.server.backoffice import sessions
from sync.server.backoffice.context import today as dinas_today
from sync.server.db import bind, open_database
from sync.server.models import Application, Counter, Device, Event, Outpost, Submission, database_proxy
from sync.server.reference import Reference
from sync.server.roles import ROLES
from sync.server.search import name_key
from sync.server.staff import add_staff
from tests.helpers.pg import Postgres

KABUPATEN = "35.21"
APPLICATIONS = int(os.environ.get("LOKET_BENCH_APPLICATIONS", "200000"))
OUTPOSTS = 236
PAGES_PER_APPLICATION = 5
TEMPLATES = 160
NAME_POOL = 40_000
CHUNK = 10_000
RUNS = 30
WARMUP = 5
SEED = 2026
STAFF = "bench.pimpinan"
PASSWORD = "Bench-Loket-2026!"
SYSTEM_ACTOR = "sistem"

BUDGETS_MS = {"queue": 150.0, "application": 200.0, "nik": 50.0, "name": 150.0, "register": 300.0}

# Applications still in the Dinas' hands (or back at the outpost) at 200,000 in all; the rest were handed over.
# Each state is drawn from the applications received in its last N working days.
WORK_STATES: tuple[tuple[str, int, int], ...] = (
    ("received", 5000, 10),
    ("verified", 3500, 14),
    ("validated", 3000, 18),
    ("produced", 2500, 22),
    ("signed", 2000, 26),
    ("ready", 6000, 45),
    ("returned", 3000, 80),
    ("rejected", 1200, 400),
)
PATH = ("received", "verified", "validated", "produced", "signed", "ready", "handed_over")
STEP_ACTORS = {
    "verified": "staf:verifikator1",
    "validated": "staf:validator1",
    "produced": "staf:pencetak1",
    "signed": "staf:kadis",
    "ready": "staf:pencetak1",
    "handed_over": "staf:loket1",
    "returned": "staf:verifikator1",
    "rejected": "staf:validator1",
}
RETURN_REASONS = '[{"path": "", "requirement": "kk", "code": "", "message": "KK buram, pindai ulang."}]'

# Placeholders put into a template package, then replaced per application.
_ITEM = "11111111-1111-4111-8111-111111111111"
_CLIENT = "22222222-2222-4222-8222-222222222222"
_NAME = "ZQNAMEQZ"
_NIK = "ZQNIKQZ"
_KK = "ZQKKQZ"
_SUBMITTED = "2001-02-03T04:05:06Z"
_PAGE = "e" * 56  # + 8 hex digits: the page's number in the template


def _p95(samples: Sequence[float]) -> float:
    """95th percentile."""
    return statistics.quantiles(samples, n=20)[18]


def _log(message: str) -> None:
    print(f"  [backoffice] {message}", file=sys.stderr, flush=True)


# -- templates: real demo packages with holes for what differs per application -------------------------------------
@dataclass(frozen=True)
class Template:
    """A demo package as JSON text split at its placeholders: literal text and slot names alternate."""

    service_code: str
    sla_days: int
    parts: tuple[str, ...]
    pages: int

    def fill(self, values: dict[str, str], pages: Sequence[str]) -> str:
        """The package text with this application's values (already escaped for COPY's text format)."""
        out: list[str] = []
        for index, part in enumerate(self.parts):
            if index % 2 == 0:
                out.append(part)
            elif part.startswith(_PAGE):
                out.append(pages[int(part[len(_PAGE) :], 16)])
            else:
                out.append(values[part])
        return "".join(out)


_SLOTS = re.compile("(" + "|".join(re.escape(s) for s in (_ITEM, _CLIENT, _NAME, _NIK, _KK, _SUBMITTED)) + "|"
                    + _PAGE + "[0-9a-f]{8})")  # fmt: skip


def _template(service: Service, people: PeopleGenerator, rng: random.Random, day: dt.date) -> Template:
    """One application's package as an outpost sends it, ~PAGES_PER_APPLICATION pages over its documents."""
    reference = _reference_cache.setdefault("r", Reference.load())
    case = build_case(service, people)
    applying = [i for i in checklist(service, case.catalog_answers(), reference.forms, day) if i.applies]
    per_document = [0] * max(1, len(applying))
    for n in range(max(PAGES_PER_APPLICATION, len(applying))):
        per_document[n % len(per_document)] += 1
    documents: list[AttachedDocument] = []
    page_number = 0
    for item, count in zip(applying, per_document, strict=False):
        requirement = item.requirement
        substitute = next((s for s in requirement.substitutes if s.id == case.substitutes.get(requirement.id)), None)
        document = substitute.documents[0] if substitute is not None else requirement.document
        pages = []
        for position in range(1, count + 1):
            photo = rng.random() < 0.2
            pages.append(
                PageRef(
                    sha256=f"{_PAGE}{page_number:08x}",
                    size=rng.randint(90_000, 150_000) if photo else rng.randint(25_000, 60_000),
                    position=position,
                    media_type="image/webp" if photo else "image/tiff",
                    source=rng.choice(("scanner", "scanner", "camera")),
                    dpi=200,
                    mode="color" if photo else "bilevel",
                    width=1654,
                    height=2339,
                )
            )
            page_number += 1
        documents.append(
            AttachedDocument(
                requirement_id=requirement.id,
                substitute_id=substitute.id if substitute is not None else "",
                document_id=document.id,
                pages=pages,
            )
        )
    package = ApplicationPackage.model_validate(
        {
            "item_id": _ITEM,
            "client_id": _CLIENT,
            "revision": 1,
            "service_code": service.code,
            "applicant": {"name": _NAME, "nik": _NIK, "kk": _KK},
            "site": "",
            "submitted_at": dt.datetime(2001, 2, 3, 4, 5, 6, tzinfo=dt.UTC),
            "forms": [
                FormAnswers(form=form, schema_version=reference.forms.get(form).key, answers=answers)
                for form, answers in case.forms.items()
            ],
            "facts": case.facts,
            "documents": documents,
            "signature": secrets.token_urlsafe(64)[:86].replace("-", "+").replace("_", "/") + "==",
        }
    )
    text = _copy_escape(package.model_dump_json())
    return Template(service.code, service.sla_days, tuple(_SLOTS.split(text)), page_number)


_reference_cache: dict[str, Any] = {}


def templates(day: dt.date, rng: random.Random) -> tuple[list[Template], list[float]]:
    """TEMPLATES packages over the catalogue, and how often to use each: the demo data's service weights."""
    reference = _reference_cache.setdefault("r", Reference.load())
    services = list(reference.catalog.services)
    weights = [SERVICE_WEIGHTS.get(s.number, DEFAULT_WEIGHT) for s in services]
    people = PeopleGenerator(SEED, kabupaten=KABUPATEN, today=day)
    chosen = services + rng.choices(services, weights, k=TEMPLATES - len(services))  # every service at least once
    return [_template(service, people, rng, day) for service in chosen], weights_for(chosen, services, weights)


def weights_for(chosen: list[Service], services: list[Service], weights: list[float]) -> list[float]:
    """Template weights so that services come out in the demo's proportions (one template each counts once)."""
    per_service = {s.code: w for s, w in zip(services, weights, strict=True)}
    copies: dict[str, int] = {}
    for s in chosen:
        copies[s.code] = copies.get(s.code, 0) + 1
    return [per_service[s.code] / copies[s.code] for s in chosen]


def _copy_escape(text: str) -> str:
    """Text for COPY's text format (backslash, tab, newline, carriage return escaped)."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


# -- the data set -------------------------------------------------------------------------------------------------
@dataclass
class DataSet:
    """What was loaded, and what the measures pick from."""

    applications: int = 0
    pages: int = 0
    events: int = 0
    package_bytes: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    niks: list[str] = field(default_factory=list)  # sample
    kecamatan: list[str] = field(default_factory=list)
    register_days: list[dt.date] = field(default_factory=list)


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


class _Loader:
    """COPY rows into a model's table in chunks of CHUNK lines.

    Columns the caller does not give are filled with the model's Python-side default when they have one
    (peewee defaults are not in the schema), so columns added to the models later still load.
    """

    def __init__(self, cursor: Any, model: type[peewee.Model], columns: Sequence[str]) -> None:
        self.cursor = cursor
        extra: list[str] = []
        tail: list[str] = []
        for column, spec in model._meta.columns.items():
            if column in columns or spec.default is None:
                continue
            default = spec.default() if callable(spec.default) else spec.default
            extra.append(column)
            tail.append(_text(default))
        self.tail = "".join("\t" + t for t in tail)
        names = ", ".join(f'"{c}"' for c in (*columns, *extra))
        self.statement = f'COPY "{model._meta.table_name}" ({names}) FROM STDIN'
        self.lines: list[str] = []

    def add(self, *values: object) -> None:
        """One row; None becomes NULL (`str` values must already be escaped for COPY's text format)."""
        self.lines.append("\t".join(_text(v) for v in values) + self.tail)
        if len(self.lines) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        """Send what is buffered."""
        if self.lines:
            with self.cursor.copy(self.statement) as copy:
                copy.write("\n".join(self.lines) + "\n")
            self.lines = []


def _text(value: object) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime):
        return _stamp(value)
    return str(value)


def _working_days_back(day: dt.date, count: int, holidays: HolidayCalendar) -> list[dt.date]:
    """The `count` working days up to and including `day`, newest first."""
    days: list[dt.date] = []
    current = day
    while len(days) < count:
        if holidays.is_working_day(current):
            days.append(current)
        current -= dt.timedelta(days=1)
    return days


def _names(rng: random.Random) -> list[str]:
    """A pool of plausible applicant names (cultures, religions and sexes in the demo's proportions)."""
    pool = []
    for _ in range(NAME_POOL):
        culture = names.pick_culture(rng)
        religion = names.pick_religion(rng, culture)
        pool.append(names.person_name(rng, culture, rng.choice((1, 2)), religion, rng.randint(1940, 2024)))
    return pool


def _states(days: list[dt.date], rng: random.Random) -> list[str]:
    """The current state of each application (indexed like `days`, newest first)."""
    scale = APPLICATIONS / 200_000
    states = ["handed_over"] * len(days)
    recent = sorted(set(days), reverse=True)
    for state, quota, window in WORK_STATES:
        last = recent[min(window, len(recent)) - 1]
        free = [i for i, d in enumerate(days) if d >= last and states[i] == "handed_over"]
        for i in rng.sample(free, min(len(free), round(quota * scale))):
            states[i] = state
    return states


def generate(url: str) -> DataSet:
    """Fill an empty database with the back office's production-size data set; returns what it made."""
    started = time.perf_counter()
    rng = random.Random(SEED)
    today = dinas_today()
    holidays = default_holidays()
    database = bind(open_database(url))
    database.close()
    people = PeopleGenerator(SEED, kabupaten=KABUPATEN, today=today)
    kecamatan = list(people.kecamatan_codes(KABUPATEN))
    desa = list(people.desa_of(KABUPATEN))
    # Every desa/kelurahan, and the kecamatan offices to make up OUTPOSTS (Ngawi: 217 + 19 = 236).
    offices = [(r.code, f"Desa {r.name.title()}") for r in desa]
    offices += [(code, f"Kantor Kecamatan {code}") for code in kecamatan]
    outposts = sorted(rng.sample(offices, min(OUTPOSTS, len(offices))))
    made, template_weights = templates(today, rng)
    pool = _names(rng)
    _log(f"{len(made)} templates, {len(pool)} names, {len(outposts)} outposts in {len(kecamatan)} kecamatan "
         f"({time.perf_counter() - started:.1f} s)")  # fmt: skip

    # Received days over the last 12 months (working days only, busier on Mondays), newest first.
    year = _working_days_back(today, 400, holidays)
    year = [d for d in year if (today - d).days <= 365]
    day_weights = [1.3 if d.weekday() == 0 else 1.0 for d in year]
    days = sorted(rng.choices(year, day_weights, k=APPLICATIONS), reverse=True)
    states = _states(days, rng)
    data = DataSet(kecamatan=kecamatan)

    connection = psycopg.connect(url)
    cursor = connection.cursor()
    cursor.execute(
        "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' "
        "AND tablename IN ('application', 'submission', 'event') AND indexname NOT LIKE '%%_pkey'"
    )
    for (index,) in cursor.fetchall():
        cursor.execute(f'DROP INDEX "{index}"')
    cursor.execute("SET session_replication_role = replica")  # no per-row foreign key triggers during the load

    outpost_rows = _Loader(cursor, Outpost, ("id", "code", "name", "kabupaten", "feed_seq", "active", "created_at",
                                               "kecamatan"))  # fmt: skip
    device_rows = _Loader(cursor, Device, ("id", "device_id", "outpost_id", "name", "token_hash", "public_key",
                                             "enrolled_at", "last_seen_at", "revoked"))  # fmt: skip
    epoch = dt.datetime.combine(year[-1] - dt.timedelta(days=30), dt.time(1, 0))
    feed_seq = [0] * (len(outposts) + 1)
    for number, (code, title) in enumerate(outposts, start=1):
        outpost_rows.add(number, code, title, KABUPATEN.replace(".", ""), 0, "t", _stamp(epoch), code[:8])
        device_rows.add(number, uuid.uuid4(), number, f"Laptop {title}", secrets.token_hex(32),
                        secrets.token_hex(32), _stamp(epoch), _stamp(epoch), "f")  # fmt: skip
    outpost_rows.flush()
    device_rows.flush()

    applications = _Loader(cursor, Application, (
        "id", "client_id", "outpost_id", "service_code", "revision", "state", "registration_number", "applicant_name",
        "received_at", "updated_at", "applicant_nik", "applicant_kk", "name_key", "due_date"))  # fmt: skip
    submissions = _Loader(cursor, Submission, (
        "id", "item_id", "application_id", "client_id", "revision", "content_hash", "package", "outcome", "reasons",
        "device_id", "batch_id", "received_at"))  # fmt: skip
    events = _Loader(cursor, Event, (
        "id", "outpost_id", "seq", "application_id", "client_id", "revision", "state", "registration_number",
        "reasons", "note", "actor", "at"))  # fmt: skip
    counters: dict[str, int] = {}
    niks: set[str] = set()
    due_cache: dict[tuple[dt.date, int], dt.date] = {}
    event_id = 0
    kabupaten_digits = KABUPATEN.replace(".", "")
    # Oldest first, so that registration numbers and feed cursors grow with time.
    order = range(APPLICATIONS - 1, -1, -1)
    for app_id, index in enumerate(order, start=1):
        day, state = days[index], states[index]
        outpost = rng.randrange(1, len(outposts) + 1)
        prefix = outposts[outpost - 1][0][:8].replace(".", "")
        template = rng.choices(made, template_weights)[0]
        # Office hours 07:30-15:30 WIB = 00:30-08:30 UTC.
        received = dt.datetime.combine(day, dt.time(0, 30)) + dt.timedelta(seconds=rng.randrange(8 * 3600))
        sex = rng.choice((1, 2))
        born = dt.date(rng.randint(1940, 2024), rng.randint(1, 12), rng.randint(1, 28))
        while True:
            birth = f"{born.day + (40 if sex == 2 else 0):02d}{born:%m}{born.year % 100:02d}"
            nik = f"{prefix}{birth}{rng.randint(1, 9999):04d}"
            if nik not in niks:
                niks.add(nik)
                break
        issued = day - dt.timedelta(days=rng.randint(30, 6000))
        kk = f"{prefix}{issued:%d%m}{issued.year % 100:02d}{rng.randint(1, 9999):04d}"
        name = rng.choice(pool)
        key = f"{kabupaten_digits}-{day:%Y%m%d}"
        counters[key] = counters.get(key, 0) + 1
        registration = f"{key}-{counters[key]:06d}"
        due_key = (day, template.sla_days)
        due = due_cache.get(due_key)
        if due is None:
            due = due_cache[due_key] = add_working_days(day, template.sla_days, holidays)
        client_id = str(uuid.uuid4())
        steps = PATH[: PATH.index(state) + 1] if state in PATH else ("received", state)
        at = received
        for step in steps:
            if step != "received":
                at += dt.timedelta(hours=rng.uniform(2, 30))
            feed_seq[outpost] += 1
            event_id += 1
            events.add(event_id, outpost, feed_seq[outpost], app_id, client_id, 1, step, registration,
                       RETURN_REASONS if step == "returned" else "[]",
                       "Dikembalikan untuk dilengkapi." if step == "returned" else "",
                       STEP_ACTORS.get(step, SYSTEM_ACTOR), _stamp(at))  # fmt: skip
        applications.add(app_id, client_id, outpost, template.service_code, 1, state, registration, name,
                         _stamp(received), _stamp(at), nik, kk, name_key(name),
                         None if state == "returned" else due.isoformat())  # fmt: skip
        pages = [secrets.token_hex(32) for _ in range(template.pages)]
        item_id = str(uuid.uuid4())
        package = template.fill(
            {_ITEM: item_id, _CLIENT: client_id, _NAME: name, _NIK: nik, _KK: kk,
             _SUBMITTED: received.strftime("%Y-%m-%dT%H:%M:%SZ")},
            pages,
        )  # fmt: skip
        submissions.add(app_id, item_id, app_id, client_id, 1, hashlib.sha256(package.encode()).hexdigest(),
                        package, "accepted", "[]", outpost, uuid.uuid4(), _stamp(received))  # fmt: skip
        data.pages += template.pages
        data.package_bytes += len(package)
        data.by_state[state] = data.by_state.get(state, 0) + 1
        if app_id % 50_000 == 0:
            _log(f"{app_id} applications ({time.perf_counter() - started:.0f} s)")
    for loader in (applications, submissions, events):
        loader.flush()
    counter_rows = _Loader(cursor, Counter, ("key", "value"))
    for key, value in counters.items():
        counter_rows.add(key, value)
    counter_rows.flush()
    cursor.executemany("UPDATE outpost SET feed_seq = %s WHERE id = %s", [(s, i) for i, s in enumerate(feed_seq) if i])
    for table in ("outpost", "device", "application", "submission", "event"):
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT MAX(id) FROM \"{table}\"))")
    connection.commit()
    _log(f"copied ({time.perf_counter() - started:.0f} s); making indexes")
    cursor.close()
    connection.close()

    database = bind(open_database(url))  # makes the dropped indexes again, as the schema declares them
    database.close()
    connection = psycopg.connect(url, autocommit=True)
    with connection.cursor() as vacuum:
        vacuum.execute("VACUUM ANALYZE")
    connection.close()
    data.applications = APPLICATIONS
    data.events = event_id
    data.seconds = time.perf_counter() - started
    data.niks = rng.sample(sorted(niks), 200)
    data.register_days = [d for d in year if 20 <= (today - d).days <= 60][:RUNS]
    return data


# -- measuring ----------------------------------------------------------------------------------------------------
def _login(client: TestClient) -> None:
    """Sign in through the log-in page as a browser does (its CSRF cookie and field, then the session cookie)."""
    page = client.get("/backoffice/masuk")
    page.raise_for_status()
    found = re.search(r'name="login_csrf" value="([^"]+)"', page.text)
    assert found, "no login_csrf field on the log-in page"
    answer = client.post(
        "/backoffice/masuk",
        data={"username": STAFF, "password": PASSWORD, "login_csrf": found.group(1), "next": "/backoffice/"},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and client.cookies.get(sessions.COOKIE), (answer.status_code, answer.text[:300])


def _time(client: TestClient, urls: Iterator[str], expect: Callable[[str], bool] | None = None) -> list[float]:
    """Milliseconds per request (WARMUP first, not kept); every answer must be 200 (and pass `expect`)."""
    samples: list[float] = []
    for n in range(WARMUP + RUNS):
        url = next(urls)
        started = time.perf_counter()
        answer = client.get(url, follow_redirects=False)
        elapsed = (time.perf_counter() - started) * 1000.0
        assert answer.status_code == 200, (url, answer.status_code, answer.text[:500])
        if expect is not None:
            assert expect(answer.text), (url, answer.text[:500])
        if n >= WARMUP:
            samples.append(elapsed)
    return samples


def _row(measure: str, budget: float, samples: list[float], note: str = "") -> dict[str, object]:
    p95 = _p95(samples)
    return {
        "measure": f"back office, PostgreSQL, {APPLICATIONS:,} applications: {measure} (p95)",
        "budget": f"<= {budget:.0f} ms",
        "measured": f"{p95:.0f} ms (median {statistics.median(samples):.0f} ms of {len(samples)}{note})",
        "ok": p95 <= budget,
    }


def _cycle(items: Sequence[str]) -> Iterator[str]:
    while True:
        yield from items


def measure(url: str, storage: Path, data: DataSet) -> list[dict[str, object]]:
    """Every page measure, as rows for tests/bench/run.py."""
    app = create_app(ServerConfig(url, storage))
    add_staff(STAFF, "Bench Pimpinan", ",".join(ROLES), password=PASSWORD)
    numbers = _registrations()
    rows: list[dict[str, object]] = []
    with TestClient(app) as client:
        _login(client)
        queue = "/backoffice/antrian/verifikasi?urut=jatuh_tempo"
        total = data.by_state.get("received", 0)
        last = max(1, -(-total // 50))
        kecamatan = data.kecamatan[0]
        in_kecamatan = _count_received(kecamatan)
        last_in = max(1, -(-in_kecamatan // 50))
        rows.append(_row("home: the staff member's queues with counts and overdue counts", BUDGETS_MS["queue"],
                         _time(client, _cycle(["/backoffice/"]))))  # fmt: skip
        rows.append(_row(f"queue 'verifikasi' ({total:,}), by due date, page 1", BUDGETS_MS["queue"],
                         _time(client, _cycle([queue]))))  # fmt: skip
        rows.append(_row(f"queue 'verifikasi', by due date, deep page {last}", BUDGETS_MS["queue"],
                         _time(client, _cycle([f"{queue}&hal={last}"]))))  # fmt: skip
        rows.append(_row(f"queue 'verifikasi', kecamatan {kecamatan} ({in_kecamatan:,}), page 1", BUDGETS_MS["queue"],
                         _time(client, _cycle([f"{queue}&kecamatan={kecamatan}"]))))  # fmt: skip
        rows.append(_row(f"queue 'verifikasi', kecamatan {kecamatan}, last page {last_in}", BUDGETS_MS["queue"],
                         _time(client, _cycle([f"{queue}&kecamatan={kecamatan}&hal={last_in}"]))))  # fmt: skip
        rows.append(_row(f"queue 'semua' ({data.applications:,}), by due date, page 1", BUDGETS_MS["queue"],
                         _time(client, _cycle(["/backoffice/antrian/semua?urut=jatuh_tempo"]))))  # fmt: skip
        rows.append(_row("application page (forms, checklist, history; audited view)", BUDGETS_MS["application"],
                         _time(client, iter([f"/backoffice/permohonan/{n}" for n in numbers]),
                               lambda text: "/halaman/" in text)))  # fmt: skip
        rows.append(_row("search by NIK (16 digits)", BUDGETS_MS["nik"],
                         _time(client, iter([f"/backoffice/cari?q={n}" for n in data.niks]),
                               lambda text: "permohonan/" in text)))  # fmt: skip
        siti = _count_prefix("SITI A")
        rows.append(_row(f"search by name prefix 'SITI A' ({siti:,} match)", BUDGETS_MS["name"],
                         _time(client, _cycle(["/backoffice/cari?q=SITI+A"]))))  # fmt: skip
        broad = _count_prefix("SU")
        rows.append(_row(f"search by name prefix 'SU' ({broad:,} match)", BUDGETS_MS["name"],
                         _time(client, _cycle(["/backoffice/cari?q=SU"]))))  # fmt: skip
        days = [d.isoformat() for d in data.register_days]
        per_day = _count_register(kecamatan, data.register_days)
        register = [f"/backoffice/laporan?jenis=harian&tanggal={d}&kecamatan={kecamatan}" for d in days]
        rows.append(_row(f"daily register, kecamatan {kecamatan}, one day (~{per_day:.0f} rows)",
                         BUDGETS_MS["register"], _time(client, _cycle(register))))  # fmt: skip
    database_proxy.obj.close()
    return rows


def _registrations() -> list[str]:
    """Registration numbers of applications in every state, spread over the year."""
    cursor = database_proxy.obj.execute_sql(
        "SELECT registration_number FROM application ORDER BY md5(id::text) LIMIT %s", (WARMUP + RUNS,)
    )
    return [row[0] for row in cursor.fetchall()]


def _count_received(kecamatan: str) -> int:
    cursor = database_proxy.obj.execute_sql(
        "SELECT COUNT(*) FROM application a JOIN outpost o ON o.id = a.outpost_id "
        "WHERE a.state = 'received' AND o.kecamatan = %s",
        (kecamatan,),
    )
    return int(cursor.fetchone()[0])


def _count_prefix(prefix: str) -> int:
    cursor = database_proxy.obj.execute_sql("SELECT COUNT(*) FROM application WHERE name_key LIKE %s", (prefix + "%",))
    return int(cursor.fetchone()[0])


def _count_register(kecamatan: str, days: list[dt.date]) -> float:
    cursor = database_proxy.obj.execute_sql(
        "SELECT COUNT(*) FROM submission s JOIN application a ON a.id = s.application_id "
        "JOIN outpost o ON o.id = a.outpost_id WHERE o.kecamatan = %s AND s.received_at >= %s AND s.received_at < %s",
        (kecamatan, min(days), max(days) + dt.timedelta(days=1)),
    )
    return int(cursor.fetchone()[0]) / max(1, len(days))


def run() -> list[dict[str, object]]:
    """Generate the data set on a throwaway PostgreSQL, then measure every page against its budget."""
    postgres = Postgres(durable=True).start()
    try:
        url = postgres.create_database("backoffice")
        with tempfile.TemporaryDirectory(prefix="loket-bench-backoffice-") as folder:
            data = generate(url)
            _log(f"data set: {data.applications:,} applications, {data.pages:,} pages, {data.events:,} events, "
                 f"{data.package_bytes / 1e6:.0f} MB of packages in {data.seconds:.0f} s; {data.by_state}")  # fmt: skip
            rows: list[dict[str, object]] = [
                {
                    "measure": f"back office bench data: {data.applications:,} applications, {data.pages:,} pages' "
                    f"metadata, {data.events:,} events (COPY, indexes, VACUUM ANALYZE)",
                    "budget": "info (target < 3 min)",
                    "measured": f"{data.seconds:.0f} s",
                    "ok": None,
                }
            ]
            rows.extend(measure(url, Path(folder) / "storage", data))
    finally:
        postgres.stop()
    return rows


if __name__ == "__main__":
    from tests.bench.run import table

    print(table(run()))
