"""The live camera preview: a QTimer reads frames on the GUI thread (no extra thread), finds the page
on a small copy, draws its outline, and captures by itself once the page is steady and sharp."""

from __future__ import annotations

import time
from collections import deque

import numpy as np
from PySide6.QtCore import QObject, QPointF, QTimer, Signal

from app.capture.base import CameraStream
from app.capture.errors import CameraError
from app.documents import SteadyTrigger, find_page
from app.documents.checks import blur_score
from app.documents.images import Image, downscale
from app.documents.outline import Quad
from ui.capture.work import to_qimage

DISPLAY_SIDE = 960
DETECT_SIDE = 480
INTERVAL_MS = 15


class CameraPreview(QObject):
    """Drives one open camera stream for the preview; hands full frames to capture by signal."""

    frame_shown = Signal(object, object, float)  # QImage, outline in its pixels or None, steady progress
    captured = Signal(object)  # the full-resolution RGB frame
    failed = Signal(object)  # CameraError

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stream: CameraStream | None = None
        self._frame: Image | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.tick)
        self.trigger = SteadyTrigger()
        self.auto = True
        self._times: deque[float] = deque(maxlen=30)

    @property
    def running(self) -> bool:
        """Whether a camera is open and previewing."""
        return self._stream is not None

    @property
    def fps(self) -> float:
        """Frames shown per second over the last thirty."""
        if len(self._times) < 2:
            return 0.0
        span = self._times[-1] - self._times[0]
        return (len(self._times) - 1) / span if span > 0 else 0.0

    def start(self, stream: CameraStream) -> None:
        """Preview this stream (closing any previous one)."""
        self.stop()
        self._stream = stream
        self.trigger.reset()
        self._times.clear()
        self._timer.start()

    def stop(self) -> None:
        """Stop previewing and release the camera."""
        self._timer.stop()
        if self._stream is not None:
            self._stream.close()
        self._stream = None
        self._frame = None

    def shutter(self) -> bool:
        """Capture the newest frame now; False when there is none yet."""
        if self._frame is None:
            return False
        self.captured.emit(self._frame.copy())
        return True

    def tick(self) -> None:
        """Read one frame, find the page, show it, and capture when the page has been held still."""
        if self._stream is None:
            return
        try:
            frame = self._stream.read()
        except CameraError as exc:
            self.stop()
            self.failed.emit(exc)
            return
        if frame is None:
            return
        self._frame = frame
        shown, _ = downscale(frame, DISPLAY_SIDE)
        small, factor = downscale(shown, DETECT_SIDE)
        quad = find_page(small, max_side=DETECT_SIDE)
        outline: list[QPointF] | None = None
        if quad is not None:
            outline = [QPointF(float(x) / factor, float(y) / factor) for x, y in quad]
            size = np.array([small.shape[1], small.shape[0]], dtype=np.float32)
            relative: Quad = np.asarray(quad / size, dtype=np.float32)
            if self.auto and self.trigger.update(relative, _blur_inside(small, quad)):
                self.captured.emit(frame.copy())
        elif self.auto:
            self.trigger.update(None, 1.0)
        self._times.append(time.perf_counter())
        progress = self.trigger.progress if self.auto and quad is not None else 0.0
        self.frame_shown.emit(to_qimage(shown), outline, progress)


def _blur_inside(small: Image, quad: Quad) -> float:
    """Blur of the page area of a preview frame."""
    left, top = np.floor(quad.min(axis=0)).astype(int)
    right, bottom = np.ceil(quad.max(axis=0)).astype(int)
    crop = small[max(0, top) : max(0, bottom), max(0, left) : max(0, right)]
    return blur_score(crop) if crop.size else 1.0
