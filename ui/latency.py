"""Measuring the GUI thread: the longest time one event took to handle (budget: 50 ms).

Enabled by LOKET_GUI_LATENCY_FILE (used by `make bench` over the e2e flows); off, it costs nothing.
The probe is a Python override of QApplication.notify, so every event an event sets off (a shown form
sends thousands: polish, layout, move, resize) also passes through Python and makes it look slower.
Each timed event therefore counts the nested events it carried; the benchmark measures what one nested
event costs the probe and reports the figure with and without that cost.

Handing receivers to Python also makes PySide6 create, on first sight, the Python types of Qt classes
the plain application never wraps, each with its enums (the first main window of a run paid 109 of
them, 20-30 ms, inside one event). The probe creates them all before it starts timing.
"""

from __future__ import annotations

import heapq
import json
import os
import time
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

ENV = "LOKET_GUI_LATENCY_FILE"
TOP = 40


def _describe(receiver: QObject, kind: str, event: str) -> str:
    """The receiver's class and up to three ancestors, and the event type: enough to find the code."""
    chain: list[str] = []
    try:
        node: QObject | None = receiver
        while node is not None and len(chain) < 4:
            name = node.objectName()
            chain.append(type(node).__name__ + (f"#{name}" if name else ""))
            node = node.parent()
    except RuntimeError:  # the event deleted its receiver
        chain = [f"{kind} (deleted)"]
    return f"{'<'.join(chain)}/{event}"


def _create_qt_types() -> None:
    """Make PySide6 create every class of QtCore, QtGui and QtWidgets now (it does so lazily)."""
    for module in (QtCore, QtGui, QtWidgets):
        for name in dir(module):
            getattr(module, name)


class MeasuredApplication(QApplication):
    """A QApplication that times every top-level event dispatch on the GUI thread."""

    def __init__(self, argv: list[str]) -> None:
        super().__init__(argv)
        _create_qt_types()  # the probe's own first-use cost, not the application's
        self._depth = 0
        self._nested = 0
        self.durations: list[float] = []
        self.slowest: list[tuple[float, str, int]] = []  # a min-heap of the TOP slowest: ms, what, nested

    def notify(self, receiver: QObject, event: QEvent) -> bool:
        """Dispatch, timing the outermost dispatch only (nested ones are part of it)."""
        if self._depth:
            self._depth += 1
            self._nested += 1
            try:
                return super().notify(receiver, event)
            finally:
                self._depth -= 1
        self._depth = 1
        self._nested = 0
        kind, what = type(receiver).__name__, event.type().name
        # A deletion takes its receiver with it: name it beforehand (deletions are few).
        named = _describe(receiver, kind, what) if what == "DeferredDelete" else None
        started = time.perf_counter()
        try:
            return super().notify(receiver, event)
        finally:
            took = (time.perf_counter() - started) * 1000
            self._depth = 0
            self.durations.append(took)
            if len(self.slowest) < TOP or took > self.slowest[0][0]:
                named = named or _describe(receiver, kind, what)
                task = getattr(receiver, "last_delivered", "") if what == "MetaCall" else ""
                entry = (took, f"{named} [{task}]" if task else named, self._nested)
                if len(self.slowest) < TOP:
                    heapq.heappush(self.slowest, entry)
                else:
                    heapq.heapreplace(self.slowest, entry)

    def save(self) -> None:
        """Append this run's figures to the file named by LOKET_GUI_LATENCY_FILE."""
        target = os.environ.get(ENV)
        if not target or not self.durations:
            return
        ordered = sorted(self.durations)
        slowest = sorted(self.slowest, reverse=True)
        record = {
            "events": len(ordered),
            "max_ms": ordered[-1],
            "p99_ms": ordered[int(len(ordered) * 0.99) - 1],
            "worst": slowest[0][1],
            "slowest": [[round(ms, 2), what, nested] for ms, what, nested in slowest],
        }
        with Path(target).open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")


def application_class() -> type[QApplication]:
    """MeasuredApplication when measuring, else the plain QApplication."""
    return MeasuredApplication if os.environ.get(ENV) else QApplication
