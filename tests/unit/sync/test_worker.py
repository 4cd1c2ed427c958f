"""The sync worker thread: timer, on demand, connectivity, pause/resume, backoff with full jitter, stop."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from typing import cast

import pytest

from sync.client import ConnectionFailedError, NotEnrolledError, SyncClient, SyncReport, SyncWorker
from sync.client.errors import SyncInterruptedError
from sync.client.pacing import Backoff
from sync.client.state import ItemProgress, ProgressTracker, SyncState


class TopRandom(random.Random):
    """Full jitter drawn at its ceiling, so delays are predictable."""

    def uniform(self, a: float, b: float) -> float:
        return b


class FakeDatabase:
    def close(self) -> None:
        pass


class FakeStore:
    db = FakeDatabase()


class FakeClient:
    """Runs from a script: each run returns a report or raises; records when it ran."""

    def __init__(self, script: list[object] | None = None) -> None:
        self.tracker = ProgressTracker()
        self.store = FakeStore()
        self.script = list(script or [])
        self.ran: list[float] = []
        self.cancelled = threading.Event()
        self.cap = -1

    def run_once(self) -> SyncReport:
        self.ran.append(time.monotonic())
        self.cancelled.clear()
        self.tracker.set_items([ItemProgress("i", "c", 1, "KTPEL-BARU-WNI")])
        step = self.script.pop(0) if self.script else SyncReport()
        if isinstance(step, BaseException):
            raise step
        assert isinstance(step, SyncReport)
        return step

    def cancel(self) -> None:
        self.cancelled.set()

    def state(self) -> SyncState:
        return self.tracker.snapshot()

    def set_bandwidth_cap(self, kbps: int) -> None:
        self.cap = kbps


def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


@pytest.fixture
def make_worker() -> Iterator[Callable[..., tuple[SyncWorker, FakeClient]]]:
    workers: list[SyncWorker] = []

    def make(script: list[object] | None = None, **kwargs: object) -> tuple[SyncWorker, FakeClient]:
        client = FakeClient(script)
        worker = SyncWorker(cast(SyncClient, client), **kwargs)  # type: ignore[arg-type]
        workers.append(worker)
        return worker, client

    yield make
    for worker in workers:
        worker.stop(5)
        assert not worker.alive


def test_failures_back_off_with_full_jitter_then_a_success_waits_the_interval(
    make_worker: Callable[..., tuple[SyncWorker, FakeClient]],
) -> None:
    failure = ConnectionFailedError("reset")
    delays: list[float] = []
    backoff = Backoff(base=0.02, cap=0.08, rng=TopRandom())
    original = backoff.next_delay

    def recorded() -> float:
        delays.append(original())
        return delays[-1]

    backoff.next_delay = recorded  # type: ignore[method-assign]
    seen: list[SyncState] = []
    worker, client = make_worker([failure] * 5, interval=3600, backoff=backoff, listener=seen.append)
    worker.start()
    wait_for(lambda: worker.last_report is not None)
    assert delays == [0.02, 0.04, 0.08, 0.08, 0.08], "doubling, capped"
    gaps = [b - a for a, b in zip(client.ran, client.ran[1:], strict=False)]
    assert all(gap >= delay * 0.9 for gap, delay in zip(gaps, delays, strict=False))
    assert any(s.phase == "waiting" and s.last_error for s in seen)
    assert backoff.failures == 0, "a success resets the backoff"
    time.sleep(0.1)
    assert len(client.ran) == 6, "after a success the next run waits for the interval"


def test_trigger_pause_resume_and_connectivity(make_worker: Callable[..., tuple[SyncWorker, FakeClient]]) -> None:
    worker, client = make_worker(interval=3600)
    worker.start()
    wait_for(lambda: len(client.ran) == 1)
    worker.trigger()
    wait_for(lambda: len(client.ran) == 2)
    worker.pause()
    assert client.cancelled.is_set() and worker.state().phase == "paused"
    assert worker.next_run_in() is None, "nothing starts by itself while paused"
    worker.trigger()
    wait_for(lambda: len(client.ran) == 3)
    wait_for(lambda: not worker.state().running)
    assert worker.state().phase == "paused" and worker.paused, "the officer's one run leaves the pause on"
    worker.resume()
    wait_for(lambda: len(client.ran) == 4)
    worker.connectivity_changed(False)
    wait_for(lambda: worker.state().phase == "offline")
    assert worker.state().online is False
    worker.connectivity_changed(True)
    wait_for(lambda: len(client.ran) == 5)
    worker.set_bandwidth_cap(64)
    assert client.cap == 64


def test_a_fault_a_person_must_fix_waits_the_interval(
    make_worker: Callable[..., tuple[SyncWorker, FakeClient]],
) -> None:
    worker, client = make_worker([NotEnrolledError()], interval=3600, backoff=Backoff(base=0.001))
    worker.start()
    wait_for(lambda: worker.last_error is not None)
    wait_for(lambda: worker.state().phase == "error")
    time.sleep(0.05)
    assert len(client.ran) == 1
    assert "belum didaftarkan" in worker.state().last_error


def test_a_bug_in_a_run_does_not_kill_the_thread(make_worker: Callable[..., tuple[SyncWorker, FakeClient]]) -> None:
    worker, client = make_worker(
        [RuntimeError("bug"), SyncInterruptedError()], interval=3600, backoff=Backoff(base=0.01)
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sync.client.worker.log.exception", lambda *_a, **_k: None)
        worker.start()
        wait_for(lambda: len(client.ran) >= 2)
        worker.trigger()
        wait_for(lambda: worker.last_report is not None)
    assert worker.alive


class FakeClock:
    """The worker's clock, moved by the test (no waiting on real time)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_background_sync_runs_on_the_interval_by_the_workers_clock(
    make_worker: Callable[..., tuple[SyncWorker, FakeClient]],
) -> None:
    clock = FakeClock()
    worker, client = make_worker(interval=600, clock=clock)
    worker.start()
    wait_for(lambda: len(client.ran) == 1 and worker.next_run_in() == 600)
    clock.now += 599
    worker.wake()
    assert worker.next_run_in() == 1
    clock.now += 1
    worker.wake()
    wait_for(lambda: len(client.ran) == 2)
    wait_for(lambda: worker.next_run_in() == 600)
    assert len(client.ran) == 2


def test_a_new_interval_re_times_the_wait_under_way(
    make_worker: Callable[..., tuple[SyncWorker, FakeClient]],
) -> None:
    clock = FakeClock()
    seen: list[SyncState] = []
    worker, client = make_worker(interval=3600, clock=clock, listener=seen.append)
    worker.start()
    wait_for(lambda: len(client.ran) == 1 and worker.next_run_in() == 3600)
    clock.now += 50
    worker.set_interval(60)
    assert worker.next_run_in() == 10, "counted from the end of the last run, not from now"
    assert seen[-1].next_attempt_at is not None
    clock.now += 10
    worker.wake()
    wait_for(lambda: len(client.ran) == 2)


def test_paused_from_the_start_runs_nothing_until_resumed(
    make_worker: Callable[..., tuple[SyncWorker, FakeClient]],
) -> None:
    clock = FakeClock()
    worker, client = make_worker(interval=60, clock=clock, paused=True)
    worker.start()
    clock.now += 3600
    worker.wake()
    assert worker.next_run_in() is None and worker.state().phase == "paused"
    assert "dijeda" in worker.state().message
    assert client.ran == []
    worker.resume()
    wait_for(lambda: len(client.ran) == 1)
    assert not worker.state().paused
