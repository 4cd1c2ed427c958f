"""Soak: a kabupaten's week of outposts syncing through faulty links while staff work, compressed in time.

Simulated outposts run the real client code: each is a real store (SQLCipher) enrolled with `enrol`
(from its own loopback address, as outposts have their own addresses: enrolment is rate-limited per
address), makes complete applications with `draft_from_case`, submits them and syncs them with
`SyncClient` through a link emulator (latency, resets, truncated answers, stalls, 503s, duplicates, and
now and then every connection cut). The week is `days` rounds; in each round every outpost opens its
store, submits its share of the day and syncs until its outbox is empty. Client processes (the store is
bound per process) take the outposts in turn. Meanwhile staff move applications through the workflow
with the back-office API (verify ... handed_over), and the server processes' memory is sampled.

Intake latency is the time from the start of the outpost's sync (its day's applications submitted)
to the end of the sync run that had each one accepted (the link's faults, cut runs and retries included).
Memory growth is the servers' resident memory at the end against the highest sample of the first day.
Errors are anything that is not a fault the link injected: an item not accepted in the end, an invalid
or conflicting item, a sync that never got through, a staff step refused other than by a concurrent
step, a server error (500) in a server log.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from requests.adapters import HTTPAdapter

MIB = 2**20
REPO = Path(__file__).resolve().parents[2]
STEP_FROM = {
    "received": "verify",
    "verified": "validate",
    "validated": "produce",
    "produced": "sign",
    "signed": "ready",
}


@dataclass(frozen=True)
class SoakScale:
    """How big the week is, and what it runs on."""

    outposts: int
    applications: int
    pages: int
    days: int = 7
    client_processes: int = 2
    page_bytes: tuple[int, int] = (2_000, 6_000)  # small pages: the count is the load, not the bytes
    fault_rate: float = 0.03  # per request, spread over the emulator's faults
    latency: float = 0.02  # one-way seconds
    cut_every: float = 20.0  # seconds between cuts of every connection of a client process's link
    staff_threads: int = 2
    replicas: int = 1  # 1: one `serve` process directly; more: behind HAProxy (PostgreSQL required)
    postgres: bool = False
    s3: bool = False
    memory_growth_mib: float = 60.0  # allowed RSS growth of the server processes, warm (first day) to end

    @property
    def pages_per_application(self) -> int:
        """Pages per application (at least the ones the case needs)."""
        return max(1, round(self.pages / self.applications))


SUITE = SoakScale(outposts=12, applications=240, pages=1_200, days=4)
FULL = SoakScale(
    outposts=236, applications=20_000, pages=100_000, days=7, replicas=2, postgres=True, s3=True, staff_threads=3
)


@dataclass
class OutpostResult:
    """What one outpost's round did."""

    submitted: int = 0
    accepted: int = 0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    runs: int = 0
    interrupted_runs: int = 0
    status_applied: int = 0
    process: int = 0  # the client process (its link emulator counts faults over its life)
    link_faults: int = 0


class _SourceAdapter(HTTPAdapter):
    """Connections from one loopback source address (127.0.0.0/8 is all loopback on Linux)."""

    def __init__(self, source: str) -> None:
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


def source_address(index: int) -> str:
    """A loopback address of its own for outpost `index` (127.0.1.1, 127.0.1.2, ...)."""
    return f"127.0.{1 + index // 250}.{1 + index % 250}"


# -- client processes ---------------------------------------------------------------------------------------
_LINK: Any = None


def _link(upstream_port: int, scale: SoakScale, seed: int) -> Any:
    from tests.helpers.linkemu import LinkEmulator, LinkProfile

    global _LINK  # noqa: PLW0603 - one emulator per client process, made on its first task
    if _LINK is None:
        profile = LinkProfile(latency=scale.latency).with_faults(scale.fault_rate)
        _LINK = LinkEmulator(upstream_port, profile, seed=seed).start()
        last = [time.monotonic()]

        def cutter() -> None:
            while True:
                time.sleep(1.0)
                if time.monotonic() - last[0] >= scale.cut_every:
                    _LINK.cut_all()
                    last[0] = time.monotonic()

        threading.Thread(target=cutter, daemon=True).start()
    return _LINK


