"""The task runner: database thread and pool, results and progress on the GUI thread, known errors
against bugs, cancelling a job or a dialog's group of jobs, and stopping."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from app.capture.errors import DeviceBusyError
from app.errors import KnownError
from ui.tasks import POOL_WORKERS, Group, Report, TaskRunner, Work

WAIT = 10_000


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    """A runner of this test only, stopped afterwards."""
    runner = TaskRunner()
    yield runner
    runner.stop()


def _wait_idle(qtbot: QtBot, runner: TaskRunner) -> None:
    qtbot.waitUntil(lambda: runner.busy == 0, timeout=WAIT)


def test_db_runs_in_order_and_calls_back_on_the_gui_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    threads: list[str] = []
    seen: list[object] = []

    def record(value: object) -> None:
        threads.append(threading.current_thread().name)
        seen.append(value)

    workers: list[str] = []

    def numbered(n: int) -> Callable[[], int]:
        def fn() -> int:
            workers.append(threading.current_thread().name)
            return n

        return fn

    for n in range(5):
        runner.db(f"job {n}", numbered(n), record)
    assert runner.busy == 5
    _wait_idle(qtbot, runner)
    assert seen == [0, 1, 2, 3, 4]
    assert set(workers) == {"loket-database"}
    assert set(threads) == {threading.main_thread().name}


def test_db_and_pool_errors_keep_their_old_paths(qtbot: QtBot, runner: TaskRunner) -> None:
    handled: list[BaseException] = []

    def bug() -> None:
        raise ZeroDivisionError

    def known() -> None:
        raise KnownError("Penyimpanan penuh.")

    runner.pool("handled bug", bug, on_error=handled.append)  # the callback gets bugs too, as before
    _wait_idle(qtbot, runner)
    assert isinstance(handled[-1], ZeroDivisionError)
    with qtbot.waitSignal(runner.failed, timeout=WAIT) as unhandled:
        runner.db("known, unhandled", known)
    assert unhandled.args == ["Penyimpanan penuh."]
    with qtbot.captureExceptions() as exceptions:
        runner.pool("bug, unhandled", bug)
        _wait_idle(qtbot, runner)
    assert [type(info[1]) for info in exceptions] == [ZeroDivisionError]


def test_run_delivers_progress_then_the_result_on_the_gui_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    seen: list[object] = []
    threads: set[str] = set()

    def work(report: Report[int], cancelled: threading.Event) -> int:
        for n in range(3):
            report(n)
        return 42

    def progress(value: object) -> None:
        threads.add(threading.current_thread().name)
        seen.append(value)

    group = Group()
    runner.run("count", work, on_done=seen.append, on_failed=seen.append, on_progress=progress, group=group)
    assert group.busy == 1
    qtbot.waitUntil(lambda: group.busy == 0, timeout=WAIT)
    assert seen == [0, 1, 2, 42]
    assert threads == {threading.main_thread().name}


def test_run_sends_known_errors_to_the_callback_and_bugs_to_the_crash_path(qtbot: QtBot, runner: TaskRunner) -> None:
    failed: list[KnownError] = []

    def busy(report: Report[object], cancelled: threading.Event) -> None:
        raise DeviceBusyError("test")

    def bug(report: Report[object], cancelled: threading.Event) -> None:
        raise ZeroDivisionError

    runner.run("busy", busy, on_done=print, on_failed=failed.append)
    _wait_idle(qtbot, runner)
    assert len(failed) == 1 and isinstance(failed[0], DeviceBusyError)
    with qtbot.captureExceptions() as exceptions:
        runner.run("bug", bug, on_done=print, on_failed=failed.append)
        _wait_idle(qtbot, runner)
    assert [type(info[1]) for info in exceptions] == [ZeroDivisionError]
    assert len(failed) == 1  # the error callback never sees a bug


def test_a_cancelled_job_stops_and_delivers_nothing(qtbot: QtBot, runner: TaskRunner) -> None:
    reported, release = threading.Event(), threading.Event()
    saw_cancel: list[bool] = []
    seen: list[object] = []

    def work(report: Report[str], cancelled: threading.Event) -> str:
        report("first")
        reported.set()
        release.wait(WAIT / 1000)
        saw_cancel.append(cancelled.is_set())
        report("after cancel")
        raise DeviceBusyError("too late")

    handle = runner.run("slow", work, on_done=seen.append, on_failed=seen.append, on_progress=seen.append)
    assert reported.wait(WAIT / 1000)
    handle.cancel()
    release.set()
    _wait_idle(qtbot, runner)
    assert saw_cancel == [True]
    assert seen == []  # not even the report made before cancel() had reached the GUI thread


def test_a_cancelled_group_drops_its_results_and_its_queued_jobs_never_start(qtbot: QtBot, runner: TaskRunner) -> None:
    dialog, other = Group(), Group()
    started, release = threading.Barrier(POOL_WORKERS + 1, timeout=WAIT / 1000), threading.Event()
    ran: list[str] = []
    seen: list[object] = []

    def blocking(name: str) -> Work[object, str]:
        def work(report: Report[object], cancelled: threading.Event) -> str:
            started.wait()
            release.wait(WAIT / 1000)
            ran.append(name)
            return name

        return work

    def queued(report: Report[object], cancelled: threading.Event) -> str:
        ran.append("queued")
        return "queued"

    runner.run("other", blocking("other"), on_done=seen.append, on_failed=seen.append, group=other)
    for n in range(POOL_WORKERS - 1):
        runner.run(f"dialog {n}", blocking("dialog"), on_done=seen.append, on_failed=seen.append, group=dialog)
    runner.run("queued", queued, on_done=seen.append, on_failed=seen.append, group=dialog)
    started.wait()  # every pool worker is busy: the last job waits in the queue
    assert (dialog.busy, other.busy, runner.busy) == (POOL_WORKERS, 1, POOL_WORKERS + 1)
    dialog.cancel()
    runner.run("after close", queued, on_done=seen.append, on_failed=seen.append, group=dialog)
    release.set()
    _wait_idle(qtbot, runner)
    assert seen == ["other"]
    assert sorted(ran) == ["dialog"] * (POOL_WORKERS - 1) + ["other"]
    assert (dialog.busy, other.busy) == (0, 0)


def test_a_cancelled_jobs_bug_still_takes_the_crash_path(qtbot: QtBot, runner: TaskRunner) -> None:
    running, release = threading.Event(), threading.Event()

    def bug(report: Report[object], cancelled: threading.Event) -> None:
        running.set()
        release.wait(WAIT / 1000)
        raise ZeroDivisionError

    group = Group()
    runner.run("bug", bug, on_done=print, on_failed=print, group=group)
    assert running.wait(WAIT / 1000)
    group.cancel()
    release.set()
    with qtbot.captureExceptions() as exceptions:
        qtbot.waitUntil(lambda: group.busy == 0, timeout=WAIT)
    assert [type(info[1]) for info in exceptions] == [ZeroDivisionError]


def test_a_stopped_runner_finishes_its_work_and_takes_no_more(qtbot: QtBot, runner: TaskRunner) -> None:
    ran: list[str] = []
    runner.db("last write", lambda: ran.append("db"))
    runner.pool("last picture", lambda: ran.append("pool"))
    runner.stop()
    assert sorted(ran) == ["db", "pool"]
    late = runner.pool("late", lambda: ran.append("late"))
    also_late = runner.db("late", lambda: ran.append("late"))
    assert late.cancelled.is_set() and also_late.cancelled.is_set()
    _wait_idle(qtbot, runner)  # the finished jobs are still delivered
    assert sorted(ran) == ["db", "pool"]
