"""Scanners on Windows through WIA 2.0's automation layer (WIA.DeviceManager over COM).

comtypes is imported only when a WIA scanner is used (Windows only); tests stand in a fake COM
layer with the same objects and HRESULTs.
"""

from __future__ import annotations

import abc
import contextlib
import importlib
import io
import logging
from collections.abc import Iterator
from typing import Any

import numpy as np
from PIL import Image as PilImage
from PIL import UnidentifiedImageError

from app.capture.base import Capabilities, CaptureSource, Device, RawPage, ScanMode, Settings
from app.capture.errors import (
    CaptureError,
    CoverOpenError,
    DeviceBusyError,
    DeviceNotFoundError,
    DeviceWarmingUpError,
    DriverMissingError,
    FeederEmptyError,
    NoFeederError,
    PaperJamError,
    ScanFailedError,
)
from app.documents.images import as_rgb

log = logging.getLogger("loket.documents")

SCANNER_TYPE = 1
FORMAT_PNG = "{B96B3CAF-0728-11D3-9D7B-0000F81EF32E}"
# Property ids (WiaDef.h).
HANDLING_CAPABILITIES = "3086"
HANDLING_STATUS = "3087"
HANDLING_SELECT = "3088"
PAGES = "3096"
CURRENT_INTENT = "6146"
X_RESOLUTION = "6147"
Y_RESOLUTION = "6148"
FEEDER, FLATBED = 0x1, 0x2
FEED_READY = 0x1
INTENT_COLOR, INTENT_GRAY = 0x1, 0x2
# HRESULTs (WiaDef.h); comtypes reports them signed, they are compared unsigned.
WIA_ERROR_PAPER_JAM = 0x80210002
WIA_ERROR_PAPER_EMPTY = 0x80210003
WIA_ERROR_PAPER_PROBLEM = 0x80210004
WIA_ERROR_OFFLINE = 0x80210005
WIA_ERROR_BUSY = 0x80210006
WIA_ERROR_WARMING_UP = 0x80210007
WIA_ERROR_DEVICE_COMMUNICATION = 0x8021000A
WIA_ERROR_DEVICE_LOCKED = 0x8021000D
WIA_S_NO_DEVICE_AVAILABLE = 0x80210015
WIA_ERROR_COVER_OPEN = 0x80210016
REGDB_E_CLASSNOTREG = 0x80040154
CO_E_CLASSSTRING = 0x800401F3
STANDARD_RESOLUTIONS = (100, 150, 200, 300, 400, 600)


class ComLayer(abc.ABC):
    """The little of COM that WIA needs: create an automation object, per-thread setup, errors."""

    error: type[BaseException] = OSError

    @abc.abstractmethod
    def create(self, progid: str) -> Any:
        """A dispatch object for a ProgID."""

    def initialize(self) -> None:  # noqa: B027 - optional hook
        """Enter COM on this thread (workers are not the thread comtypes set up)."""

    def uninitialize(self) -> None:  # noqa: B027 - optional hook
        """Leave COM on this thread."""

    def hresult(self, exc: BaseException) -> int:
        """The unsigned HRESULT of a COM error."""
        value = getattr(exc, "hresult", None)
        if value is None and exc.args and isinstance(exc.args[0], int):
            value = exc.args[0]
        return int(value or 0) & 0xFFFFFFFF


class Comtypes(ComLayer):
    """COM through comtypes (Windows)."""

    def __init__(self) -> None:
        try:
            self._comtypes = importlib.import_module("comtypes")
            self._client = importlib.import_module("comtypes.client")
        except ImportError as exc:
            raise DriverMissingError("Pemindai (WIA)", str(exc)) from None
        self.error = self._comtypes.COMError

    def create(self, progid: str) -> Any:
        """comtypes' late-bound dispatch object."""
        return self._client.CreateObject(progid, dynamic=True)

    def initialize(self) -> None:
        """CoInitializeEx for this worker thread."""
        self._comtypes.CoInitializeEx(self._comtypes.COINIT_APARTMENTTHREADED)

    def uninitialize(self) -> None:
        """CoUninitialize for this worker thread."""
        self._comtypes.CoUninitialize()


def error_for(hresult: int, detail: str) -> CaptureError:
    """The officer's message for a WIA HRESULT."""
    text = f"HRESULT 0x{hresult:08X}: {detail}"
    if hresult == WIA_ERROR_PAPER_EMPTY:
        return FeederEmptyError(text)
    if hresult in (WIA_ERROR_PAPER_JAM, WIA_ERROR_PAPER_PROBLEM):
        return PaperJamError(text)
    if hresult in (WIA_ERROR_BUSY, WIA_ERROR_DEVICE_LOCKED):
        return DeviceBusyError(text)
    if hresult in (WIA_ERROR_OFFLINE, WIA_S_NO_DEVICE_AVAILABLE, WIA_ERROR_DEVICE_COMMUNICATION):
        return DeviceNotFoundError(text)
    if hresult == WIA_ERROR_COVER_OPEN:
        return CoverOpenError(text)
    if hresult == WIA_ERROR_WARMING_UP:
        return DeviceWarmingUpError(text)
    if hresult in (REGDB_E_CLASSNOTREG, CO_E_CLASSSTRING):
        return DriverMissingError("Pemindai (WIA)", text)
    return ScanFailedError(text)


def _property(properties: Any, key: str) -> Any | None:
    """A WIA property by id or name, or None when the device lacks it."""
    for index in range(1, int(properties.Count) + 1):
        item = properties.Item(index)
        if str(item.PropertyID) == key or str(item.Name) == key:
            return item
    return None


