"""Work off the GUI thread: tasks on a QThreadPool whose results come back on the GUI thread by signal.

Known faults (KnownError) come back as `failed`; anything else is a bug and is re-raised on the GUI
thread so that it takes the application's crash path. Widgets are never touched from a worker.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.errors import KnownError

log = logging.getLogger("loket.ui")

Report = Callable[[object], None]
Work = Callable[[Report, threading.Event], object]


class TaskSignals(QObject):
    """What a task reports; emitted from the worker, delivered on the GUI thread."""

    progress = Signal(object)
    done = Signal(object)
    failed = Signal(object)
    crashed = Signal(object)


class _Task(QRunnable):
    def __init__(self, work: Work, signals: TaskSignals, cancel: threading.Event) -> None:
        super().__init__()
        self._work = work
        self._signals = signals
        self._cancel = cancel

    def run(self) -> None:
        try:
            result = self._work(self._signals.progress.emit, self._cancel)
        except KnownError as exc:
            self._signals.failed.emit(exc)
            return
        except Exception as exc:
            log.exception("background task crashed")
            self._signals.crashed.emit(exc)
            return
        self._signals.done.emit(result)


class TaskHandle:
    """A running task: cancel it (it stops at its next check) and see whether it has reported."""

    def __init__(self, signals: TaskSignals, cancel: threading.Event) -> None:
        self.signals = signals
        self._cancel = cancel
        self.finished = False

    def cancel(self) -> None:
        """Ask the task to stop at its next check."""
        self._cancel.set()


class TaskRunner(QObject):
    """Runs work on a thread pool and keeps each task alive until its result is delivered."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._running: list[TaskHandle] = []

    @property
    def busy(self) -> bool:
        """Whether any task has not reported yet."""
        return bool(self._running)

    def run(
        self,
        work: Work,
        *,
        done: Callable[[Any], None],
        failed: Callable[[Any], None],
        progress: Callable[[Any], None] | None = None,
    ) -> TaskHandle:
        """Start work(report, cancelled) on the pool; done/failed/progress are called on the GUI thread."""
        signals = TaskSignals()
        handle = TaskHandle(signals, threading.Event())
        if progress is not None:
            signals.progress.connect(progress)
        signals.done.connect(done)
        signals.failed.connect(failed)
        signals.done.connect(lambda _result: self._finish(handle))
        signals.failed.connect(lambda _error: self._finish(handle))
        signals.crashed.connect(lambda error: self._crash(handle, error))
        self._running.append(handle)
        self._pool.start(_Task(work, signals, handle._cancel))
        return handle

    def cancel_all(self) -> None:
        """Stop every running task and drop whatever it still reports (its receiver is going away)."""
        for handle in self._running:
            handle.cancel()
            handle.signals.blockSignals(True)
        self._running.clear()

    def _finish(self, handle: TaskHandle) -> None:
        handle.finished = True
        if handle in self._running:
            self._running.remove(handle)
        if not self._running:
            self.idle.emit()

    def _crash(self, handle: TaskHandle, error: BaseException) -> None:
        self._finish(handle)
        raise error
