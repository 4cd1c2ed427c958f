"""The controller's activity watch: input is noticed without filtering every event all the time."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from app.paths import DataPaths
from app.settings import Settings
from ui.controller import Controller
from ui.tasks import TaskRunner


def _controller(tmp_path: Path) -> Controller:
    runner = TaskRunner()
    return Controller(DataPaths(tmp_path), Settings(tmp_path / "settings.json"), runner)


def test_input_is_noticed_then_the_filter_stands_down_until_the_next_check(qtbot: QtBot, tmp_path: Path) -> None:
    controller = _controller(tmp_path)
    field = QLineEdit()
    qtbot.addWidget(field)
    controller.last_input = time.monotonic() - 600
    qtbot.keyClick(field, Qt.Key.Key_A)
    assert time.monotonic() - controller.last_input < 5
    assert not controller._watching

    controller.last_input = time.monotonic() - 600
    qtbot.keyClick(field, Qt.Key.Key_B)  # not watched: nothing filters every event meanwhile
    assert time.monotonic() - controller.last_input > 500

    controller.check_idle()  # re-arms the watch
    assert controller._watching
    QApplication.sendEvent(field, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_C, Qt.KeyboardModifier.NoModifier, "c"))
    assert time.monotonic() - controller.last_input < 5
    controller.shutdown()


def test_non_input_events_keep_the_watch(qtbot: QtBot, tmp_path: Path) -> None:
    controller = _controller(tmp_path)
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    field.resize(200, 30)
    QApplication.processEvents()
    assert controller._watching
    controller.shutdown()


def test_the_warmup_runs_its_steps_one_per_tick_and_stops(qtbot: QtBot) -> None:
    from ui import warmup

    ran: list[str] = []
    runner = warmup.Warmup()
    runner._steps = [lambda: ran.append("a"), lambda: ran.append("b")]
    runner.start()
    qtbot.waitUntil(lambda: runner.done, timeout=2000)
    assert ran == ["a", "b"]
    for step in warmup.warm_steps():  # the real steps build and paint without error
        step()


def test_garbage_is_collected_on_the_gui_thread_only_while_the_app_runs(qtbot: QtBot, tmp_path: Path) -> None:
    import gc
    import weakref

    from ui import collector

    controller = _controller(tmp_path)
    assert controller.collector.running and not gc.isenabled()

    class Node:
        """Something in a reference cycle: only the cyclic collector frees it."""

        other: object = None

    node = Node()
    node.other = node
    freed = weakref.ref(node)
    del node
    threshold = gc.get_threshold()[0]
    kept: list[list[object]] = [[] for _ in range(threshold + 10)]  # allocations that make generation 0 due
    assert gc.get_count()[0] > threshold
    assert freed() is not None  # automatic collection is off
    controller.collector.check()
    assert freed() is None
    assert gc.get_count()[0] < threshold
    del kept
    controller.last_input = time.monotonic() - 2 * collector.PAUSE_SECONDS
    gc.collect(1)  # make generation 2 due as well
    for _ in range(gc.get_threshold()[2] + 1):
        gc.collect(1)
    controller.collector.check()
    assert gc.get_count()[2] == 0  # the officer paused: the full collection ran
    controller.shutdown()
    assert gc.isenabled()


def test_no_collection_walks_a_load_for_good_while_it_is_built(qtbot: QtBot, tmp_path: Path) -> None:
    import gc
    import threading

    from ui import collector

    controller = _controller(tmp_path)
    building, finish = threading.Event(), threading.Event()

    def load() -> list[list[str]]:
        rows = [[str(n)] for n in range(gc.get_threshold()[0] * 3)]  # enough to make generation 0 due
        building.set()
        finish.wait(10)
        return rows

    loaded: list[list[list[str]]] = []
    worker = threading.Thread(target=lambda: loaded.append(collector.load_for_good(load)))
    frozen_before = gc.get_freeze_count()
    worker.start()
    assert building.wait(10)
    assert collector.loading_for_good()
    due = gc.get_count()[0]
    assert due > gc.get_threshold()[0]
    controller.collector.check()
    assert gc.get_count()[0] >= due  # the GUI's timed collection waited for the load
    finish.set()
    worker.join(10)
    assert not collector.loading_for_good()
    assert gc.get_freeze_count() > frozen_before + len(loaded[0])  # the loaded rows are out of reach now
    kept: list[list[object]] = [[] for _ in range(gc.get_threshold()[0] + 10)]  # generation 0 due again
    controller.collector.check()
    assert gc.get_count()[0] < gc.get_threshold()[0]  # and collections resume
    del kept
    controller.shutdown()
