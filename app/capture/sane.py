"""Scanners on Linux through SANE (python-sane): flatbed and feeder, resolution and colour mode.

SANE is process-global (init/exit) and its backends are not thread-safe, so every use holds one
lock and runs in its own init/exit session; a new session also sees scanners plugged in since.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import logging
import signal
import threading
from collections.abc import Iterator, Mapping
from types import ModuleType
from typing import Any

import numpy as np

from app.capture.base import Capabilities, CaptureSource, Device, RawPage, ScanMode, Settings
from app.capture.errors import (
    CaptureError,
    CoverOpenError,
    DeviceBusyError,
    DeviceNotFoundError,
    DriverMissingError,
    FeederEmptyError,
    NoFeederError,
    PaperJamError,
    ScanFailedError,
)
from app.documents.images import as_rgb

log = logging.getLogger("loket.documents")


def keep_broken_pipes_harmless() -> None:
    """Ignore SIGPIPE again, as Python set it at start-up, after SANE reset it to the default.

    SANE's thread helpers (used by the test backend, and by real backends that read in a thread) put
    SIGPIPE back to "terminate the process": a sync upload that then wrote to a socket the Dinas server
    had just closed would kill the app instead of raising BrokenPipeError, which the sync retries.
    Python's own signal.signal only works on the main thread; scans run on a worker, so libc is asked.
    """
    pipe = getattr(signal, "SIGPIPE", None)
    if pipe is None or signal.getsignal(pipe) != signal.SIG_IGN:
        return  # Windows has no SIGPIPE; an embedding that chose otherwise keeps its choice
    libc = ctypes.CDLL(None)
    libc.signal.restype = ctypes.c_void_p
    libc.signal.argtypes = (ctypes.c_int, ctypes.c_void_p)
    libc.signal(int(pipe), 1)  # SIG_IGN


_LOCK = threading.Lock()
STANDARD_RESOLUTIONS = (100, 150, 200, 300, 400, 600)
_MODES: tuple[ScanMode, ...] = ("color", "gray", "lineart")
_FEEDER_WORDS = ("adf", "feeder", "automatic document")
_FLATBED_WORDS = ("flatbed", "document table", "platen", "normal")


def _matches(value: str, words: tuple[str, ...]) -> bool:
    lowered = value.lower()
    return any(word in lowered for word in words)


def mode_kind(value: str) -> ScanMode | None:
    """Our name for a backend's colour mode string ("Color", "Gray", "Lineart", "24bit Color", ...)."""
    lowered = value.lower()
    if "colo" in lowered:
        return "color"
    if "gray" in lowered or "grey" in lowered:
        return "gray"
    if "lineart" in lowered or "binary" in lowered or "black" in lowered:
        return "lineart"
    return None


def resolutions_of(constraint: object) -> tuple[int, ...]:
    """The usual resolutions a SANE resolution constraint (range tuple or value list) allows."""
    if isinstance(constraint, tuple) and len(constraint) == 3:
        low, high = float(constraint[0]), float(constraint[1])
        return tuple(dpi for dpi in STANDARD_RESOLUTIONS if low <= dpi <= high)
    if isinstance(constraint, list):
        return tuple(sorted({int(value) for value in constraint}))
    return ()


def error_for(exc: BaseException) -> CaptureError:
    """The officer's message for a SANE status text (sane_strstatus, English)."""
    text = str(exc)
    lowered = text.lower()
    if "out of documents" in lowered or "no docs" in lowered:
        return FeederEmptyError(text)
    if "jam" in lowered:
        return PaperJamError(text)
    if "cover" in lowered:
        return CoverOpenError(text)
    if "busy" in lowered:
        return DeviceBusyError(text)
    if "invalid argument" in lowered or "no such" in lowered:
        return DeviceNotFoundError(text)
    return ScanFailedError(text)


