"""The back office over HTTP, through the real ASGI app and a real database: log-in and passwords, CSRF,
expired sessions that keep the form, roles and kecamatan scope, two staff on one application, returns
with reasons, the read audit, error pages, reports and the upgrade from schema 1."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import io
import json
import re
import sqlite3
import threading
import uuid
from pathlib import Path

import httpx2 as httpx
import pytest
from PIL import Image, ImageDraw

from app.store.models import utcnow
from sync.protocol import BatchRequest
from sync.server import audit
from sync.server.backoffice import formview
from sync.server.backoffice.context import today
from sync.server.backoffice.sessions import COOKIE
from sync.server.db import bind, open_database
from sync.server.feed import to_change
from sync.server.models import Application, AuditLog, Event, Outpost, ServerMeta, Staff, StaffSession, database_proxy
from sync.server.reference import Reference
from sync.server.search import name_key
from sync.server.staff import add_staff
from sync.server.storage import DiskStorage
from tests.helpers.pg import Postgres
from tests.unit.sync.backoffice.conftest import PASSWORD, Web, csrf_of, hidden_fields, open_web, submit_login
from tests.unit.sync.conftest import TODAY, Made, OutpostIntake, enrolled, upload
from ui.editor.reasons import parse_reasons

CSP = "Content-Security-Policy"


def _app_url(key: str) -> str:
    return f"/backoffice/permohonan/{key}"


def _step(browser: httpx.Client, key: str, page: str, **fields: str) -> httpx.Response:
    """Post the step form of an application page as the browser would (its CSRF token, the state it showed)."""
    state = re.search(r'name="status" value="([a-z_]+)"', page)
    revision = re.search(r'name="revisi" value="(\d+)"', page)
    back = re.search(r'name="kembali" value="([^"]+)"', page)
    form = {
        "csrf": csrf_of(page),
        "status": state.group(1) if state else "",
        "revisi": revision.group(1) if revision else "",
        "kembali": html.unescape(back.group(1)) if back else "",
    }
    form.update(fields)
    return browser.post(f"{_app_url(key)}/langkah", data=form)


def _events(key: str) -> list[str]:
    application = Application.get(Application.registration_number == key)
    return [e.state for e in Event.select().where(Event.application == application).order_by(Event.seq)]


def _state(key: str) -> str:
    return str(Application.get(Application.registration_number == key).state)


def _row_of(page: str, name: str) -> str:
    """The table row of the reason picker holding the select `name`."""
    found = re.search(rf'<tr>(?:(?!</tr>).)*id="{name}"(?:(?!</tr>).)*</tr>', page, re.S)
    assert found is not None, f"no row for {name}"
    return found.group(0)


def _cookie_header(response: httpx.Response, name: str) -> str:
    headers = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}=")]
    assert len(headers) == 1, response.headers.get_list("set-cookie")
    return headers[0]


def _choices(made: Made, reference: Reference) -> tuple[str, str]:
    """A field and a requirement the reason picker offers for this package."""
    values = [c.value for c in formview.reason_choices(made.package, reference, TODAY)]
    field = next(v for v in values if v.startswith("F-"))
    requirement = next(v for v in values if v.startswith("persyaratan:"))
    return field, requirement


# -- 1. log-in and passwords ---------------------------------------------------------------------------
def test_a_wrong_password_answers_401_in_bahasa_and_keeps_the_username(web: Web) -> None:
    """A wrong password shows the log-in page again (401) with the message and the username filled in."""
    web.staff("rina", "Rina Wulandari", "verifikator")
    browser = web.browser()
    response = submit_login(browser, "rina", "bukan-sandinya-123")
    assert response.status_code == 401
    assert "text/html" in response.headers["content-type"]
    assert "Nama pengguna atau kata sandi salah." in response.text
    assert re.search(r'<input id="username" name="username" value="rina"', response.text)
    assert COOKIE not in browser.cookies


def test_after_three_failures_even_the_right_password_waits(web: Web) -> None:
    """Three wrong passwords, then the right one is refused with "Coba lagi dalam N detik" and no session."""
    web.staff("rina", "Rina Wulandari", "verifikator")
    browser = web.browser()
    for _ in range(3):
        assert submit_login(browser, "rina", "bukan-sandinya-123").status_code == 401
    refused = submit_login(browser, "rina", PASSWORD)
    assert refused.status_code == 401
    assert re.search(r"Coba lagi dalam \d+ detik", refused.text)
    assert COOKIE not in browser.cookies
    assert StaffSession.select().count() == 0
    # Once the wait is over, the right password works again.
    Staff.update(last_failed_at=utcnow() - dt.timedelta(minutes=20)).where(Staff.username == "rina").execute()
    assert submit_login(browser, "rina", PASSWORD).status_code == 303


def test_a_log_in_sets_a_strict_http_only_session_cookie_for_the_back_office(web: Web) -> None:
    """The session cookie is HttpOnly, SameSite=Strict and limited to /backoffice; the home page opens."""
    web.staff("rina", "Rina Wulandari", "verifikator")
    browser = web.browser()
    response = submit_login(browser, "rina", PASSWORD, next="/backoffice/antrian/verifikasi")
    assert response.status_code == 303
    assert response.headers["location"] == "/backoffice/antrian/verifikasi"
    attributes = [part.strip().lower() for part in _cookie_header(response, COOKIE).split(";")]
    assert "httponly" in attributes
    assert "samesite=strict" in attributes
    assert "path=/backoffice" in attributes
    home = browser.get("/backoffice/")
    assert home.status_code == 200 and "Rina Wulandari" in home.text


def test_a_one_time_password_leads_to_the_password_page(web: Web) -> None:
    """An account made without a password logs in with its one-time password and is sent to change it."""
    created = add_staff("budi", "Budi Santoso", "verifikator")
    browser = web.browser()
    response = submit_login(browser, "budi", created.password)
    assert response.status_code == 303
    assert response.headers["location"] == "/backoffice/kata-sandi"
    page = browser.get("/backoffice/kata-sandi")
    assert page.status_code == 200 and "kata sandi sekali pakai" in page.text


def test_nothing_but_the_password_page_until_the_one_time_password_is_changed(web: Web) -> None:
    """With a one-time password, every other page (and any step) leads back to the password page."""
    created = add_staff("budi", "Budi Santoso", "verifikator")
    browser = web.browser()
    submit_login(browser, "budi", created.password)
    for path in ("/backoffice/", "/backoffice/antrian/verifikasi", "/backoffice/cari?q=SITI"):
        response = browser.get(path)
        assert (response.status_code, response.headers["location"]) == (303, "/backoffice/kata-sandi"), path
    csrf = csrf_of(browser.get("/backoffice/kata-sandi").text)
    step = browser.post("/backoffice/permohonan/x/langkah", data={"csrf": csrf, "langkah": "verify"})
    assert (step.status_code, step.headers["location"]) == (303, "/backoffice/kata-sandi")


@pytest.mark.parametrize(
    ("current", "new", "again", "field", "message"),
    [
        ("salah-sekali-123", "Baru-Sekali-2027!", "Baru-Sekali-2027!", "current", "Kata sandi saat ini salah."),
        (PASSWORD, "pendek1", "pendek1", "new", "Kata sandi minimal 10 karakter."),
        (PASSWORD, "Baru-Sekali-2027!", "Baru-Sekali-2028!", "again", "Ulangi kata sandi baru persis sama."),
    ],
)
def test_a_refused_password_change_says_why_next_to_the_field(
    web: Web, current: str, new: str, again: str, field: str, message: str
) -> None:
    """A wrong current password, a short new one or a different repeat: 422, the message under that field."""
    web.staff("rina", "Rina Wulandari", "verifikator")
    browser = web.login("rina")
    page = browser.get("/backoffice/kata-sandi").text
    response = browser.post(
        "/backoffice/kata-sandi", data={"csrf": csrf_of(page), "current": current, "new": new, "again": again}
    )
    assert response.status_code == 422
    hint = r'(?:<p class="hint"[^>]*>[^<]*</p>\s*)?'
    beside = rf'<input id="{field}"[^>]*>\s*{hint}<p class="finding error">{re.escape(message)}</p>'
    assert re.search(beside, response.text), response.text
    assert response.text.count('class="finding error"') == 1
    # Nothing changed: the old password still logs in.
    assert web.login("rina")


def test_a_password_change_with_the_right_fields_is_saved(web: Web) -> None:
    """The same form with the right current password and a good new one changes the password."""
    created = add_staff("budi", "Budi Santoso", "verifikator")
    browser = web.browser()
    submit_login(browser, "budi", created.password)
    page = browser.get("/backoffice/kata-sandi").text
    new = "Baru-Sekali-2027!"
    response = browser.post(
        "/backoffice/kata-sandi", data={"csrf": csrf_of(page), "current": created.password, "new": new, "again": new}
    )
    assert response.status_code == 200 and "Kata sandi sudah diganti." in response.text
    assert not Staff.get(Staff.username == "budi").must_change_password
    assert submit_login(web.browser(), "budi", new).status_code == 303


# -- 2. CSRF and security headers ----------------------------------------------------------------------
@pytest.mark.parametrize("token", [None, "bukan-token-sesi-ini"])
def test_a_step_without_the_session_csrf_token_is_refused_and_changes_nothing(
    web: Web, made_packages: list[Made], token: str | None
) -> None:
    """A step posted without the CSRF token, or with another one, gets the 403 page; the state stays."""
    key = web.receive(made_packages[0])
    web.staff("rina", "Rina Wulandari", "verifikator")
    browser = web.login("rina")
    form = {"langkah": "verify", "status": "received", "revisi": "1"}
    if token is not None:
        form["csrf"] = token
    response = browser.post(f"{_app_url(key)}/langkah", data=form)
    assert response.status_code == 403
    assert "text/html" in response.headers["content-type"]
    assert "Formulir kedaluwarsa" in response.text
    assert _state(key) == "received" and _events(key) == ["received"]
    # The same post with the page's token goes through (the refusal was the token, nothing else).
    assert _step(browser, key, browser.get(_app_url(key)).text, langkah="verify").status_code == 303
    assert _state(key) == "verified"


@pytest.mark.parametrize("login_csrf", ["", "token-lain"])
def test_a_log_in_without_the_log_in_pages_token_is_refused(web: Web, login_csrf: str) -> None:
    """A log-in post whose login_csrf does not match the cookie of the log-in page gets 403 and no session."""
    web.staff("rina", "Rina Wulandari", "verifikator")
    browser = web.browser()
    browser.get("/backoffice/masuk")
    data = {"username": "rina", "password": PASSWORD, "login_csrf": login_csrf, "next": "/backoffice/"}
    response = browser.post("/backoffice/masuk", data=data)
    assert response.status_code == 403
    assert "Halaman masuk kedaluwarsa" in response.text
    assert COOKIE not in browser.cookies
    assert StaffSession.select().count() == 0
    # A post from another site has no log-in cookie at all.
    stranger = web.browser()
    assert stranger.post("/backoffice/masuk", data={**data, "login_csrf": "x"}).status_code == 403


def test_pages_carry_a_content_security_policy(web: Web, made_packages: list[Made]) -> None:
    """The log-in page, an application page and an error page all send a CSP that allows only the server."""
    key = web.receive(made_packages[0])
    web.staff("rina", "Rina Wulandari", "verifikator")
    browser = web.login("rina")
    for response in (
        web.browser().get("/backoffice/masuk"),
        browser.get(_app_url(key)),
        browser.get(_app_url("3521-20261122-999999")),
    ):
        policy = response.headers.get(CSP, "")
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, response.url
        assert response.headers["x-frame-options"] == "DENY"


# -- 3. an expired session keeps the form ------------------------------------------------------------
def test_an_expired_session_sends_a_page_request_to_log_in_with_next(web: Web, made_packages: list[Made]) -> None:
    """After 16 idle minutes a page request is redirected to the log-in page, which will come back to it."""
    key = web.receive(made_packages[0])
    web.staff("rina", "Rina Wulandari", "verifikator")
    browser = web.login("rina")
    assert browser.get(_app_url(key)).status_code == 200
    StaffSession.update(last_seen_at=utcnow() - dt.timedelta(minutes=16)).execute()
    response = browser.get(_app_url(key))
    assert response.status_code == 303
    assert response.headers["location"] == f"/backoffice/masuk?next=%2Fbackoffice%2Fpermohonan%2F{key}"


def test_a_return_posted_after_expiry_is_refilled_after_logging_in_again(
    web: Web, made_packages: list[Made], reference: Reference
) -> None:
    """A long return reason posted after the session expired is kept through the log-in and refilled on the
    application page; nothing is applied until the staff member posts it again."""
    key = web.receive(made_packages[0])
    field, _requirement = _choices(made_packages[0], reference)
    web.staff("rina", "Rina Wulandari", "verifikator")
    browser = web.login("rina")
    page = browser.get(_app_url(key)).text
    StaffSession.update(last_seen_at=utcnow() - dt.timedelta(minutes=16)).execute()
    long_reason = "Nomor KK pada formulir berbeda dengan KK yang dipindai, mohon periksa dan pindai ulang. " * 8
    long_reason = long_reason.strip()
    response = _step(
        browser, key, page, langkah="return", alasan_1=field, pesan_1=long_reason, catatan="Cek juga alamat."
    )
    assert response.status_code == 200
    assert "Sesi Anda berakhir" in response.text and 'action="/backoffice/masuk"' in response.text
    kept = hidden_fields(response.text)
    assert kept["kept::pesan_1"] == long_reason and kept["kept::alasan_1"] == field
    assert _state(key) == "received" and _events(key) == ["received"]

    fields = {**kept, "username": "rina", "password": PASSWORD, "login_csrf": browser.cookies["loket_masuk"]}
    back = browser.post("/backoffice/masuk", data=fields)
    assert back.status_code == 303
    assert back.headers["location"] == _app_url(key)
    refilled = browser.get(_app_url(key)).text
    assert f'id="pesan_1" name="pesan_1" value="{html.escape(long_reason)}"' in refilled
    assert f'<option value="{html.escape(field)}" selected>' in refilled
    assert "Cek juga alamat.</textarea>" in refilled
    assert _state(key) == "received" and _events(key) == ["received"]
    # Refilled once: the next visit shows the empty form.
    assert long_reason not in browser.get(_app_url(key)).text


# -- 4. roles and scope -------------------------------------------------------------------------------
def test_a_pimpinan_reads_but_cannot_take_a_step(web: Web, made_packages: list[Made]) -> None:
    """A pimpinan sees the application with every step button disabled; a forged `sign` gets 403."""
    key = web.receive(made_packages[0])
    web.staff("kepala", "Kepala Dinas", "pimpinan")
    web.staff("rina", "Rina Wulandari", "verifikator")
    worker = web.login("rina").get(_app_url(key)).text
    assert 'data-step="verify"' in worker and 'data-step="return"' in worker

    browser = web.login("kepala")
    page = browser.get(_app_url(key))
    assert page.status_code == 200
    assert "data-step=" not in page.text, "no step a pimpinan could submit"
    assert re.search(r"<button type=\"button\" disabled[^>]*>Verifikasi</button>", page.text)
    forged = _step(browser, key, page.text, langkah="sign")
    assert forged.status_code == 403 and "Langkah tidak diizinkan" in forged.text
    forged = _step(browser, key, page.text, langkah="verify")
    assert forged.status_code == 403
    assert _events(key) == ["received"]


def test_the_api_refuses_a_step_outside_the_token_holders_roles(web: Web, made_packages: list[Made]) -> None:
    """POST /v1/backoffice/.../actions with a verifikator's token for `sign` is 403 step_not_allowed (JSON)."""
    key = web.receive(made_packages[0])
    verifikator = web.staff("rina", "Rina Wulandari", "verifikator")
    api = web.browser()
    api.headers["Authorization"] = f"Bearer {verifikator.token}"
    response = api.post(f"/v1/backoffice/applications/{key}/actions", json={"action": "sign"})
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"]["code"] == "step_not_allowed"
    assert _events(key) == ["received"]
    allowed = api.post(f"/v1/backoffice/applications/{key}/actions", json={"action": "verify"})
    assert allowed.status_code == 200 and allowed.json()["state"] == "verified"


