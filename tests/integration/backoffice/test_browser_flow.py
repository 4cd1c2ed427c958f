"""The back office in a real browser (Debian's chromium under Playwright) against a real server:
a verifier returns an application with a field and a requirement reason, the outpost sees them where
its editor shows reasons, the officer amends, revision 2 shows what changed, and the roles allowed take
it to handed over; a role that is not allowed is refused."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import requests

from app.forms import load_form
from app.store import applications as apps
from app.store import status
from app.store.models import Application
from sync.server.backoffice import formview
from sync.server.reference import Reference
from tests.helpers.backoffice import DEMO_PASSWORD, OUTPOSTS, Office
from ui.editor.reasons import field_of, parse_reasons

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

REASON_TEXT = "Nama tidak sesuai akta; perbaiki sesuai KTP-el."
REQUIREMENT_TEXT = "Halaman buram, pindai ulang dengan terang."


def login(browser: Browser, office: Office, username: str) -> Page:
    """A fresh browser context (own cookies) logged in as a demo staff member."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{office.url}/")
    assert "/backoffice/masuk" in page.url
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url(f"{office.url}/")
    return page


def step(page: Page, office: Office, key: str, action: str) -> None:
    """Press one workflow step's button on the application page and check the new state is shown."""
    page.goto(f"{office.url}/permohonan/{key}")
    page.click(f"button[data-step='{action}']")
    page.wait_for_url(re.compile(rf".*/permohonan/{re.escape(key)}\?selesai={action}$"))
    assert "tercatat" in page.inner_text("[role=status]")


def a_name_field(package: dict[str, Any]) -> tuple[str, str, str, str]:
    """A filled name field of a plain section: (form key, section, field, value)."""
    reference = Reference.load()
    for given in package["forms"]:
        schema = reference.forms.get(given["schema_version"])
        for section in schema.sections:
            if section.repeating:
                continue
            values = given["answers"].get(section.id) or {}
            for spec in section.fields:
                value = values.get(spec.id)
                if spec.type == "name" and isinstance(value, str) and len(value) > 3:
                    return schema.key, section.id, spec.id, value
    raise AssertionError("no filled name field in the package")


def test_return_amend_and_hand_over(browser: Browser, office: Office) -> None:
    """The whole Dinas path of one application, by the roles allowed, with the outpost in the loop."""
    code = OUTPOSTS[0][0]
    store = office.outposts[code]
    outpost_app = Application.select().where(Application.state == "received").order_by(Application.id).first()
    assert outpost_app is not None, "the demo outpost sent nothing"
    key = outpost_app.registration_number
    office.server.bind()
    from sync.server.keys import read_package
    from sync.server.models import Submission

    package = json.loads(read_package(Submission.select().where(Submission.client_id == outpost_app.client_id).get()))
    form_key, section_id, field_id, old_value = a_name_field(package)
    form_id = form_key.split("@")[0]
    path = f"{form_id}:{section_id}.{field_id}"
    requirement = next(d["requirement_id"] for d in package["documents"])

    verifier = login(browser, office, "verifikator")
    verifier.goto(f"{office.url}/antrian/verifikasi")
    assert key in verifier.inner_text("table.list")
    verifier.click(f"a[href='/backoffice/permohonan/{key}']")
    verifier.click("summary")
    verifier.select_option("#alasan_1", path)
    verifier.fill("#pesan_1", REASON_TEXT)
    verifier.select_option("#alasan_2", f"persyaratan:{requirement}")
    verifier.fill("#pesan_2", REQUIREMENT_TEXT)
    verifier.click("button[data-step='return']")
    verifier.wait_for_url(re.compile(r".*\?selesai=return$"))
    assert "Perlu dilengkapi" in verifier.inner_text(".app-head")

    # The outpost's next sync brings both reasons; each names what the outpost's editor shows it beside.
    office.sync(code)
    outpost_app = Application.get_by_id(outpost_app.id)
    assert outpost_app.state == "returned"
    reasons = parse_reasons(status.reasons_of(outpost_app))
    by_message = {r.message: r for r in reasons}
    field_reason, requirement_reason = by_message[REASON_TEXT], by_message[REQUIREMENT_TEXT]
    assert field_reason.form == form_id and field_reason.requirement == ""
    located = field_of(load_form(form_key), field_reason.path)
    assert located is not None and located[2].id == field_id
    assert requirement_reason.requirement == requirement

    # The officer amends the named field and resubmits: revision 2 reaches the Dinas.
    amended = apps.amend(store, outpost_app)
    answers = apps.answers_of(amended)[form_id]
    new_value = old_value[:-1] + ("A" if old_value[-1] != "A" else "E")
    answers[section_id] = {**answers[section_id], field_id: new_value}  # type: ignore[dict-item]
    apps.save_answers(store, amended, form_key, answers)
    if section_id == "pemohon":  # the applicant's own name: corrected on the applicant page too (the header)
        apps.save_applicant(store, amended, name=new_value, nik=amended.applicant_nik, kk=amended.applicant_kk)
    apps.submit(store, amended)
    office.sync(code)
    assert Application.get_by_id(outpost_app.id).revision == 2

    verifier.goto(f"{office.url}/permohonan/{key}")
    changes = verifier.inner_text("#h-beda >> xpath=..")
    assert old_value in changes and new_value in changes
    assert "Diterima Dinas" in verifier.inner_text(".app-head")

    # Roles: the verifier cannot sign (no button, and a forged post is refused).
    csrf = verifier.get_attribute("input[name=csrf]", "value") or ""
    forged = verifier.request.post(
        f"{office.url}/permohonan/{key}/langkah",
        form={"csrf": csrf, "langkah": "sign", "status": "received", "revisi": "2"},
        max_redirects=0,
    )
    assert forged.status == 403 and "tidak mengizinkan" in forged.text()
    step(verifier, office, key, "verify")
    for username, action in (
        ("validator", "validate"),
        ("pencetak", "produce"),
        ("penandatangan", "sign"),
        ("pencetak", "ready"),
        ("petugas.loket", "handed_over"),
    ):
        page = login(browser, office, username)
        step(page, office, key, action)
        page.context.close()
    verifier.goto(f"{office.url}/permohonan/{key}")
    assert "Sudah diserahkan" in verifier.inner_text(".app-head")
    office.sync(code)
    assert Application.get_by_id(outpost_app.id).state == "handed_over"
    verifier.context.close()


