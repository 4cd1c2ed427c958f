"""The status round trip against a real server: accepted -> returned with reasons -> amended -> revision 2
accepted -> ready -> handed over, visible on both sides; plus invalid packages, outpost isolation,
catalogue updates, the worker, and loket-admin enrol / sync --once."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from app.resources import resources_dir
from app.store import applications as apps
from app.store import outbox, settings, status
from app.store.models import Application, OutboxItem, StatusEvent
from app.store.store import Store
from sync.client import AuthError, SyncClient, SyncState, SyncWorker, enrol
from sync.client.pacing import Backoff
from tests.helpers.dinas import DinasServer, start_server
from tests.helpers.stores import SUPERVISOR, new_store
from tests.integration.sync.cases import clean_case, draft_from_case, submit_applications

OUTPOST = ("35.21.01.2001", "Desa Sukamaju")
REGISTRATION = re.compile(r"^3521-\d{8}-\d{6}$")
ADMIN = str(Path(sys.executable).parent / "loket-admin")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[DinasServer]:
    running = start_server(tmp_path / "server")
    yield running
    running.stop()


@pytest.fixture
def store(tmp_path: Path, server: DinasServer) -> Iterator[Store]:
    opened = new_store(tmp_path / "outpost")
    enrol(opened, server.url, server.add_outpost(*OUTPOST), "Laptop Desa")
    yield opened
    opened.close()


def act(server: DinasServer, token: str, key: str, action: str, reasons: list[dict[str, str]] | None = None) -> None:
    response = requests.post(
        f"{server.url}/v1/backoffice/applications/{key}/actions",
        json={"action": action, "reasons": reasons or []},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text


def reload(application: Application) -> Application:
    fresh: Application = Application.get_by_id(application.id)
    return fresh


def test_status_round_trip(server: DinasServer, store: Store) -> None:
    staff = server.add_staff("rina")
    [application] = submit_applications(store, 1, seed=11)
    client = SyncClient(store)
    states: list[SyncState] = []

    report = client.run_once(states.append)
    assert (report.sent, report.accepted) == (1, 1)
    application = reload(application)
    assert application.state == "received"
    registration = application.registration_number
    assert registration is not None and REGISTRATION.match(registration)
    assert states[-1].items[0].phase == "acknowledged" and states[-1].fraction == 1.0

    reasons = [
        {"requirement": "kk", "message": "KK buram; pindai ulang halaman depan."},
        {"path": "F-1.02:pemohon.alamat", "message": "Alamat tidak sesuai KK."},
    ]
    act(server, staff, registration, "return", reasons)
    assert client.run_once().status_applied == 1
    application = reload(application)
    assert application.state == "returned"
    assert status.reasons_of(application) == reasons
    [notice] = status.notices()
    assert notice.state == "returned" and notice.label == "Perlu dilengkapi" and notice.reasons == tuple(reasons)
    status.dismiss(store, notice)
    assert status.notices() == []

    apps.amend(store, application)
    [(document, _pages)] = apps.pages_of(application)[:1]
    apps.attach_page(store, application, document.requirement_id, os.urandom(9000), media_type="image/jpeg")
    apps.submit(store, application)
    report = client.run_once()
    assert report.accepted == 1
    application = reload(application)
    assert (application.state, application.revision, application.registration_number) == ("received", 2, registration)

    for step in ("verify", "validate", "produce", "sign"):
        act(server, staff, registration, step)
    added = server.cli("staff", "add", "budi", "Budi Santoso", "--role", "pencetak")
    assert added.returncode == 0, added.stderr
    ready = server.cli("workflow", "ready", registration, "--staff", "budi")
    assert ready.returncode == 0, ready.stderr
    assert client.run_once().status_applied == 5
    application = reload(application)
    assert application.state == "ready"
    assert [n.state for n in status.notices()] == ["ready"]

    act(server, staff, registration, "handed_over")
    client.run_once()
    assert reload(application).state == "handed_over"
    assert status.notices() == []

    local = [
        e.state for e in StatusEvent.select().where(StatusEvent.application == application).order_by(StatusEvent.id)
    ]
    assert local == [
        "draft", "submitted", "received", "returned", "draft", "submitted", "received",
        "verified", "validated", "produced", "signed", "ready", "handed_over",
    ]  # fmt: skip
    detail = requests.get(
        f"{server.url}/v1/backoffice/applications/{registration}",
        headers={"Authorization": f"Bearer {staff}"},
        timeout=10,
    ).json()
    assert detail["application"]["state"] == "handed_over" and detail["application"]["revision"] == 2
    assert [c["state"] for c in detail["history"]] == [
        "received", "returned", "received", "verified", "validated", "produced", "signed", "ready", "handed_over",
    ]  # fmt: skip
    assert detail["history"][1]["reasons"][0]["requirement"] == "kk"
    assert {i.state for i in OutboxItem.select()} == {"acknowledged"}
    listed = server.cli("applications", "list", "--json")
    assert listed.returncode == 0 and '"handed_over"' in listed.stdout


def test_invalid_package_comes_back_returned_with_reasons(server: DinasServer, store: Store) -> None:
    rng = random.Random(3)
    from app.demo.people import PeopleGenerator

    case = clean_case(PeopleGenerator(3), rng)
    application = draft_from_case(store, case, rng)
    first_form = next(iter(case.forms))
    apps.save_answers(store, application, first_form, {})  # the officer's copy lost its answers
    apps.submit(store, application)
    report = SyncClient(store).run_once()
    assert report.invalid == 1 and report.accepted == 0
    application = reload(application)
    assert application.state == "returned" and application.registration_number is None
    codes = {r.get("code") for r in status.reasons_of(application)}
    assert codes and all(codes)
    assert OutboxItem.get().state == "acknowledged"


def test_an_outpost_sees_only_its_own_applications(tmp_path: Path, server: DinasServer, store: Store) -> None:
    [application] = submit_applications(store, 1, seed=12)
    SyncClient(store).run_once()
    other = new_store(tmp_path / "other")
    try:
        enrol(other, server.url, server.add_outpost("35.21.02.2002", "Desa Lain"), "Laptop Lain")
        device = settings.get("sync.device")
        headers = {"Authorization": f"Bearer {device['secret']}"}
        own = requests.get(f"{server.url}/v1/applications/{application.client_id}", headers=headers, timeout=10)
        assert own.status_code == 404
        feed = requests.get(f"{server.url}/v1/status", headers=headers, timeout=10).json()
        assert feed["changes"] == []
    finally:
        other.close()


def test_revoked_device_is_told_to_enrol_again(server: DinasServer, store: Store) -> None:
    device_id = settings.get("sync.device")["device_id"]
    assert server.cli("devices", "revoke", device_id).returncode == 0
    with pytest.raises(AuthError) as raised:
        SyncClient(store).run_once()
    assert raised.value.code == "device_revoked"
    assert not raised.value.transient


def test_a_servers_own_unsigned_catalogue_is_not_installed(tmp_path: Path) -> None:
    """`serve --reference DIR` validates against DIR, but only published (signed) versions reach outposts
    (tests/integration/sync/test_reference_versions.py)."""
    reference = tmp_path / "reference"
    for folder in ("catalog", "forms"):
        shutil.copytree(resources_dir() / folder, reference / folder)
    catalog = reference / "catalog" / "catalog.yaml"
    catalog.write_text(
        re.sub(r"^version: .*$", 'version: "2027.01-1"', catalog.read_text(encoding="utf-8"), flags=re.M),
        encoding="utf-8",
    )
    server = start_server(tmp_path / "server", reference=reference)
    store = new_store(tmp_path / "outpost")
    try:
        enrol(store, server.url, server.add_outpost(*OUTPOST), "Laptop Desa")
        assert not SyncClient(store).run_once().catalog_updated
        assert not (store.paths.reference).exists()
    finally:
        store.close()
        server.stop()


def test_worker_syncs_in_the_background_pauses_and_resumes(server: DinasServer, store: Store) -> None:
    submit_applications(store, 2, seed=13)
    seen: list[SyncState] = []
    worker = SyncWorker(SyncClient(store), interval=3600, backoff=Backoff(base=0.1, cap=1.0), listener=seen.append)
    worker.start()
    try:
        deadline = time.monotonic() + 30
        while worker.last_report is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert worker.last_report is not None and worker.last_report.accepted == 2
        assert any(s.phase == "uploading" for s in seen) and seen[-1].next_attempt_at is not None
        worker.pause()
        assert worker.state().phase == "paused"
        submit_applications(store, 1, seed=14)
        time.sleep(0.3)
        assert outbox.sendable(), "nothing is sent while paused"
        worker.resume()
        deadline = time.monotonic() + 30
        while outbox.sendable() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not outbox.sendable()
    finally:
        worker.stop()
    assert not worker.alive


def test_admin_enrol_and_sync_once(tmp_path: Path, server: DinasServer) -> None:
    base = tmp_path / "admin-outpost"
    store = new_store(base)
    submit_applications(store, 2, seed=15)
    store.close()
    username, _, password = SUPERVISOR
    env = {**os.environ, "LOKET_PASSWORD": password}

    def admin(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [ADMIN, "--basedir", str(base), "--user", username, *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )

    code = server.add_outpost(*OUTPOST)
    enrolled = admin("enrol", server.url, code, "--name", "Laptop Admin")
    assert enrolled.returncode == 0, enrolled.stderr
    assert "35.21.01.2001" in enrolled.stdout
    again = admin("enrol", server.url, code)
    assert again.returncode == 1 and "sudah dipakai" in again.stderr
    synced = admin("--json", "sync", "--once")
    assert synced.returncode == 0, synced.stderr
    assert '"accepted": 2' in synced.stdout
    state = admin("sync")
    assert state.returncode == 0 and "terdaftar" in state.stdout and "acknowledged" in state.stdout