@pytest.mark.parametrize("path", ["/backoffice/staf", "/backoffice/audit"])
def test_admin_pages_are_for_admins_only(web: Web, path: str) -> None:
    """The staff and audit pages answer 403 to a non-admin and open for an admin."""
    web.staff("rina", "Rina Wulandari", "verifikator,validator,pimpinan")
    web.staff("admin.dinas", "Admin Dinas", "admin")
    refused = web.login("rina").get(path)
    assert refused.status_code == 403 and "Tidak diizinkan" in refused.text
    assert web.login("admin.dinas").get(path).status_code == 200


def test_staff_of_another_kecamatan_neither_open_nor_find_an_application(web: Web, made_packages: list[Made]) -> None:
    """Staff posted to kecamatan 35.21.02 get the 404 page for a 35.21.01 application and miss it in queues and
    search, where staff posted to 35.21.01 find it."""
    made = made_packages[0]
    key = web.receive(made)
    web.staff("sari", "Sari Utami", "verifikator", kecamatan="35.21.01")
    web.staff("joko", "Joko Prasetyo", "verifikator", kecamatan="35.21.02")
    nik = made.package.applicant.nik
    name = made.package.applicant.name
    assert nik and name

    local, foreign = web.login("sari"), web.login("joko")
    assert local.get(_app_url(key)).status_code == 200
    link = f'href="{_app_url(key)}"'
    for path in ("/backoffice/antrian/semua", "/backoffice/antrian/verifikasi"):
        assert link in local.get(path).text
    for query in (nik, name.split()[0]):
        assert link in local.get("/backoffice/cari", params={"q": query}).text
    assert local.get("/backoffice/cari", params={"q": key}).headers["location"] == _app_url(key)

    hidden = foreign.get(_app_url(key))
    assert hidden.status_code == 404 and "Permohonan tidak ditemukan" in hidden.text
    for path in ("/backoffice/antrian/semua", "/backoffice/antrian/verifikasi"):
        response = foreign.get(path)
        assert response.status_code == 200 and link not in response.text
    for query in (nik, name.split()[0], key):
        response = foreign.get("/backoffice/cari", params={"q": query})
        assert response.status_code == 200 and link not in response.text
    token = csrf_of(foreign.get("/backoffice/").text)
    form = {"csrf": token, "langkah": "verify", "status": "received", "revisi": "1"}
    refused = foreign.post(f"{_app_url(key)}/langkah", data=form)
    assert refused.status_code == 404 and "Permohonan tidak ditemukan" in refused.text
    assert _events(key) == ["received"]


