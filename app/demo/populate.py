"""Fill a store with demo applications and residents through the store's public functions only.

Applications are spread over the catalogue (weighted to the everyday services: KTP-el, KK, birth, move,
death), with their forms, facts and scanned pages. About 30% stay drafts (some left incomplete, as
officers leave them), most of the rest are submitted, and a few are cancelled. The store has no public
way to set the Dinas states (received, verified, ...): those arrive through the status feed, so the demo
does not fake them. An application whose answers still have errors is never submitted; it stays a draft.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PIL import Image

from app.catalog import Catalog, Service, checklist, eligibility, load_catalog
from app.demo.answers import DemoCase, build_case
from app.demo.forms import biodata_row
from app.demo.pages import document_pages
from app.demo.people import Family, PeopleGenerator, Person
from app.forms import evaluate, load_form
from app.forms.carry import RESIDENT_ATTRIBUTES
from app.store import applications as store_applications
from app.store.residents import ResidentRecord, add_residents
from app.store.store import Store

if TYPE_CHECKING:
    from app.store.models import Application

log = logging.getLogger("loket.demo")

Progress = Callable[[int, int], None]

# Relative frequency of each service at an outpost; services not listed get DEFAULT_WEIGHT.
SERVICE_WEIGHTS: dict[int, float] = {
    9: 20, 21: 14, 15: 10, 10: 8, 24: 8, 4: 6, 7: 6, 13: 6, 8: 4, 6: 3, 5: 2, 25: 2, 1: 2, 23: 1, 28: 1,
}  # fmt: skip
DEFAULT_WEIGHT = 0.4
DRAFT_SHARE = 0.30
CANCELLED_SHARE = 0.06
INCOMPLETE_SHARE = 0.4  # of drafts
_CANCEL_REASONS = (
    "Pemohon membatalkan permohonan.",
    "Permohonan ganda; sudah dicatat pada permohonan lain.",
    "Salah memilih layanan; dibuat ulang dengan layanan yang benar.",
)
_SOURCES = ("scanner", "scanner", "scanner", "camera", "file")


@dataclass
class DemoSummary:
    """What `populate` created: applications by state and by service, residents, pages and their bytes."""

    applications: int = 0
    residents: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    by_service: dict[str, int] = field(default_factory=dict)
    pages: int = 0
    bytes: int = 0
    seconds: float = 0.0

    def count(self, state: str, service: str) -> None:
        """Record one application."""
        self.applications += 1
        self.by_state[state] = self.by_state.get(state, 0) + 1
        self.by_service[service] = self.by_service.get(service, 0) + 1

    def to_dict(self) -> dict[str, object]:
        """JSON form (for `loket-admin demo`)."""
        return {
            "applications": self.applications,
            "residents": self.residents,
            "by_state": dict(sorted(self.by_state.items())),
            "by_service": dict(sorted(self.by_service.items())),
            "pages": self.pages,
            "bytes": self.bytes,
            "seconds": round(self.seconds, 2),
        }


def populate(
    store: Store,
    applications: int,
    seed: int = 2026,
    residents: int = 0,
    progress: Progress | None = None,
    *,
    kabupaten: str = "35.21",
    today: dt.date | None = None,
) -> DemoSummary:
    """Create `applications` demo applications and `residents` residents in an unlocked store."""
    started = time.perf_counter()
    people = PeopleGenerator(seed, kabupaten=kabupaten, today=today)
    plan = random.Random(f"{seed}-plan")
    catalog = load_catalog()
    services, weights = _service_weights(catalog)
    summary = DemoSummary()
    total = applications + residents
    families: list[Family] = []
    for index in range(applications):
        service = plan.choices(services, weights=weights)[0]
        case = build_case(service, people)
        families.append(case.family)
        _create(store, case, plan, summary)
        if progress is not None:
            progress(index + 1, total)
    if residents > 0:
        records = resident_records(people, residents, first=families)
        summary.residents = add_residents(store, _reporting(records, applications, total, progress))
    summary.seconds = time.perf_counter() - started
    log.info(
        "demo data created: %d applications, %d residents, %d pages in %.1f s",
        summary.applications,
        summary.residents,
        summary.pages,
        summary.seconds,
    )
    return summary


def _service_weights(catalog: Catalog) -> tuple[list[Service], list[float]]:
    services = list(catalog.services)
    return services, [SERVICE_WEIGHTS.get(s.number, DEFAULT_WEIGHT) for s in services]


def resident_records(
    people: PeopleGenerator, count: int, first: list[Family] | None = None
) -> Iterator[ResidentRecord]:
    """`count` residents: the members of `first` families, then of new families, one record per person."""
    made = 0

    def families() -> Iterator[Family]:
        """The given families, then new ones without end."""
        yield from first or ()
        while True:
            yield people.family()

    for family in families():
        address = family.address.line()
        for person in family.members:
            if made >= count:
                return
            yield ResidentRecord(
                name=person.name,
                nik=person.nik or None,
                kk=family.kk,
                birth_date=person.birth_date,
                sex=person.sex,
                address=address,
                region_code=family.address.desa_code,
                source="demo",
                details=resident_details(person),
            )
            made += 1


def resident_details(person: Person) -> dict[str, object]:
    """The biodata the residents index keeps beside name, NIK, KK, birth date and sex: a member row of
    F-1.01 by field id, so that typing the NIK fills the row (app.forms.carry)."""
    return {k: v for k, v in biodata_row(person).items() if k in RESIDENT_ATTRIBUTES and k != "nik"}


def _reporting(
    records: Iterator[ResidentRecord], done: int, total: int, progress: Progress | None, every: int = 10_000
) -> Iterator[ResidentRecord]:
    for count, record in enumerate(records, start=1):
        yield record
        if progress is not None and (count % every == 0 or done + count == total):
            progress(done + count, total)


# -- one application --------------------------------------------------------------------------------------
def _create(store: Store, case: DemoCase, plan: random.Random, summary: DemoSummary) -> None:
    """Store one case as an application and move it to the state the plan draws."""
    roll = plan.random()
    wanted = "draft" if roll < DRAFT_SHARE else "cancelled" if roll < DRAFT_SHARE + CANCELLED_SHARE else "submitted"
    incomplete = wanted == "draft" and plan.random() < INCOMPLETE_SHARE
    applicant = case.applicant
    application = store_applications.create_draft(
        store,
        case.service.code,
        applicant_name=applicant.name,
        applicant_nik=applicant.nik,
        applicant_kk=case.applicant_kk,
        site=f"Kecamatan {(case.filed_at or case.family.address).kecamatan_name.title()}",
    )
    damage = plan.choice(("field", "pages", "stopped")) if incomplete else ""
    form_ids = list(case.forms)
    for position, form_id in enumerate(form_ids):
        if damage == "stopped" and position > 0:
            break
        data = case.forms[form_id]
        if damage == "field" and position == 0:
            data = _without_one_answer(data, plan)
        store_applications.save_answers(store, application, load_form(form_id).key, data)
    if damage != "stopped":
        store_applications.save_facts(store, application, case.facts)
        _attach(store, application, case, plan, summary, skip_one=damage == "pages")
    state = "draft"
    if wanted == "submitted" or (wanted == "cancelled" and plan.random() < 0.5 and store.can("cancel")):
        warnings = _warnings_if_complete(case)
        if warnings is not None:
            store_applications.submit(store, application, acknowledged_warnings=warnings)
            state = "submitted"
    if wanted == "cancelled":
        store_applications.cancel(store, application, plan.choice(_CANCEL_REASONS))
        state = "cancelled"
    summary.count(state, case.service.code)


def _without_one_answer(data: dict[str, object], plan: random.Random) -> dict[str, object]:
    """A copy of a form's answers with one answered field removed (a draft the officer has not finished)."""
    copy: dict[str, object] = {}
    for key, section in data.items():
        if isinstance(section, dict):
            copy[key] = dict(section)
        elif isinstance(section, list):
            copy[key] = [dict(row) if isinstance(row, dict) else row for row in section]
        else:
            copy[key] = section
    sections = [s for s in copy.values() if isinstance(s, dict) and s]
    if sections:
        section = plan.choice(sections)
        section.pop(plan.choice(sorted(section)))
    return copy


