"""The one task runner: a single worker thread for everything that touches the database, a pool for
image and network work, and results delivered back on the GUI thread by signal.

Widgets never run slow work themselves: they hand a function to the runner and get a callback on
the GUI thread. Workers never touch widgets. Work that reports progress or can be stopped (a feeder
scan, a file import) runs through `run()`; a dialog puts its jobs in a `Group` and cancels it when it
closes, after which nothing of them is delivered.

The hand-offs are typed: `db(label, fn: () -> T, on_done: (T) -> None)` and `run(label, work, on_done,
on_progress)` with the work's result and reports, so mypy checks every worker -> GUI hand-off.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

from app.errors import KnownError

log = logging.getLogger("loket.ui")

T = TypeVar("T")  # what the work returns: what `on_done` takes
P = TypeVar("P")  # what the work reports on its way: what `on_progress` takes

Done = Callable[[T], None]  # on the GUI thread, with the work's result
Failed = Callable[[BaseException], None]
Report = Callable[[P], None]  # called by the work, any thread: delivered to `on_progress`
Work = Callable[[Report[P], threading.Event], T]  # work(report, cancelled)
POOL_WORKERS = 2  # threads of the image/network pool


@dataclass
class Job(Generic[T, P]):
    """One piece of work and where its result goes; `cancel()` stops it and drops what it still delivers."""

    id: int
    label: str
    fn: Work[P, T]
    on_done: Done[T] | None = None
    on_error: Failed | None = None
    on_progress: Done[P] | None = None
    group: Group | None = None
    cancelled: threading.Event = field(default_factory=threading.Event)
    started: float = field(default=0.0)

    def cancel(self) -> None:
        """Ask the work to stop at its next check; its reports, result and known error are not delivered."""
        self.cancelled.set()


class Group:
    """The jobs of one receiver (a dialog): `busy` while any is outstanding; `cancel()` when it goes away."""

    def __init__(self) -> None:
        self._jobs: dict[int, Job[Any, Any]] = {}
        self.cancelled = False

    @property
    def busy(self) -> int:
        """How many of its jobs are queued or running."""
        return len(self._jobs)

    def cancel(self) -> None:
        """Cancel its outstanding jobs and any submitted later: none of their results will be delivered."""
        self.cancelled = True
        for job in self._jobs.values():
            job.cancel()


@dataclass(frozen=True)
class _Progress:
    """A report on its way to the GUI thread (told apart from a job's result)."""

    value: object


def _known_only(handler: Callable[[KnownError], None]) -> Failed:
    """An error callback that takes known errors and sends bugs on to the crash path."""

    def handle(error: BaseException) -> None:
        if not isinstance(error, KnownError):
            raise error
        handler(error)

    return handle


class TaskRunner(QObject):
    """Runs work off the GUI thread; `busy_changed(count)` drives progress indicators.

    The workers are Python threads (not QThreads): SQLite connections opened in a QThread crashed
    the interpreter when the thread state was torn down (PySide6 6.12). Reports and results come back
    through one signal, which Qt queues onto the GUI thread.
    """

    last_delivered = ""
    busy_changed = Signal(int)
    failed = Signal(str)  # a known error nobody handled, in Bahasa Indonesia
    _finished = Signal(object, object, object)  # job, result (or a _Progress), error

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._active: set[int] = set()
        self._queue: queue.Queue[Job[Any, Any] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._database_loop, name="loket-database", daemon=True)
        self._pool = ThreadPoolExecutor(max_workers=POOL_WORKERS, thread_name_prefix="loket-pool")
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._stopped = False
        self._thread.start()

    @property
    def busy(self) -> int:
        """How many jobs are queued or running."""
        return len(self._active)

    def _submit(self, job: Job[T, P], *, database: bool) -> Job[T, P]:
        if self._stopped:
            log.warning("task %s dropped: the runner has stopped", job.label)
            job.cancel()
            return job
        if job.group is not None:
            job.group._jobs[job.id] = job
            if job.group.cancelled:
                job.cancel()
        self._active.add(job.id)
        self.busy_changed.emit(len(self._active))
        if database:
            self._queue.put(job)
        else:
            self._pool.submit(self._execute, job)
        return job

    def _execute(self, job: Job[Any, Any]) -> None:
        job.started = time.perf_counter()
        if job.cancelled.is_set():  # cancelled while queued: do not start it
            self._finished.emit(job, None, None)
            return

        def report(value: Any) -> None:
            if not job.cancelled.is_set():
                self._finished.emit(job, _Progress(value), None)

        try:
            result = job.fn(report, job.cancelled)
        except BaseException as exc:
            self._finished.emit(job, None, exc)
            return
        self._finished.emit(job, result, None)

    def _database_loop(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            self._execute(job)

    def db(
        self, label: str, fn: Callable[[], T], on_done: Done[T] | None = None, on_error: Failed | None = None
    ) -> Job[T, None]:
        """Run `fn` on the database thread (in submission order); `on_done(its result)` on the GUI thread."""
        job: Job[T, None] = Job(next(self._ids), label, lambda _report, _cancelled: fn(), on_done, on_error)
        return self._submit(job, database=True)

    def pool(
        self, label: str, fn: Callable[[], T], on_done: Done[T] | None = None, on_error: Failed | None = None
    ) -> Job[T, None]:
        """Run `fn` on the image/network pool; `on_done(its result)` on the GUI thread."""
        job: Job[T, None] = Job(next(self._ids), label, lambda _report, _cancelled: fn(), on_done, on_error)
        return self._submit(job, database=False)

    def run(
        self,
        label: str,
        work: Work[P, T],
        *,
        on_done: Done[T],
        on_failed: Callable[[KnownError], None],
        on_progress: Done[P] | None = None,
        group: Group | None = None,
    ) -> Job[T, P]:
        """Run work(report, cancelled) on the pool; reports, result, known errors back on the GUI thread."""
        job = Job(next(self._ids), label, work, on_done, _known_only(on_failed), on_progress, group)
        return self._submit(job, database=False)

    @Slot(object, object, object)
    def _deliver(self, job: Job[Any, Any], result: object, error: BaseException | None) -> None:
        self.last_delivered = job.label  # names the delivery in the GUI latency probe (ui/latency.py)
        if isinstance(result, _Progress):
            if job.on_progress is not None and not job.cancelled.is_set():
                self._call(job, job.on_progress, result.value)
            return
        self._active.discard(job.id)
        if job.group is not None:
            job.group._jobs.pop(job.id, None)
        self.busy_changed.emit(len(self._active))
        took = (time.perf_counter() - job.started) * 1000
        log.debug("task %s (%s) finished in %.0f ms", job.id, job.label, took)
        if job.cancelled.is_set():
            if error is None or isinstance(error, KnownError):
                log.debug("task %s (%s) was cancelled: its result is dropped", job.id, job.label)
                return
            raise error  # a bug is a bug even when nobody waits for the result
        if error is None:
            if job.on_done is not None:
                self._call(job, job.on_done, result)
            return
        if job.on_error is not None:
            job.on_error(error)
        elif isinstance(error, KnownError):
            self.failed.emit(error.message)
        else:
            raise error

    def _call(self, job: Job[Any, Any], callback: Done[Any], value: object) -> None:
        started = time.perf_counter()
        callback(value)
        spent = (time.perf_counter() - started) * 1000
        if spent > 50:
            log.warning("GUI-thread callback of task %s took %.0f ms", job.label, spent)

    def stop(self, timeout: float = 30.0) -> None:
        """Finish queued work and stop the threads (call before quitting)."""
        if self._stopped:
            return
        self._stopped = True
        self._pool.shutdown(wait=True)
        self._queue.put(None)
        self._thread.join(timeout)
