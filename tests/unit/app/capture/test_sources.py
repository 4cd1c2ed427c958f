"""SANE helpers, the OpenCV camera, the fake camera, and the capture errors."""

from __future__ import annotations

import inspect
from pathlib import Path
from types import SimpleNamespace

import cv2
import numpy as np
import pytest

import app.capture.errors as errors_module
from app.capture import scanner_source
from app.capture.base import Settings
from app.capture.camera import OpenCvCameras, OpenCvStream
from app.capture.errors import CameraError, CaptureError, DriverMissingError, FileImportError
from app.capture.sane import SaneScanners, error_for, mode_kind, resolutions_of
from app.errors import KnownError
from tests.helpers.camera import FakeCameras, write_video
from tests.helpers.fakes import FakeScanner, gray_page


def test_sane_mode_and_resolution_parsing() -> None:
    assert [mode_kind(v) for v in ("Color", "24bit Color", "Gray", "True Gray", "Lineart", "Halftone")] == [
        "color",
        "color",
        "gray",
        "gray",
        "lineart",
        None,
    ]
    assert resolutions_of((50.0, 300.0, 1.0)) == (100, 150, 200, 300)
    assert resolutions_of([75, 150, 300, 150]) == (75, 150, 300)
    assert resolutions_of(None) == ()


def test_sane_status_texts_become_known_errors() -> None:
    kinds = {
        "Document feeder out of documents": "FeederEmptyError",
        "Document feeder jammed": "PaperJamError",
        "Scanner cover is open": "CoverOpenError",
        "Device busy": "DeviceBusyError",
        "Invalid argument": "DeviceNotFoundError",
        "Error during device I/O": "ScanFailedError",
    }
    for text, name in kinds.items():
        assert type(error_for(RuntimeError(text))).__name__ == name


def test_sane_missing_driver_is_a_known_error() -> None:
    class Broken:
        class _sane:  # noqa: N801 - mirrors python-sane's module layout
            error = RuntimeError

        @staticmethod
        def init() -> None:
            raise RuntimeError("no libsane")

    with pytest.raises(DriverMissingError):
        SaneScanners(Broken()).devices()  # type: ignore[arg-type]


def test_platform_scanner_source() -> None:
    assert isinstance(scanner_source(), SaneScanners)


def test_every_capture_error_is_known_and_speaks_indonesian() -> None:
    classes = [
        cls
        for _name, cls in inspect.getmembers(errors_module, inspect.isclass)
        if issubclass(cls, CaptureError) and cls not in (CaptureError, FileImportError)
    ]
    assert len(classes) >= 15
    for cls in classes:
        params = [p for p in inspect.signature(cls).parameters if p != "detail"]
        args = ["Pemindai"] * len(params)
        error = cls(*args)
        assert isinstance(error, KnownError)
        text = error.message.lower()
        actions = (" lalu ", "pasang", "tunggu", "gunakan", "pilih", "masukkan", "tutup", "salin ulang", "pindai")
        assert any(word in text for word in actions), cls


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    frames = [np.full((120, 160, 3), shade, np.uint8) for shade in (40, 120, 200)]
    return write_video(tmp_path_factory.mktemp("video") / "three.avi", frames)


def test_opencv_stream_reads_rgb_then_reports_a_lost_camera(video: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.capture.camera.MAX_MISSES", 3)
    stream = OpenCvStream(cv2.VideoCapture(str(video)))
    assert stream.frame_size == (160, 120)
    shades = [int(frame.mean()) for frame in (stream.read(), stream.read(), stream.read())]  # type: ignore[union-attr]
    assert shades == pytest.approx([40, 120, 200], abs=3)
    assert stream.read() is None and stream.read() is None
    with pytest.raises(CameraError):
        stream.read()
    stream.close()


def test_opencv_camera_that_does_not_exist() -> None:
    with pytest.raises(CameraError):
        OpenCvCameras().open("not-a-number")
    with pytest.raises(CameraError):
        OpenCvCameras().open("97")


def test_fake_camera_single_capture_and_faults(video: Path) -> None:
    cameras = FakeCameras(video)
    (device,) = cameras.devices()
    (page,) = cameras.capture(device.id, Settings())
    assert page.source == "camera" and page.image.shape == (120, 160, 3)
    assert cameras.streams[0].closed
    with pytest.raises(CameraError):
        FakeCameras(video, fail_open=True).open(device.id)
    stream = FakeCameras(video, fail_after=1).open(device.id)
    stream.read()
    with pytest.raises(CameraError):
        stream.read()


def test_fake_scanner_feeder_and_failure() -> None:
    pages = [gray_page(seed=n) for n in range(3)]
    scanner = FakeScanner(pages, fail_after=2, error=errors_module.PaperJamError("jam"))
    kept: list[object] = []
    with pytest.raises(errors_module.PaperJamError):
        kept.extend(scanner.capture("fake:scanner", Settings(feeder=True)))
    assert len(kept) == 2
    assert len(list(FakeScanner(pages).capture("x", Settings()))) == 1
    assert SimpleNamespace(**vars(scanner.calls[0])).feeder is True
