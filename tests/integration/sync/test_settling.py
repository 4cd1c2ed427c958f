"""Settling with the Dinas against a real server, faults from the link emulator: a revoked laptop stops, a
wiped one ends unreadable and starts afresh, a cancellation after a cut send and a parked conflict end with
both sides agreeing (issue 18, items 2 and 3)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.paths import DataPaths
from app.store import applications as apps
from app.store import settings, settlement
from app.store.errors import NotInitialisedError, WrongPasswordError
from app.store.models import Answer, Application, CancelRequest, OutboxItem
from app.store.store import Store
from sync.client import SyncClient, Transport, enrol
from sync.client.errors import ConnectionFailedError, DeviceRevokedError, DeviceWipedError
from sync.client.pacing import Backoff
from sync.client.uploads import Retrier
from sync.client.wipe import finish_pending, receipt_path
from tests.helpers.dinas import DinasServer, start_server
from tests.helpers.linkemu import LinkEmulator
from tests.helpers.stores import OPERATOR, SUPERVISOR, new_store, with_operator
from tests.integration.sync.cases import submit_applications

OUTPOST = ("35.21.01.2001", "Desa Sukamaju")
QUICK = Retrier(attempts=2, backoff=Backoff(base=0.01, cap=0.02))


@pytest.fixture
def server(tmp_path: Path) -> Iterator[DinasServer]:
    running = start_server(tmp_path / "server")
    yield running
    running.stop()


@pytest.fixture
def link(server: DinasServer) -> Iterator[LinkEmulator]:
    emulator = LinkEmulator(server.port).start()
    yield emulator
    emulator.stop()


@pytest.fixture
def store(tmp_path: Path, server: DinasServer) -> Iterator[Store]:
    opened = new_store(tmp_path / "outpost")
    with_operator(opened)
    enrol(opened, server.url, server.add_outpost(*OUTPOST), "Laptop Desa")
    yield opened
    opened.close()


def client_over(store: Store, link: LinkEmulator) -> SyncClient:
    """A sync client whose every request crosses the link emulator."""
    secret = settings.get("sync.device")["secret"]
    return SyncClient(store, Transport(link.url, secret), retrier=QUICK)


def device_id() -> str:
    value: str = settings.get("sync.device")["device_id"]
    return value


def server_application(server: DinasServer, client_id: str) -> object:
    from sync.server.models import Application as ServerApplication

    server.bind()
    return ServerApplication.get_or_none(ServerApplication.client_id == client_id)


def audit_actions(server: DinasServer) -> list[str]:
    from sync.server.models import AuditLog

    server.bind()
    return [row.action for row in AuditLog.select().order_by(AuditLog.id)]


def reload(application: Application) -> Application:
    fresh: Application = Application.get_by_id(application.id)
    return fresh


# -- revoked and wiped ----------------------------------------------------------------------------------------
def test_a_revoked_laptop_stops_syncing_and_says_to_call_dinas_it(
    server: DinasServer, store: Store, link: LinkEmulator
) -> None:
    client = client_over(store, link)
    client.run_once()
    assert server.cli("devices", "revoke", device_id()).returncode == 0

    with pytest.raises(DeviceRevokedError) as raised:
        client.run_once()
    assert raised.value.code == "device_revoked" and not raised.value.transient
    assert "hubungi TI Dinas" in raised.value.message
    state = client.state()
    assert state.phase == "revoked" and state.label == "Akses dicabut Dinas: hubungi TI Dinas"

    contacted = link.requests
    with pytest.raises(DeviceRevokedError):
        client.run_once()
    assert link.requests == contacted  # no retry loop: the server is not contacted again
    assert store.paths.keyring.exists()  # a revocation keeps the data


def test_a_wiped_laptop_ends_unreadable_acknowledges_and_starts_afresh(
    tmp_path: Path, server: DinasServer, store: Store, link: LinkEmulator
) -> None:
    client = client_over(store, link)
    [sent] = submit_applications(store, 1, seed=41)
    client.run_once()
    assert reload(sent).state == "received"
    [queued] = submit_applications(store, 1, seed=42)  # waits in the outbox when the order comes
    page_bytes = {store.blobs.get(h) for h in _blob_hashes(queued)}

    wiped = server.cli("devices", "wipe", device_id())
    assert wiped.returncode == 0, wiped.stderr
    with pytest.raises(DeviceWipedError) as raised:
        client.run_once()
    assert client.state().phase == "wiped" and "dihapus" in raised.value.message

    # Nothing more was sent: the queued application never reached the Dinas.
    assert server_application(server, queued.client_id) is None
    # The Dinas journaled the order and the acknowledgement.
    actions = audit_actions(server)
    assert actions.index("device.wipe_order") < actions.index("device.wiped")
    listed = json.loads(server.cli("devices", "list", "--json").stdout)
    assert listed[0]["wipe_ordered"] and listed[0]["wiped_at"]

    # A copy of the disk taken now (the store is still open) opens with nobody's password.
    image = tmp_path / "image"
    shutil.copytree(store.paths.base, image)
    assert not (image / "keys.json").exists()
    for username, _name, password in (SUPERVISOR, OPERATOR):
        with pytest.raises((NotInitialisedError, WrongPasswordError)):
            Store.unlock(DataPaths(image), username, password)
    assert not (image / "loket.db").read_bytes().startswith(b"SQLite format 3")
    blobs = b"".join(p.read_bytes() for p in (image / "blobs").rglob("*") if p.is_file())
    assert blobs and not any(page[:64] in blobs for page in page_bytes)

    store.close()
    assert finish_pending(store.paths)
    assert not Store.exists(store.paths)
    assert {p.name for p in store.paths.base.iterdir()} <= {"logs"}
    fresh = new_store(store.paths.base)  # the app starts as a fresh installation
    try:
        assert fresh.officer.username == SUPERVISOR[0]
        assert not finish_pending(fresh.paths)  # and a later start does not touch it
        assert Store.exists(fresh.paths)
    finally:
        fresh.close()


def test_a_wipe_whose_acknowledgement_is_lost_is_finished_and_acknowledged_at_the_next_start(
    server: DinasServer, store: Store, link: LinkEmulator
) -> None:
    client = client_over(store, link)
    client.run_once()
    assert server.cli("devices", "wipe", device_id()).returncode == 0
    link.plan_fault("POST /v1/device/wiped", "error_5xx")
    with pytest.raises(DeviceWipedError):
        client.run_once()
    assert not store.paths.keyring.exists()
    receipt = json.loads(receipt_path(store.paths).read_text())
    assert receipt["acknowledged"] is False
    assert "device.wiped" not in audit_actions(server)

    store.close()
    assert finish_pending(store.paths)
    assert not receipt_path(store.paths).exists()
    assert "device.wiped" in audit_actions(server)
    assert not Store.exists(store.paths)


def test_a_wipe_answer_not_signed_by_the_dinas_does_not_wipe(
    server: DinasServer, store: Store, link: LinkEmulator
) -> None:
    client = client_over(store, link)
    client.run_once()
    # The laptop learnt another key (as if the order came from a server that is not its Dinas).
    other = (
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    device = settings.get("sync.device")
    assert device["order_key"]  # learnt at enrolment
    device["order_key"] = base64.b64encode(other).decode("ascii")
    settings.put("sync.device", device)
    assert server.cli("devices", "wipe", device_id()).returncode == 0

    with pytest.raises(DeviceRevokedError):
        client.run_once()
    assert store.paths.keyring.exists() and not receipt_path(store.paths).exists()
    assert "device.wiped" not in audit_actions(server)
    store.close()
    assert not finish_pending(store.paths)
    Store.unlock(store.paths, SUPERVISOR[0], SUPERVISOR[2]).close()


def test_a_laptop_enrolled_before_order_keys_learns_the_key_and_obeys(
    server: DinasServer, store: Store, link: LinkEmulator
) -> None:
    device = settings.get("sync.device")
    del device["order_key"]
    settings.put("sync.device", device)
    client = client_over(store, link)
    client.run_once()
    assert settings.get("sync.device")["order_key"]
    assert server.cli("devices", "wipe", device_id()).returncode == 0
    with pytest.raises(DeviceWipedError):
        client.run_once()
    assert not store.paths.keyring.exists()


def _blob_hashes(application: Application) -> list[str]:
    return [page.blob_hash for _doc, pages in apps.pages_of(application) for page in pages]


# -- cancellations --------------------------------------------------------------------------------------------
def test_cancelling_after_a_send_whose_answer_was_lost_ends_cancelled_on_both_sides(
    server: DinasServer, store: Store, link: LinkEmulator
) -> None:
    """The issue's split: the server committed the batch, the answer never came, a supervisor cancels."""
    client = client_over(store, link)
    [application] = submit_applications(store, 1, seed=51)
    link.plan_fault("POST /v1/batches", "reset_response", times=2)
    with pytest.raises(ConnectionFailedError):
        client.run_once()
    held = server_application(server, application.client_id)
    assert held is not None and held.state == "received"  # type: ignore[attr-defined]
    assert reload(application).state == "submitted"

    request = settlement.cancel(store, reload(application), "Pemohon pindah domisili")
    assert request is not None  # it may be at the Dinas: a request, not a local cancel
    assert reload(application).state == "submitted"
    assert settlement.settlements([application.client_id])[application.client_id].label == "Pembatalan diminta"
    with pytest.raises(Exception, match="menunggu jawaban Dinas"):
        settlement.cancel(store, reload(application), "lagi")

    report = client.run_once()
    assert report.cancellations_answered == 1 and report.sent == 0
    local = reload(application)
    held = server_application(server, application.client_id)
    assert held.state == local.state == "cancelled"  # type: ignore[attr-defined]
    assert local.registration_number == held.registration_number  # type: ignore[attr-defined]
    assert {i.state for i in OutboxItem.select()} == {"acknowledged"}
    assert settlement.settlements([application.client_id])[application.client_id].label == "Dibatalkan Dinas"
    # The staff's queues drop it, the feed does not carry it, and nothing is sent again.
    listed = json.loads(server.cli("applications", "list", "--state", "received", "--json").stdout)
    assert application.client_id not in json.dumps(listed)
    again = client.run_once()
    assert again.sent == 0 and again.status_applied == 0 and again.cancellations_answered == 0


