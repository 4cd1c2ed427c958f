"""What the capture dialog runs on the task runner's pool: list devices, open a camera, scan, import
files, and run the document pipeline on each picture (with its thumbnail and display image). Nothing here
creates a Qt object except `to_qimage`, which the GUI thread calls."""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
from PIL import Image as PilImage
from PySide6.QtGui import QImage

from app.capture.base import CameraSource, CameraStream, CaptureSource, Device, RawPage, Settings
from app.capture.errors import FileImportError
from app.capture.files import file_pages
from app.documents import Options, ProcessedPage, process_page
from app.documents.images import Image, as_rgb, downscale
from ui.capture.pages import PageItem
from ui.tasks import Report

THUMBNAIL_SIDE = 150
VIEW_SIDE = 1100
_FIND = {"camera": "required", "scanner": "off", "file": "optional", "pdf": "off"}


def to_qimage(image: Image) -> QImage:
    """A QImage that owns a copy of an RGB or gray array (called on the GUI thread)."""
    image = np.ascontiguousarray(image)
    height, width = image.shape[:2]
    if image.ndim == 2:
        return QImage(image.data, width, height, width, QImage.Format.Format_Grayscale8).copy()
    return QImage(image.data, width, height, width * 3, QImage.Format.Format_RGB888).copy()


def decoded(page: ProcessedPage, max_side: int) -> Image:
    """The stored bytes decoded again, display-sized: the officer sees exactly what will be kept."""
    with PilImage.open(io.BytesIO(page.data)) as picture:
        picture.draft("RGB", (max_side, max_side))
        shown = picture.convert("L" if picture.mode in ("1", "L") else "RGB")
    shown.thumbnail((max_side, max_side), PilImage.Resampling.BOX)
    return as_rgb(np.asarray(shown))


def options_for(raw: RawPage, base: Options) -> Options:
    """The pipeline options for a picture from this source (camera frames must show the page's edges)."""
    find = _FIND.get(raw.source, "optional")
    return replace(base, find=find)  # type: ignore[arg-type]


def process(raw: RawPage, options: Options) -> PageItem:
    """Run the pipeline on one picture and render its thumbnail and display image (as arrays)."""
    result = process_page(raw.image, source=raw.source, source_dpi=raw.dpi, options=options)
    view = decoded(result, VIEW_SIDE)
    thumbnail, _ = downscale(view, THUMBNAIL_SIDE)
    return PageItem(raw, options, result, thumbnail, view)


def list_devices(source: CaptureSource) -> list[Device]:
    """The devices of a source (may probe hardware for seconds)."""
    return source.devices()


def open_camera(source: CameraSource, device_id: str, frame_size: tuple[int, int] | None) -> CameraStream:
    """Open a camera (a real one takes up to a second)."""
    return source.open(device_id, frame_size)


def scan(
    source: CaptureSource,
    device_id: str,
    settings: Settings,
    base: Options,
    report: Report[PageItem],
    cancelled: threading.Event,
) -> int:
    """Scan (one page, or the feeder until empty), reporting each processed page; returns the count."""
    count = 0
    pages = source.capture(device_id, settings)
    try:
        for raw in pages:
            report(process(raw, options_for(raw, base)))
            count += 1
            if cancelled.is_set():
                break
    finally:
        close = getattr(pages, "close", None)
        if close is not None:
            close()
    return count


def import_files(
    paths: Sequence[Path], base: Options, report: Report[PageItem], cancelled: threading.Event
) -> list[FileImportError]:
    """Import every page of every file, reporting each; a bad file is returned, the others go on."""
    problems: list[FileImportError] = []
    for path in paths:
        if cancelled.is_set():
            break
        try:
            for raw in file_pages(path):
                report(process(raw, options_for(raw, base)))
                if cancelled.is_set():
                    break
        except FileImportError as exc:
            problems.append(exc)
    return problems
