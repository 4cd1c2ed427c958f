"""The application's life: first run or log-in, the main window, idle lock and the 12-hour re-login."""

from __future__ import annotations

import functools
import logging
import sys
import threading
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog

from app.paths import DataPaths
from app.settings import Settings
from ui.collector import GarbageCollector, load_for_good
from ui.login import FirstRunDialog, LoginDialog
from ui.settings_watch import SettingsWatcher
from ui.tasks import TaskRunner
from ui.warmup import Warmup

if TYPE_CHECKING:
    # The main window, the catalogue and the store pull in most of the app: they are imported
    # after the log-in window is on screen, so that it appears quickly.
    from app.catalog import Catalog
    from app.store import Store
    from ui.main_window import MainWindow
    from ui.sync_panel import SyncBridge

log = logging.getLogger("loket.ui")

IDLE_CHECK_MS = 15_000
# How long the GUI thread may wait for the GIL while a worker runs Python (the default is 5 ms, and
# a GUI event may need the GIL many times: a few waits added tens of milliseconds to one event).
GIL_SWITCH_SECONDS = 0.0005
_INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


class Controller(QObject):
    """Owns the task runner, the unlocked store and the main window."""

    main_shown = Signal(object)  # MainWindow
    login_shown = Signal(object)  # LoginDialog or FirstRunDialog

    def __init__(self, paths: DataPaths, settings: Settings, runner: TaskRunner | None = None) -> None:
        super().__init__()
        sys.setswitchinterval(GIL_SWITCH_SECONDS)
        self.paths = paths
        self.settings = settings
        self.settings_watch = SettingsWatcher(settings, self)  # loket-admin's changes take effect at once
        settings.observe(self._setting_changed)
        self.runner = runner or TaskRunner()
        self.store: Store | None = None
        self.window: MainWindow | None = None
        self.dialog: QDialog | None = None
        self.catalog: Catalog | None = None
        self.sync: SyncBridge | None = None
        self.last_input = time.monotonic()
        self.locked = False
        self._watching = False
        self.watch_input()
        self.idle_timer = QTimer(self)
        self.idle_timer.setInterval(IDLE_CHECK_MS)
        self.idle_timer.timeout.connect(self.check_idle)
        self.idle_timer.start()
        self.collector = GarbageCollector(self.input_time, self)
        self.collector.start()
        # Warm caches off the GUI thread once the first window is up: catalogue, schemas, regions;
        # and the widgets' first-use costs on the GUI thread, a small step at a time.
        self.warmup = Warmup(self, busy=functools.partial(_runner_busy, self.runner))
        self.login_shown.connect(self._warm_once)
        self._warmed = False

    def _setting_changed(self, key: str, _value: object) -> None:
        """Show a changed outpost name or service site at once (the sync bridge follows the sync settings)."""
        if self.window is not None and key in ("outpost.name", "outpost.site"):
            self.window.show_site()

    def input_time(self) -> float:
        """time.monotonic() of the officer's last keystroke or click (as last noticed)."""
        return self.last_input

    def watch_input(self) -> None:
        """Filter the application's events until the next keyboard or mouse input.

        A filter on the whole application sees every event (thousands when a form is built), so it
        stays only until it has seen input; the idle check puts it back. Input is thus noticed within
        one check interval, far finer than the idle-lock minutes.
        """
        app = QApplication.instance()
        if app is not None and not self._watching:
            self._watching = True
            app.installEventFilter(self)

    def unwatch_input(self) -> None:
        """Stop filtering the application's events (until the next idle check)."""
        app = QApplication.instance()
        if app is not None and self._watching:
            app.removeEventFilter(self)
        self._watching = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Any keyboard or mouse input counts as activity."""
        if event.type() in _INPUT_EVENTS:
            self.last_input = time.monotonic()
            self.unwatch_input()
        return False

    def _warm_once(self) -> None:
        if self._warmed:
            return
        self._warmed = True
        QTimer.singleShot(300, self, self._warm)

    def _warm(self) -> None:
        self.runner.pool("warm catalogue", lambda: load_for_good(_load_catalog), self._catalog_ready)
        self.runner.pool("warm regions", lambda: load_for_good(_warm_regions))
        if self.window is None:
            self.warmup.start()

    def _prepare_main(self) -> None:
        """On the worker thread after unlocking: import the main window's modules, load the catalogue."""
        import ui.editor.editor  # noqa: PLC0415
        import ui.main_window  # noqa: PLC0415
        import ui.sync_panel  # noqa: F401, PLC0415

        if self.catalog is None:
            self.catalog = load_for_good(_load_catalog)
        if not _regions_ready():  # usually done while the password was typed
            load_for_good(_warm_regions)

    def _catalog_ready(self, catalog: Catalog) -> None:
        self.catalog = catalog

    # -- starting ---------------------------------------------------------------------------------
    def start(self) -> None:
        """First-run set-up or the log-in dialog (after finishing a wipe the Dinas ordered, if one is under way)."""
        from sync.client.wipe import receipt_path  # noqa: PLC0415

        if receipt_path(self.paths).exists():
            self.finish_wipe()
            return
        from app.reference import activate  # noqa: PLC0415

        activate(self.paths.reference)  # catalogue versions from the Dinas: the newest is used for new applications
        if self.paths.database.exists() or self.paths.keyring.exists():
            self.show_login()
        else:
            dialog = FirstRunDialog(self.runner, self.paths)
            self._show_dialog(dialog)

    def show_login(self, username: str = "", locked: Store | None = None) -> None:
        """The log-in dialog, or the lock dialog for the logged-in officer."""
        self._show_dialog(LoginDialog(self.runner, self.paths, username=username, locked=locked))

    def _show_dialog(self, dialog: LoginDialog | FirstRunDialog) -> None:
        self.dialog = dialog
        dialog.prepare = self._prepare_main
        dialog.unlocked.connect(self.unlocked)
        dialog.rejected.connect(self._login_cancelled)
        dialog.open()
        self.login_shown.emit(dialog)

    def _login_cancelled(self) -> None:
        if self.locked:
            self.logout()
        elif self.window is None:
            QApplication.quit()

    def unlocked(self, store: object) -> None:
        """An officer logged in: show (or return to) the main window."""
        from app.store import Store  # noqa: PLC0415 - see TYPE_CHECKING above
        from ui.login import ChangePasswordDialog  # noqa: PLC0415
        from ui.main_window import MainWindow  # noqa: PLC0415

        assert isinstance(store, Store)
        if self.locked and store is self.store:
            self.locked = False
            if self.window is not None:
                self.window.setEnabled(True)
            self.last_input = time.monotonic()
            return
        self.warmup.stop()
        if self.window is not None:
            self.close_window()
        self.store = store
        self.locked = False
        self.last_input = time.monotonic()
        if self.catalog is None:
            self.catalog = _load_catalog()
        self.window = MainWindow(self.runner, store, self.catalog, self.settings)
        self.window.lock_requested.connect(self.lock)
        self.window.show()
        # The log-in dialog had the keyboard: the officer goes on typing (Ctrl+N) without a click.
        self.window.raise_()
        self.window.activateWindow()
        self.start_sync(store)
        self.main_shown.emit(self.window)
        if store.must_change_password:
            ChangePasswordDialog(self.runner, store, self.window, required=True).open()

    def start_sync(self, store: Store) -> None:
        """Start the background sync of this store; its state shows in the main window's sync area."""
        from ui.sync_panel import SyncBridge  # noqa: PLC0415

        window = self.window
        assert window is not None
        bridge = SyncBridge(store, self.settings, self)
        running = {"before": False}

        def show(state: object) -> None:
            if self.window is None:
                return
            if getattr(state, "phase", "") == "wiped" or running.get("wiped"):
                if not running.get("wiped"):
                    running["wiped"] = True  # the window closes: no more refreshes for it
                    QTimer.singleShot(0, self.wiped)  # not from inside the bridge's own signal
                return
            self.window.sync_area.show_state(state)  # type: ignore[arg-type]
            now_running = bool(getattr(state, "running", False))
            if running["before"] and not now_running:
                self.window.refresh()  # a run ended: statuses from the Dinas may have changed
                self.window.check_catalog_notice()  # and a new catalogue version may have come
            running["before"] = now_running

        bridge.state_changed.connect(show)
        window.sync_area.sync_requested.connect(bridge.trigger)
        window.sync_area.pause_requested.connect(bridge.set_paused)
        bridge.refused.connect(window.show_message)
        self.sync = bridge
        from ui import updates  # noqa: PLC0415

        # Loket updates after each sync; the restart is offered only while no application is open.
        updates.attach(bridge, window, busy=lambda: self.window is None or self.window.editor is not None)
        bridge.start()

    # -- a wipe ordered by the Dinas --------------------------------------------------------------------
    def wiped(self) -> None:
        """The Dinas ordered this laptop wiped and its keys are gone: close everything, erase, start afresh."""
        if self.window is None:
            return
        log.warning("wipe ordered by the Dinas: closing the store")
        self.close_window()
        self.locked = False
        self.finish_wipe()

    def finish_wipe(self) -> None:
        """Erase what a wipe left and acknowledge it (off the GUI thread), then the first-run set-up."""
        from sync.client.wipe import finish_pending  # noqa: PLC0415

        def done(_result: object = None) -> None:
            WipedNotice.tell(None)
            self._show_dialog(FirstRunDialog(self.runner, self.paths))

        def failed(exc: BaseException) -> None:
            log.error("finishing the wipe failed: %s", type(exc).__name__)
            done()

        # The database thread closes the store first (queued before this), so no file is held open.
        self.runner.db("finish wipe", lambda: finish_pending(self.paths), done, failed)

    # -- locking ----------------------------------------------------------------------------------
    def check_idle(self) -> None:
        """Lock after the idle time; require a new log-in after the re-login period."""
        self.watch_input()
        if self.window is None or self.locked or self.store is None:
            return
        idle_limit = self.settings.number("security.idle_lock_minutes") * 60
        relogin = self.settings.number("security.relogin_hours") * 3600
        if time.monotonic() - self.store.unlocked_at > relogin:
            log.info("re-login period over")
            self.lock()
        elif time.monotonic() - self.last_input > idle_limit:
            log.info("locked after idle time")
            self.lock()

    def lock(self) -> None:
        """Hide the work behind the lock dialog (unsaved answers are saved first)."""
        if self.window is None or self.store is None or self.locked:
            return
        if self.window.editor is not None:
            self.window.editor.flush()
        self.locked = True
        self.window.setEnabled(False)
        self.show_login(self.store.officer.username, locked=self.store)

    def logout(self) -> None:
        """Close the main window and the database; back to the log-in dialog."""
        self.close_window()
        self.locked = False
        self.show_login()

    def close_window(self) -> None:
        """Close the main window (saving) and the store."""
        if self.sync is not None:
            self.sync.stop()
            self.sync = None
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
        if self.store is not None:
            store = self.store
            self.store = None
            self.runner.db("close store", store.close)

    def shutdown(self) -> None:
        """Before quitting: save, close, stop the worker threads."""
        self.idle_timer.stop()
        self.unwatch_input()  # a filter outliving its controller would be called after its end
        self.close_window()
        self.runner.stop()
        self.collector.stop()


