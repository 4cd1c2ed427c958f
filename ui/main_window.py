"""The officer's main window: today's work, search, the sync area, and the application editor."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.catalog import Catalog
from app.errors import KnownError
from app.reference import library_at
from app.settings import Settings
from app.store import Store, settlement
from app.store import applications as apps
from app.views import editing
from app.views.editing import Bundle, load_bundle
from app.views.lists import ApplicationRow, ListPage, list_page
from app.views.printouts import make_forms, make_receipt
from ui import palette
from ui.applications_model import ApplicationsModel
from ui.disposal import dispose
from ui.editor.editor import ApplicationEditor
from ui.escape import clear_on_escape
from ui.printouts import Viewer
from ui.service_browser import ServicePickerDialog
from ui.settings_dialog import SettingsDialog, role_of
from ui.sync_panel import SyncArea
from ui.tasks import TaskRunner

# The room a window frame takes around the window on Windows and common Linux desktops (title bar, borders).
FRAME = QSize(16, 40)

LIST_TITLES = (
    ("today", "Hari ini"),
    ("draft", "Draf"),
    ("waiting", "Menunggu kirim"),
    ("returned", "Dikembalikan Dinas"),
    ("in_progress", "Diproses Dinas"),
    ("ready", "Siap diambil"),
    ("all", "Semua permohonan"),
)


class MainWindow(QMainWindow):
    """Lists of applications on the left, the list or the editor in the middle, sync in the status bar."""

    lock_requested = Signal()
    editor_opened = Signal(object)  # ApplicationEditor
    submitted = Signal(str)  # client id
    printed = Signal(list)  # paths of the PDFs made

    def __init__(self, runner: TaskRunner, store: Store, catalog: Catalog, settings: Settings) -> None:
        super().__init__()
        self.runner = runner
        self.store = store
        self.catalog = catalog
        self.settings = settings
        self.editor: ApplicationEditor | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.titles = {s.code: s.title for s in catalog.services}
        self.setWindowTitle(self.tr("Loket — %1").replace("%1", settings.text("outpost.name") or "Adminduk"))

        toolbar = QToolBar(self.tr("Aksi"))
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        self.new_action = self._action(
            toolbar, self.tr("Permohonan baru"), QKeySequence.StandardKey.New, self.new_application
        )
        self.open_action = self._action(toolbar, self.tr("Buka"), QKeySequence("Ctrl+O"), self.open_selected)
        # The editor closes with its own key, never with Escape: Escape closes a suggestion list or clears a
        # search, and an officer presses it for that without looking; a draft that vanished from the screen
        # (and the next keystrokes landing in the list) was the result. Ctrl+W closes a document everywhere.
        self.back_action = self._action(
            toolbar, self.tr("Kembali ke daftar"), QKeySequence("Ctrl+W"), self.close_editor
        )
        self.amend_action = self._action(toolbar, self.tr("Perbaiki"), QKeySequence("Ctrl+R"), self.amend_selected)
        self.cancel_action = self._action(
            toolbar, self.tr("Batalkan…"), QKeySequence("Ctrl+Shift+D"), self.cancel_selected
        )
        self.receipt_action = self._action(
            toolbar, self.tr("Tanda terima"), QKeySequence.StandardKey.Print, self.print_receipt_selected
        )
        self.forms_action = self._action(
            toolbar, self.tr("Cetak formulir"), QKeySequence("Ctrl+Shift+P"), self.print_forms_selected
        )
        toolbar.addSeparator()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Cari NIK, No. KK, nama, atau No. registrasi (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(240)
        clear_on_escape(self.search)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        toolbar.addWidget(self.search)
        find = QAction(self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self._focus_search)
        self.addAction(find)
        toolbar.addSeparator()
        self.officer_label = QLabel(f"  {store.officer.full_name} ({store.officer.role})  ")
        toolbar.addWidget(self.officer_label)
        # Not QKeySequence.StandardKey.Preferences: it has no keys on Windows or Linux.
        self._action(toolbar, self.tr("Pengaturan"), QKeySequence("Ctrl+,"), self.open_settings)
        self._action(toolbar, self.tr("Kunci"), QKeySequence("Ctrl+L"), self.lock_requested.emit)

        self.lists = QListWidget()
        for list_id, title in LIST_TITLES:
            item = QListWidgetItem(self.tr(title))
            item.setData(Qt.ItemDataRole.UserRole, list_id)
            self.lists.addItem(item)
        self.lists.setMaximumWidth(230)
        self.lists.currentRowChanged.connect(lambda _row: self.refresh())
        self.model = ApplicationsModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in (0, 3, 4, 5):  # registration number, NIK, state, date: always whole
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._row_activated)
        selection = self.table.selectionModel()
        if selection is not None:
            selection.currentChanged.connect(lambda _new, _old: self._update_actions())
        self.empty = QLabel(self.tr("Belum ada permohonan di daftar ini. Tekan Ctrl+N untuk permohonan baru."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        list_page = QWidget()
        list_layout = QVBoxLayout(list_page)
        list_layout.addWidget(self.table)
        list_layout.addWidget(self.empty)
        self.stack = QStackedWidget()
        self.stack.addWidget(list_page)
        splitter = QSplitter()
        splitter.addWidget(self.lists)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        # While locked, the work (names, NIKs) is replaced by a plain page behind the lock dialog.
        self.locked_page = QLabel(self.tr("Terkunci"))
        self.locked_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.locked_page.setStyleSheet(palette.style(palette.QUIET, "font-size: 20pt;"))
        self.content = QStackedWidget()
        self.content.addWidget(splitter)
        self.content.addWidget(self.locked_page)
        self.setCentralWidget(self.content)
        self.toolbar = toolbar

        self.sync_area = SyncArea()
        self.site_label = QLabel()
        self.busy_label = QLabel()
        self.message = QLabel()
        # A long message (a folder path) is cut at the right instead of squeezing the sync area.
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        status = self.statusBar()
        status.addWidget(self.message, 1)
        status.addPermanentWidget(self.busy_label)
        status.addPermanentWidget(self.site_label)
        status.addPermanentWidget(self.sync_area)
        runner.busy_changed.connect(self._show_busy)  # a method: disconnected when the window is gone
        runner.failed.connect(self.show_message)
        self._search_timer.timeout.connect(self.refresh)
        self.show_site()
        geometry = settings.text("ui.window_geometry")
        if geometry:
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii")))
        self.fit_screen()
        self.lists.setCurrentRow(0)
        self._update_actions()

    def _action(
        self,
        toolbar: QToolBar,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey,
        slot: Callable[[], object],
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(shortcut)
        action.setToolTip(f"{text} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})")
        action.triggered.connect(lambda _checked=False: slot())
        toolbar.addAction(action)
        return action

    def fit_screen(self) -> None:
        """At most 1366x768 and never taller or wider than the screen's free area (a 768-px screen less its
        taskbar and the title bar): the status bar with Sinkronkan stays on screen without maximising."""
        screen = self.screen() or QApplication.primaryScreen()
        free = screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 768)
        width = min(self.width() if self.width() > 640 else 1366, free.width() - FRAME.width())
        height = min(self.height() if self.height() > 480 else 768, free.height() - FRAME.height())
        self.resize(width, height)
        if not free.contains(self.frameGeometry()):
            self.move(free.topLeft())

    def changeEvent(self, event: QEvent) -> None:
        """Hide the work while the window is disabled (the lock: Ctrl+L, idle, re-login) and show it again."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.EnabledChange:
            self.set_hidden_for_lock(not self.isEnabled())

    def set_hidden_for_lock(self, hidden: bool) -> None:
        """Show the 'Terkunci' page instead of lists, editor, search text and status messages, or the work."""
        self.content.setCurrentIndex(1 if hidden else 0)
        self.toolbar.setVisible(not hidden)
        self.statusBar().setVisible(not hidden)

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def open_settings(self) -> None:
        """The settings dialog (templates from the print configuration)."""
        from app.printing.templates import available_templates  # noqa: PLC0415 - only when asked

        templates = [(t.id, t.title) for t in available_templates()]
        role = role_of(self.store.officer.role)
        dialog = SettingsDialog(self.settings, templates, self, role=role, runner=self.runner)
        dialog.accepted.connect(self.show_site)
        dialog.open()
        self.settings_dialog = dialog

    def show_site(self) -> None:
        """The service site of the day in the status bar."""
        site = self.settings.text("outpost.site") or self.settings.text("outpost.name")
        self.site_label.setText(self.tr("Lokasi: ") + (site or self.tr("belum diatur")))

    def _show_busy(self, jobs: int) -> None:
        self.busy_label.setText(self.tr("menyimpan…") if jobs else "")

    def show_message(self, text: str) -> None:
        """A message for the officer in the status bar (and the log of recent messages)."""
        self.message.setText(text)
        self.message.setToolTip(text)

    def check_catalog_notice(self) -> None:
        """After a sync run: tell the officer about a new catalogue version (once) and use it for new applications."""
        from sync.client import catalog_update  # noqa: PLC0415

        library = library_at(self.store.paths.reference)

        def load() -> tuple[dict[str, Any], Catalog] | None:
            notice = catalog_update.unseen_notice()
            if notice is None:
                return None
            catalog_update.mark_notice_seen()
            return notice, library.newest().catalog

        self.runner.db("catalogue notice", load, self._show_catalog_notice)

    def _show_catalog_notice(self, result: tuple[dict[str, Any], Catalog] | None) -> None:
        if result is None:
            return
        notice, catalog = result
        self.catalog = catalog
        self.titles = {**self.titles, **{s.code: s.title for s in catalog.services}}
        headline = self.tr("Katalog diperbarui: versi %1").replace("%1", str(notice.get("version", "")))
        self.show_message(headline)
        changes = [str(line) for line in notice.get("changes") or []]
        shown = changes[:12]
        if len(changes) > 12:
            shown.append(self.tr("… dan %1 perubahan lain").replace("%1", str(len(changes) - 12)))
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Katalog layanan"), headline, parent=self)
        box.setInformativeText(
            "\n".join(shown or [self.tr("Tidak ada perubahan layanan, persyaratan, atau formulir.")])
            + "\n\n"
            + self.tr("Permohonan baru memakai versi ini; draf dan permohonan yang dikembalikan tetap pada versinya.")
        )
        box.open()
        self.catalog_notice = box

    # -- lists ------------------------------------------------------------------------------------
    def current_list(self) -> str:
        """The id of the list shown."""
        item = self.lists.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else "today"

    def refresh(self) -> None:
        """Reload the list shown and the counts (on the database thread)."""
        list_id, query, titles = self.current_list(), self.search.text(), self.titles

        self.runner.db("list", lambda: list_page(list_id, query, titles), self._show_rows)

    def _show_rows(self, page: ListPage) -> None:
        rows = page.rows
        self.show_list_counts(page.list_counts)
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)
        self.table.setVisible(bool(rows))
        if rows and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self.sync_area.show_counts(page.bar.waiting, page.bar.returned, page.bar.ready)
        self._update_actions()

    def show_list_counts(self, counts: dict[str, int]) -> None:
        """Each list's title with how many applications it holds: "Draf (3)"."""
        titles = dict(LIST_TITLES)
        for row in range(self.lists.count()):
            item = self.lists.item(row)
            list_id = str(item.data(Qt.ItemDataRole.UserRole))
            if list_id in counts:
                item.setText(f"{self.tr(titles[list_id])} ({counts[list_id]})")

    def selected(self) -> ApplicationRow | None:
        """The selected row."""
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() and index.row() < len(self.model.rows) else None

    def _row_activated(self, index: QModelIndex) -> None:
        row = self.model.rows[index.row()]
        self.open_application(row.client_id)

    def _update_actions(self) -> None:
        row = self.selected()
        editing = self.editor is not None
        self.back_action.setEnabled(editing)
        self.amend_action.setEnabled(not editing and row is not None and row.state == "returned")
        self.cancel_action.setEnabled(not editing and row is not None and row.state in ("draft", "submitted"))
        self.receipt_action.setEnabled(not editing and row is not None and row.state not in ("draft", "cancelled"))
        self.forms_action.setEnabled(row is not None)

    # -- opening, creating, amending, cancelling ----------------------------------------------------
    def new_application(self) -> None:
        """Pick a service and start a draft."""
        code = ServicePickerDialog.ask(self)
        if not code:
            return
        site = self.settings.text("outpost.site")
        self.runner.db(
            "new",
            lambda: apps.create_draft(self.store, code, site=site).client_id,
            self.open_application,
        )

    def open_selected(self) -> None:
        """Open the selected application."""
        row = self.selected()
        if row is not None:
            self.open_application(row.client_id)

    def open_application(self, client_id: str) -> None:
        """Load an application and show its editor (or a read-only notice for frozen ones)."""
        library = library_at(self.store.paths.reference)

        def load() -> Bundle:
            bundle = load_bundle(client_id)
            library.get(bundle.application.catalog_version)  # its catalogue version, loaded off the GUI thread
            return bundle

        self.runner.db("open", load, self._show_editor)

    def _show_editor(self, bundle: Bundle) -> None:
        application = bundle.application
        if application.state != "draft":
            self.show_message(self.tr("Permohonan ini berstatus final untuk outpost dan tidak dapat diubah."))
            if application.state == "returned":
                self.show_message(self.tr("Dikembalikan Dinas: tekan Ctrl+R untuk membuat perbaikan."))
            return
        # The service as the application's own catalogue version describes it (a newer version may differ).
        reference = library_at(self.store.paths.reference).get(application.catalog_version)
        service = reference.catalog.service(application.service_code)
        if not self.close_editor():
            return
        editor = ApplicationEditor(self.runner, self.store, service, bundle)
        editor.status.connect(self.show_message)
        editor.submitted.connect(self._after_submit)
        self.editor = editor
        self.stack.addWidget(editor)
        self.stack.setCurrentWidget(editor)
        self._update_actions()
        QTimer.singleShot(0, editor, editor.focus_start)  # after the editor reopens its last tab
        self.editor_opened.emit(editor)

    def close_editor(self) -> bool:
        """Save and leave the editor (Ctrl+W); asks first when the last save failed. False if it stayed."""
        if self.editor is None:
            return True
        self.editor.flush()
        if self.editor.save_error and not LeaveUnsaved.ask(self, self.editor.save_error):
            return False
        self.stack.removeWidget(self.editor)
        dispose(self.editor)
        self.editor = None
        self.stack.setCurrentIndex(0)
        self._update_actions()
        self.refresh()
        return True

    def _after_submit(self, client_id: str) -> None:
        self.show_message(self.tr("Permohonan masuk antrean kirim. Tanda terima dibuka untuk dicetak."))
        self.close_editor()
        self.submitted.emit(client_id)
        self.print_receipt(client_id)

    def print_receipt(self, client_id: str) -> None:
        """Make the receipt PDF and open it."""
        paths, settings, catalog = self.store.paths, self.settings, self.catalog
        self.runner.db(
            "receipt",
            lambda: [make_receipt(paths, settings, catalog, client_id)],
            self._open_printouts,
            self._print_failed,
        )

    def print_receipt_selected(self) -> None:
        """The receipt of the selected application (again)."""
        row = self.selected()
        if row is not None:
            self.print_receipt(row.client_id)

    def print_forms_selected(self) -> None:
        """The filled official forms of the selected (or open) application, for wet signatures."""
        if self.editor is not None:
            self.editor.flush()
            client_id = self.editor.application.client_id
        else:
            row = self.selected()
            if row is None:
                return
            client_id = row.client_id
        paths, settings = self.store.paths, self.settings
        self.runner.db(
            "forms", lambda: make_forms(paths, settings, client_id), self._open_printouts, self._print_failed
        )

    def _open_printouts(self, files: list[Path]) -> None:
        for path in files:
            Viewer.open(path)
        if files:
            self.show_message(self.tr("Dokumen cetak disimpan di ") + str(files[0].parent))
        self.printed.emit(files)

    def _print_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, KnownError):
            raise exc
        self.show_message(exc.message)

    def amend_selected(self) -> None:
        """Start a new revision of a returned application and open it."""
        row = self.selected()
        if row is None or row.state != "returned":
            return

        def amend() -> str:
            apps.amend(self.store, editing.application(row.client_id))
            return row.client_id

        self.runner.db("amend", amend, self.open_application)

    def cancel_selected(self) -> None:
        """Cancel the selected application with a reason (a submitted one: supervisors only)."""
        row = self.selected()
        if row is None:
            return
        reason = CancelReason.ask(self)
        if not reason:
            return

        def cancel() -> bool:
            return settlement.cancel(self.store, editing.application(row.client_id), reason) is not None

        def done(requested: bool) -> None:
            if requested:  # the Dinas may hold it: it answers at the next sync
                self.show_message(
                    self.tr("Pembatalan diminta ke Dinas; jawabannya tampil di daftar setelah sinkronisasi.")
                )
            self.refresh()

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, KnownError):
                raise exc
            QMessageBox.warning(self, self.tr("Tidak dapat dibatalkan"), exc.message)

        self.runner.db("cancel", cancel, done, failed)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save the open draft and the window state (asks first when the draft's last save failed)."""
        if self.editor is not None:
            self.editor.flush()
            if self.editor.save_error and not LeaveUnsaved.ask(self, self.editor.save_error):
                event.ignore()
                return
        self.settings.set("ui.window_geometry", bytes(self.saveGeometry().toBase64().data()).decode("ascii"))
        super().closeEvent(event)


class LeaveUnsaved:
    """Asks before leaving a draft whose last save failed (tests patch `ask`)."""

    @classmethod
    def ask(cls, parent: QWidget, reason: str) -> bool:
        """True to leave anyway (what was typed since the last good save is lost)."""
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(box.tr("Perubahan belum tersimpan"))
        box.setText(box.tr("Perubahan terakhir pada permohonan ini belum tersimpan:") + "\n" + reason)
        box.setInformativeText(box.tr("Tetap tutup dan buang perubahan yang belum tersimpan?"))
        leave = box.addButton(box.tr("Tutup tanpa menyimpan"), QMessageBox.ButtonRole.DestructiveRole)
        stay = box.addButton(box.tr("Tetap di permohonan"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)
        box.exec()
        return box.clickedButton() is leave


class CancelReason:
    """Asks for the reason of a cancellation (tests patch `ask`)."""

    @staticmethod
    def ask(parent: QWidget) -> str | None:
        """The reason typed, or None."""
        from PySide6.QtWidgets import QInputDialog  # noqa: PLC0415

        dialog = QInputDialog(parent)
        dialog.setWindowTitle(dialog.tr("Batalkan permohonan"))
        dialog.setLabelText(dialog.tr("Alasan pembatalan (wajib):"))
        dialog.setOkButtonText(dialog.tr("Batalkan permohonan"))
        dialog.setCancelButtonText(dialog.tr("Kembali"))
        ok = dialog.exec() == QInputDialog.DialogCode.Accepted
        text = dialog.textValue()
        dialog.deleteLater()
        return text.strip() if ok and text.strip() else None