def test_a_cancellation_delivered_twice_with_its_answer_lost_is_decided_once(
    server: DinasServer, store: Store, link: LinkEmulator
) -> None:
    client = client_over(store, link)
    [application] = submit_applications(store, 1, seed=52)
    client.run_once()
    settlement.cancel(store, reload(application), "Salah layanan")
    link.plan_fault("POST /v1/cancellations", "reset_response", times=2)  # done at the Dinas, answers lost
    link.plan_fault("POST /v1/cancellations", "duplicate")  # the next one arrives twice
    with pytest.raises(ConnectionFailedError):
        client.run_once()
    assert [r.state for r in CancelRequest.select()] == ["pending"]
    held = server_application(server, application.client_id)
    assert held.state == "cancelled"  # type: ignore[attr-defined]

    assert client.run_once().cancellations_answered == 1
    assert reload(application).state == "cancelled"
    from sync.server.models import Cancellation, Event

    server.bind()
    assert Cancellation.select().count() == 1
    assert Event.select().where(Event.state == "cancelled").count() == 1
    assert audit_actions(server).count("application.cancel_request") == 1
    [row] = CancelRequest.select()
    assert (row.state, row.outcome, row.attempts) == ("answered", "cancelled", 2)


def test_a_cancellation_after_signing_is_too_late_and_both_sides_keep_it(
    server: DinasServer, store: Store, link: LinkEmulator
) -> None:
    client = client_over(store, link)
    staff = server.add_staff("rina")
    [application] = submit_applications(store, 1, seed=53)
    client.run_once()
    registration = reload(application).registration_number
    assert registration is not None
    from sync.server import workflow

    server.bind()
    for step in ("verify", "validate", "produce", "sign"):
        workflow.act(registration, step, "staf:rina")
    assert staff
    settlement.cancel(store, reload(application), "Pemohon membatalkan")
    report = client.run_once()
    assert report.cancellations_answered == 1
    local = reload(application)
    held = server_application(server, application.client_id)
    assert held.state == local.state == "signed"  # type: ignore[attr-defined]
    shown = settlement.settlements([application.client_id])[application.client_id]
    assert shown.label == "Pembatalan ditolak Dinas" and "Ditandatangani" in shown.detail