# -- 5. two staff on the same application -------------------------------------------------------------
def test_the_second_of_two_staff_verifying_is_told_who_was_first(web: Web, made_packages: list[Made]) -> None:
    """Both load the received application and post verify: the first wins (303), the second gets 409 naming
    the first; one `verified` event."""
    key = web.receive(made_packages[0])
    web.staff("rina", "Rina Wulandari", "verifikator")
    web.staff("budi", "Budi Santoso", "penerima")
    first, second = web.login("rina"), web.login("budi")
    first_page, second_page = first.get(_app_url(key)).text, second.get(_app_url(key)).text
    for page in (first_page, second_page):
        assert 'name="status" value="received"' in page

    won = _step(first, key, first_page, langkah="verify")
    assert won.status_code == 303
    assert won.headers["location"] == f"{_app_url(key)}?selesai=verify"
    lost = _step(second, key, second_page, langkah="verify")
    assert lost.status_code == 409
    assert "sudah diproses oleh Rina Wulandari" in lost.text
    assert _events(key) == ["received", "verified"]


def test_two_staff_verifying_at_once_on_postgresql_make_one_event(
    tmp_path: Path, reference: Reference, made_packages: list[Made]
) -> None:
    """Two threads post verify on the same application at the same moment against PostgreSQL: one 303, one
    409, exactly one `verified` event."""
    cluster = Postgres().start()
    try:
        web = open_web(cluster.create_database(), tmp_path, reference)
        key = web.receive(made_packages[0])
        web.staff("rina", "Rina Wulandari", "verifikator")
        web.staff("budi", "Budi Santoso", "penerima")
        browsers = [web.login("rina"), web.login("budi")]
        pages = [b.get(_app_url(key)).text for b in browsers]
        start = threading.Barrier(2)
        answers: dict[int, int] = {}

        def post(index: int) -> None:
            start.wait()
            answers[index] = _step(browsers[index], key, pages[index], langkah="verify").status_code

        threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert sorted(answers.values()) == [303, 409]
        assert Event.select().where(Event.state == "verified").count() == 1
        assert _state(key) == "verified"
    finally:
        database_proxy.obj.close()
        cluster.stop()


