"""The capture dialog of one requirement: live camera preview or scan or file import, a strip of page
thumbnails to reorder, rotate, re-corner, retake or delete, the page count and total size, and the
quality checks with the officer's choice to keep a page anyway. Heavy work runs on the app's task runner."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QSize, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QIcon, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from app.capture import scanner_source
from app.capture.base import CameraSource, CameraStream, CaptureSource, Device, RawPage
from app.capture.camera import OpenCvCameras
from app.capture.errors import FileImportError
from app.capture.files import SUFFIXES
from app.documents import A4, F4, ID_CARD, Options, Paper, as_quad
from app.documents.images import Image, downscale
from app.errors import KnownError
from ui import palette
from ui.capture import work
from ui.capture.camera import CameraPreview
from ui.capture.controls import CameraBar, FilesBar, ScannerBar
from ui.capture.pages import CapturedPage, PageItem, human_size
from ui.capture.preferences import CapturePreferences
from ui.capture.view import PageView
from ui.tasks import Group, TaskRunner, Work

log = logging.getLogger("loket.ui")
Result = TypeVar("Result")  # what a job of the dialog returns
Progress = TypeVar("Progress")  # what it reports on its way
_ID_ROLE = Qt.ItemDataRole.UserRole
CAMERA, SCANNER, FILES = 0, 1, 2
_SOURCES = {"camera": CAMERA, "scanner": SCANNER, "files": FILES}
_MODES = {"bilevel": "hitam-putih", "gray": "abu-abu", "color": "warna"}
_ORIGINS = {"camera": "kamera", "scanner": "pemindai", "file": "berkas", "pdf": "PDF"}
_EDIT_SIDE = 1100


class ThumbnailDelegate(QStyledItemDelegate):
    """Draws a strip item as its thumbnail with the caption centred underneath."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        """Picture on top, text below."""
        super().initStyleOption(option, index)
        option.decorationPosition = QStyleOptionViewItem.Position.Top
        option.displayAlignment = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        """Room for the thumbnail and one line of caption."""
        return QSize(104, 132)


class CaptureDialog(QDialog):
    """Capture the pages of one requirement; `pages()` are what the officer accepted."""

    def __init__(
        self,
        requirement: str,
        *,
        paper: Paper | None = None,
        papers: tuple[Paper, ...] = (),
        scanners: CaptureSource | None = None,
        cameras: CameraSource | None = None,
        source: str = "camera",
        runner: TaskRunner | None = None,
        preferences: CapturePreferences | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.preferences = preferences or CapturePreferences()
        # The papers the requirement's document may be on (a KK: A4 or F4): "Otomatis" chooses among them only.
        self._papers = papers
        self.setWindowTitle(self.tr("Ambil dokumen — %1").replace("%1", requirement))
        self.setAcceptDrops(True)
        self.resize(1280, 720)
        self._scanners = scanners
        self._cameras = cameras
        self._items: dict[int, PageItem] = {}
        self._retake: int | None = None
        self._editing: int | None = None
        self._edit_scale = 1.0
        self._pending = 0
        self._listed: set[int] = set()
        # The app's runner; a dialog opened on its own (tests, a standalone tool) runs and stops its own.
        self._owns_runner = runner is None
        self.runner = runner if runner is not None else TaskRunner(self)
        self.jobs = Group()  # this dialog's jobs: cancelled, their results dropped, when it closes
        self.preview = CameraPreview(self)

        self.tabs = QTabBar()
        for label in (self.tr("Kamera"), self.tr("Pemindai"), self.tr("Berkas")):
            self.tabs.addTab(label)
        self.paper = QComboBox()
        for label, value in (
            (self.tr("Otomatis"), None),
            ("A4", A4.key),
            (self.tr("F4 (folio)"), F4.key),
            (self.tr("Kartu (KTP-el/KIA)"), ID_CARD.key),
        ):
            self.paper.addItem(label, value)
        self.paper.setCurrentIndex(max(0, self.paper.findData(paper.key)) if paper else 0)
        self.camera_bar, self.scanner_bar, self.files_bar = CameraBar(), ScannerBar(), FilesBar()
        self.scanner_bar.preferred_dpi = self.preferences.dpi
        self.bars = QStackedWidget()
        for bar in (self.camera_bar, self.scanner_bar, self.files_bar):
            self.bars.addWidget(bar)

        self.view = PageView()
        self.side_title = QLabel()
        self.side_title.setStyleSheet("font-weight: bold; font-size: 13pt;")
        self.side_preview = QLabel()
        self.side_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.side_preview.setMinimumHeight(240)
        self.side_info = QLabel()
        self.side_info.setWordWrap(True)
        self.side_checks = QLabel()
        self.side_checks.setWordWrap(True)
        self.side_checks.setTextFormat(Qt.TextFormat.RichText)
        self.keep = QCheckBox(self.tr("Tetap gunakan halaman ini"))
        self.keep.setToolTip(self.tr("Simpan halaman walau tidak lolos pemeriksaan (dicatat). Ctrl+T"))
        self.apply_corners = QPushButton(self.tr("Terapkan sudut"))
        self.cancel_corners = QPushButton(self.tr("Batal ubah sudut"))
        side = QWidget()
        side.setMinimumWidth(280)
        side.setMaximumWidth(340)
        side_layout = QVBoxLayout(side)
        for widget in (self.side_title, self.side_preview, self.side_info, self.side_checks, self.keep):
            side_layout.addWidget(widget)
        corner_row = QHBoxLayout()
        corner_row.addWidget(self.apply_corners)
        corner_row.addWidget(self.cancel_corners)
        side_layout.addLayout(corner_row)
        side_layout.addStretch(1)
        splitter = QSplitter()
        splitter.addWidget(self.view)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 1)
        splitter.setChildrenCollapsible(False)

        # List mode flowing left to right: there a drag reorders the rows (in icon mode Qt would only
        # move the pictures on screen and the saved order would not change).
        self.strip = QListWidget()
        self.strip.setViewMode(QListView.ViewMode.ListMode)
        self.strip.setFlow(QListView.Flow.LeftToRight)
        self.strip.setWrapping(False)
        self.strip.setItemDelegate(ThumbnailDelegate(self.strip))
        self.strip.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.strip.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.strip.setIconSize(QSize(80, 104))
        self.strip.setSpacing(4)
        self.strip.setFixedHeight(152)
        self.strip.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.strip.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.rotate_left = QPushButton(self.tr("Putar kiri"))
        self.rotate_right = QPushButton(self.tr("Putar kanan"))
        self.corners = QPushButton(self.tr("Sesuaikan sudut"))
        self.move_left = QPushButton(self.tr("◀ Geser"))
        self.move_right = QPushButton(self.tr("Geser ▶"))
        self.retake = QPushButton(self.tr("Ambil ulang"))
        self.delete = QPushButton(self.tr("Hapus"))
        self.summary = QLabel()
        bold = self.summary.font()  # a font, not a style sheet: the label then measures its bold text right
        bold.setBold(True)
        self.summary.setFont(bold)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.save = QPushButton(self.tr("Simpan"))
        self.save.setDefault(True)
        self.cancel = QPushButton(self.tr("Batal"))
        for button, tip in (
            (self.rotate_left, self.tr("Putar 90° berlawanan arah jarum jam (Ctrl+L)")),
            (self.rotate_right, self.tr("Putar 90° searah jarum jam (Ctrl+R)")),
            (self.corners, self.tr("Geser keempat sudut bila tepi dokumen salah terdeteksi (Ctrl+E)")),
            (self.move_left, self.tr("Pindahkan halaman ke depan (Alt+Kiri); atau seret gambar kecilnya")),
            (self.move_right, self.tr("Pindahkan halaman ke belakang (Alt+Kanan)")),
            (self.retake, self.tr("Ganti halaman ini dengan gambar/pindaian berikutnya (Ctrl+U)")),
            (self.delete, self.tr("Hapus halaman ini (Delete)")),
            (self.save, self.tr("Simpan semua halaman (Ctrl+Enter)")),
            (self.cancel, self.tr("Tutup tanpa menyimpan (Esc)")),
        ):
            button.setToolTip(tip)
            button.setAutoDefault(False)

        top = QHBoxLayout()
        top.addWidget(self.tabs)
        top.addStretch(1)
        paper_label = QLabel(self.tr("&Ukuran kertas:"))
        paper_label.setBuddy(self.paper)
        top.addWidget(paper_label)
        top.addWidget(self.paper)
        page_tools = QHBoxLayout()
        for button in (
            self.rotate_left,
            self.rotate_right,
            self.corners,
            self.move_left,
            self.move_right,
            self.retake,
            self.delete,
        ):
            page_tools.addWidget(button)
        page_tools.addStretch(1)
        page_tools.addWidget(self.summary)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.cancel)
        bottom.addWidget(self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.bars)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.strip)
        layout.addLayout(page_tools)
        layout.addLayout(bottom)

        self._connect()
        self._shortcuts()
        self._show_selected()
        self._update_summary()
        self.tabs.setCurrentIndex(_SOURCES.get(source, CAMERA))
        self._source_changed(self.tabs.currentIndex())

    # ----- wiring

    def _connect(self) -> None:
        self.tabs.currentChanged.connect(self._source_changed)
        self.camera_bar.device_chosen.connect(self._open_camera)
        self.camera_bar.refresh_requested.connect(lambda: self._list_devices(CAMERA))
        self.camera_bar.shutter_pressed.connect(self.shutter)
        self.camera_bar.auto.toggled.connect(self._auto_toggled)
        self.scanner_bar.refresh_requested.connect(lambda: self._list_devices(SCANNER))
        self.scanner_bar.scan_pressed.connect(self.scan)
        self.files_bar.open_pressed.connect(self.open_files)
        self.preview.frame_shown.connect(self._frame_shown)
        self.preview.captured.connect(self._frame_captured)
        self.preview.failed.connect(self._camera_failed)
        self.strip.currentRowChanged.connect(lambda _row: self._show_selected())
        model = self.strip.model()
        model.rowsMoved.connect(lambda *_args: self._renumber())
        self.keep.toggled.connect(self._keep_toggled)
        self.rotate_left.clicked.connect(lambda: self.rotate(-1))
        self.rotate_right.clicked.connect(lambda: self.rotate(1))
        self.corners.clicked.connect(self.edit_corners)
        self.apply_corners.clicked.connect(self._apply_corners)
        self.cancel_corners.clicked.connect(self._end_editing)
        self.move_left.clicked.connect(lambda: self.move_page(-1))
        self.move_right.clicked.connect(lambda: self.move_page(1))
        self.retake.clicked.connect(self.retake_selected)
        self.delete.clicked.connect(self.delete_selected)
        self.save.clicked.connect(self.try_accept)
        self.cancel.clicked.connect(self.reject)

    def _shortcuts(self) -> None:
        for keys, action in (
            ("Space", self.capture_now),
            ("Ctrl+O", self.open_files),
            ("Delete", self.delete_selected),
            ("Ctrl+R", lambda: self.rotate(1)),
            ("Ctrl+L", lambda: self.rotate(-1)),
            ("Ctrl+E", self.edit_corners),
            ("Ctrl+U", self.retake_selected),
            ("Ctrl+T", lambda: self.keep.setChecked(not self.keep.isChecked()) if self.keep.isVisible() else None),
            ("Alt+Left", lambda: self.move_page(-1)),
            ("Alt+Right", lambda: self.move_page(1)),
            ("Ctrl+Return", self.try_accept),
            ("Ctrl+Enter", self.try_accept),
            ("F5", lambda: self._list_devices(self.tabs.currentIndex())),
            ("Ctrl+1", lambda: self.tabs.setCurrentIndex(CAMERA)),
            ("Ctrl+2", lambda: self.tabs.setCurrentIndex(SCANNER)),
            ("Ctrl+3", lambda: self.tabs.setCurrentIndex(FILES)),
        ):
            QShortcut(QKeySequence(keys), self, action)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        requirement: str,
        *,
        paper: Paper | None = None,
        papers: tuple[Paper, ...] = (),
        scanners: CaptureSource | None = None,
        cameras: CameraSource | None = None,
        source: str = "camera",
        runner: TaskRunner | None = None,
        preferences: CapturePreferences | None = None,
    ) -> list[CapturedPage] | None:
        """Run the dialog modally; the accepted pages in order, or None when cancelled (tests patch this)."""
        dialog = cls(
            requirement,
            paper=paper,
            papers=papers,
            scanners=scanners,
            cameras=cameras,
            source=source,
            runner=runner,
            preferences=preferences,
            parent=parent,
        )
        try:
            return dialog.pages() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog._stop_work()
            dialog.deleteLater()

    # ----- sources

    def _scanner_source(self) -> CaptureSource:
        if self._scanners is None:
            self._scanners = scanner_source()
        return self._scanners

    def _camera_source(self) -> CameraSource:
        if self._cameras is None:
            self._cameras = OpenCvCameras()
        return self._cameras

    def _base_options(self) -> Options:
        key = self.paper.currentData()
        paper = {A4.key: A4, F4.key: F4, ID_CARD.key: ID_CARD}.get(str(key)) if key else None
        return Options(find="optional", paper=paper, papers=() if paper else self._papers)

    def _run(
        self,
        label: str,
        job: Work[Progress, Result],
        done: Callable[[Result], None],
        failed: Callable[[KnownError], None],
        progress: Callable[[Progress], None] | None = None,
    ) -> None:
        """Run a job of this dialog on the runner: its results are dropped once the dialog has closed."""
        self.runner.run(label, job, on_done=done, on_failed=failed, on_progress=progress, group=self.jobs)

    def _source_changed(self, index: int) -> None:
        self.bars.setCurrentIndex(index)
        self._end_editing()
        if index != CAMERA:
            self.preview.stop()
            self._show_selected()
        if index not in self._listed:
            self._list_devices(index)
        elif index == CAMERA:
            self._open_camera()

    def _list_devices(self, index: int) -> None:
        if index == FILES:
            return
        self._listed.add(index)
        if index == CAMERA:
            self.preview.stop()
            self.view.show_image(None)
            self.view.show_message(self.tr("Mencari kamera…"))
            source: CaptureSource = self._camera_source()
        else:
            self.status.setText(self.tr("Mencari pemindai…"))
            try:
                source = self._scanner_source()
            except KnownError as exc:
                self._show_error(exc)
                return
        self._run(
            "list capture devices",
            lambda _report, _cancelled: work.list_devices(source),
            lambda devices: self._devices_listed(index, devices),
            self._show_error,
        )

    def _devices_listed(self, index: int, devices: list[Device]) -> None:
        if index == CAMERA:
            self.camera_bar.set_devices(devices, self.preferences.camera)
            if not devices:
                self.view.show_message(
                    self.tr("Tidak ada kamera. Pasang kamera USB lalu tekan Muat ulang, atau gunakan pemindai/berkas.")
                )
            elif self.tabs.currentIndex() == CAMERA:
                self._open_camera()
        else:
            self.scanner_bar.set_devices(devices, self.preferences.scanner)
            self.status.setText(
                self.tr("Pemindai siap.")
                if devices
                else self.tr("Tidak ada pemindai. Nyalakan pemindai dan pasang kabel USB-nya, lalu tekan Muat ulang.")
            )

    def _open_camera(self) -> None:
        device_id = self.camera_bar.device_id()
        if device_id is None or self.tabs.currentIndex() != CAMERA:
            return
        self.preview.stop()
        self.view.show_image(None)
        self.view.show_message(self.tr("Menyiapkan kamera…"))
        source, size = self._camera_source(), self.camera_bar.frame_size()
        self._run(
            "open camera",
            lambda _report, _cancelled: work.open_camera(source, device_id, size),
            self._camera_opened,
            self._camera_failed,
        )

    def _camera_opened(self, stream: CameraStream) -> None:
        if self.tabs.currentIndex() != CAMERA or not self.isVisible():
            stream.close()
            return
        self.view.show_message(self._camera_hint())
        self.preview.auto = self.camera_bar.auto.isChecked()
        self.preview.start(stream)
        self.preferences.used("capture.camera", self.camera_bar.device_id())

    def _camera_hint(self) -> str:
        if self.camera_bar.auto.isChecked():
            return self.tr("Letakkan dokumen di bawah kamera; gambar diambil sendiri saat dokumen diam. Spasi: ambil.")
        return self.tr("Letakkan dokumen di bawah kamera, lalu tekan Spasi atau Ambil gambar.")

    def _camera_failed(self, error: KnownError) -> None:
        self.view.show_image(None)
        self.view.show_message(error.message)
        self._show_error(error)

    def _auto_toggled(self, on: bool) -> None:
        self.preview.auto = on
        self.preview.trigger.reset()
        if self.preview.running:
            self.view.show_message(self._camera_hint())

    def _frame_shown(self, image: QImage, outline: list[QPointF] | None, progress: float) -> None:
        if self.tabs.currentIndex() == CAMERA and self._editing is None:
            self.view.show_image(image, outline, progress)

    def _frame_captured(self, frame: Image) -> None:
        self.status.setText(self.tr("Gambar diambil; sedang diproses…"))
        self._process(RawPage(frame, "camera", None, self.camera_bar.device_id() or ""))

    # ----- capturing

    def capture_now(self) -> None:
        """The shutter: camera picture, scan, or open files, depending on the source shown."""
        index = self.tabs.currentIndex()
        if index == CAMERA:
            self.shutter()
        elif index == SCANNER:
            self.scan()
        else:
            self.open_files()

    def shutter(self) -> None:
        """Take the camera's newest frame now."""
        if not self.preview.shutter():
            self.status.setText(self.tr("Kamera belum siap."))

    def scan(self) -> None:
        """Scan with the chosen scanner and settings (the feeder: every page)."""
        device_id = self.scanner_bar.device_id()
        if device_id is None:
            self.status.setText(self.tr("Pilih pemindai dahulu (atau tekan Muat ulang)."))
            return
        settings, options, source = self.scanner_bar.settings(), self._base_options(), self._scanner_source()
        self.preferences.used("capture.scanner", device_id)
        self.preferences.used("capture.dpi", settings.resolution)
        self.scanner_bar.scan.setEnabled(False)
        self.status.setText(self.tr("Memindai…"))
        self._pending += 1
        self._run(
            "scan",
            lambda report, cancelled: work.scan(source, device_id, settings, options, report, cancelled),
            self._scan_done,
            self._scan_failed,
            progress=self._page_ready,
        )

    def _scan_done(self, count: int) -> None:
        self._pending -= 1
        self.scanner_bar.scan.setEnabled(True)
        self.status.setText(self.tr("%n halaman terpindai.", "", count))

    def _scan_failed(self, error: KnownError) -> None:
        self._pending -= 1
        self.scanner_bar.scan.setEnabled(True)
        self._show_error(error)

    def open_files(self) -> None:
        """Ask for image/PDF files and import them."""
        paths = self._choose_files()
        if paths:
            self.import_paths(paths)

    def _choose_files(self) -> list[Path]:
        patterns = " ".join(f"*{suffix}" for suffix in SUFFIXES)
        names, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Pilih berkas dokumen"), "", self.tr("Gambar atau PDF (%1)").replace("%1", patterns)
        )
        return [Path(name) for name in names]

    def import_paths(self, paths: Sequence[Path]) -> None:
        """Import every page of these files (a bad file is reported; the others still come in)."""
        options = self._base_options()
        self.status.setText(self.tr("Mengimpor %n berkas…", "", len(paths)))
        self._pending += 1
        chosen = list(paths)
        self._run(
            "import files",
            lambda report, cancelled: work.import_files(chosen, options, report, cancelled),
            self._import_done,
            self._scan_failed,
            progress=self._page_ready,
        )

    def _import_done(self, problems: list[FileImportError]) -> None:
        self._pending -= 1
        if problems:
            self.status.setText(
                "<br>".join(palette.span(palette.ERROR, f"<b>{p.name}</b>: {p.message}") for p in problems)
            )
        else:
            self.status.setText(self.tr("Berkas diimpor."))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept dropped local files."""
        urls = event.mimeData().urls()
        if urls and all(url.isLocalFile() for url in urls):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        """Import dropped files."""
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    def _process(self, raw: RawPage, options: Options | None = None, replaces: int | None = None) -> None:
        chosen = options or work.options_for(raw, self._base_options())
        self._pending += 1
        self._run(
            "process page",
            lambda _report, _cancelled: work.process(raw, chosen),
            lambda item: self._processed(item, replaces),
            self._processing_failed,
        )

    def _processed(self, item: PageItem, replaces: int | None) -> None:
        self._pending -= 1
        if replaces is not None and replaces in self._items:
            self._replace(replaces, item)
        else:
            self._page_ready(item)

    def _processing_failed(self, error: KnownError) -> None:
        self._pending -= 1
        self._show_error(error)

    # ----- the strip

    def _page_ready(self, item: PageItem) -> None:
        if self._retake is not None and self._retake in self._items:
            target, self._retake = self._retake, None
            self._replace(target, item)
            self.status.setText(self.tr("Halaman diganti."))
            return
        self._items[item.id] = item
        entry = QListWidgetItem()
        entry.setData(_ID_ROLE, item.id)
        self.strip.addItem(entry)
        self._decorate(entry, item)
        self.strip.setCurrentItem(entry)
        self._renumber()
        self._update_summary()
        if self.tabs.currentIndex() == CAMERA:
            self.status.setText(self._result_text(item))

    def _replace(self, old_id: int, fresh: PageItem) -> None:
        item = self._items.pop(old_id).with_result(fresh)
        self._items[item.id] = item
        for row in range(self.strip.count()):
            entry = self.strip.item(row)
            if entry is not None and entry.data(_ID_ROLE) == old_id:
                self._decorate(entry, item)
                self.strip.setCurrentRow(row)
        self._renumber()
        self._update_summary()
        self._show_selected()

    def _decorate(self, entry: QListWidgetItem, item: PageItem) -> None:
        entry.setIcon(QIcon(QPixmap.fromImage(work.to_qimage(item.thumbnail))))
        reasons = [check.reason for check in item.result.failed]
        entry.setToolTip("\n".join(reasons) if reasons else self.tr("Lolos pemeriksaan"))

    def _renumber(self) -> None:
        for row in range(self.strip.count()):
            entry = self.strip.item(row)
            if entry is None:
                continue
            item = self._items[int(entry.data(_ID_ROLE))]
            mark = "⚠ " if item.needs_decision else ""
            entry.setText(f"{mark}{row + 1} · {human_size(len(item.result.data))}")

    def _selected(self) -> PageItem | None:
        entry = self.strip.currentItem()
        return None if entry is None else self._items.get(int(entry.data(_ID_ROLE)))

    def _result_text(self, item: PageItem) -> str:
        failed = item.result.failed
        if failed:
            return palette.span(palette.ERROR, " ".join(check.reason for check in failed))
        return self.tr("Halaman lolos pemeriksaan.")

    def _show_selected(self) -> None:
        item = self._selected()
        has = item is not None
        for button in (self.rotate_left, self.rotate_right, self.corners, self.retake, self.delete):
            button.setEnabled(has)
        row = self.strip.currentRow()
        self.move_left.setEnabled(has and row > 0)
        self.move_right.setEnabled(has and row < self.strip.count() - 1)
        editing = self._editing is not None
        self.apply_corners.setVisible(editing)
        self.cancel_corners.setVisible(editing)
        if item is None:
            self.side_title.setText(self.tr("Belum ada halaman"))
            self.side_preview.clear()
            self.side_info.setText(
                self.tr("Halaman yang diambil muncul di deretan bawah. Seret untuk mengubah urutan.")
            )
            self.side_checks.clear()
            self.keep.setVisible(False)
            if self.tabs.currentIndex() != CAMERA and not editing:
                self.view.show_image(None)
                self.view.show_message(self._empty_hint())
            return
        result = item.result
        self.side_title.setText(
            self.tr("Halaman %1 dari %2").replace("%1", str(row + 1)).replace("%2", str(self.strip.count()))
        )
        view = work.to_qimage(item.view)
        pixmap = QPixmap.fromImage(view).scaled(
            260, 300, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        self.side_preview.setPixmap(pixmap)
        origin = _ORIGINS.get(result.source, result.source)
        self.side_info.setText(
            f"{_MODES[result.mode].capitalize()} · {result.dpi} dpi · {human_size(len(result.data))}<br>"
            f"{result.width} × {result.height} px · {self.tr('dari')} {origin}"
        )
        lines = []
        for check in result.checks:
            if check.ok:
                continue
            lines.append(f"<p style='color:{palette.ERROR}'>⚠ {check.reason}</p>")
        self.side_checks.setText(
            "".join(lines) or f"<p style='color:#1b7f3b'>✓ {self.tr('Lolos pemeriksaan mutu.')}</p>"
        )
        self.keep.blockSignals(True)
        self.keep.setChecked(item.kept_anyway)
        self.keep.blockSignals(False)
        self.keep.setVisible(bool(result.failed))
        if self.tabs.currentIndex() != CAMERA and not editing:
            self.view.show_message("")
            self.view.show_image(view)

    def _empty_hint(self) -> str:
        if self.tabs.currentIndex() == SCANNER:
            return self.tr("Letakkan dokumen di kaca pemindai (atau di pengumpan), lalu tekan Pindai atau Spasi.")
        return self.tr("Tekan Pilih berkas (Ctrl+O) atau seret berkas ke sini.")

    def _keep_toggled(self, on: bool) -> None:
        item = self._selected()
        if item is not None:
            item.kept_anyway = on
            self._renumber()

    def _update_summary(self) -> None:
        total = sum(len(item.result.data) for item in self._items.values())
        self.summary.setText(
            self.tr("%n halaman", "", len(self._items)) + f" · {human_size(total) if total else '0 KB'}"
        )
        self.save.setEnabled(bool(self._items))

    def rotate(self, quarters: int) -> None:
        """Turn the selected page by quarter turns (clockwise positive) and process it again."""
        item = self._selected()
        if item is None:
            return
        options = replace(item.options, rotation=(item.options.rotation + quarters) % 4, outline=item.result.outline)
        self._process(item.raw, options, replaces=item.id)

    def move_page(self, step: int) -> None:
        """Move the selected page earlier (-1) or later (+1)."""
        row = self.strip.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.strip.count():
            return
        entry = self.strip.takeItem(row)
        self.strip.insertItem(target, entry)
        self.strip.setCurrentRow(target)
        self._renumber()

    def retake_selected(self) -> None:
        """Replace the selected page with the next picture or scan."""
        item = self._selected()
        if item is None:
            return
        self._retake = item.id
        row = self.strip.currentRow() + 1
        self.status.setText(self.tr("Ambil ulang halaman %1: ambil gambar atau pindai lagi.").replace("%1", str(row)))

    def delete_selected(self) -> None:
        """Remove the selected page."""
        row = self.strip.currentRow()
        entry = self.strip.takeItem(row) if row >= 0 else None
        if entry is None:
            return
        self._items.pop(int(entry.data(_ID_ROLE)), None)
        if self._retake is not None and self._retake not in self._items:
            self._retake = None
        self._renumber()
        self._update_summary()
        self._show_selected()

    def edit_corners(self) -> None:
        """Show the selected page's original picture with its outline to drag into place."""
        item = self._selected()
        if item is None:
            return
        picture, scale = downscale(item.raw.image, _EDIT_SIDE)
        height, width = item.raw.image.shape[:2]
        quad = item.result.outline
        corners = quad if quad is not None else [(0, 0), (width - 1, 0), (width - 1, height - 1), (0, height - 1)]
        self._editing, self._edit_scale = item.id, scale
        self.view.show_message(self.tr("Seret titik sudut ke sudut dokumen, lalu tekan Terapkan sudut."))
        self.view.edit_outline(
            work.to_qimage(picture), [QPointF(float(x) * scale, float(y) * scale) for x, y in corners]
        )
        self._show_selected()

    def _apply_corners(self) -> None:
        item = self._items.get(self._editing) if self._editing is not None else None
        outline = self.view.outline()
        scale = self._edit_scale
        self._end_editing()
        if item is None or outline is None:
            return
        quad = as_quad([(point.x() / scale, point.y() / scale) for point in outline])
        self._process(item.raw, replace(item.options, outline=quad, find="required"), replaces=item.id)

    def _end_editing(self) -> None:
        if self._editing is None:
            return
        self._editing = None
        self.view.stop_editing()
        self.view.show_message(self._camera_hint() if self.preview.running else "")
        self._show_selected()

    # ----- finishing

    def pages(self) -> list[CapturedPage]:
        """The pages in the strip's order, as accepted."""
        ordered = []
        for row in range(self.strip.count()):
            entry = self.strip.item(row)
            if entry is not None:
                ordered.append(self._items[int(entry.data(_ID_ROLE))].accepted())
        return ordered

    def try_accept(self) -> None:
        """Accept unless pages are still processing or a failed page awaits the officer's decision."""
        if self._pending > 0:
            self.status.setText(self.tr("Tunggu sebentar: halaman masih diproses."))
            return
        if not self._items:
            self.status.setText(self.tr("Belum ada halaman. Ambil gambar, pindai, atau impor berkas dahulu."))
            return
        for row in range(self.strip.count()):
            entry = self.strip.item(row)
            if entry is not None and self._items[int(entry.data(_ID_ROLE))].needs_decision:
                self.strip.setCurrentRow(row)
                self.status.setText(
                    palette.span(
                        palette.ERROR,
                        self.tr(
                            "Halaman %1 tidak lolos pemeriksaan: ambil ulang, atau centang 'Tetap gunakan halaman ini'."
                        ).replace("%1", str(row + 1)),
                    )
                )
                return
        self.accept()

    def _show_error(self, error: KnownError) -> None:
        self.status.setText(palette.span(palette.ERROR, error.message))

    def _stop_work(self) -> None:
        """Release the camera, cancel this dialog's jobs (nothing of them comes back) and stop an own runner."""
        self.preview.stop()
        self.jobs.cancel()
        if self._owns_runner:
            self.runner.stop()

    def done(self, result: int) -> None:
        """Release the camera and stop background work whenever the dialog closes."""
        self._stop_work()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Release the camera and stop background work."""
        self._stop_work()
        super().closeEvent(event)
