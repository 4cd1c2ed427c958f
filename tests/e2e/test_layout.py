"""Every screen fits 1366x768 and 1280x720 (less a taskbar) with nothing clipped: the status bar with
Sinkronkan inside the window, the list's registration number and NIK whole, no label or button smaller
than Qt says its text needs. LOKET_LAYOUT_SHOTS=folder saves a picture of each screen at each size."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.store.models import Application
from ui.controller import Controller
from ui.main_window import MainWindow
from ui.service_browser import ServicePickerDialog
from ui.settings_dialog import SettingsDialog

from .conftest import db_value
from .test_ktpel_flow import open_new

# Screens less a 40-px taskbar (Windows) and the window's title bar.
SIZES = {"1366x768": (1366, 700), "1280x720": (1280, 650)}


def shot(widget: QWidget, name: str) -> None:
    """Save a picture when LOKET_LAYOUT_SHOTS names a folder."""
    folder = os.environ.get("LOKET_LAYOUT_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        QApplication.processEvents()
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def clipped(top: QWidget) -> list[str]:
    """Labels and buttons shown smaller than their text needs, or sticking out of the window."""
    out = []
    inside = QRect(QPoint(0, 0), top.size())
    for widget in top.findChildren(QWidget):
        if not isinstance(widget, QLabel | QAbstractButton) or not widget.isVisibleTo(top) or not widget.text():
            continue
        if widget.width() <= 0 or not widget.visibleRegion().boundingRect().isValid():
            continue  # scrolled out of view inside a scroll area: not clipped, just further down
        rect = QRect(widget.mapTo(top, QPoint(0, 0)), widget.size())
        name = f"{type(widget).__name__} {widget.text()[:50]!r}"
        if not inside.contains(rect):
            out.append(f"{name} outside the window: {rect} in {inside}")
        if isinstance(widget, QLabel) and widget.wordWrap():
            needed = widget.heightForWidth(widget.width())
            if needed > widget.height() + 1:
                out.append(f"{name} {widget.height()} px high, needs {needed}")
            continue
        hint = widget.minimumSizeHint() if isinstance(widget, QLabel) else widget.sizeHint()
        if hint.width() > widget.width() + 1 or hint.height() > widget.height() + 1:
            out.append(f"{name} {widget.width()}x{widget.height()}, needs {hint.width()}x{hint.height()}")
    return out


@pytest.mark.parametrize("size", list(SIZES))
def test_the_main_window_and_editor_fit(
    app_session: tuple[Controller, MainWindow], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, size: str
) -> None:
    controller, window = app_session
    width, height = SIZES[size]
    hint = window.minimumSizeHint()
    assert hint.width() <= width and hint.height() <= height, f"the window cannot shrink below {hint}"
    window.resize(width, height)
    editor = open_new(qtbot, window, "LAHIR-WNI", monkeypatch)
    editor.applicant.load("RINA MARLINA", "3521017205080001", "")
    for widget in (editor.applicant, editor.requirements, editor.review):
        editor.tabs.setCurrentWidget(widget)
        editor.recheck()
        QApplication.processEvents()
        assert window.size().height() <= height
        shot(window, f"{size}-editor-{type(widget).__name__}")
        assert not clipped(window), clipped(window)
    window.close_editor()
    client_id = editor.application.client_id
    number = "3521-20261122-000123"
    db_value(
        qtbot,
        controller,
        lambda: (
            Application.update(registration_number=number, applicant_nik="3521015705080001")
            .where(Application.client_id == client_id)
            .execute()
        ),
    )
    window.refresh()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1 and window.model.rows[0].number == number, timeout=5000)
    QApplication.processEvents()
    shot(window, f"{size}-main-window")
    sync = window.sync_area.button
    assert sync.isVisibleTo(window)
    assert QRect(QPoint(0, 0), window.size()).contains(QRect(sync.mapTo(window, QPoint(0, 0)), sync.size()))
    metrics = window.table.fontMetrics()
    for column, text in ((0, number), (3, "3521015705080001")):
        needed = metrics.horizontalAdvance(text) + 2 * window.table.style().pixelMetric(
            window.table.style().PixelMetric.PM_FocusFrameHMargin
        )
        assert window.table.columnWidth(column) >= needed, (column, window.table.columnWidth(column), needed)
    assert not clipped(window), clipped(window)


@pytest.mark.parametrize("size", list(SIZES))
def test_the_dialogs_fit(app_session: tuple[Controller, MainWindow], qtbot: QtBot, size: str) -> None:
    controller, window = app_session
    width, height = SIZES[size]
    window.resize(width, height)
    settings = SettingsDialog(controller.settings, [("pmdn109", "Permendagri 109/2019")], window)
    picker = ServicePickerDialog(window)
    qtbot.waitUntil(lambda: picker.browser.catalog is not None, timeout=10_000)
    for name, dialog in (("settings", settings), ("service-picker", picker)):
        dialog.show()
        qtbot.waitExposed(dialog)
        QApplication.processEvents()
        assert dialog.width() <= width and dialog.height() <= height, (name, dialog.size())
        shot(dialog, f"{size}-{name}")
        assert not clipped(dialog), (name, clipped(dialog))
        dialog.close()
    # Every service's title whole in the picker (at its size): none cut off at the right.
    tree = picker.browser.tree
    picker.show()
    QApplication.processEvents()
    metrics = tree.fontMetrics()
    cut = []
    for group in range(tree.topLevelItemCount()):
        parent = tree.topLevelItem(group)
        assert parent is not None
        for child in range(parent.childCount()):
            item = parent.child(child)
            assert item is not None
            rect = tree.visualItemRect(item)
            room = QRect(0, 0, tree.viewport().width() - rect.left() - 8, 1000)
            needed = metrics.boundingRect(room, Qt.TextFlag.TextWordWrap, item.text(0)).height()
            if needed > rect.height():
                cut.append(f"{item.text(0)} ({rect.height()} px of {needed})")
    assert not cut, cut
    picker.close()
