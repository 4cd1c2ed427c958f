"""First-use costs paid while the log-in dialog waits, one small step per turn of the event loop.

The first main window of a process paid for things that happen once: PySide6 creating its enum
types on first use, the style's caches, the fonts of headers and tool buttons. Each step below
builds and paints, off screen, one kind of widget the main window and the editor use, then drops it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QPixmap, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QToolBar,
    QWidget,
)

Step = Callable[[], None]
INTERVAL_MS = 40


def _paint(widget: QWidget) -> None:
    widget.resize(widget.sizeHint().expandedTo(widget.minimumSizeHint()))
    widget.render(QPixmap(widget.size()))
    widget.deleteLater()


def _toolbar() -> None:
    toolbar = QToolBar()
    for text, keys in (("Baru", QKeySequence.StandardKey.New), ("Cetak", QKeySequence.StandardKey.Print)):
        action = toolbar.addAction(text)
        action.setShortcut(keys)
    search = QLineEdit()
    search.setClearButtonEnabled(True)
    toolbar.addWidget(search)
    _paint(toolbar)


def _window() -> None:
    window = QMainWindow()
    window.statusBar().addPermanentWidget(QLabel("Sinkron"))
    splitter = QSplitter()
    splitter.addWidget(QListWidget())
    splitter.addWidget(QStackedWidget())
    window.setCentralWidget(splitter)
    _paint(window)


def _table() -> None:
    model = QStandardItemModel(3, 5)
    table = QTableView()
    table.setModel(model)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    _paint(table)
    model.setParent(table)


def _form() -> None:
    tabs = QTabWidget()
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    box = QGroupBox("Formulir")
    grid = QGridLayout(box)
    combo = QComboBox()
    combo.setEditable(True)
    combo.addItems(["1 — ISLAM", "2 — KRISTEN"])
    grid.addWidget(QLabel("Nama"), 0, 0, Qt.AlignmentFlag.AlignTop)
    grid.addWidget(QLineEdit(), 0, 1)
    grid.addWidget(combo, 1, 1)
    grid.addWidget(QPushButton("+ Tambah baris"), 2, 1)
    scroll.setWidget(box)
    tabs.addTab(scroll, "F-1.01")
    _paint(tabs)


def warm_steps() -> list[Step]:
    """The steps, in order; each is short on its own."""
    return [_toolbar, _window, _table, _form]


class Warmup(QObject):
    """Runs the steps on timer ticks, so the log-in dialog keeps taking keystrokes in between."""

    def __init__(self, parent: QObject | None = None, busy: Callable[[], object] = lambda: False) -> None:
        super().__init__(parent)
        self._busy = busy  # while workers run Python, a step would wait for the GIL: skip the tick
        self._steps = warm_steps()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self._next)

    def start(self) -> None:
        """Begin (again, if stopped); does nothing once every step has run."""
        if self._steps:
            self._timer.start()

    def stop(self) -> None:
        """Pause (e.g. the officer logged in before the warm-up finished)."""
        self._timer.stop()

    @property
    def done(self) -> bool:
        """Whether every step has run."""
        return not self._steps

    def _next(self) -> None:
        if not self._steps:
            self._timer.stop()
            return
        if self._busy():
            return
        self._steps.pop(0)()