class SaneScanners(CaptureSource):
    """The SANE scanners of this computer.

    extra_options are set on every device before a scan, by SANE option name with "-" as "_"
    (tests use them to pick the test backend's picture).
    """

    kind = "scanner"

    def __init__(self, module: ModuleType | None = None, extra_options: Mapping[str, object] | None = None) -> None:
        self._module = module
        self._extra = dict(extra_options or {})

    def _sane(self) -> Any:
        if self._module is None:
            try:
                self._module = importlib.import_module("sane")
            except ImportError as exc:
                raise DriverMissingError("Pemindai (SANE)", str(exc)) from None
        return self._module

    @contextlib.contextmanager
    def _session(self) -> Iterator[Any]:
        sane = self._sane()
        with _LOCK:
            try:
                sane.init()
            except sane._sane.error as exc:
                raise DriverMissingError("Pemindai (SANE)", str(exc)) from None
            try:
                yield sane
            finally:
                sane.exit()
                keep_broken_pipes_harmless()

    def devices(self) -> list[Device]:
        """The scanners SANE sees, with what each supports."""
        with self._session() as sane:
            found = sane.get_devices()
            devices = []
            for name, vendor, model, _type in found:
                label = " ".join(part for part in (vendor, model) if part and part != "Noname") or name
                devices.append(Device(name, f"{label} ({name})", "scanner", self._capabilities(sane, name)))
            return devices

    def _capabilities(self, sane: Any, name: str) -> Capabilities:
        try:
            device = sane.open(name)
        except sane._sane.error as exc:
            log.warning("cannot read the capabilities of a scanner: %s", exc)
            return Capabilities()
        try:
            options = {option[1]: option for option in device.get_options()}
            resolution = options.get("resolution")
            modes = options.get("mode")
            sources = options.get("source")
            kinds = {mode_kind(value) for value in modes[8] or ()} if modes else {"gray"}
            source_values = [str(value) for value in (sources[8] or ())] if sources else []
            return Capabilities(
                resolutions=resolutions_of(resolution[8]) if resolution else (),
                modes=tuple(kind for kind in _MODES if kind in kinds),
                flatbed=not source_values or any(_matches(v, _FLATBED_WORDS) for v in source_values),
                feeder=any(_matches(v, _FEEDER_WORDS) for v in source_values),
            )
        finally:
            device.close()

    @staticmethod
    def _set(device: Any, name: str, value: object) -> bool:
        try:
            setattr(device, name, value)
        except (AttributeError, ValueError, TypeError) as exc:
            log.debug("scanner option %s not set: %s", name, exc)
            return False
        return True

    def _configure(self, device: Any, settings: Settings) -> float:
        options = {option[1]: option for option in device.get_options()}
        if "mode" in options and options["mode"][8]:
            # Lineart from the scanner is a crude threshold: scan gray and let the pipeline binarise.
            wanted = "color" if settings.mode == "color" else "gray"
            for value in options["mode"][8]:
                if mode_kind(str(value)) == wanted:
                    self._set(device, "mode", value)
                    break
        if "depth" in options and isinstance(options["depth"][8], list) and 8 in options["depth"][8]:
            self._set(device, "depth", 8)
        if "source" in options and options["source"][8]:
            words = _FEEDER_WORDS if settings.feeder else _FLATBED_WORDS
            choice = next((v for v in options["source"][8] if _matches(str(v), words)), None)
            if choice is None and settings.feeder:
                raise NoFeederError("no feeder source")
            if choice is not None:
                self._set(device, "source", choice)
        elif settings.feeder:
            raise NoFeederError("no feeder source")
        if "resolution" in options:
            allowed = resolutions_of(options["resolution"][8]) or (settings.resolution,)
            self._set(device, "resolution", min(allowed, key=lambda dpi: abs(dpi - settings.resolution)))
        # The whole glass: some backends default to a smaller window.
        for corner, end in (("br-x", 1), ("br-y", 1), ("tl-x", 0), ("tl-y", 0)):
            option = options.get(corner)
            if option is not None and isinstance(option[8], tuple):
                self._set(device, corner.replace("-", "_"), option[8][end])
        for name, value in self._extra.items():
            self._set(device, name, value)
        try:
            return float(device.resolution)
        except (AttributeError, TypeError, ValueError):
            return float(settings.resolution)

    def capture(self, device_id: str, settings: Settings) -> Iterator[RawPage]:
        """Scan one page from the glass, or every page in the feeder."""
        with self._session() as sane:
            try:
                device = sane.open(device_id)
            except sane._sane.error as exc:
                raise error_for(exc) from None
            try:
                dpi = self._configure(device, settings)
                number = 0
                while True:
                    try:
                        device.start()
                        picture = device.snap(True) if settings.feeder else device.snap()
                        keep_broken_pipes_harmless()  # before the page goes anywhere a sync could run
                    except sane._sane.error as exc:
                        error = error_for(exc)
                        if isinstance(error, FeederEmptyError) and number > 0:
                            break
                        raise error from None
                    except RuntimeError as exc:  # python-sane: "Scanner returned no data"
                        raise ScanFailedError(str(exc)) from None
                    number += 1
                    yield RawPage(as_rgb(np.asarray(picture)), "scanner", dpi, device_id, number)
                    if not settings.feeder:
                        break
            finally:
                # sane_cancel ends the scan, or the feeder's batch: due after every scan, finished or
                # failed, and harmless again after python-sane's snap() cancelled a flatbed scan. (The
                # pthread build of SANE's test backend can deadlock here, or later in sane.exit(), when
                # its reader thread still runs: a backend bug, worked around in tests/integration/capture.)
                with contextlib.suppress(sane._sane.error):
                    device.cancel()
                device.close()