def outpost_round(
    folder: str,
    index: int,
    day: int,
    count: int,
    scale: SoakScale,
    enrol_url: str,
    upstream_port: int,
    code: str,
) -> OutpostResult:
    """One outpost's day: open (or make and enrol) its store, submit `count` applications, sync them all."""
    from app.demo.people import PeopleGenerator
    from app.paths import DataPaths
    from app.store import applications as apps
    from app.store.store import Store
    from sync.client import SyncClient, enrol
    from sync.client.errors import SyncError
    from sync.client.transport import Timeouts, Transport
    from tests.helpers.stores import SUPERVISOR, new_store
    from tests.integration.sync.cases import clean_case, draft_from_case

    link = _link(upstream_port, scale, seed=os.getpid())
    result = OutpostResult()
    base = Path(folder) / f"outpost-{index:03d}"
    rng = random.Random(index * 1000 + day)
    if not base.exists():
        store = new_store(base)
        session = requests.Session()
        session.mount("http://", _SourceAdapter(source_address(index)))
        enrol(store, enrol_url, code, f"Laptop {index}", session=session)
    else:
        store = Store.unlock(DataPaths(base), SUPERVISOR[0], SUPERVISOR[2])
    try:
        people = PeopleGenerator(index * 7 + day)
        made = 0
        while made < count:
            application = draft_from_case(store, clean_case(people, rng), rng, scale.page_bytes)
            documents = apps.pages_of(application)
            pages = sum(len(doc_pages) for _, doc_pages in documents)
            while pages < scale.pages_per_application:
                data = os.urandom(rng.randint(*scale.page_bytes))
                apps.attach_page(store, application, documents[0][0].requirement_id, data, media_type="image/jpeg")
                pages += 1
            apps.submit(store, application)
            made += 1
        result.submitted = count
        transport = Transport(link.url, timeouts=Timeouts(connect=5.0, read=8.0))
        client = SyncClient(store, transport, sleep=lambda seconds: time.sleep(min(seconds, 0.5)))
        # The officer's side (drafting) is not intake: the clock starts when the outpost starts sending.
        pending = [time.monotonic()] * made
        for _ in range(40):  # an outpost syncs again until its outbox is empty, as the background sync does
            result.runs += 1
            try:
                report = client.run_once()
            except SyncError:  # the link gave out for longer than the run's retries: the next run resumes
                result.interrupted_runs += 1
                if client.report is not None:
                    _count(result, client.report, pending, time.monotonic())
                continue
            _count(result, report, pending, time.monotonic())
            if not pending:
                break
        try:  # one more run picks up the staff's latest steps from the status feed
            result.status_applied += client.run_once().status_applied
        except SyncError:
            result.interrupted_runs += 1
        if pending:
            result.errors.append(f"outpost {index} day {day}: {len(pending)} applications never accepted")
        result.process, result.link_faults = os.getpid(), link.injected
    finally:
        store.close()
    return result


def _count(result: OutpostResult, report: Any, pending: list[float], done: float) -> None:
    accepted = report.accepted + report.already_accepted
    result.accepted += accepted
    result.status_applied += report.status_applied
    for _ in range(min(accepted, len(pending))):
        result.latencies.append(done - pending.pop(0))
    if report.invalid or report.conflicts:
        result.errors.append(f"invalid {report.invalid}, conflicts {report.conflicts}")


# -- the server side --------------------------------------------------------------------------------------
def process_rss(pids: Callable[[], list[int]]) -> int:
    """Resident bytes of the processes (with their children: uvicorn's workers)."""
    total = 0
    seen: set[int] = set()
    queue = list(pids())
    while queue:
        pid = queue.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        queue.extend(int(child) for child in children)
    return total