def test_an_application_cancelled_before_the_dinas_had_it_is_not_taken_in_later(
    server: DinasServer, store: Store, link: LinkEmulator
) -> None:
    client = client_over(store, link)
    [application] = submit_applications(store, 1, seed=54)
    link.plan_fault("POST /v1/batches", "reset_request", times=2)  # the batch never arrives
    with pytest.raises(ConnectionFailedError):
        client.run_once()
    assert server_application(server, application.client_id) is None
    settlement.cancel(store, reload(application), "Dokumen palsu")
    client.run_once()
    local = reload(application)
    assert local.state == "cancelled" and local.registration_number is None
    [row] = CancelRequest.select()
    assert json.loads(row.answer)["held"] is False

    # A late copy of the batch (a proxy's replay) is not taken in.
    from sync.client.enrol import Credentials
    from sync.client.package import Signer, build_package
    from sync.protocol import BatchRequest, BatchResponse

    [item] = OutboxItem.select()
    package = build_package(item, Signer(Credentials.load().signing_key or b""))
    late = BatchRequest(batch_id="0b0c9a52-5a1e-4f59-9d43-d3b8a8e7c001", device_time=dt.datetime.now(), items=[package])
    answer = Transport(server.url, Credentials.load().secret).post("/v1/batches", late, BatchResponse)
    assert answer.results[0].outcome == "invalid" and answer.results[0].reasons[0].code == "cancelled"
    assert server_application(server, application.client_id) is None


def test_a_draft_never_sent_is_cancelled_at_once(server: DinasServer, store: Store) -> None:
    [application] = submit_applications(store, 1, seed=55)
    assert settlement.cancel(store, reload(application), "Salah input") is None
    assert reload(application).state == "cancelled"
    assert CancelRequest.select().count() == 0


