"""Measuring the GUI thread: the longest time one event took to handle (budget: 50 ms).

Enabled by LOKET_GUI_LATENCY_FILE (used by `make bench` over the e2e flows); off, it costs nothing.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

ENV = "LOKET_GUI_LATENCY_FILE"


class MeasuredApplication(QApplication):
    """A QApplication that times every top-level event dispatch on the GUI thread."""

    def __init__(self, argv: list[str]) -> None:
        super().__init__(argv)
        self._depth = 0
        self.durations: list[float] = []
        self.worst: tuple[float, str] = (0.0, "")

    def notify(self, receiver: QObject, event: QEvent) -> bool:
        """Dispatch, timing the outermost dispatch only (nested ones are part of it)."""
        if self._depth:
            self._depth += 1
            try:
                return super().notify(receiver, event)
            finally:
                self._depth -= 1
        self._depth = 1
        started = time.perf_counter()
        try:
            return super().notify(receiver, event)
        finally:
            took = (time.perf_counter() - started) * 1000
            self._depth = 0
            self.durations.append(took)
            if took > self.worst[0]:
                chain: list[str] = []
                node: QObject | None = receiver
                while node is not None and len(chain) < 4:
                    chain.append(type(node).__name__)
                    node = node.parent()
                self.worst = (took, f"{'<'.join(chain)}/{event.type().name}")

    def save(self) -> None:
        """Append this run's figures to the file named by LOKET_GUI_LATENCY_FILE."""
        target = os.environ.get(ENV)
        if not target or not self.durations:
            return
        ordered = sorted(self.durations)
        record = {
            "events": len(ordered),
            "max_ms": ordered[-1],
            "p99_ms": ordered[int(len(ordered) * 0.99) - 1],
            "worst": self.worst[1],
        }
        with Path(target).open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")


def application_class() -> type[QApplication]:
    """MeasuredApplication when measuring, else the plain QApplication."""
    return MeasuredApplication if os.environ.get(ENV) else QApplication