def test_second_click_is_told_who_was_first(browser: Browser, office: Office) -> None:
    """Two verifiers on the same application: the second is told who took the step, nothing is doubled."""
    received = requests.get(f"{office.server.url}/v1/health", timeout=5)
    assert received.status_code == 200
    office.server.bind()
    from sync.server.models import Application as DinasApplication
    from sync.server.models import Event

    target = (
        DinasApplication.select()
        .where(DinasApplication.state == "received")
        .order_by(DinasApplication.id.desc())
        .first()
    )
    assert target is not None
    key = target.registration_number
    first, second = login(browser, office, "verifikator"), login(browser, office, "penerima")
    for page in (first, second):
        page.goto(f"{office.url}/permohonan/{key}")
    first.click("button[data-step='verify']")
    first.wait_for_url(re.compile(r".*\?selesai=verify$"))
    second.click("button[data-step='verify']")
    second.wait_for_load_state()
    assert "sudah diproses oleh Rina Kusumawati" in second.inner_text("#galat-langkah")
    assert Event.select().where((Event.application == target.id) & (Event.state == "verified")).count() == 1
    first.context.close()
    second.context.close()


def test_reason_choices_are_the_fields_of_the_application(office: Office) -> None:
    """Every reason the picker offers is a path the outpost's parser places on a field or requirement."""
    office.server.bind()
    from sync.server.keys import read_package
    from sync.server.models import Submission

    package = json.loads(read_package(Submission.select().order_by(Submission.id).first()))
    reference = Reference.load()
    for choice in formview.reason_choices(package, reference):
        [reason] = parse_reasons([{**formview.parse_choice(choice.value), "message": "x"}])
        if reason.requirement:
            continue
        form = next(f for f in package["forms"] if f["form"] == reason.form)
        assert field_of(reference.forms.get(form["schema_version"]), reason.path) is not None, choice


def test_outposts_page_shows_contact_and_what_waits(browser: Browser, office: Office) -> None:
    """The real client reports its outbox with each sync; the admin's outposts page shows both outposts."""
    office.server.bind()
    from sync.server.models import Device

    devices = list(Device.select())
    assert len(devices) == 2 and all(d.outbox_reported_at is not None for d in devices)
    assert all(d.outbox_waiting == 0 for d in devices), "everything was sent"
    admin = login(browser, office, "admin")
    admin.goto(f"{office.url}/pos")
    table = admin.inner_text("table.list")
    for code, name in OUTPOSTS:
        assert code in table and name in table
    assert "belum pernah" not in table
    admin.context.close()


def test_document_viewer_shows_g4_and_webp_pages(browser: Browser, office: Office) -> None:
    """Stored G4 TIFF and WebP pages are shown in the viewer; the keyboard pages through them; views are audited."""
    client_id = office.submit_scanned(OUTPOSTS[1][0])
    office.server.bind()
    from sync.server import audit
    from sync.server.keys import read_package
    from sync.server.models import AuditLog, Submission

    chosen = Submission.get(Submission.client_id == client_id)
    media = {p["media_type"] for d in json.loads(read_package(chosen))["documents"] for p in d["pages"]}
    assert {"image/tiff", "image/webp"} <= media
    key = chosen.application.registration_number
    page = login(browser, office, "validator")
    served: dict[str, str] = {}
    page.on(
        "response",
        lambda r: served.__setitem__(r.url, r.headers.get("content-type", "")) if "/halaman/" in r.url else None,
    )
    page.goto(f"{office.url}/permohonan/{key}")
    count = page.locator(".viewer-thumb").count()
    seen: set[str] = set()
    for index in range(count):
        page.wait_for_function(
            "() => { const i = document.querySelector('.viewer-image'); return i.complete && i.naturalWidth > 0; }"
        )
        caption = page.inner_text(".viewer-caption")
        assert f"Halaman {index + 1} dari {count}" in caption
        seen.add(page.get_attribute(".viewer-image", "src") or "")
        page.keyboard.press("ArrowRight")
    assert count >= 2 and len(seen) == 2, "the letter and the photo (each requirement got one of the two)"
    full = {url: kind for url, kind in served.items() if "ukuran=thumb" not in url}
    assert {"image/png", "image/webp"} <= set(full.values()), full
    page.keyboard.press("r")
    assert page.get_attribute("[data-viewer]", "data-rotation") == "90"
    views = AuditLog.select().where((AuditLog.action == "view.page") & (AuditLog.actor == "staf:validator")).count()
    assert views >= len(seen), "every page shown was fetched once (then cached by the browser) and audited"
    assert audit.verify().ok
    page.context.close()
