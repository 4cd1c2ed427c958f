"""Webcams and document cameras through OpenCV: a live stream for the preview, single captures."""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

import cv2
import numpy as np

from app.capture.base import CameraSource, CameraStream, Capabilities, Device
from app.capture.errors import CameraError
from app.documents.images import Image

log = logging.getLogger("loket.documents")
# Frame sizes offered to the officer; a camera that lacks one delivers its nearest.
FRAME_SIZES = ((1280, 720), (1920, 1080), (2592, 1944), (3264, 2448), (3840, 2160))
DEFAULT_FRAME = (1920, 1080)
PROBE_INDICES = 4
# Consecutive failed reads after which the camera counts as gone (unplugged, taken by another app).
MAX_MISSES = 30


def _backend() -> int:
    if sys.platform == "win32":
        return int(cv2.CAP_DSHOW)
    if sys.platform == "linux":
        return int(cv2.CAP_V4L2)
    return int(cv2.CAP_ANY)


def _linux_indices() -> list[int]:
    found = []
    for path in sorted(Path("/dev").glob("video*")):
        match = re.fullmatch(r"video(\d+)", path.name)
        if match:
            found.append(int(match.group(1)))
    return found


class OpenCvStream(CameraStream):
    """An open cv2.VideoCapture delivering RGB frames."""

    def __init__(self, capture: cv2.VideoCapture) -> None:
        self._capture = capture
        self._misses = 0
        width = int(capture.get(cv2.CAP_PROP_FRAME_WIDTH))
        height = int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT))
        self._size = (width, height)

    @property
    def frame_size(self) -> tuple[int, int]:
        """(width, height) the camera actually delivers."""
        return self._size

    def read(self) -> Image | None:
        """The next frame (blocks for at most one frame interval)."""
        ok, frame = self._capture.read()
        if not ok or frame is None:
            self._misses += 1
            if self._misses >= MAX_MISSES:
                raise CameraError("no frames from the camera")
            return None
        self._misses = 0
        if frame.ndim == 2:
            return np.ascontiguousarray(frame)
        return np.asarray(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB), dtype=np.uint8)

    def close(self) -> None:
        """Release the camera."""
        self._capture.release()


class OpenCvCameras(CameraSource):
    """The cameras of this computer as OpenCV sees them (device ids are their indices)."""

    def devices(self) -> list[Device]:
        """Cameras that open, with the frame sizes offered (probing takes a moment: not on the GUI thread)."""
        indices = _linux_indices() if sys.platform == "linux" else list(range(PROBE_INDICES))
        found: list[Device] = []
        for index in indices:
            capture = cv2.VideoCapture(index, _backend())
            try:
                if not capture.isOpened():
                    continue
                ok, _ = capture.read()
                if not ok:  # metadata nodes of a V4L2 camera open but deliver nothing
                    continue
                name = f"Kamera {len(found) + 1}"
                found.append(Device(str(index), name, "camera", Capabilities(frame_sizes=FRAME_SIZES)))
            finally:
                capture.release()
        return found

    def open(self, device_id: str, frame_size: tuple[int, int] | None = None) -> CameraStream:
        """Open a camera at a frame size (MJPEG, so large frames still come at a preview rate)."""
        try:
            index = int(device_id)
        except ValueError:
            raise CameraError(f"not a camera id: {device_id!r}") from None
        capture = cv2.VideoCapture(index, _backend())
        if not capture.isOpened():
            capture.release()
            raise CameraError(f"camera {index} does not open")
        width, height = frame_size or DEFAULT_FRAME
        capture.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*"MJPG"))
        capture.set(cv2.CAP_PROP_FRAME_WIDTH, width)
        capture.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        log.info("camera %d opened at %dx%d", index, int(capture.get(3)), int(capture.get(4)))
        return OpenCvStream(capture)