# -- 6. returns and rejections with reasons ----------------------------------------------------------
def test_a_return_carries_field_and_requirement_reasons_the_outpost_can_place(
    web: Web, made_packages: list[Made], reference: Reference
) -> None:
    """A return with one field reason and one requirement reason becomes an event whose reasons are exactly
    those two, in the form the outpost places beside the field and the requirement."""
    made = made_packages[0]
    key = web.receive(made)
    field, requirement = _choices(made, reference)
    web.staff("rina", "Rina Wulandari", "verifikator")
    browser = web.login("rina")
    page = browser.get(_app_url(key)).text
    assert f'<option value="{html.escape(field)}"' in page
    response = _step(
        browser, key, page, langkah="return", alasan_1=field, pesan_1="Nomor KK salah ketik.",
        alasan_2=requirement, pesan_2="KK buram, pindai ulang.", catatan="Perbaiki lalu kirim lagi.",
    )  # fmt: skip
    assert response.status_code == 303
    event = Event.select().where(Event.state == "returned").get()
    wire = [r.model_dump(exclude_defaults=True) for r in to_change(event).reasons]
    requirement_id = requirement.removeprefix("persyaratan:")
    assert wire == [
        {"path": field, "message": "Nomor KK salah ketik."},
        {"requirement": requirement_id, "message": "KK buram, pindai ulang."},
    ]
    form, _, path = field.partition(":")
    parsed = parse_reasons(wire)
    assert [(r.form, r.path, r.requirement) for r in parsed] == [(form, path, ""), ("", "", requirement_id)]
    assert event.note == "Perbaiki lalu kirim lagi."


