"""The task runner and the page view on their own."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from app.capture.errors import DeviceBusyError
from ui.capture.pages import human_size
from ui.capture.tasks import Report, TaskRunner
from ui.capture.view import PageView


def test_runner_delivers_progress_results_and_known_errors(qtbot: QtBot) -> None:
    runner = TaskRunner()
    seen: list[object] = []

    def work(report: Report, cancel: threading.Event) -> int:
        for n in range(3):
            report(n)
        return 42

    with qtbot.waitSignal(runner.idle, timeout=10_000):
        runner.run(work, progress=seen.append, done=seen.append, failed=seen.append)
    assert seen == [0, 1, 2, 42]

    def broken(report: Report, cancel: threading.Event) -> None:
        raise DeviceBusyError("busy")

    with qtbot.waitSignal(runner.idle, timeout=10_000):
        runner.run(broken, done=seen.append, failed=seen.append)
    assert isinstance(seen[-1], DeviceBusyError)
    assert not runner.busy


def test_runner_hands_bugs_to_the_crash_path(qtbot: QtBot) -> None:
    runner = TaskRunner()

    def bug(report: Report, cancel: threading.Event) -> None:
        raise ZeroDivisionError

    with qtbot.captureExceptions() as exceptions, qtbot.waitSignal(runner.idle, timeout=10_000):
        runner.run(bug, done=print, failed=print)
    assert any(isinstance(info[1], ZeroDivisionError) for info in exceptions)


def test_cancelled_tasks_report_nothing(qtbot: QtBot) -> None:
    runner = TaskRunner()
    release = threading.Event()
    seen: list[object] = []

    def slow(report: Report, cancel: threading.Event) -> str:
        release.wait(10)
        return "late"

    runner.run(slow, done=seen.append, failed=seen.append)
    runner.cancel_all()
    release.set()
    qtbot.wait(200)
    assert seen == [] and not runner.busy


def test_page_view_maps_and_drags_corners(qtbot: QtBot) -> None:
    view = PageView()
    qtbot.addWidget(view)
    view.resize(420, 320)
    view.show()
    image = QImage(200, 100, QImage.Format.Format_RGB888)
    image.fill(0)
    corners = [QPointF(10, 10), QPointF(190, 10), QPointF(190, 90), QPointF(10, 90)]
    view.edit_outline(image, corners)
    assert view.editing
    widget = view._to_widget(QPointF(190, 90))
    assert view._to_image(widget).x() == pytest.approx(190, abs=0.01)
    view.show_image(image, None)  # live frames do not replace the outline being edited
    assert view.outline() is not None
    view.stop_editing()
    view.show_image(image, None)
    assert view.outline() is None
    view.show_message("Menyiapkan kamera…")
    view.grab()


def test_human_size() -> None:
    assert human_size(999) == "1 KB"
    assert human_size(48_200) == "48 KB"
    assert human_size(2_300_000) == "2,3 MB"
