"""The `ui.window_geometry` setting: the main window's size is saved when it closes and restored on the next start."""

from __future__ import annotations

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from ui.controller import Controller
from ui.main_window import MainWindow


def test_the_window_size_is_saved_on_close_and_restored(
    qtbot: QtBot, app_session: tuple[Controller, MainWindow]
) -> None:
    """Closing saves the geometry the officer left; a window given that setting opens at that size."""
    _controller, window = app_session
    window.resize(700, 560)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == (700, 560), timeout=5000)
    window.close()
    saved = window.settings.text("ui.window_geometry")
    assert saved, "closing saves the window's geometry"
    restored = QMainWindow()
    qtbot.addWidget(restored)
    assert restored.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii")))
    assert (restored.width(), restored.height()) == (700, 560)