def test_a_return_without_a_reason_is_refused_with_the_note_kept(web: Web, made_packages: list[Made]) -> None:
    """A return with no reason answers 422 with the message under the first row; the note stays filled in."""
    key = web.receive(made_packages[0])
    web.staff("rina", "Rina Wulandari", "verifikator")
    browser = web.login("rina")
    page = browser.get(_app_url(key)).text
    response = _step(browser, key, page, langkah="return", catatan="Catatan yang tidak boleh hilang.")
    assert response.status_code == 422
    assert "Alasan wajib diisi untuk mengembalikan atau menolak" in _row_of(response.text, "alasan_1")
    assert "Catatan yang tidak boleh hilang.</textarea>" in response.text
    assert _events(key) == ["received"]


def test_a_reason_naming_something_not_in_the_application_is_marked_on_its_row(
    web: Web, made_packages: list[Made], reference: Reference
) -> None:
    """A reason whose target is not among the application's choices gets the error on its own row; nothing
    is returned, and the valid row is kept."""
    key = web.receive(made_packages[0])
    field, _requirement = _choices(made_packages[0], reference)
    web.staff("rina", "Rina Wulandari", "verifikator")
    browser = web.login("rina")
    page = browser.get(_app_url(key)).text
    response = _step(
        browser, key, page, langkah="return", alasan_1=field, pesan_1="Nomor KK salah ketik.",
        alasan_2="F-1.02:tidak_ada.sama_sekali", pesan_2="Isian ini tidak ada.",
    )  # fmt: skip
    assert response.status_code == 422
    message = "Pilih isian atau persyaratan yang dimaksud alasan ini dari daftar."
    assert message in _row_of(response.text, "alasan_2")
    assert message not in _row_of(response.text, "alasan_1")
    assert 'value="Nomor KK salah ketik."' in _row_of(response.text, "alasan_1")
    assert _events(key) == ["received"]