class StaffDesk:
    """Back-office staff taking the next step on received work, through the API, until stopped."""

    def __init__(self, url: str, tokens: list[str]) -> None:
        self.url = url
        self.tokens = tokens
        self.steps = 0
        self.races = 0  # a step another staff member took first (409): expected, not an error
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._work, args=(token,), daemon=True) for token in tokens]
        self._lock = threading.Lock()

    def start(self) -> StaffDesk:
        """Start the staff threads."""
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        """Stop and wait."""
        self._stop.set()
        for thread in self._threads:
            thread.join(60)

    def _work(self, token: str) -> None:
        session = requests.Session()
        headers = {"Authorization": f"Bearer {token}"}
        rng = random.Random(token)
        while not self._stop.is_set():
            state = rng.choice(list(STEP_FROM))
            try:
                answer = session.get(
                    f"{self.url}/v1/backoffice/applications",
                    params={"state": state, "limit": "20"},
                    headers=headers,
                    timeout=60,
                )
                if answer.status_code != 200:
                    self._error(f"list {state}: {answer.status_code} {answer.text[:200]}")
                    continue
                items = answer.json()["applications"]
                if not items:
                    self._stop.wait(0.3)
                    continue
                for item in items[:5]:
                    key = item.get("registration_no") or item["client_id"]
                    step = session.post(
                        f"{self.url}/v1/backoffice/applications/{key}/actions",
                        json={"action": STEP_FROM[state], "reasons": []},
                        headers=headers,
                        timeout=60,
                    )
                    with self._lock:
                        if step.status_code == 200:
                            self.steps += 1
                        elif step.status_code == 409:
                            self.races += 1
                        else:
                            self.errors.append(f"{STEP_FROM[state]} {key}: {step.status_code} {step.text[:200]}")
            except requests.RequestException as error:
                self._error(f"{type(error).__name__}: {error}")
            self._stop.wait(0.05)

    def _error(self, text: str) -> None:
        with self._lock:
            self.errors.append(text)
        self._stop.wait(0.5)


