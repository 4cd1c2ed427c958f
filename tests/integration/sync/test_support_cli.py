"""Support from the command line against a real server: enrolment whose answer was lost, then retried with the
same code; `sync --once --json` that reports also when it fails; `outbox` and `applications` with the
registration number and the server's answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import requests
from requests.adapters import HTTPAdapter

from app.store import settings
from sync.client import Credentials, enrol
from tests.helpers.dinas import DinasServer, start_server
from tests.helpers.stores import SUPERVISOR, new_store
from tests.integration.sync.cases import submit_applications

OUTPOST = ("35.21.01.2001", "Desa Sukamaju")
ADMIN = str(Path(sys.executable).parent / "loket-admin")


class Killed(BaseException):
    """The command died after the server had answered, before the answer was read."""


class AnswerLost(HTTPAdapter):
    """A real HTTP exchange whose answer never reaches the caller."""

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        super().send(request, *args, **kwargs)
        raise Killed()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[DinasServer]:
    running = start_server(tmp_path / "server")
    yield running
    running.stop()


def test_an_enrolment_whose_answer_was_lost_succeeds_again_with_the_same_code(
    tmp_path: Path, server: DinasServer
) -> None:
    store = new_store(tmp_path / "outpost")
    try:
        code = server.add_outpost(*OUTPOST)
        lossy = requests.Session()
        lossy.mount("http://", AnswerLost())
        with pytest.raises(Killed):
            enrol(store, server.url, code, "Laptop Desa", session=lossy)
        assert not Credentials.exists()
        sent = settings.get("sync.enrolment_pending")["device_id"]
        info = enrol(store, server.url, code.lower(), "Laptop Desa")
        assert info.device_id == sent, "the same device id, so the code is not spent on a second device"
        assert Credentials.load().device_id == sent
        assert settings.get("sync.enrolment_pending") == {}
    finally:
        store.close()


def _admin(base: Path, *args: str, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ADMIN, "--basedir", str(base), "--user", SUPERVISOR[0], *args],
        capture_output=True,
        text=True,
        env=dict(env),
        timeout=180,
        check=False,
    )


def test_sync_once_reports_what_it_did_also_when_it_fails_and_support_sees_the_answers(
    tmp_path: Path, server: DinasServer
) -> None:
    base = tmp_path / "outpost"
    store = new_store(base)
    try:
        enrol(store, server.url, server.add_outpost(*OUTPOST), "Laptop Desa")
        [application] = submit_applications(store, 1, seed=21)
        client_id = application.client_id
    finally:
        store.close()
    env = {**os.environ, "LOKET_PASSWORD": SUPERVISOR[2]}

    synced = _admin(base, "--json", "sync", "--once", env=env)
    assert synced.returncode == 0, synced.stderr
    report = json.loads(synced.stdout)
    assert report["ok"] is True and report["accepted"] == 1

    outbox = json.loads(_admin(base, "--json", "outbox", env=env).stdout)
    [item] = outbox
    assert item["state"] == "acknowledged" and item["registration_number"]
    assert item["server_answer"]["registration_number"] == item["registration_number"]

    listed = _admin(base, "--json", "applications", "list", env=env)
    assert listed.returncode == 0, listed.stderr
    page = json.loads(listed.stdout)
    assert page["total"] == 1 and page["more"] == 0
    [row] = page["applications"]
    assert row["registration_number"] == item["registration_number"] and row["state"] == "received"
    assert row["pages"] > 0 and row["outbox_state"] == "acknowledged"
    shown = _admin(base, "applications", "show", item["registration_number"], env=env)
    assert shown.returncode == 0, shown.stderr
    assert client_id in shown.stdout and "jawaban server" in shown.stdout and "Riwayat:" in shown.stdout
    detail = json.loads(_admin(base, "--json", "applications", "show", client_id[:8], env=env).stdout)
    assert detail["page_list"] and detail["outbox"][0]["server_answer"]
    missing = _admin(base, "applications", "show", "tidak-ada", env=env)
    assert missing.returncode == 1 and "tidak ada" in missing.stderr

    server.stop()  # the Dinas is unreachable: the run fails, and its report still comes out
    failed = _admin(base, "--json", "sync", "--once", env=env)
    assert failed.returncode == 1
    answer = json.loads(failed.stdout)
    assert answer["ok"] is False and "Tidak dapat terhubung" in answer["error"]
    assert answer["sent"] == 0 and answer["outbox"] == {"acknowledged": 1}
    assert "dicoba lagi otomatis" not in failed.stdout + failed.stderr