def test_a_rejection_without_a_reason_is_refused(web: Web, made_packages: list[Made]) -> None:
    """Reject with no reason is refused (422) and the application stays received."""
    key = web.receive(made_packages[0])
    web.staff("rina", "Rina Wulandari", "verifikator")
    browser = web.login("rina")
    response = _step(browser, key, browser.get(_app_url(key)).text, langkah="reject")
    assert response.status_code == 422 and "Alasan wajib diisi" in response.text
    assert _state(key) == "received" and _events(key) == ["received"]


# -- 7. the read audit --------------------------------------------------------------------------------
def _with_a_real_page(made: Made) -> tuple[Made, str]:
    """The package with its first page replaced by a real WebP picture; the new page's hash."""
    picture = Image.new("RGB", (240, 340), "white")
    ImageDraw.Draw(picture).rectangle((20, 30, 200, 120), fill=(40, 90, 160))
    buffer = io.BytesIO()
    picture.save(buffer, format="WEBP", quality=80)
    data = buffer.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    first = made.package.documents[0]
    page = first.pages[0].model_copy(update={"sha256": sha, "size": len(data), "media_type": "image/webp"})
    documents = [first.model_copy(update={"pages": [page, *first.pages[1:]]}), *made.package.documents[1:]]
    return Made(made.package.model_copy(update={"documents": documents}), {**made.blobs, sha: data}), sha


