"""Each installation setting has its effect in the running app, at once: set in the app, or by loket-admin
in another process (the settings file changes on disk). Capture settings: tests/unit/ui/capture/test_dialog.py;
the worker's interval and pause by its clock: tests/unit/sync/test_worker.py."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.settings import Settings
from app.store import settings as secure
from ui.controller import Controller
from ui.main_window import MainWindow
from ui.settings_dialog import SettingsDialog

from .conftest import db_value


def _bridge(controller: Controller):  # type: ignore[no-untyped-def]
    assert controller.sync is not None
    return controller.sync


def test_pause_and_resume_from_the_sync_area_and_the_area_says_so(
    app_session: tuple[Controller, MainWindow], qtbot: QtBot
) -> None:
    controller, window = app_session
    bridge, area = _bridge(controller), window.sync_area
    assert not bridge.worker.paused and area.pause_button.text() == "Jeda"
    area.pause_button.click()
    assert controller.settings.flag("sync.paused"), "remembered for the next start"
    assert bridge.worker.paused
    qtbot.waitUntil(lambda: "dijeda" in area.state_label.text(), timeout=5000)
    assert area.pause_button.text() == "Lanjutkan"
    area.pause_button.click()
    assert not controller.settings.flag("sync.paused") and not bridge.worker.paused
    qtbot.waitUntil(lambda: "dijeda" not in area.state_label.text(), timeout=5000)
    assert area.pause_button.text() == "Jeda"


def test_loket_admin_changes_reach_the_running_app_at_once(
    app_session: tuple[Controller, MainWindow], qtbot: QtBot
) -> None:
    controller, window = app_session
    bridge = _bridge(controller)
    base = str(controller.paths.base)
    other = Settings(controller.paths.settings)  # another process's view of the same file
    other.set("sync.bandwidth_cap_kbps", 64, by="support")
    qtbot.waitUntil(lambda: bridge.client.bandwidth_cap_kbps == 64, timeout=5000)
    other.set("sync.interval_seconds", 120, by="support")
    qtbot.waitUntil(lambda: bridge.worker.interval == 120, timeout=5000)
    other.set("outpost.site", "SDN 1 Sine", by="support")
    qtbot.waitUntil(lambda: "SDN 1 Sine" in window.site_label.text(), timeout=5000)
    admin = str(Path(sys.executable).parent / "loket-admin")
    done = subprocess.run(
        [admin, "--basedir", base, "settings", "set", "sync.paused", "ya"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    qtbot.waitUntil(lambda: bridge.worker.paused, timeout=5000)
    # The app's own change afterwards keeps what the other process wrote.
    controller.settings.set("sync.bandwidth_cap_kbps", 32, by="officer")
    assert bridge.client.bandwidth_cap_kbps == 32
    assert Settings(controller.paths.settings).number("sync.interval_seconds") == 120
    assert Settings(controller.paths.settings).flag("sync.paused")


def test_the_app_starts_paused_when_the_officer_left_it_paused(
    app_session: tuple[Controller, MainWindow], qtbot: QtBot
) -> None:
    controller, window = app_session
    controller.settings.set("sync.paused", True, by="officer")
    controller.settings.set("sync.interval_seconds", 900)
    controller.settings.set("sync.bandwidth_cap_kbps", 48)
    assert controller.store is not None
    store = controller.store
    _bridge(controller).stop()
    controller.start_sync(store)
    bridge = _bridge(controller)
    assert bridge.worker.paused and bridge.worker.interval == 900 and bridge.client.bandwidth_cap_kbps == 48
    qtbot.waitUntil(lambda: "dijeda" in window.sync_area.state_label.text(), timeout=5000)


def test_relogin_hours(app_session: tuple[Controller, MainWindow], qtbot: QtBot) -> None:
    controller, window = app_session
    assert controller.store is not None
    controller.settings.set("security.relogin_hours", 1)
    controller.store.unlocked_at = time.monotonic() - 3500
    controller.last_input = time.monotonic()
    controller.check_idle()
    assert not controller.locked
    controller.store.unlocked_at = time.monotonic() - 3700
    with qtbot.waitSignal(controller.login_shown, timeout=5000):
        controller.check_idle()
    assert controller.locked and not window.isEnabled()


def test_the_settings_dialog_shows_the_enrolled_server_read_only_and_a_supervisors_settings_to_officers_only(
    app_session: tuple[Controller, MainWindow], qtbot: QtBot
) -> None:
    controller, window = app_session
    db_value(qtbot, controller, lambda: secure.put("sync.server_url", "https://loket.dukcapil.ngawikab.go.id"))
    dialog = SettingsDialog(controller.settings, None, window, role="officer", runner=controller.runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "ngawikab" in dialog.server.text(), timeout=5000)
    assert "loket-admin enrol" in dialog.server_help.text()
    assert "sync.server_url" not in dialog.editors
    assert not dialog.editors["outpost.name"].isEnabled(), "a supervisor's setting"
    assert dialog.editors["outpost.site"].isEnabled() and dialog.editors["sync.paused"].isEnabled()
    dialog.editors["sync.paused"].setChecked(True)  # type: ignore[union-attr]
    dialog.save()
    assert controller.settings.flag("sync.paused") and _bridge(controller).worker.paused
