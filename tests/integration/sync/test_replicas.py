"""Several `loket-server serve` replicas on one PostgreSQL and one document folder, behind a real HAProxy.

Each replica is its own process on its own port (DESIGN: no state lives in a process). The tests send
the same work to two replicas at the same moment and check that the database decides it once: one
accepted batch, one stored document, one step per back-office action, one gap-free feed; then they
kill a replica mid-batch and restart PostgreSQL under running replicas.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import requests

from sync.protocol import ApplicationPackage, BatchRequest
from tests.bench.bench_sync import BenchDevice, enrol_outposts, intake_packages, upload_own_copies
from tests.helpers import haproxy
from tests.helpers.dinas import DinasServer, free_port
from tests.helpers.pg import PG_BIN, Postgres

pytestmark = pytest.mark.skipif(not haproxy.available(), reason="haproxy is not installed (installers/debian-deps.sh)")


@dataclass
class Cluster:
    """N replicas sharing one database and one storage folder, and a load balancer in front."""

    folder: Path
    database_url: str
    replicas: list[DinasServer] = field(default_factory=list)
    balancer: haproxy.LoadBalancer | None = None

    def start(self, count: int) -> Cluster:
        storage = self.folder / "documents"  # one folder for every replica (a shared mount in production)
        for index in range(count):
            replica = DinasServer(
                database_url=self.database_url,
                storage=storage,
                port=free_port(),
                log_path=self.folder / f"replica{index}.log",
            )
            replica.start()  # one after the other: the first creates the schema and the server key
            self.replicas.append(replica)
        self.balancer = haproxy.LoadBalancer(self.folder / "haproxy", [r.port for r in self.replicas]).start()
        return self

    @property
    def url(self) -> str:
        assert self.balancer is not None
        return self.balancer.url

    def stop(self) -> None:
        if self.balancer is not None:
            self.balancer.stop()
        for replica in self.replicas:
            replica.stop()


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[ApplicationPackage], dict[str, bytes]]:
    """Valid packages (new ids each) and their page bytes."""
    return intake_packages(tmp_path_factory.mktemp("templates"), 120)


@pytest.fixture
def cluster(tmp_path: Path, postgres: Postgres) -> Iterator[Cluster]:
    running = Cluster(tmp_path, postgres.create_database()).start(2)
    try:
        yield running
    finally:
        running.stop()


class Packages:
    """Hands out each made package once per test (fresh ids), signed by a device."""

    def __init__(self, made: tuple[list[ApplicationPackage], dict[str, bytes]]) -> None:
        self.templates, self.blobs = made

    def take(self, device: BenchDevice, count: int) -> list[ApplicationPackage]:
        chosen = random.sample(self.templates, count)
        fresh = [p.model_copy(update={"item_id": str(uuid.uuid4()), "client_id": str(uuid.uuid4())}) for p in chosen]
        return [device.signer.sign(p) for p in fresh]


def batch_body(items: list[ApplicationPackage]) -> str:
    return BatchRequest(
        batch_id=str(uuid.uuid4()), device_time=dt.datetime(2026, 12, 6, 8), items=items
    ).model_dump_json()


def post_batch(url: str, device: BenchDevice, body: str, timeout: float = 60) -> requests.Response:
    headers = {"Authorization": f"Bearer {device.secret}", "Content-Type": "application/json"}
    return requests.post(f"{url}/v1/batches", data=body, headers=headers, timeout=timeout)


def at_once(jobs: Sequence[Callable[[], Any]]) -> list[Any]:
    """Run every job in its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(jobs))

    def run(job: Callable[[], Any]) -> Any:
        barrier.wait()
        return job()

    with ThreadPoolExecutor(len(jobs)) as pool:
        return list(pool.map(run, jobs))