def _resolutions(item: Any) -> tuple[int, ...]:
    prop = _property(item.Properties, X_RESOLUTION)
    if prop is None:
        return ()
    subtype = int(getattr(prop, "SubType", 0))
    if subtype == 1:  # range
        low, high = int(prop.SubTypeMin), int(prop.SubTypeMax)
        return tuple(dpi for dpi in STANDARD_RESOLUTIONS if low <= dpi <= high)
    if subtype == 2:  # list
        values = prop.SubTypeValues
        return tuple(sorted({int(values.Item(i)) for i in range(1, int(values.Count) + 1)}))
    return (int(prop.Value),)


class WiaScanners(CaptureSource):
    """The WIA scanners of this computer."""

    kind = "scanner"

    def __init__(self, com: ComLayer | None = None) -> None:
        self._com = com

    def _layer(self) -> ComLayer:
        if self._com is None:
            self._com = Comtypes()
        return self._com

    @contextlib.contextmanager
    def _session(self) -> Iterator[tuple[ComLayer, Any]]:
        com = self._layer()
        com.initialize()
        try:
            try:
                manager = com.create("WIA.DeviceManager")
            except com.error as exc:
                raise error_for(com.hresult(exc), str(exc)) from None
            yield com, manager
        finally:
            com.uninitialize()

    def devices(self) -> list[Device]:
        """The scanners WIA knows of, with what each supports."""
        with self._session() as (com, manager):
            infos = manager.DeviceInfos
            found = []
            for index in range(1, int(infos.Count) + 1):
                info = infos.Item(index)
                if int(info.Type) != SCANNER_TYPE:
                    continue
                name_prop = _property(info.Properties, "Name")
                name = str(name_prop.Value) if name_prop is not None else str(info.DeviceID)
                try:
                    capabilities = self._capabilities(info.Connect())
                except com.error as exc:
                    log.warning("cannot read the capabilities of a WIA scanner: 0x%08X", com.hresult(exc))
                    capabilities = Capabilities()
                found.append(Device(str(info.DeviceID), name, "scanner", capabilities))
            return found

    @staticmethod
    def _capabilities(device: Any) -> Capabilities:
        handling = _property(device.Properties, HANDLING_CAPABILITIES)
        flags = int(handling.Value) if handling is not None else FLATBED
        modes: tuple[ScanMode, ...] = ("color", "gray")
        return Capabilities(
            resolutions=_resolutions(device.Items.Item(1)),
            modes=modes,
            flatbed=bool(flags & FLATBED),
            feeder=bool(flags & FEEDER),
        )

    @staticmethod
    def _set(properties: Any, key: str, value: int) -> bool:
        prop = _property(properties, key)
        if prop is None:
            return False
        prop.Value = value
        return True

    def _connect(self, manager: Any, device_id: str) -> Any:
        infos = manager.DeviceInfos
        for index in range(1, int(infos.Count) + 1):
            info = infos.Item(index)
            if str(info.DeviceID) == device_id:
                return info.Connect()
        raise DeviceNotFoundError(device_id)

    def _configure(self, device: Any, item: Any, settings: Settings) -> float:
        handling = _property(device.Properties, HANDLING_CAPABILITIES)
        flags = int(handling.Value) if handling is not None else FLATBED
        if settings.feeder and not flags & FEEDER:
            raise NoFeederError("no feeder")
        self._set(device.Properties, HANDLING_SELECT, FEEDER if settings.feeder else FLATBED)
        if settings.feeder:
            self._set(device.Properties, PAGES, 1)
        # The intent first: setting it resets the resolution to the driver's default for that intent.
        self._set(item.Properties, CURRENT_INTENT, INTENT_COLOR if settings.mode == "color" else INTENT_GRAY)
        allowed = _resolutions(item) or (settings.resolution,)
        dpi = min(allowed, key=lambda value: abs(value - settings.resolution))
        self._set(item.Properties, X_RESOLUTION, dpi)
        self._set(item.Properties, Y_RESOLUTION, dpi)
        return float(dpi)

    @staticmethod
    def _decode(image_file: Any) -> np.ndarray:
        data = bytes(image_file.FileData.BinaryData)
        try:
            with PilImage.open(io.BytesIO(data)) as picture:
                picture.load()
                converted = picture.convert("RGB" if picture.mode not in ("1", "L") else "L")
        except (OSError, SyntaxError, ValueError, UnidentifiedImageError) as exc:
            raise ScanFailedError(f"unreadable image from the scanner: {exc}") from None
        return as_rgb(np.asarray(converted))

    def capture(self, device_id: str, settings: Settings) -> Iterator[RawPage]:
        """Scan one page from the glass, or every page in the feeder."""
        with self._session() as (com, manager):
            try:
                device = self._connect(manager, device_id)
                item = device.Items.Item(1)
                dpi = self._configure(device, item, settings)
            except com.error as exc:
                raise error_for(com.hresult(exc), str(exc)) from None
            number = 0
            while True:
                try:
                    image_file = item.Transfer(FORMAT_PNG)
                except com.error as exc:
                    code = com.hresult(exc)
                    if code == WIA_ERROR_PAPER_EMPTY and number > 0:
                        break
                    raise error_for(code, str(exc)) from None
                number += 1
                yield RawPage(self._decode(image_file), "scanner", dpi, device_id, number)
                if not settings.feeder:
                    break
                status = _property(device.Properties, HANDLING_STATUS)
                if status is not None and not int(status.Value) & FEED_READY:
                    break
