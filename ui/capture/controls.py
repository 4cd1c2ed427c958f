"""The control bar of each capture source: camera, scanner, files."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from app.capture.base import Capabilities, Device, ScanMode, Settings

SCAN_RESOLUTIONS = (150, 200, 300, 400)


def _combo() -> QComboBox:
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


class CameraBar(QWidget):
    """Camera, frame size, auto capture, shutter."""

    device_chosen = Signal()
    refresh_requested = Signal()
    shutter_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.devices = _combo()
        self.devices.setMinimumContentsLength(18)
        self.sizes = _combo()
        self.auto = QCheckBox(self.tr("Ambil otomatis saat dokumen diam"))
        self.auto.setChecked(True)
        self.auto.setToolTip(self.tr("Gambar diambil sendiri begitu tepi dokumen terlihat, diam, dan tajam."))
        self.shutter = QPushButton(self.tr("Ambil gambar"))
        self.shutter.setToolTip(self.tr("Ambil gambar sekarang (Spasi)"))
        self.refresh = QPushButton(self.tr("Muat ulang"))
        self.refresh.setToolTip(self.tr("Cari ulang kamera yang terpasang (F5)"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (_label(self.tr("&Kamera:"), self.devices), self.devices, self.refresh):
            layout.addWidget(widget)
        layout.addWidget(_label(self.tr("Resolusi:"), self.sizes))
        layout.addWidget(self.sizes)
        layout.addWidget(self.auto)
        layout.addStretch(1)
        layout.addWidget(self.shutter)
        self.devices.activated.connect(lambda _index: self.device_chosen.emit())
        self.sizes.activated.connect(lambda _index: self.device_chosen.emit())
        self.refresh.clicked.connect(self.refresh_requested)
        self.shutter.clicked.connect(self.shutter_pressed)

    def set_devices(self, devices: list[Device], preferred: str = "") -> None:
        """Fill the camera list, choosing `preferred` (a device id) when present, else the first."""
        self.devices.clear()
        for device in devices:
            self.devices.addItem(device.name, device.id)
        chosen = max(0, self.devices.findData(preferred)) if preferred else 0
        self.devices.setCurrentIndex(chosen if devices else -1)
        self.sizes.clear()
        sizes = devices[chosen].capabilities.frame_sizes if devices else ()
        for width, height in sizes:
            self.sizes.addItem(f"{width} × {height}", (width, height))
        default = self.sizes.findData((1920, 1080))
        if default >= 0:
            self.sizes.setCurrentIndex(default)

    def device_id(self) -> str | None:
        """The chosen camera."""
        value = self.devices.currentData()
        return None if value is None else str(value)

    def frame_size(self) -> tuple[int, int] | None:
        """The chosen frame size."""
        value = self.sizes.currentData()
        return None if value is None else (int(value[0]), int(value[1]))


class ScannerBar(QWidget):
    """Scanner, resolution, colour, glass or feeder, scan."""

    refresh_requested = Signal()
    scan_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._devices: list[Device] = []
        self.preferred_dpi = 200  # the installation's capture.dpi
        self.devices = _combo()
        self.devices.setMinimumContentsLength(18)
        self.resolution = _combo()
        self.colour = _combo()
        self.colour.addItem(self.tr("Abu-abu"), "gray")
        self.colour.addItem(self.tr("Warna"), "color")
        self.colour.setToolTip(self.tr("Pilih Warna untuk dokumen berstempel atau kartu berwarna."))
        self.source = _combo()
        self.scan = QPushButton(self.tr("Pindai"))
        self.scan.setToolTip(self.tr("Pindai sekarang (Spasi)"))
        self.refresh = QPushButton(self.tr("Muat ulang"))
        self.refresh.setToolTip(self.tr("Cari ulang pemindai yang terpasang (F5)"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (_label(self.tr("&Pemindai:"), self.devices), self.devices, self.refresh):
            layout.addWidget(widget)
        layout.addWidget(_label(self.tr("Resolusi:"), self.resolution))
        layout.addWidget(self.resolution)
        layout.addWidget(_label(self.tr("Warna:"), self.colour))
        layout.addWidget(self.colour)
        layout.addWidget(_label(self.tr("Sumber:"), self.source))
        layout.addWidget(self.source)
        layout.addStretch(1)
        layout.addWidget(self.scan)
        self.devices.currentIndexChanged.connect(self._show_capabilities)
        self.refresh.clicked.connect(self.refresh_requested)
        self.scan.clicked.connect(self.scan_pressed)
        self._show_capabilities()

    def set_devices(self, devices: list[Device], preferred: str = "") -> None:
        """Fill the scanner list, choosing `preferred` (a device id) when present, else the first."""
        self._devices = list(devices)
        self.devices.blockSignals(True)
        self.devices.clear()
        for device in devices:
            self.devices.addItem(device.name, device.id)
        if devices:
            self.devices.setCurrentIndex(max(0, self.devices.findData(preferred)) if preferred else 0)
        self.devices.blockSignals(False)
        self._show_capabilities()

    def _capabilities(self) -> Capabilities:
        index = self.devices.currentIndex()
        return self._devices[index].capabilities if 0 <= index < len(self._devices) else Capabilities()

    def _show_capabilities(self) -> None:
        capabilities = self._capabilities()
        self.resolution.clear()
        offered = [dpi for dpi in SCAN_RESOLUTIONS if not capabilities.resolutions or dpi in capabilities.resolutions]
        for dpi in offered or list(SCAN_RESOLUTIONS):
            self.resolution.addItem(f"{dpi} dpi", dpi)
        wanted = self.resolution.findData(self.preferred_dpi)
        self.resolution.setCurrentIndex(wanted if wanted >= 0 else max(0, self.resolution.findData(200)))
        self.source.clear()
        if capabilities.flatbed or not capabilities.feeder:
            self.source.addItem(self.tr("Kaca pemindai"), False)
        if capabilities.feeder:
            self.source.addItem(self.tr("Pengumpan (ADF), semua halaman"), True)
        self.scan.setEnabled(bool(self._devices))

    def device_id(self) -> str | None:
        """The chosen scanner."""
        value = self.devices.currentData()
        return None if value is None else str(value)

    def settings(self) -> Settings:
        """The scan settings chosen."""
        mode: ScanMode = "color" if self.colour.currentData() == "color" else "gray"
        dpi = int(self.resolution.currentData() or 200)
        return Settings(resolution=dpi, mode=mode, feeder=bool(self.source.currentData()))


class FilesBar(QWidget):
    """Open image or PDF files (or drop them on the dialog)."""

    open_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.open = QPushButton(self.tr("Pilih berkas…"))
        self.open.setToolTip(self.tr("Impor foto, pindaian, atau PDF (Ctrl+O)"))
        hint = QLabel(
            self.tr(
                "atau seret berkas JPEG, PNG, TIFF, atau PDF ke jendela ini. Setiap halaman PDF menjadi satu halaman."
            )
        )
        hint.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.open)
        layout.addWidget(hint, 1)
        self.open.clicked.connect(self.open_pressed)
