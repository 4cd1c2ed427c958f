"""End-to-end fixtures: the real app (controller, main window, real encrypted store) driven by keyboard."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QWidget
from pytestqt.qtbot import QtBot

from app.paths import DataPaths
from app.settings import Settings
from ui.controller import Controller
from ui.latency import MeasuredApplication, application_class
from ui.login import FirstRunDialog
from ui.main_window import FRAME, MainWindow
from ui.printouts import Viewer

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="session")
def qapp_cls() -> type[QApplication]:
    """Time the GUI thread's events when the benchmark asks for it (LOKET_GUI_LATENCY_FILE)."""
    return application_class()


@pytest.fixture(scope="session", autouse=True)
def _save_gui_latency(qapp: QApplication) -> Iterator[None]:
    yield
    if isinstance(qapp, MeasuredApplication):
        qapp.save()


PASSWORD = "kata-sandi-1"


def screenshot(widget: QWidget, name: str) -> None:
    """Save a 1366x768 picture of a window when LOKET_SCREENSHOTS is set (for docs/screenshots)."""
    if not os.environ.get("LOKET_SCREENSHOTS"):
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if isinstance(widget, QMainWindow):
        # As on a 1366x768 laptop (the main window fits itself to the screen; offscreen's is 800x800).
        widget.resize(1366 - FRAME.width(), 768 - 40 - FRAME.height())
    QApplication.processEvents()
    widget.grab().save(str(SCREENSHOTS / f"{name}.png"))


def document_scan(path: Path, title: str = "KARTU KELUARGA") -> Path:
    """A scanned page as an officer would import it: a white A4 page at 150 dpi with printed lines."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    draw.text((120, 120), title, fill=0)
    for line in range(30):
        draw.text(
            (120, 220 + line * 44), f"{line + 1:02d}  NIK 35210115050800{line:02d}  NAMA ANGGOTA KELUARGA", fill=0
        )
    image.save(path)
    return path


def focus(qtbot: QtBot, widget: QWidget) -> None:
    """Give a field the keyboard focus (activating its window first, as a click would).

    The event loop gets one turn first, as it gets many between an officer's keystrokes: work the app
    schedules for idle moments (the next member row, built ahead) runs as it would at a real desk.
    An open completion list is closed first, as the click on another field closes it at a desk (with
    the list open, its field would never hear that the focus left)."""
    QApplication.processEvents()
    popup = QApplication.activePopupWidget()
    if popup is not None:
        popup.close()
    window = widget.window()
    if not window.isActiveWindow():
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=5000)


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Focus a field and type, as an officer would."""
    focus(qtbot, widget)
    if isinstance(widget, QLineEdit):
        widget.selectAll()
    qtbot.keyClicks(widget, text)


@pytest.fixture(autouse=True)
def _no_pdf_viewer(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Print-outs are not handed to a desktop viewer in tests; they are collected."""
    opened: list[Path] = []
    monkeypatch.setattr(Viewer, "open", staticmethod(opened.append))
    return opened


@pytest.fixture
def app_session(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[Controller, MainWindow]]:
    """A first run: create the supervisor through the dialog, wait for the main window."""
    paths = DataPaths(tmp_path / "data")
    paths.ensure()
    settings = Settings(paths.settings)
    settings.set("outpost.name", "Kantor Desa Wonosari")
    settings.set("outpost.site", "Kantor Desa Wonosari, Kec. Sine")
    controller = Controller(paths, settings)
    with qtbot.waitSignal(controller.login_shown, timeout=5000) as shown:
        controller.start()
    dialog = shown.args[0]
    assert isinstance(dialog, FirstRunDialog)
    screenshot(dialog, "01-first-run")
    type_into(qtbot, dialog.username, "siti")
    type_into(qtbot, dialog.full_name, "Siti Rahayu")
    type_into(qtbot, dialog.password, PASSWORD)
    type_into(qtbot, dialog.repeat, PASSWORD)
    with qtbot.waitSignal(controller.main_shown, timeout=20_000) as opened:
        qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)
    window = opened.args[0]
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    yield controller, window
    controller.shutdown()


def db_value(qtbot: QtBot, controller: Controller, fn: Callable[[], object]) -> object:
    """Run a read on the database thread and wait for it."""
    out: list[object] = []
    controller.runner.db("test read", fn, out.append)
    qtbot.waitUntil(lambda: bool(out), timeout=10_000)
    return out[0]
