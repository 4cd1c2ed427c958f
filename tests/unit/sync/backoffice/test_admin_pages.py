"""Supervisor and admin pages against the real app: conflicts settled and told to the outpost, outposts added
with a working enrolment code, a stolen laptop revoked, an outpost deactivated, staff added, all journaled."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from sync.protocol import ApplicationPackage, BatchRequest, EnrolRequest
from sync.server import auth
from sync.server.errors import UnauthorizedError
from sync.server.feed import changes_after
from sync.server.models import Application, AuditLog, Conflict, Device, Outpost, Staff, Submission
from sync.server.staff import authenticate
from tests.unit.sync.backoffice.conftest import Web, csrf_of
from tests.unit.sync.conftest import Made, device_key


def _park(web: Web, made: Made, name: str) -> Conflict:
    """Send a received package again under the same item id with other content: intake parks a conflict."""
    changed = made.package.model_copy(update={"applicant": made.package.applicant.model_copy(update={"name": name})})
    ApplicationPackage.model_validate(changed.model_dump())
    [result] = web.intake.commit(web.device, BatchRequest(batch_id=str(uuid.uuid4()), items=[changed])).results
    assert result.outcome == "conflict"
    conflict: Conflict = Conflict.get(Conflict.client_id == made.package.client_id)
    return conflict


def _admin(web: Web) -> TestClient:
    web.staff("admin.dinas", "Hendra Gunawan", "admin")
    return web.login("admin.dinas")


def test_accepting_a_conflict_replaces_that_revision_and_tells_the_outpost(web: Web, made_packages: list[Made]) -> None:
    """Accept: the incoming package replaces revision 1 under the outpost's own number (both sides keep counting
    the same revisions), received again, with a feed change and an audit entry naming what it replaced."""
    key = web.receive(made_packages[0])
    conflict = _park(web, made_packages[0], "SITI AMINAH BINTI SALEH")
    browser = _admin(web)
    listing = browser.get("/backoffice/konflik").text
    assert f"/backoffice/konflik/{conflict.id}" in listing
    page = browser.get(f"/backoffice/konflik/{conflict.id}")
    assert page.status_code == 200 and "SITI AMINAH BINTI SALEH" in page.text and "Versi masuk" in page.text
    done = browser.post(
        f"/backoffice/konflik/{conflict.id}",
        data={"csrf": csrf_of(page.text), "keputusan": "accept", "catatan": "Nama sesuai akta."},
    )
    assert done.status_code == 200 and "diterima sebagai revisi 1" in done.text
    application = Application.get(Application.registration_number == key)
    assert (application.revision, application.state, application.applicant_name) == (
        1,
        "received",
        "SITI AMINAH BINTI SALEH",
    )
    [stored] = Submission.select().where(Submission.client_id == made_packages[0].package.client_id)
    assert stored.revision == 1 and stored.content_hash == conflict.content_hash
    last = changes_after(web.device.outpost_id, 0).changes[-1]
    assert last.revision == 1 and last.state == "received" and "Nama sesuai akta." in last.note
    settled = Conflict.get_by_id(conflict.id)
    assert settled.resolved_at is not None and '"replaced"' in settled.resolution
    entry = AuditLog.select().where(AuditLog.action == "conflict.accept").get()
    assert entry.actor == "staf:admin.dinas"
    again = browser.post(f"/backoffice/konflik/{conflict.id}", data={"csrf": csrf_of(page.text), "keputusan": "keep"})
    assert again.status_code == 409 and "sudah diselesaikan" in again.text


@pytest.mark.parametrize("decision", ["keep", "duplicate"])
def test_keeping_or_marking_a_duplicate_leaves_the_application_and_tells_the_outpost(
    web: Web, made_packages: list[Made], decision: str
) -> None:
    """Keep / duplicate: nothing changes at the Dinas, the outpost gets a change with the same state and a note."""
    key = web.receive(made_packages[1])
    conflict = _park(web, made_packages[1], "NAMA LAIN SEKALI")
    browser = _admin(web)
    page = browser.get(f"/backoffice/konflik/{conflict.id}").text
    done = browser.post(f"/backoffice/konflik/{conflict.id}", data={"csrf": csrf_of(page), "keputusan": decision})
    assert done.status_code == 200
    application = Application.get(Application.registration_number == key)
    assert (application.revision, application.state) == (1, "received")
    assert application.applicant_name != "NAMA LAIN SEKALI"
    last = changes_after(web.device.outpost_id, 0).changes[-1]
    assert last.state == "received" and "Konflik diselesaikan Dinas" in last.note
    assert AuditLog.select().where(AuditLog.action == f"conflict.{decision}").count() == 1


def test_a_verifier_cannot_settle_conflicts(web: Web, made_packages: list[Made]) -> None:
    """Conflicts are for validators and admins: a verifier gets the 403 page and nothing is settled."""
    web.receive(made_packages[2])
    conflict = _park(web, made_packages[2], "ORANG LAIN")
    web.staff("rina", "Rina Wulandari", "verifikator")
    browser = web.login("rina")
    assert browser.get("/backoffice/konflik").status_code == 403
    assert Conflict.get_by_id(conflict.id).resolved_at is None


def test_an_outpost_added_on_the_page_gets_a_slip_whose_code_enrols_a_laptop(web: Web) -> None:
    """A missing name is refused beside the field with the code kept; a complete one prints a working code."""
    browser = _admin(web)
    page = browser.get("/backoffice/pos").text
    refused = browser.post("/backoffice/pos", data={"csrf": csrf_of(page), "kode": "35.21.03.2004", "nama": ""})
    assert refused.status_code == 422
    assert "Nama pos pelayanan wajib diisi" in refused.text and 'value="35.21.03.2004"' in refused.text
    slip = browser.post(
        "/backoffice/pos", data={"csrf": csrf_of(page), "kode": "35.21.03.2004", "nama": "Desa Tanjungsari"}
    )
    assert slip.status_code == 200 and "<svg" in slip.text
    code = slip.text.split('<span class="one-time">')[1].split("<")[0]
    outpost = Outpost.get(Outpost.code == "35.21.03.2004")
    assert outpost.kecamatan == "35.21.03"
    device = auth.enrol(
        EnrolRequest(
            code=code,
            device_id=str(uuid.uuid4()),
            device_secret="x" * 48,
            device_name="Laptop Baru",
            public_key=device_key()[1],
        )
    )
    assert device.outpost_id == outpost.id


def test_revoking_a_stolen_laptop_and_deactivating_an_outpost_are_journaled(web: Web) -> None:
    """The revoked device's token stops working at once; the inactive outpost's devices are refused too."""
    browser = _admin(web)
    page = browser.get("/backoffice/pos").text
    assert web.device.device_id in page or web.device.device_id[:8] in page
    revoked = browser.post(f"/backoffice/perangkat/{web.device.device_id}/cabut", data={"csrf": csrf_of(page)})
    assert revoked.status_code == 303
    with pytest.raises(UnauthorizedError):
        auth.device_for_token("s" * 40 + "LaptopA")
    assert Device.get_by_id(web.device.id).revoked
    entry = AuditLog.select().where(AuditLog.action == "device.revoke").get()
    assert (entry.actor, entry.subject) == ("staf:admin.dinas", web.device.device_id)
    other_code = web.other.outpost.code
    off = browser.post(f"/backoffice/pos/{other_code}/status", data={"csrf": csrf_of(page), "aktif": "0"})
    assert off.status_code == 303 and not Outpost.get(Outpost.code == other_code).active
    with pytest.raises(UnauthorizedError):
        auth.device_for_token("s" * 40 + "LaptopB")
    assert AuditLog.select().where(AuditLog.action == "outpost.deactivate").count() == 1


def test_staff_added_on_the_page_see_their_one_time_password_once(web: Web) -> None:
    """A bad username is refused beside the field with what was typed kept; a good one shows the password once."""
    browser = _admin(web)
    page = browser.get("/backoffice/staf").text
    form = {"csrf": csrf_of(page), "username": "Rina K", "nama": "Rina Kusumawati", "peran": ["verifikator"]}
    refused = browser.post("/backoffice/staf", data=form)
    assert refused.status_code == 422 and "huruf kecil" in refused.text and "Rina Kusumawati" in refused.text
    done = browser.post("/backoffice/staf", data={**form, "username": "rina.k"})
    assert done.status_code == 200
    password = done.text.split('Kata sandi sekali pakai (wajib diganti saat masuk): <span class="one-time">')[1]
    password = password.split("<")[0]
    staff = authenticate("rina.k", password)
    assert staff.must_change_password and staff.roles == "verifikator"
    assert "one-time" not in browser.get("/backoffice/staf").text, "shown once only"
    assert Staff.select().where(Staff.username == "rina.k").count() == 1