def prepared(
    cluster: Cluster, made: tuple[list[ApplicationPackage], dict[str, bytes]], outposts: int, per_outpost: int
) -> list[tuple[BenchDevice, list[ApplicationPackage]]]:
    """Outposts with one device each, each with `per_outpost` signed packages whose documents are uploaded."""
    packages = Packages(made)
    devices = enrol_outposts(cluster.replicas[0], outposts)
    jobs = [(device, packages.take(device, per_outpost)) for device in devices]
    upload_own_copies(cluster.url, jobs, packages.blobs)
    return jobs


def test_the_same_batch_sent_to_two_replicas_at_once_is_accepted_once(
    cluster: Cluster, made: tuple[list[ApplicationPackage], dict[str, bytes]]
) -> None:
    from sync.server.models import Batch, Event, Submission

    [(device, items)] = prepared(cluster, made, 1, 3)
    body = batch_body(items)
    a, b = cluster.replicas
    answers = at_once([partial(post_batch, r.url, device, body) for r in (a, b, a, b, a, b)])
    assert [x.status_code for x in answers] == [200] * 6, [x.text[:300] for x in answers]
    results = [[(r["item_id"], r["registration_number"]) for r in x.json()["results"]] for x in answers]
    assert all(r == results[0] for r in results), "every delivery gets the same answer"
    outcomes = {r["outcome"] for x in answers for r in x.json()["results"]}
    assert outcomes <= {"accepted", "already_accepted"} and "accepted" in outcomes
    client_ids = [p.client_id for p in items]
    assert Submission.select().where(Submission.client_id.in_(client_ids)).count() == 3
    assert Event.select().where(Event.client_id.in_(client_ids) & (Event.state == "received")).count() == 3
    assert Batch.select().where(Batch.device == Batch.device).count() == 1


def test_concurrent_chunks_of_one_document_on_two_replicas_end_in_one_correct_object(cluster: Cluster) -> None:
    from sync.server import keys
    from sync.server.models import DocumentOwner
    from sync.server.storage import DiskStorage

    first, second = enrol_outposts(cluster.replicas[0], 2)
    data = os.urandom(1_200_000)
    sha = hashlib.sha256(data).hexdigest()
    chunk = 100_000

    def upload(replica: DinasServer, device: BenchDevice) -> int:
        """Upload the whole document in chunks to one replica, resuming where the server says (409)."""
        session = requests.Session()
        offset, conflicts = 0, 0
        while offset < len(data):
            answer = session.put(
                f"{replica.url}/v1/documents/{sha}",
                params={"offset": offset, "size": len(data)},
                data=data[offset : offset + chunk],
                headers={"Authorization": f"Bearer {device.secret}"},
                timeout=30,
            )
            if answer.status_code == 409:
                conflicts += 1
                offset = int(answer.json()["error"]["detail"]["offset"])
                continue
            assert answer.status_code == 200, answer.text
            state = answer.json()
            if state["complete"]:
                return conflicts
            offset = int(state["offset"])
        return conflicts

    a, b = cluster.replicas
    # The same device's chunks race on both replicas (a retry after a lost answer, say), and another
    # outpost uploads the same page at the same time.
    at_once([lambda: upload(a, first), lambda: upload(b, first), lambda: upload(b, second), lambda: upload(a, second)])
    for replica, device in ((a, first), (b, first), (a, second), (b, second)):
        state = requests.get(
            f"{replica.url}/v1/documents/{sha}",
            params={"size": len(data)},
            headers={"Authorization": f"Bearer {device.secret}"},
            timeout=10,
        ).json()
        assert state["complete"] and state["offset"] == len(data), state
    root = cluster.folder / "documents"
    keys.activate(keys.load(root))
    storage = DiskStorage(root)
    assert storage.read(sha) == data, "one object, the exact bytes"
    assert [p for p in storage.stored() if p == sha] == [sha]
    assert not [p for p in (root / "partial").iterdir() if sha in p.name], "no partial upload left behind"
    assert DocumentOwner.select().where(DocumentOwner.sha256 == sha).count() == 2, "each outpost owns it once"


