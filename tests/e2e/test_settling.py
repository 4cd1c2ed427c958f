"""The officer's side of settling with the Dinas, the whole app against a real server: cancelling a sent
application asks the Dinas and the list shows the request, then the answer; a wipe ordered by the Dinas
closes the window, leaves the laptop unreadable and starts the first-run set-up (issue 18)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.store import settings
from app.store.models import Application, OutboxItem
from sync.client import enrol
from tests.helpers.dinas import DinasServer, start_server
from tests.integration.sync.cases import submit_applications
from ui import controller as controller_module
from ui.controller import Controller
from ui.login import FirstRunDialog
from ui.main_window import CancelReason, MainWindow

from .conftest import db_value


@pytest.fixture
def server(tmp_path: Path) -> Iterator[DinasServer]:
    running = start_server(tmp_path / "server")
    yield running
    running.stop()


def _state_cell(window: MainWindow, client_id: str) -> str:
    for row, entry in enumerate(window.model.rows):
        if entry.client_id == client_id:
            return str(window.model.index(row, 4).data())
    return ""


def test_cancel_asks_the_dinas_and_a_wipe_starts_afresh(
    app_session: tuple[Controller, MainWindow],
    qtbot: QtBot,
    server: DinasServer,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    controller, window = app_session
    store = controller.store
    assert store is not None
    code = server.add_outpost("35.21.01.2001", "Desa Sukamaju")

    def prepare() -> str:
        enrol(store, server.url, code, "Laptop Desa")
        [application] = submit_applications(store, 1, seed=71)
        return str(application.client_id)

    client_id = str(db_value(qtbot, controller, prepare))

    def acknowledged() -> bool:
        return bool(db_value(qtbot, controller, lambda: {i.state for i in OutboxItem.select()} == {"acknowledged"}))

    window.sync_area.sync_requested.emit()
    qtbot.waitUntil(acknowledged, timeout=30_000)
    window.refresh()
    qtbot.waitUntil(lambda: "Diterima Dinas" in _state_cell(window, client_id), timeout=10_000)

    # Cancelling a received application becomes a request, shown in the list until the Dinas answers.
    row = next(i for i, r in enumerate(window.model.rows) if r.client_id == client_id)
    window.table.setCurrentIndex(window.model.index(row, 0))
    monkeypatch.setattr(CancelReason, "ask", staticmethod(lambda _parent: "Pemohon pindah domisili"))
    window.cancel_selected()
    qtbot.waitUntil(lambda: "Pembatalan diminta" in _state_cell(window, client_id), timeout=10_000)
    assert "Pembatalan diminta ke Dinas" in window.message.text()
    window.sync_area.sync_requested.emit()
    qtbot.waitUntil(lambda: "Dibatalkan Dinas" in _state_cell(window, client_id), timeout=30_000)
    shown = str(window.model.index(row, 4).data(Qt.ItemDataRole.ToolTipRole))
    assert "Dinas membatalkan permohonan ini" in shown
    assert db_value(qtbot, controller, lambda: Application.get(Application.client_id == client_id).state) == "cancelled"

    # The Dinas orders the laptop wiped: at the next contact the window closes and a first run begins.
    device_id = str(db_value(qtbot, controller, lambda: settings.get("sync.device")["device_id"]))
    assert server.cli("devices", "wipe", device_id).returncode == 0
    told: list[bool] = []
    monkeypatch.setattr(controller_module.WipedNotice, "tell", staticmethod(lambda _parent: told.append(True)))
    with qtbot.waitSignal(controller.login_shown, timeout=30_000) as shown_dialog:
        window.sync_area.sync_requested.emit()
    assert isinstance(shown_dialog.args[0], FirstRunDialog) and told == [True]
    assert controller.window is None and controller.store is None
    assert {p.name for p in controller.paths.base.iterdir()} <= {"logs"}
    # The controller deleted the main window: pytest-qt must not close it again.
    request.node.qt_widgets = [(w, f) for w, f in getattr(request.node, "qt_widgets", []) if w() is not window]
    shown_dialog.args[0].hide()
