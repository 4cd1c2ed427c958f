"""Valid applications for sync tests: demo answers for services that validate cleanly, with pages of chosen sizes."""

from __future__ import annotations

import os
import random
from collections.abc import Callable

from app.catalog import checklist, eligibility, load_catalog
from app.demo.answers import DemoCase, build_case
from app.demo.people import PeopleGenerator
from app.forms import evaluate, load_form
from app.store import applications as apps
from app.store.models import Application
from app.store.store import Store

# Services whose demo answers come out without errors (app/demo/answers.py).
CLEAN_SERVICES = (9, 4, 15, 21, 24, 25)


def clean_case(people: PeopleGenerator, rng: random.Random) -> DemoCase:
    """A demo case with no errors and no failed eligibility condition."""
    catalog = load_catalog()
    while True:
        case = build_case(catalog.service(rng.choice(CLEAN_SERVICES)), people)
        if any(evaluate(load_form(f), data, case.today).errors for f, data in case.forms.items()):
            continue
        if eligibility(case.service, case.catalog_answers(), today=case.today):
            continue
        return case


def draft_from_case(
    store: Store,
    case: DemoCase,
    rng: random.Random,
    page_sizes: tuple[int, int] = (8_000, 20_000),
    scan: Callable[[int], tuple[bytes, str]] | None = None,
) -> Application:
    """A complete draft: every form, the facts, and pages for every requirement that applies.

    Pages are random bytes (as JPEG) unless `scan(n)` gives the n-th page's bytes and media type.
    """
    application = apps.create_draft(
        store,
        case.service.code,
        applicant_name=case.applicant.name,
        applicant_nik=case.applicant.nik,
        applicant_kk=case.applicant_kk,
        site="Kantor Desa",
    )
    for form_id, data in case.forms.items():
        apps.save_answers(store, application, load_form(form_id).key, data)
    apps.save_facts(store, application, case.facts)
    for item in checklist(case.service, case.catalog_answers(), today=case.today):
        if not item.applies:
            continue
        requirement = item.requirement
        substitute_id = case.substitutes.get(requirement.id, "")
        substitute = next((s for s in requirement.substitutes if s.id == substitute_id), None)
        documents = substitute.documents if substitute is not None else (requirement.document,)
        for document in documents:
            page, media_type = (
                scan(len(apps.pages_of(application)))
                if scan is not None
                else (os.urandom(rng.randint(*page_sizes)), "image/jpeg")
            )
            apps.attach_page(
                store,
                application,
                requirement.id,
                page,
                media_type=media_type,
                substitute_id=substitute.id if substitute is not None else "",
                document_id=document.id,
                source="camera",
                dpi=200,
                mode="color",
            )
    return application


def submit_applications(
    store: Store, count: int, seed: int, page_sizes: tuple[int, int] = (8_000, 20_000)
) -> list[Application]:
    """`count` complete applications, submitted (each one outbox item)."""
    rng = random.Random(seed)
    people = PeopleGenerator(seed)
    made = []
    for _ in range(count):
        application = draft_from_case(store, clean_case(people, rng), rng, page_sizes)
        apps.submit(store, application)
        made.append(application)
    return made