def feed(url: str, device: BenchDevice, after: int) -> dict[str, Any]:
    answer = requests.get(
        f"{url}/v1/status",
        params={"after": after, "limit": 500},
        headers={"Authorization": f"Bearer {device.secret}"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def act(url: str, token: str, key: str, action: str) -> requests.Response:
    return requests.post(
        f"{url}/v1/backoffice/applications/{key}/actions",
        json={"action": action, "reasons": []},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )


def test_the_feed_stays_gap_free_and_ordered_and_steps_are_never_doubled_across_replicas(
    cluster: Cluster, made: tuple[list[ApplicationPackage], dict[str, bytes]]
) -> None:
    from sync.server import audit
    from sync.server.models import Event

    a, b = cluster.replicas
    staff = a.add_staff("rina")
    [(device, items)] = prepared(cluster, made, 1, 24)
    batches = [batch_body(items[i : i + 3]) for i in range(0, len(items), 3)]
    seen: list[int] = []
    stop = threading.Event()

    def poll() -> None:
        """An outpost pulling its feed all along, from either replica, never skipping a change."""
        cursor, turn = 0, 0
        while True:
            done = stop.is_set()
            page = feed((a, b)[turn % 2].url, device, cursor)
            turn += 1
            seen.extend(c["cursor"] for c in page["changes"])
            cursor = page["cursor"]
            if done and not page["more"]:
                return
            time.sleep(0.005)

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        answers = at_once([partial(post_batch, (a, b)[i % 2].url, device, body) for i, body in enumerate(batches)])
        assert all(x.status_code == 200 for x in answers), [x.text[:200] for x in answers]
        numbers = [r["registration_number"] for x in answers for r in x.json()["results"]]
        assert len(set(numbers)) == len(items)
        # Every step sent to both replicas at once, four times each: each happens once.
        steps = [partial(act, (a, b)[i % 2].url, staff, n, "verify") for n in numbers[:8] for i in range(4)]
        codes = [x.status_code for x in at_once(steps)]
        assert codes.count(200) == 8 and set(codes) <= {200, 409}, codes
    finally:
        stop.set()
        poller.join(60)
    full = feed(a.url, device, 0)
    cursors = [c["cursor"] for c in full["changes"]]
    assert cursors == list(range(1, len(items) + 8 + 1)), "gap-free and ordered"
    assert feed(b.url, device, 0)["changes"] == full["changes"], "both replicas serve the same feed"
    assert seen == cursors, "a reader polling during the writes never skipped a change"
    verified = Event.select().where(Event.state == "verified").count()
    assert verified == 8
    report = audit.verify()
    assert report.ok, "the audit chain stays one chain when two replicas append to it"


def kill(replica: DinasServer) -> None:
    assert replica.process is not None
    replica.process.send_signal(signal.SIGKILL)
    replica.process.wait(10)
    replica.process = None


def send_until_answered(url: str, device: BenchDevice, body: str, answered: list[dict[str, Any]]) -> int:
    """What an outpost does: send the batch, and send it again (same id) until the Dinas answers."""
    for attempt in range(1, 200):
        try:
            answer = post_batch(url, device, body, timeout=30)
        except requests.RequestException:
            answer = None
        if answer is not None and answer.status_code == 200:
            answered.append(answer.json())
            return attempt
        time.sleep(0.05)
    raise AssertionError("never answered")


def test_a_replica_killed_mid_batch_loses_nothing_that_was_answered(
    cluster: Cluster, made: tuple[list[ApplicationPackage], dict[str, bytes]]
) -> None:
    from sync.server.models import Application

    jobs = prepared(cluster, made, 8, 30)
    bodies = [(device, batch_body(items[i : i + 5])) for device, items in jobs for i in range(0, len(items), 5)]
    answered: list[dict[str, Any]] = []
    killed_at: list[int] = []

    def kill_after_a_quarter() -> None:
        """SIGKILL replica 0 once a quarter of the batches are answered: others are in flight on it."""
        while len(answered) < len(bodies) // 4:
            time.sleep(0.005)
        killed_at.append(len(answered))
        kill(cluster.replicas[0])

    killer = threading.Thread(target=kill_after_a_quarter)

    def outpost(own: list[tuple[BenchDevice, str]]) -> int:
        return sum(send_until_answered(cluster.url, device, body, answered) for device, body in own)

    killer.start()
    with ThreadPoolExecutor(8) as pool:
        attempts = sum(pool.map(outpost, [[x for x in bodies if x[0] is d] for d, _ in jobs]))
    killer.join()
    assert killed_at and killed_at[0] < len(bodies), "the replica was killed during the run"
    assert len(answered) == len(bodies)
    numbers = [r["registration_number"] for answer in answered for r in answer["results"]]
    assert len(numbers) == len(set(numbers)) == 8 * 30
    stored = {a.registration_number for a in Application.select(Application.registration_number)}
    assert set(numbers) <= stored, "every answered application is in the database"
    assert Application.select().count() == 8 * 30, "and none twice"
    print(f"{attempts - len(bodies)} batch sends repeated after the kill")


def restart_postgres(postgres: Postgres, down: float, during: Callable[[], None]) -> None:
    """Stop the cluster (fast: connections cut), run `during`, wait `down` seconds, start it on the same port."""
    ctl = str(PG_BIN / "pg_ctl")
    postgres._run(ctl, "-D", str(postgres.data), "-m", "fast", "-w", "stop")
    during()
    time.sleep(down)
    options = (
        f"-p {postgres.port} -k {postgres.socket_dir} -c listen_addresses=127.0.0.1 -c max_connections=300 "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    postgres._run(ctl, "-D", str(postgres.data), "-o", options, "-l", str(postgres.log), "-w", "start")


def test_postgres_restarted_mid_run_replicas_answer_503_then_recover_without_a_restart(
    tmp_path: Path, made: tuple[list[ApplicationPackage], dict[str, bytes]]
) -> None:
    own = Postgres().start()  # its own cluster: the session's stays up for the other tests
    cluster = Cluster(tmp_path, own.create_database()).start(2)
    try:
        jobs = prepared(cluster, made, 2, 10)
        pids = [r.process.pid for r in cluster.replicas if r.process]
        (device, items), (other, later) = jobs
        for replica in cluster.replicas:  # every replica has live database connections
            assert post_batch(replica.url, device, batch_body(items[:2])).status_code == 200
            assert post_batch(replica.url, device, batch_body(items[2:4])).status_code == 200
            items = items[4:]
        statuses: list[int] = []

        def while_down() -> None:
            for replica in cluster.replicas:
                for _ in range(3):
                    statuses.append(post_batch(replica.url, other, batch_body(later[:2]), timeout=30).status_code)
                    statuses.append(
                        requests.get(
                            f"{replica.url}/v1/status",
                            params={"after": 0},
                            headers={"Authorization": f"Bearer {device.secret}"},
                            timeout=30,
                        ).status_code
                    )

        restart_postgres(own, 1.0, while_down)
        assert set(statuses) == {503}, statuses
        recovered: list[float] = []
        for replica in cluster.replicas:
            started = time.monotonic()
            deadline = started + 5  # each request thread reconnects itself, not only when it ends
            while True:
                answer = post_batch(replica.url, other, batch_body(later[:1]))
                if answer.status_code == 200:
                    break
                assert answer.status_code == 503, answer.text
                assert time.monotonic() < deadline, "the replica did not recover"
                time.sleep(0.2)
            later = later[1:]
            recovered.append(time.monotonic() - started)
            for _ in range(4):  # every connection of the replica's pool works again, not only one
                assert feed(replica.url, device, 0)["changes"]
        assert [r.process.pid for r in cluster.replicas if r.process] == pids, "no replica was restarted"
        print(f"recovered after {max(recovered):.2f} s")
    finally:
        cluster.stop()
        own.stop()