def test_viewing_an_application_and_a_page_is_audited_in_an_unbroken_chain(web: Web, made_packages: list[Made]) -> None:
    """Opening an application and one of its full pages records view.application and view.page by the staff
    member; the chain verifies; an edited entry is shown as the break on the audit page."""
    made, sha = _with_a_real_page(made_packages[1])
    key = web.receive(made)
    web.staff("rina", "Rina Wulandari", "verifikator")
    web.staff("admin.dinas", "Admin Dinas", "admin")
    browser = web.login("rina")
    page = browser.get(_app_url(key))
    assert page.status_code == 200 and f"{_app_url(key)}/halaman/{sha}" in page.text
    image = browser.get(f"{_app_url(key)}/halaman/{sha}")
    assert image.status_code == 200 and image.headers["content-type"] == "image/webp"
    assert image.content == made.blobs[sha]

    seen = list(AuditLog.select().where(AuditLog.action.startswith("view.")).order_by(AuditLog.id))
    assert [(e.action, e.actor, e.subject) for e in seen] == [
        ("view.application", "staf:rina", key),
        ("view.page", "staf:rina", key),
    ]
    assert json.loads(seen[1].details) == {"sha256": sha[:16]}
    assert audit.verify().ok

    admin = web.login("admin.dinas")
    whole = admin.get("/backoffice/audit", params={"periksa": "1"})
    assert "Rantai audit utuh" in whole.text
    AuditLog.update(details=json.dumps({"revision": 7})).where(AuditLog.id == seen[0].id).execute()
    assert not audit.verify().ok
    broken = admin.get("/backoffice/audit", params={"periksa": "1"})
    assert broken.status_code == 200
    assert f"Rantai audit rusak pada catatan #{seen[0].id}" in broken.text


# -- 8. error pages -----------------------------------------------------------------------------------
def test_unknown_pages_answer_html_404_and_unknown_api_paths_json(web: Web) -> None:
    """An unknown application and an unknown back-office address give the HTML 404 page; the API stays JSON."""
    web.staff("rina", "Rina Wulandari", "verifikator")
    browser = web.login("rina")
    missing = browser.get(_app_url("3521-20261122-999999"))
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]
    assert "Permohonan tidak ditemukan" in missing.text and "Traceback" not in missing.text
    nowhere = browser.get("/backoffice/xyz")
    assert nowhere.status_code == 404 and "text/html" in nowhere.headers["content-type"]
    assert "Halaman tidak ditemukan" in nowhere.text
    api = browser.get("/v1/tidak-ada")
    assert api.status_code == 404 and api.headers["content-type"] == "application/json"
    assert api.json()["error"]["code"] == "http_404"


def test_a_database_gone_away_answers_503_as_a_page_and_as_json(tmp_path: Path, reference: Reference) -> None:
    """With PostgreSQL stopped under a running app, the back office shows the 503 page and the API answers 503
    JSON, and neither shows a traceback."""
    cluster = Postgres().start()
    try:
        web = open_web(cluster.create_database(), tmp_path, reference)
        staff = web.staff("rina", "Rina Wulandari", "verifikator")
        browser = web.login("rina")
        browser.headers["Authorization"] = f"Bearer {staff.token}"
        assert browser.get("/backoffice/").status_code == 200
        assert browser.get("/v1/backoffice/applications").status_code == 200
        cluster.stop()
        page = browser.get("/backoffice/")
        assert page.status_code == 503 and "text/html" in page.headers["content-type"]
        assert "Basis data tidak dapat dihubungi" in page.text and "Traceback" not in page.text
        api = browser.get("/v1/backoffice/applications")
        assert api.status_code == 503 and api.json()["error"]["code"] == "unavailable"
    finally:
        database_proxy.obj.close()
        cluster.stop()


