"""Catalogue of fakes for capture hardware: a scanner that yields prepared pages (or fails on cue),
and a fake COM layer standing in for Windows' WIA automation objects."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from PIL import Image as PilImage

from app.capture.base import Capabilities, CaptureSource, Device, RawPage, Settings
from app.capture.errors import CaptureError
from app.capture.wia import ComLayer
from app.documents.images import Image


class FakeScanner(CaptureSource):
    """Scanners that hand out given pictures; fail_after raises an error after that many pages."""

    kind = "scanner"

    def __init__(
        self,
        pages: Sequence[Image],
        *,
        dpi: int = 200,
        feeder: bool = True,
        fail_after: int | None = None,
        error: CaptureError | None = None,
        ids: Sequence[str] = ("fake:scanner",),
    ) -> None:
        self.pages = list(pages)
        self.ids = tuple(ids)
        self.dpi = dpi
        self.feeder = feeder
        self.fail_after = fail_after
        self.error = error
        self.calls: list[Settings] = []
        self.used: list[str] = []

    def devices(self) -> list[Device]:
        """One scanner (or one per id given)."""
        capabilities = Capabilities(
            resolutions=(150, 200, 300), modes=("color", "gray"), flatbed=True, feeder=self.feeder
        )
        names = ["Pemindai uji"] + [f"Pemindai uji {n}" for n in range(2, len(self.ids) + 1)]
        return [Device(i, name, "scanner", capabilities) for i, name in zip(self.ids, names, strict=True)]

    def capture(self, device_id: str, settings: Settings) -> Iterator[RawPage]:
        """One page from the glass, all pages from the feeder."""
        self.calls.append(settings)
        self.used.append(device_id)
        wanted = self.pages if settings.feeder else self.pages[:1]
        for number, image in enumerate(wanted, start=1):
            if self.fail_after is not None and number > self.fail_after:
                assert self.error is not None
                raise self.error
            yield RawPage(image, "scanner", float(self.dpi), device_id, number)
        if self.fail_after is not None and self.fail_after >= len(wanted) and self.error is not None:
            raise self.error


# ----- WIA over COM


class FakeComError(Exception):
    """Like comtypes.COMError: a signed HRESULT first."""

    def __init__(self, hresult: int, text: str = "") -> None:
        signed = hresult - (1 << 32) if hresult & 0x80000000 else hresult
        super().__init__(signed, text, None)
        self.hresult = signed


@dataclass
class FakeProperty:
    """A WIA Property."""

    PropertyID: int
    Name: str
    Value: object
    SubType: int = 0
    SubTypeMin: int = 0
    SubTypeMax: int = 0


class FakeCollection:
    """A 1-based COM collection with Count and Item()."""

    def __init__(self, items: Sequence[object]) -> None:
        self._items = list(items)

    @property
    def Count(self) -> int:  # noqa: N802 - COM naming
        """How many."""
        return len(self._items)

    def Item(self, index: int) -> object:  # noqa: N802 - COM naming
        """One item, 1-based."""
        return self._items[index - 1]


@dataclass
class FakeFileData:
    """ImageFile.FileData."""

    BinaryData: tuple[int, ...]


@dataclass
class FakeImageFile:
    """What Item.Transfer returns."""

    FileData: FakeFileData


def png_bytes(image: Image) -> bytes:
    """An array as PNG bytes."""
    buffer = io.BytesIO()
    PilImage.fromarray(image).save(buffer, "PNG")
    return buffer.getvalue()


@dataclass
class FakeWiaScanner:
    """The state behind one fake WIA scanner: its pages, its feeder, scripted failures."""

    device_id: str = "{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\\0000"
    name: str = "Pemindai WIA uji"
    pages: list[Image] = field(default_factory=list)
    feeder: bool = True
    fail_with: int | None = None
    fail_at: int = 1
    transfers: int = 0
    formats: list[str] = field(default_factory=list)

    def properties(self) -> tuple[FakeCollection, FakeCollection]:
        """Device and item property collections."""
        device = FakeCollection(
            [
                FakeProperty(3086, "Document Handling Capabilities", 0x3 if self.feeder else 0x2),
                FakeProperty(3087, "Document Handling Status", 0x1 if self.feeder else 0x0),
                FakeProperty(3088, "Document Handling Select", 0x2),
                FakeProperty(3096, "Pages", 1),
            ]
        )
        item = FakeCollection(
            [
                FakeProperty(6146, "Current Intent", 0),
                FakeProperty(6147, "Horizontal Resolution", 150, SubType=1, SubTypeMin=75, SubTypeMax=600),
                FakeProperty(6148, "Vertical Resolution", 150, SubType=1, SubTypeMin=75, SubTypeMax=600),
            ]
        )
        return device, item


class FakeWiaItem:
    """The scanner's item: Transfer hands out the next page."""

    def __init__(self, scanner: FakeWiaScanner, device: FakeWiaDevice, properties: FakeCollection) -> None:
        self._scanner = scanner
        self._device = device
        self.Properties = properties

    def Transfer(self, fmt: str) -> FakeImageFile:  # noqa: N802 - COM naming
        """The next page as PNG, or a scripted COM error."""
        scanner = self._scanner
        scanner.formats.append(fmt)
        scanner.transfers += 1
        if scanner.fail_with is not None and scanner.transfers >= scanner.fail_at:
            raise FakeComError(scanner.fail_with, "scripted")
        feeding = self._device.property(3088).Value == 1
        index = self._device.next_page
        if index >= len(scanner.pages) or (not feeding and index > 0):
            raise FakeComError(0x80210003, "paper empty")
        self._device.next_page += 1
        if feeding and self._device.next_page >= len(scanner.pages):
            self._device.property(3087).Value = 0
        return FakeImageFile(FakeFileData(tuple(png_bytes(scanner.pages[index]))))