def _attach(
    store: Store, application: Application, case: DemoCase, plan: random.Random, summary: DemoSummary, *,
    skip_one: bool,
) -> None:  # fmt: skip
    """Scan the pages of every requirement that applies (or of the substitute the case used)."""
    items = [item for item in checklist(case.service, case.catalog_answers(), today=case.today) if item.applies]
    if skip_one and items:
        items.remove(plan.choice(items))
    for item in items:
        requirement = item.requirement
        substitute_id = case.substitutes.get(requirement.id, "")
        substitute = next((s for s in requirement.substitutes if s.id == substitute_id), None)
        documents = substitute.documents if substitute is not None else (requirement.document,)
        source = plan.choice(_SOURCES)
        for document in documents:
            for data in document_pages(document, case, plan):
                width, height = Image.open(io.BytesIO(data)).size
                store_applications.attach_page(
                    store,
                    application,
                    requirement.id,
                    data,
                    media_type="image/png",
                    substitute_id=substitute.id if substitute is not None else "",
                    document_id=document.id,
                    source=source,
                    dpi=100,
                    mode="gray",
                    width=width,
                    height=height,
                )
                summary.pages += 1
                summary.bytes += len(data)


def _warnings_if_complete(case: DemoCase) -> list[str] | None:
    """The warning codes to acknowledge when the answers have no errors; None when they have errors."""
    warnings: list[str] = []
    for form_id, data in case.forms.items():
        evaluation = evaluate(load_form(form_id), data, case.today)
        if evaluation.errors:
            return None
        warnings.extend(f"{form_id}:{f.path}:{f.code}" for f in evaluation.warnings)
    if eligibility(case.service, case.catalog_answers(), today=case.today):
        return None
    return warnings