class WipedNotice:
    """Tells the officer the laptop was wiped on the Dinas' order (tests patch `tell`)."""

    @staticmethod
    def tell(parent: QObject | None) -> None:
        """A modal message: what happened and whom to call."""
        from PySide6.QtWidgets import QMessageBox  # noqa: PLC0415

        box = QMessageBox()
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(box.tr("Data laptop ini dihapus"))
        box.setText(
            box.tr(
                "Atas perintah Dinas, semua data Loket di laptop ini telah dihapus dan tidak dapat dibuka lagi. "
                "Loket dimulai sebagai pemasangan baru. Hubungi TI Dinas sebelum memakai laptop ini lagi."
            )
        )
        box.exec()


def _runner_busy(runner: TaskRunner) -> bool:
    return bool(runner.busy)


# Warm-up and log-in may ask for the same data at once: the second caller waits for the first.
_CATALOG_LOCK = threading.Lock()
_REGIONS_LOCK = threading.Lock()


def _load_catalog() -> Catalog:
    from app.reference import newest_catalog  # noqa: PLC0415 - loaded off the GUI thread

    with _CATALOG_LOCK:
        return newest_catalog()


def _regions_ready() -> bool:
    from app.identity.prefixes import default_prefixes  # noqa: PLC0415
    from app.regions.index import default_index, default_loaded  # noqa: PLC0415

    return default_loaded() and default_index().search_ready and default_prefixes.cache_info().currsize > 0


def _warm_regions() -> None:
    from app.identity.prefixes import default_prefixes  # noqa: PLC0415 - loaded off the GUI thread
    from app.regions import default_index  # noqa: PLC0415

    with _REGIONS_LOCK:
        default_index().search_index()
        default_prefixes()  # NIK checks (the applicant page, the forms) would build it on the GUI thread
