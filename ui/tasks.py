"""The one task runner: a single worker thread for everything that touches the database, a pool for
image and network work, and results delivered back on the GUI thread by signal.

Widgets never run slow work themselves: they hand a function to the runner and get a callback on
the GUI thread. Workers never touch widgets.
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
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from app.errors import KnownError

log = logging.getLogger("loket.ui")

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


@dataclass
class Job:
    """One piece of work and where its result goes."""

    id: int
    label: str
    fn: Callable[[], Any]
    on_done: Done | None = None
    on_error: Failed | None = None
    started: float = field(default=0.0)


class TaskRunner(QObject):
    """Runs work off the GUI thread; `busy_changed(count)` drives progress indicators.

    The workers are Python threads (not QThreads): SQLite connections opened in a QThread crashed
    the interpreter when the thread state was torn down (PySide6 6.12). Results come back through a
    signal, which Qt queues onto the GUI thread.
    """

    busy_changed = Signal(int)
    failed = Signal(str)  # a known error nobody handled, in Bahasa Indonesia
    _finished = Signal(object, object, object)  # job, result, error

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._active: set[int] = set()
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._thread = threading.Thread(target=self._database_loop, name="loket-database", daemon=True)
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="loket-pool")
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._stopped = False
        self._thread.start()

    @property
    def busy(self) -> int:
        """How many jobs are queued or running."""
        return len(self._active)

    def _job(self, label: str, fn: Callable[[], Any], on_done: Done | None, on_error: Failed | None) -> Job:
        job = Job(next(self._ids), label, fn, on_done, on_error)
        self._active.add(job.id)
        self.busy_changed.emit(len(self._active))
        return job

    def _execute(self, job: Job) -> None:
        job.started = time.perf_counter()
        try:
            result = job.fn()
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
        self, label: str, fn: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None
    ) -> None:
        """Run `fn` on the database thread (in submission order); callbacks on the GUI thread."""
        self._queue.put(self._job(label, fn, on_done, on_error))

    def pool(
        self, label: str, fn: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None
    ) -> None:
        """Run `fn` on the image/network pool; callbacks on the GUI thread."""
        if self._stopped:
            log.warning("task %s dropped: the runner has stopped", label)
            return
        self._pool.submit(self._execute, self._job(label, fn, on_done, on_error))

    @Slot(object, object, object)
    def _deliver(self, job: Job, result: object, error: BaseException | None) -> None:
        self._active.discard(job.id)
        self.busy_changed.emit(len(self._active))
        took = (time.perf_counter() - job.started) * 1000
        log.debug("task %s (%s) finished in %.0f ms", job.id, job.label, took)
        if error is None:
            if job.on_done is not None:
                started = time.perf_counter()
                job.on_done(result)
                spent = (time.perf_counter() - started) * 1000
                if spent > 50:
                    log.warning("GUI-thread callback of task %s took %.0f ms", job.label, spent)
            return
        if job.on_error is not None:
            job.on_error(error)
        elif isinstance(error, KnownError):
            self.failed.emit(error.message)
        else:
            raise error

    def stop(self, timeout: float = 30.0) -> None:
        """Finish queued work and stop the threads (call before quitting)."""
        if self._stopped:
            return
        self._stopped = True
        self._pool.shutdown(wait=True)
        self._queue.put(None)
        self._thread.join(timeout)
