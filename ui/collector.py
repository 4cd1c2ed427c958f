"""Python's cyclic garbage collection, run on the GUI thread only and in small steps.

Left automatic, a collection runs on whichever thread happens to allocate: on a worker it can
destroy Qt objects that belong to the GUI thread ("Timers cannot be stopped from another thread",
then a crash), and a full collection of a big heap held the GIL, and so the window, for 25-250 ms.
Here automatic collection is off; a timer on the GUI thread collects the young generations when
they are due and the oldest one only when the officer has paused (or it is long overdue).

Data kept for the whole session (catalogue, regions) is loaded through `load_for_good`: no collection
walks it while it is built, and once built it is frozen out of reach of every later collection.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger("loket.ui")

CHECK_MS = 100  # often enough that the young generation stays small (a few ms to collect)
PAUSE_SECONDS = 2.0  # no input for this long: a full collection will not be felt
OVERDUE_SECONDS = 120.0  # a full collection even without a pause, so memory cannot grow unchecked
T = TypeVar("T")


class _Loads:
    """How many `load_for_good` calls are running, on any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.running = 0

    def add(self, change: int) -> None:
        with self._lock:
            self.running += change


_loads = _Loads()


def loading_for_good() -> bool:
    """Whether a `load_for_good` is building its data on some thread right now."""
    return _loads.running > 0


def load_for_good(load: Callable[[], T]) -> T:
    """Run a load of data kept for the whole session (catalogue, regions), then freeze it.

    Collections walk every container young enough for their generation, whichever thread made it:
    while a worker built the 91,599 regions, each young collection on the GUI thread walked the
    growing lists (10-40 ms, once a middle collection 38 ms), and a full one with everything loaded
    took 25-250 ms. So no collection runs during the load, not even the GUI's timed ones (they wait
    for `loading_for_good()` to turn false), and what it loaded is then moved out of reach of all later
    ones (gc.freeze); it is never garbage anyway.
    """
    automatic = gc.isenabled()  # off while the GUI's collector runs
    gc.disable()
    _loads.add(1)
    try:
        return load()
    finally:
        gc.freeze()
        _loads.add(-1)
        if automatic:
            gc.enable()


class GarbageCollector(QObject):
    """Owns Python's cyclic garbage collection while the GUI runs; `stop()` hands it back."""

    def __init__(self, last_input: Callable[[], float], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._last_input = last_input  # time.monotonic() of the officer's last keystroke or click
        self._last_full = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self.check)
        self.running = False

    def start(self) -> None:
        """Turn automatic collection off and collect from the timer instead."""
        gc.disable()
        self.running = True
        self._timer.start()

    def stop(self) -> None:
        """Give collection back to Python (on quitting, and in tests)."""
        self._timer.stop()
        self.running = False
        gc.enable()

    def check(self) -> None:
        """Collect what is due: young generations by Python's own thresholds, the oldest when quiet."""
        if loading_for_good():
            return  # the load freezes what it made when it ends: walking it now would be wasted
        young, middle, old = gc.get_count()
        first, second, third = gc.get_threshold()
        started = time.perf_counter()
        now = time.monotonic()
        generation = None
        if old > third and (now - self._last_input() > PAUSE_SECONDS or now - self._last_full > OVERDUE_SECONDS):
            generation = 2
        elif middle > second:
            generation = 1
        elif young > first:
            generation = 0
        if generation is None:
            return
        gc.collect(generation)
        if generation == 2:
            self._last_full = now
        took = (time.perf_counter() - started) * 1000
        if took > 20:
            log.info("garbage collection of generation %d took %.0f ms", generation, took)