# -- conflicts ------------------------------------------------------------------------------------------------
def test_a_parked_conflict_shows_and_then_follows_the_dinas_decision(
    server: DinasServer, store: Store, link: LinkEmulator
) -> None:
    client = client_over(store, link)
    [application] = submit_applications(store, 1, seed=61)
    client.run_once()
    registration = reload(application).registration_number
    # A laptop restored from an older copy submits revision 1 again, with other content.
    Application.update(state="submitted").where(Application.id == application.id).execute()
    answer = Answer.select().where(Answer.application == application).first()
    data = json.loads(answer.data)
    data["_catatan_uji"] = "berbeda"
    Answer.update(data=json.dumps(data)).where(Answer.id == answer.id).execute()
    OutboxItem.create(application=application, revision=1, item_id="7d8a7c1e-0f5e-4c36-9d86-3f0e2b9a0001")

    report = client.run_once()
    assert report.conflicts == 1
    shown = settlement.settlements([application.client_id])[application.client_id]
    assert shown.label == "Konflik, menunggu keputusan Dinas" and "Jangan kirim ulang" in shown.detail
    assert client.run_once().conflicts_decided == 0  # asked, not decided yet

    from app.resources import resources_dir
    from sync.server import conflicts
    from sync.server.models import Conflict
    from sync.server.reference import Reference

    server.bind()
    [parked] = Conflict.select()
    conflicts.resolve(
        parked.id, "keep", "staf:rina", Reference.load(resources_dir()), dt.date.today(), "Data lama sudah benar."
    )
    assert client.run_once().conflicts_decided == 1
    local = reload(application)
    held = server_application(server, application.client_id)
    assert local.state == held.state == "received"  # type: ignore[attr-defined]
    assert local.registration_number == registration
    shown = settlement.settlements([application.client_id])[application.client_id]
    assert shown.label == "Konflik diputuskan Dinas"
    assert "mempertahankan versi yang sudah diterima" in shown.detail and "Data lama sudah benar." in shown.detail
    assert client.run_once().conflicts_decided == 0  # not asked again


def test_an_accepted_conflict_is_the_same_revision_on_both_sides(
    server: DinasServer, store: Store, link: LinkEmulator
) -> None:
    """The Dinas takes the laptop's other content of revision 1: both sides hold revision 1, received, and the
    laptop follows the decision (the revision numbers match)."""
    client = client_over(store, link)
    [application] = submit_applications(store, 1, seed=62)
    client.run_once()
    registration = reload(application).registration_number
    Application.update(state="submitted").where(Application.id == application.id).execute()
    answer = Answer.select().where(Answer.application == application).first()
    data = json.loads(answer.data)
    data["_catatan_uji"] = "versi laptop"
    Answer.update(data=json.dumps(data)).where(Answer.id == answer.id).execute()
    OutboxItem.create(application=application, revision=1, item_id="7d8a7c1e-0f5e-4c36-9d86-3f0e2b9a0002")
    assert client.run_once().conflicts == 1

    from app.resources import resources_dir
    from sync.server import conflicts
    from sync.server.models import Conflict
    from sync.server.reference import Reference

    server.bind()
    [parked] = Conflict.select()
    conflicts.resolve(parked.id, "accept", "staf:rina", Reference.load(resources_dir()), dt.date.today())
    assert client.run_once().conflicts_decided == 1
    local = reload(application)
    held = server_application(server, application.client_id)
    assert local.revision == held.revision == 1  # type: ignore[attr-defined]
    assert local.state == held.state == "received"  # type: ignore[attr-defined]
    assert local.registration_number == registration
    assert settlement.settlements([application.client_id])[application.client_id].label == "Konflik diputuskan Dinas"


# -- enrolment ------------------------------------------------------------------------------------------------
def test_an_enrolment_cut_after_the_server_registered_it_succeeds_again_with_the_same_code(
    tmp_path: Path, server: DinasServer, link: LinkEmulator
) -> None:
    opened = new_store(tmp_path / "laptop")
    try:
        code = server.add_outpost(*OUTPOST)
        link.plan_fault("POST /v1/enrol", "reset_response", times=6)  # registered each time, every answer lost
        with pytest.raises(ConnectionFailedError):
            enrol(opened, link.url, code, "Laptop Desa")
        info = enrol(opened, link.url, code, "Laptop Desa")  # support staff run it again
        assert info.device_id == settings.get("sync.device")["device_id"]
        from sync.server.models import Device

        server.bind()
        assert [d.device_id for d in Device.select()] == [info.device_id]  # one device; the code not spent twice
        assert "device.enrol" in audit_actions(server)
    finally:
        opened.close()
