"""The page view and the page sizes on their own (the task runner: tests/unit/ui/test_tasks.py)."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from app.capture.base import Settings
from app.documents import Options
from tests.helpers.fakes import FakeScanner, gray_page
from ui.capture import work
from ui.capture.pages import PageItem, human_size
from ui.capture.view import PageView


def test_a_scan_reports_each_page_and_stops_when_cancelled() -> None:
    scanner = FakeScanner([gray_page(seed=n) for n in range(3)])
    cancelled = threading.Event()
    reported: list[object] = []

    def report(item: object) -> None:
        reported.append(item)
        cancelled.set()  # the dialog closes while the first page is on its way

    count = work.scan(scanner, "fake:scanner", Settings(feeder=True), Options(find="off"), report, cancelled)
    assert count == 1 and len(reported) == 1
    (item,) = reported
    assert isinstance(item, PageItem)
    assert item.thumbnail.ndim in (2, 3) and max(item.thumbnail.shape[:2]) <= work.THUMBNAIL_SIDE  # an array


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
