"""A fake camera that plays a video file of synthetic document photos, and the video itself
(written by the tests with cv2.VideoWriter: a desk, a page sliding in blurred, held still under a
lamp's shadow, taken away, then an ID card)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import cv2
import numpy as np

from app.capture.base import CameraSource, CameraStream, Capabilities, Device
from app.capture.errors import CameraError
from app.documents.images import Image
from tests.helpers.documents import Synthetic, at_dpi, id_card, photograph, text_page

FRAME = (1280, 720)
FPS = 15


def write_video(path: Path, frames: Iterable[Image], fps: int = FPS) -> Path:
    """Write RGB frames to a Motion-JPEG AVI (OpenCV's own codec: no FFmpeg needed)."""
    writer: cv2.VideoWriter | None = None
    try:
        for frame in frames:
            if writer is None:
                height, width = frame.shape[:2]
                writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (width, height))
                assert writer.isOpened(), "cannot write the test video"
            writer.write(cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
    finally:
        if writer is not None:
            writer.release()
    return path


def _small(doc: Synthetic, dpi: int) -> Synthetic:
    return Synthetic(at_dpi(doc, dpi), doc.paper, doc.niks, dpi)


def desk(frame: tuple[int, int] = FRAME) -> Image:
    """An empty desk."""
    width, height = frame
    rng = np.random.default_rng(7)
    base = np.full((height, width, 3), (92, 70, 52), np.float32)
    base += rng.normal(0, 6, (height, width, 1))
    return np.clip(base, 0, 255).astype(np.uint8)


def document_frames(frame: tuple[int, int] = FRAME, steady: int = 14) -> list[Image]:
    """The scene: empty desk; an A4 page sliding in (motion blur); held still with shadow and
    perspective; gone; an ID card held still; gone."""
    page = _small(text_page(11, lines=40), 110)
    card = _small(id_card(12), 200)
    frames = [desk(frame)] * 3
    for step, shift in enumerate((0.35, 0.25, 0.15, 0.07)):
        frames.append(
            photograph(page, frame=frame, fill=0.8, shift=(shift, 0.0), blur=4.0 - step * 0.8, seed=step).image
        )
    still = photograph(page, frame=frame, fill=0.85, pitch=10, yaw=-5, roll=2, shadow=0.35, seed=20).image
    frames += [still] * steady
    frames += [desk(frame)] * 3
    held = photograph(card, frame=frame, fill=0.62, pitch=8, yaw=6, roll=-3, shadow=0.2, seed=30).image
    frames += [held] * steady
    frames += [desk(frame)] * 3
    return frames


class VideoStream(CameraStream):
    """Frames from a video file; at the end it keeps showing the last frame (the camera stays on)."""

    def __init__(self, path: Path, *, fail_after: int | None = None) -> None:
        self._capture = cv2.VideoCapture(str(path))
        if not self._capture.isOpened():
            raise CameraError(f"cannot open {path.name}")
        self._last: Image | None = None
        self._read = 0
        self._fail_after = fail_after
        self.closed = False
        self._size = (
            int(self._capture.get(cv2.CAP_PROP_FRAME_WIDTH)),
            int(self._capture.get(cv2.CAP_PROP_FRAME_HEIGHT)),
        )

    @property
    def frame_size(self) -> tuple[int, int]:
        """The video's frame size."""
        return self._size

    def read(self) -> Image | None:
        """The next frame (RGB)."""
        if self.closed:
            raise CameraError("closed")
        if self._fail_after is not None and self._read >= self._fail_after:
            raise CameraError("unplugged")
        ok, frame = self._capture.read()
        self._read += 1
        if ok:
            self._last = np.ascontiguousarray(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
        return self._last

    def close(self) -> None:
        """Release the file."""
        self.closed = True
        self._capture.release()


class FakeCameras(CameraSource):
    """One test camera playing a video file."""

    def __init__(self, video: Path | None, *, fail_open: bool = False, fail_after: int | None = None) -> None:
        self.video = video
        self.fail_open = fail_open
        self.fail_after = fail_after
        self.streams: list[VideoStream] = []

    def devices(self) -> list[Device]:
        """The test camera (none without a video)."""
        if self.video is None:
            return []
        probe = cv2.VideoCapture(str(self.video))
        size = (int(probe.get(cv2.CAP_PROP_FRAME_WIDTH)), int(probe.get(cv2.CAP_PROP_FRAME_HEIGHT)))
        probe.release()
        return [Device("fake:0", "Kamera uji", "camera", Capabilities(frame_sizes=(size,)))]

    def open(self, device_id: str, frame_size: tuple[int, int] | None = None) -> CameraStream:
        """Play the video."""
        if self.fail_open or self.video is None:
            raise CameraError("busy")
        stream = VideoStream(self.video, fail_after=self.fail_after)
        self.streams.append(stream)
        return stream
