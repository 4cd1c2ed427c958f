"""The one interface every capture device is used through: list devices with their capabilities,
capture one or many pages. Hardware sits behind these classes so a fake can stand in."""

from __future__ import annotations

import abc
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from app.capture.errors import CameraError
from app.documents.images import Image

Kind = Literal["scanner", "camera"]
ScanMode = Literal["color", "gray", "lineart"]


@dataclass(frozen=True)
class Capabilities:
    """What a device can do: resolutions (dpi) and colour modes for scanners, frame sizes for cameras."""

    resolutions: tuple[int, ...] = ()
    modes: tuple[ScanMode, ...] = ()
    flatbed: bool = False
    feeder: bool = False
    frame_sizes: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Device:
    """One scanner or camera as the officer picks it."""

    id: str
    name: str
    kind: Kind
    capabilities: Capabilities = field(default_factory=Capabilities)


@dataclass(frozen=True)
class Settings:
    """How to capture: scanner resolution, colour mode and feeder; camera frame size."""

    resolution: int = 200
    mode: ScanMode = "gray"
    feeder: bool = False
    frame_size: tuple[int, int] | None = None


@dataclass(frozen=True)
class RawPage:
    """A picture as captured, before the document pipeline: RGB or gray uint8, with where it came from."""

    image: Image
    source: str
    dpi: float | None = None
    origin: str = ""
    number: int = 1


class CaptureSource(abc.ABC):
    """A kind of capture device (SANE scanners, WIA scanners, cameras)."""

    kind: Kind

    @abc.abstractmethod
    def devices(self) -> list[Device]:
        """The devices present now (may take a few seconds: call off the GUI thread)."""

    @abc.abstractmethod
    def capture(self, device_id: str, settings: Settings) -> Iterator[RawPage]:
        """Capture one page (flatbed, camera) or every page in the feeder, yielding each as it arrives.

        Raises a CaptureError subclass for faults the officer can fix; pages yielded before a fault
        are the caller's to keep.
        """


class CameraStream(abc.ABC):
    """An open camera delivering frames for the live preview."""

    @property
    @abc.abstractmethod
    def frame_size(self) -> tuple[int, int]:
        """(width, height) of the frames."""

    @abc.abstractmethod
    def read(self) -> Image | None:
        """The newest RGB frame, or None when none is ready yet; raises CameraError when the camera is gone."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the camera (idempotent)."""


class CameraSource(CaptureSource):
    """Cameras: besides single captures, a live stream for the preview."""

    kind: Kind = "camera"

    @abc.abstractmethod
    def open(self, device_id: str, frame_size: tuple[int, int] | None = None) -> CameraStream:
        """Start a camera for the live preview; raises CameraError when it cannot be opened."""

    def capture(self, device_id: str, settings: Settings) -> Iterator[RawPage]:
        """One frame from a freshly opened camera (the dialog's shutter uses the live stream instead)."""
        stream = self.open(device_id, settings.frame_size)
        try:
            frame = None
            for _ in range(30):  # cameras deliver a few dark frames while the exposure settles
                latest = stream.read()
                frame = latest if latest is not None else frame
            if frame is None:
                raise CameraError("no frame")
            yield RawPage(frame, "camera", None, device_id)
        finally:
            stream.close()
