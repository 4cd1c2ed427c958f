"""Capture devices and file import: scanners (SANE, WIA), cameras (OpenCV), images and PDFs.

Every source yields RawPage pictures for the document pipeline (app.documents) and reports faults
as CaptureError subclasses with a message in Bahasa Indonesia. No Qt here.
"""

from __future__ import annotations

import sys

from app.capture.base import CameraSource, CameraStream, Capabilities, CaptureSource, Device, RawPage, Settings
from app.capture.errors import CaptureError, FileImportError
from app.capture.files import file_pages

__all__ = [
    "CameraSource",
    "CameraStream",
    "Capabilities",
    "CaptureError",
    "CaptureSource",
    "Device",
    "FileImportError",
    "RawPage",
    "Settings",
    "file_pages",
    "scanner_source",
]


def scanner_source() -> CaptureSource:
    """This platform's scanners: WIA on Windows, SANE elsewhere."""
    if sys.platform == "win32":
        from app.capture.wia import WiaScanners  # noqa: PLC0415 - Windows only

        return WiaScanners()
    from app.capture.sane import SaneScanners  # noqa: PLC0415 - python-sane is Linux only

    return SaneScanners()