# -- 9. reports ---------------------------------------------------------------------------------------
def test_reports_download_as_csv_and_pdf_and_chart_as_svg(web: Web, made_packages: list[Made]) -> None:
    """The daily register as CSV lists a received application; as PDF it is a PDF; the monthly page has a chart."""
    key = web.receive(made_packages[0])
    web.staff("kepala", "Kepala Dinas", "pimpinan")
    browser = web.login("kepala")
    day = today().isoformat()
    sheet = browser.get("/backoffice/laporan", params={"jenis": "harian", "tanggal": day, "format": "csv"})
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(sheet.text)))
    assert any(key in row for row in rows), rows
    pdf = browser.get("/backoffice/laporan", params={"jenis": "harian", "tanggal": day, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    monthly = browser.get("/backoffice/laporan", params={"jenis": "bulanan"})
    assert monthly.status_code == 200 and "<svg" in monthly.text


# -- 10. the upgrade from schema 1 --------------------------------------------------------------------
SCHEMA_2_COLUMNS = {
    "outpost": ("kecamatan",),
    "device": ("outbox_waiting", "outbox_oldest_at", "outbox_reported_at"),
    "staff": ("password_hash", "roles", "kecamatan", "must_change_password", "failed_logins", "last_failed_at",
              "token_expires_at"),
    "application": ("applicant_nik", "applicant_kk", "name_key", "due_date"),
    "audit_log": ("prev_hash", "entry_hash"),
}  # fmt: skip


def _down_to_schema_1(path: Path) -> None:
    """Take a schema-2 SQLite file back to schema 1: its columns, indexes and the session table gone."""
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE staff_session")
        indexes = connection.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index'").fetchall()
        for index, table, sql in indexes:
            if sql and any(f'"{c}"' in sql for c in SCHEMA_2_COLUMNS.get(table, ())):
                connection.execute(f'DROP INDEX "{index}"')
        for table, columns in SCHEMA_2_COLUMNS.items():
            present = {row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')}
            for column in columns:
                if column in present:
                    connection.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
        connection.execute("UPDATE server_meta SET value = '1' WHERE key = 'schema_version'")
        connection.execute("DELETE FROM server_meta WHERE key = 'audit_head'")
    connection.close()


def test_a_schema_1_database_is_upgraded_and_search_keys_filled_from_the_package(
    tmp_path: Path, reference: Reference, made_packages: list[Made]
) -> None:
    """A schema-1 database with an application opens as schema 2 with the applicant's NIK, KK and name key
    taken from its package, its SLA due date set, the outpost's kecamatan set and the session table made."""
    path = tmp_path / "server.db"
    database = bind(open_database(f"sqlite:///{path}"))
    storage = DiskStorage(tmp_path / "storage")
    made = made_packages[2]
    device = enrolled("35.21.01.2001", "Desa Sukamaju", "Laptop A")
    upload(storage, device, made.blobs)
    request = BatchRequest(batch_id=str(uuid.uuid4()), items=[made.package])
    [result] = OutpostIntake(storage, reference, today=lambda: TODAY).commit(device, request).results
    assert result.outcome == "accepted"
    database.close()
    _down_to_schema_1(path)
    with sqlite3.connect(path) as connection:
        columns = {row[1] for row in connection.execute('PRAGMA table_info("application")')}
    connection.close()
    assert "applicant_nik" not in columns

    database = bind(open_database(f"sqlite:///{path}"))
    try:
        assert ServerMeta.get(ServerMeta.key == "schema_version").value == "2"
        application = Application.get(Application.client_id == made.package.client_id)
        applicant = made.package.applicant
        assert applicant.nik and applicant.name
        assert application.applicant_nik == applicant.nik
        assert application.applicant_kk == applicant.kk
        assert application.name_key == name_key(applicant.name)
        assert application.due_date is not None and application.due_date > application.received_at.date()
        assert Outpost.get(Outpost.code == "35.21.01.2001").kecamatan == "35.21.01"
        assert database.table_exists("staff_session")
        report = audit.verify()
        assert report.ok and report.legacy > 0 and report.checked == 1, "old entries kept, the upgrade chained"
    finally:
        database.close()
