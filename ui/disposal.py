"""Deleting a large widget tree without stalling the window: a slice per turn of the event loop.

Deleting an application editor at once (thousands of widgets) kept the GUI thread busy for over
50 ms. `dispose` hides the tree, silences it (timers stopped, signals blocked, so no slot runs
against a half-deleted tree), then deletes it from the leaves up, about ten milliseconds per turn.

Only parts a parent does not point at may go first: the widgets placed in plain containers, the
pages of tab and stacked widgets, the content of a scroll area. Qt's own composite widgets (a combo
box's popup, a scroll area's viewport, a tab bar) are deleted with their owner, never before it.
"""

from __future__ import annotations

import time

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QDialog, QFrame, QGroupBox, QScrollArea, QStackedWidget, QTabWidget, QWidget

TARGET_MS = 10.0
MIN_BATCH, MAX_BATCH = 4, 1024

_running: set[_Disposal] = set()  # keeps each disposal alive until it has finished


_CONTAINERS = (QWidget, QFrame, QGroupBox, QDialog)  # Qt classes that keep no pointers to children


def _qt_class(widget: QWidget) -> type:
    """The Qt class a widget is made from (its Python subclasses add no C++ state)."""
    return next(cls for cls in type(widget).__mro__ if cls.__module__.startswith("PySide6"))


def _parts(widget: QWidget) -> list[QWidget]:
    """The child widgets that may be deleted before this one."""
    if isinstance(widget, QScrollArea):
        content = widget.takeWidget()  # now parentless: the scroll area no longer points at it
        return [content] if content is not None else []
    if isinstance(widget, QTabWidget | QStackedWidget):
        return [page for index in range(widget.count()) if (page := widget.widget(index)) is not None]
    if _qt_class(widget) in _CONTAINERS:
        return widget.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
    return []


class _Disposal:
    """One tree being deleted, depth first, parts before their parent.

    Deletion goes through deleteLater (shiboken6.delete of a part and then of its parent crashed
    PySide6 6.11); a batch of parts is posted per turn and the batch grows or shrinks so that
    deleting it takes about TARGET_MS.
    """

    def __init__(self, root: QWidget) -> None:
        self.stack: list[tuple[QWidget, list[QWidget]]] = [(root, _parts(root))]
        self.batch = 16
        self.posted_at = 0.0

    def step(self) -> None:
        if self.posted_at:
            took = (time.perf_counter() - self.posted_at) * 1000  # mostly the last batch's deletion
            if took > TARGET_MS * 1.5:
                self.batch = max(MIN_BATCH, self.batch // 2)
            elif took < TARGET_MS / 2:
                self.batch = min(MAX_BATCH, self.batch * 2)
        posted = 0
        while self.stack and posted < self.batch:
            node, parts = self.stack[-1]
            if not shiboken6.isValid(node):  # deleted meanwhile (its window closed)
                self.stack.clear()
                break
            if parts:
                part = parts.pop()
                if not shiboken6.isValid(part):
                    continue
                inner = _parts(part)
                if inner:
                    self.stack.append((part, inner))
                    continue
                part.deleteLater()
            else:
                self.stack.pop()
                node.deleteLater()
            posted += 1
        if self.stack:
            self.posted_at = time.perf_counter()
            QTimer.singleShot(0, self.step)
        else:
            _running.discard(self)


def dispose(widget: QWidget) -> None:
    """Hide and silence a widget tree now, then delete it over the next turns of the event loop."""
    widget.hide()
    widget.blockSignals(True)
    for child in widget.findChildren(QObject):
        child.blockSignals(True)
        if isinstance(child, QTimer):
            child.stop()
    disposal = _Disposal(widget)
    _running.add(disposal)
    QTimer.singleShot(0, disposal.step)


def disposed(obj: QObject) -> bool:
    """Whether `dispose` took this widget (or it is deleted): work it deferred to a later turn (building
    more rows, a spare row) must not run, or it makes new widgets, not silenced, in a tree being deleted."""
    return not shiboken6.isValid(obj) or obj.signalsBlocked()


def pending() -> int:
    """How many trees are still being deleted (for tests)."""
    return len(_running)
