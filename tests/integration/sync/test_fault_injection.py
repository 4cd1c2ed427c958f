"""Sync through a faulty link with outpost processes SIGKILLed mid-upload, on SQLite and on PostgreSQL.

Two outposts sync at once through the link emulator (resets mid-request and mid-answer, truncated
answers, stalls, 503s before and after the work, duplicated deliveries) while the test SIGKILLs
their sync processes right after an upload made progress, again and again; then they run to the
end. Afterwards the server holds exactly the submitted revisions, once each, every document's hash
verifies, there are no conflicts and no partial uploads, and every outbox item is acknowledged.
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from app.paths import DataPaths
from app.store import Store
from app.store.models import Application, OutboxItem
from sync.client import Timeouts, enrol
from sync.client.pacing import KIB
from tests.helpers.dinas import DinasServer, start_server
from tests.helpers.linkemu import LinkEmulator, LinkProfile
from tests.helpers.pg import Postgres
from tests.helpers.stores import SUPERVISOR, new_store
from tests.integration.sync.cases import submit_applications

ROOT = Path(__file__).resolve().parents[3]
APPLICATIONS = 20  # per outpost
KILLS = 12  # per outpost
MIN_FAULTS = 100
PROFILE = LinkProfile(
    latency=0.004,
    bandwidth=6 * 1024 * 1024,
    reset_request=0.06,
    reset_response=0.05,
    truncate=0.05,
    stall=0.01,
    error_5xx=0.05,
    error_5xx_after=0.05,
    duplicate=0.06,
    stall_seconds=2.5,
)


@dataclass
class Outpost:
    """One outpost laptop: its data folder and what it submitted."""

    base: Path
    submitted: set[tuple[str, int]] = field(default_factory=set)
    kills: int = 0
    kills_mid_upload: int = 0


def start_outpost(base: Path) -> subprocess.Popen[bytes]:
    """Start the outpost's sync process."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.integration.sync.outpost", str(base)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def kill_mid_upload(outpost: Outpost, rng: random.Random) -> bool:
    """Run the outpost until uploads made progress a few times, then SIGKILL it. False when it finished first."""
    wanted = rng.randint(1, 8)
    proc = start_outpost(outpost.base)
    assert proc.stdout is not None
    buffer = b""
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([proc.stdout], [], [], 0.5)
            chunk = os.read(proc.stdout.fileno(), 65536) if ready else b""
            if ready and not chunk:
                break  # the process ended
            buffer += chunk
            if b"DONE\n" in buffer:
                return False
            if sum(line.startswith(b"UP ") for line in buffer.split(b"\n")[:-1]) >= wanted:
                time.sleep(rng.uniform(0.0, 0.08))
                proc.send_signal(signal.SIGKILL)
                proc.wait(10)
                outpost.kills += 1
                outpost.kills_mid_upload += 1
                return True
        raise AssertionError(f"outpost sync did not start uploading: {proc.stderr.read().decode(errors='replace')}")  # type: ignore[union-attr]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        proc.stdout.close()
        if proc.stderr is not None:
            proc.stderr.close()


def run_to_end(outpost: Outpost) -> None:
    """Let the outpost's sync process finish."""
    proc = start_outpost(outpost.base)
    try:
        out, err = proc.communicate(timeout=150)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError(f"outpost sync did not finish: {err.decode(errors='replace')[-3000:]}") from None
    assert proc.returncode == 0, err.decode(errors="replace")[-3000:]
    assert b"DONE" in out


def kill_and_finish(outpost: Outpost, emulator: LinkEmulator, rng: random.Random) -> None:
    """SIGKILL the outpost's sync mid-upload KILLS times (more while too few faults were injected), then finish."""
    while outpost.kills < KILLS or (emulator.injected < MIN_FAULTS and outpost.kills < 3 * KILLS):
        if not kill_mid_upload(outpost, rng):
            break
    run_to_end(outpost)