@dataclass
class SoakReport:
    """The week's figures."""

    scale: SoakScale
    seconds: float
    submitted: int
    accepted: int
    pages: int
    latencies: list[float]
    errors: list[str]
    runs: int
    interrupted_runs: int
    faults: int
    staff_steps: int
    staff_races: int
    status_applied: int
    memory: list[tuple[float, int]]
    database_bytes: int
    warm_at: float = 0.0  # seconds into the run when the first day ended

    def percentile(self, share: float) -> float:
        """A latency percentile (seconds)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    @property
    def memory_growth(self) -> int:
        """RSS at the end minus the highest RSS of the first day (warm-up), bytes."""
        warm = [rss for at, rss in self.memory if at <= self.warm_at]
        if not warm or len(warm) == len(self.memory):
            return 0
        return max(rss for _, rss in self.memory[-max(1, len(self.memory) // 10) :]) - max(warm)

    def lines(self) -> list[str]:
        """The figures in words."""
        memory = " ".join(f"{t:.0f}s:{rss / MIB:.0f}" for t, rss in self.memory[:: max(1, len(self.memory) // 12)])
        return [
            f"soak: {self.scale.outposts} outposts, {self.accepted}/{self.submitted} applications accepted, "
            f"{self.pages} pages, {self.scale.days} days in {self.seconds:.0f} s "
            f"({self.scale.replicas} server process(es), {'PostgreSQL' if self.scale.postgres else 'SQLite'}, "
            f"{'S3' if self.scale.s3 else 'folder'})",
            f"intake latency (submit to accepted): p50 {self.percentile(0.50):.2f} s, "
            f"p95 {self.percentile(0.95):.2f} s, p99 {self.percentile(0.99):.2f} s",
            f"sync runs {self.runs} ({self.interrupted_runs} cut short by the link), link faults injected "
            f"{self.faults}, staff steps {self.steps_text()}, status changes applied at outposts {self.status_applied}",
            f"server memory (MiB over time) {memory}; growth after warm-up {self.memory_growth / MIB:.1f} MiB "
            f"(bound {self.scale.memory_growth_mib:.0f} MiB)",
            f"database size {self.database_bytes / MIB:.1f} MiB",
            f"errors: {len(self.errors)}" + (f" e.g. {self.errors[:3]}" if self.errors else ""),
        ]

    def steps_text(self) -> str:
        """Staff steps and races."""
        return f"{self.staff_steps} ({self.staff_races} taken first by a colleague)"

    def problems(self) -> list[str]:
        """Why the run fails (empty: it passed)."""
        found = list(self.errors)
        if self.accepted < self.submitted:
            found.append(f"{self.submitted - self.accepted} applications not accepted")
        if self.memory_growth > self.scale.memory_growth_mib * MIB:
            found.append(f"server memory grew {self.memory_growth / MIB:.1f} MiB (> {self.scale.memory_growth_mib})")
        return found


def run_soak(folder: Path, scale: SoakScale, log: Callable[[str], None] = print) -> SoakReport:
    """Run the week at `scale` below `folder`; every process started here is stopped at the end."""
    from tests.helpers.soak_cluster import Cluster

    folder.mkdir(parents=True, exist_ok=True)
    with Cluster(folder / "server", scale) as cluster:
        codes = cluster.enrolment_codes(scale.outposts)
        tokens = [cluster.add_staff(f"staf{n}") for n in range(scale.staff_threads)]
        shares = _shares(scale)
        memory: list[tuple[float, int]] = []
        stop = threading.Event()
        started = time.monotonic()

        def sample() -> None:
            while not stop.is_set():
                memory.append((time.monotonic() - started, process_rss(cluster.server_pids)))
                stop.wait(2.0)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        desk = StaffDesk(cluster.url, tokens).start()
        results: list[OutpostResult] = []
        warm_at = 0.0
        context = multiprocessing.get_context("spawn")  # fresh processes: no threads or connections copied
        added = str(REPO) not in sys.path
        if added:  # spawned processes start with this sys.path; pytest's importlib mode leaves the repo out
            sys.path.append(str(REPO))
        try:
            with ProcessPoolExecutor(scale.client_processes, mp_context=context) as pool:
                for day in range(scale.days):
                    futures = [
                        pool.submit(
                            outpost_round,
                            str(folder / "outposts"),
                            index,
                            day,
                            shares[index][day],
                            scale,
                            cluster.enrol_url,
                            cluster.port,
                            codes[index],
                        )
                        for index in range(scale.outposts)
                    ]
                    day_results = [future.result() for future in futures]
                    results.extend(day_results)
                    warm_at = warm_at or time.monotonic() - started
                    log(
                        f"day {day + 1}/{scale.days}: {sum(r.accepted for r in day_results)} accepted, "
                        f"{time.monotonic() - started:.0f} s, server RSS {memory[-1][1] / MIB if memory else 0:.0f} MiB"
                    )
        finally:
            if added:
                sys.path.remove(str(REPO))
            desk.stop()
            stop.set()
            sampler.join(10)
        seconds = time.monotonic() - started
        errors = [error for result in results for error in result.errors] + desk.errors + cluster.server_errors()
        return SoakReport(
            scale=scale,
            seconds=seconds,
            submitted=sum(r.submitted for r in results),
            accepted=cluster.accepted_count(),
            pages=cluster.page_count(),
            latencies=[latency for r in results for latency in r.latencies],
            errors=errors,
            runs=sum(r.runs for r in results),
            interrupted_runs=sum(r.interrupted_runs for r in results),
            faults=sum(max(r.link_faults for r in results if r.process == pid) for pid in {r.process for r in results}),
            staff_steps=desk.steps,
            staff_races=desk.races,
            status_applied=sum(r.status_applied for r in results),
            memory=memory,
            database_bytes=cluster.database_bytes(),
            warm_at=warm_at,
        )


def _shares(scale: SoakScale) -> list[list[int]]:
    """Applications per outpost per day, adding up to `scale.applications`."""
    per_outpost = [
        scale.applications // scale.outposts + (i < scale.applications % scale.outposts) for i in range(scale.outposts)
    ]
    return [[n // scale.days + (d < n % scale.days) for d in range(scale.days)] for n in per_outpost]


def summary(report: SoakReport) -> str:
    """The report as printed by `make soak`."""
    return "\n".join(report.lines())