class FakeWiaDevice:
    """A connected scanner (Device object)."""

    def __init__(self, scanner: FakeWiaScanner) -> None:
        device_props, item_props = scanner.properties()
        self.Properties = device_props
        self.next_page = 0
        self.Items = FakeCollection([FakeWiaItem(scanner, self, item_props)])

    def property(self, property_id: int) -> FakeProperty:
        """A device property by id."""
        for index in range(1, self.Properties.Count + 1):
            prop = self.Properties.Item(index)
            assert isinstance(prop, FakeProperty)
            if prop.PropertyID == property_id:
                return prop
        raise KeyError(property_id)


class FakeDeviceInfo:
    """A DeviceInfo: type, id, name, Connect()."""

    def __init__(self, scanner: FakeWiaScanner, kind: int = 1) -> None:
        self._scanner = scanner
        self.Type = kind
        self.DeviceID = scanner.device_id
        self.Properties = FakeCollection([FakeProperty(7, "Name", scanner.name)])
        self.connected: list[FakeWiaDevice] = []

    def Connect(self) -> FakeWiaDevice:  # noqa: N802 - COM naming
        """A fresh connection."""
        device = FakeWiaDevice(self._scanner)
        self.connected.append(device)
        return device


class FakeDeviceManager:
    """WIA.DeviceManager."""

    def __init__(self, infos: Sequence[FakeDeviceInfo]) -> None:
        self.DeviceInfos = FakeCollection(infos)


class FakeCom(ComLayer):
    """The COM layer of a machine with these WIA devices; counts thread set-ups and tear-downs."""

    error = FakeComError

    def __init__(
        self, scanners: Sequence[FakeWiaScanner] = (), *, registered: bool = True, camera: bool = False
    ) -> None:
        self.infos = [FakeDeviceInfo(scanner) for scanner in scanners]
        if camera:
            self.infos.append(FakeDeviceInfo(FakeWiaScanner(device_id="cam", name="Kamera"), kind=2))
        self.registered = registered
        self.initialised = 0
        self.uninitialised = 0

    def create(self, progid: str) -> FakeDeviceManager:
        """WIA.DeviceManager, unless WIA is not registered."""
        if not self.registered or progid != "WIA.DeviceManager":
            raise FakeComError(0x80040154, "Class not registered")
        return FakeDeviceManager(self.infos)

    def initialize(self) -> None:
        """Count."""
        self.initialised += 1

    def uninitialize(self) -> None:
        """Count."""
        self.uninitialised += 1


def gray_page(width: int = 400, height: int = 560, seed: int = 0) -> Image:
    """A small gray test page with a few dark bars (enough to be a page)."""
    rng = np.random.default_rng(seed)
    page = np.full((height, width), 245, np.uint8)
    for row in range(40, height - 40, 24):
        length = int(rng.integers(width // 3, width - 80))
        page[row : row + 6, 40 : 40 + length] = 30
    return page