def prepare_outposts(server: DinasServer, emulator: LinkEmulator, tmp: Path) -> list[Outpost]:
    """Two outposts with submitted applications, enrolled through the link emulator."""
    outposts = []
    for index, (code, name) in enumerate((("35.21.01.2001", "Desa Sukamaju"), ("35.21.02.2002", "Desa Karanganyar"))):
        base = tmp / f"outpost-{index}"
        store = new_store(base)
        try:
            made = submit_applications(store, APPLICATIONS, seed=100 + index, page_sizes=(60_000, 200_000))
            enrol(
                store,
                emulator.url,
                server.add_outpost(code, name),
                f"Laptop {index}",
                timeouts=Timeouts(connect=2, read=1.5, slowest_rate=1024 * KIB),
            )
            outposts.append(Outpost(base, {(a.client_id, a.revision) for a in made}))
        finally:
            store.close()
    return outposts


def check_server(server: DinasServer, outposts: list[Outpost]) -> dict[str, str | None]:
    """Exactly the submitted revisions, once each, accepted, documents verified; returns registration numbers."""
    from sync.server.keys import read_package
    from sync.server.models import Application as ServerApplication
    from sync.server.models import Conflict, Document, Submission
    from sync.server.storage import DiskStorage

    server.bind()
    submitted = set().union(*(o.submitted for o in outposts))
    rows = list(Submission.select())
    assert len(rows) == len(submitted), "a revision is missing or stored twice"
    assert {(r.client_id, r.revision) for r in rows} == submitted
    assert {r.outcome for r in rows} == {"accepted"}
    assert Conflict.select().count() == 0
    storage = DiskStorage(server.storage)
    referenced = set()
    for row in rows:
        package = json.loads(read_package(row))
        for document in package["documents"]:
            for page in document["pages"]:
                referenced.add(page["sha256"])
    assert referenced, "the applications have documents"
    assert {d.sha256 for d in Document.select()} == referenced
    assert all(storage.verify(sha) for sha in referenced), "a stored document does not match its hash"
    assert not list(storage.partial.glob("*.part")), "partial uploads left behind"
    numbers = {a.client_id: a.registration_number for a in ServerApplication.select()}
    assert len(numbers) == len(submitted) and all(numbers.values())
    assert len(set(numbers.values())) == len(numbers), "registration numbers are unique"
    return numbers


def check_outpost(outpost: Outpost, numbers: dict[str, str | None]) -> None:
    """Every item acknowledged; every application received with the server's registration number."""
    username, _, password = SUPERVISOR
    store = Store.unlock(DataPaths(outpost.base), username, password)
    try:
        items = list(OutboxItem.select())
        assert len(items) == len(outpost.submitted)
        assert {i.state for i in items} == {"acknowledged"}
        for application in Application.select():
            assert application.state == "received"
            assert application.registration_number == numbers[application.client_id]
    finally:
        store.close()


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_sync_survives_faults_and_kills(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    database = None
    if backend == "postgresql":
        postgres: Postgres = request.getfixturevalue("postgres")
        database = postgres.create_database(f"faults_{os.getpid()}")
    server = start_server(tmp_path / "server", database)
    emulator = LinkEmulator(server.port, LinkProfile(latency=0.004), seed=20261122).start()
    started = time.monotonic()
    try:
        outposts = prepare_outposts(server, emulator, tmp_path)
        emulator.set_profile(PROFILE)
        with ThreadPoolExecutor(len(outposts)) as pool:
            list(pool.map(lambda o: kill_and_finish(o, emulator, random.Random(o.base.name)), outposts))
        numbers = check_server(server, outposts)
        for outpost in outposts:
            check_outpost(outpost, numbers)
        kills = sum(o.kills_mid_upload for o in outposts)
        print(
            f"\n{backend}: {emulator.injected} faults injected ({dict(emulator.faults)}) in {emulator.requests} "
            f"requests, {kills} SIGKILLs mid-upload, {time.monotonic() - started:.0f} s"
        )
        assert emulator.injected + kills >= MIN_FAULTS
        assert emulator.injected >= MIN_FAULTS
        assert kills >= KILLS
        assert "Traceback" not in server.log_text()
    finally:
        emulator.stop()
        server.stop()
