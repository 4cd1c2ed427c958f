"""Print-outs opened in the PDF viewer (they are made by app/views/printouts.py on the database thread)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices


class Viewer:
    """Opens a PDF in the system's viewer (tests replace `open`)."""

    @staticmethod
    def open(path: Path) -> None:
        """Hand the file to the desktop (print from there)."""
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
