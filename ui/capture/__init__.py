"""The capture dialog (camera, scanner, files) and the pages it hands to the store."""

from __future__ import annotations

from ui.capture.dialog import CaptureDialog
from ui.capture.pages import CapturedPage

__all__ = ["CaptureDialog", "CapturedPage"]
