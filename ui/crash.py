"""The crash path: faulthandler to a file, an excepthook that writes a report the officer can hand to
support (offline: nothing is uploaded), and a dialog with the recent log lines."""

from __future__ import annotations

import datetime as dt
import faulthandler
import logging
import platform
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import IO

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout

from app.logs import recent_lines
from app.version import version

log = logging.getLogger("loket")
qt_log = logging.getLogger("loket.ui")
_fault_file: IO[str] | None = None


def write_report(log_dir: Path, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> Path:
    """Write a crash report (traceback, versions, recent log lines) and return its path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / f"crash-{dt.datetime.now():%Y%m%d-%H%M%S}.txt"
    lines = [
        f"Loket {version()} on {platform.platform()} / Python {platform.python_version()}",
        f"Waktu: {dt.datetime.now().isoformat(timespec='seconds')}",
        "",
        "".join(traceback.format_exception(exc_type, exc, tb)),
        "Baris log terakhir:",
        *recent_lines(log_dir / "loket.log", 60),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


class CrashDialog(QDialog):
    """Tells the officer that Loket hit a bug, where the report is, and that saved work is safe."""

    def __init__(self, report: Path, details: str) -> None:
        super().__init__()
        self.setWindowTitle("Loket — terjadi kesalahan program")
        text = QLabel(
            "Loket mengalami kesalahan program. Data yang sudah tersimpan aman. Laporan kesalahan disimpan di:\n"
            f"{report}\nBerikan berkas itu kepada dukungan teknis. Anda dapat melanjutkan bekerja atau "
            "menutup lalu membuka Loket kembali."
        )
        text.setWordWrap(True)
        box = QPlainTextEdit(details)
        box.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(box)
        layout.addWidget(buttons)
        self.resize(760, 480)

    @classmethod
    def ask(cls, report: Path, details: str) -> None:
        """Show the dialog (tests replace this)."""
        cls(report, details).exec()


def install(log_dir: Path) -> None:
    """Install faulthandler, the excepthook and Qt's message handler (call once at start-up)."""
    global _fault_file  # noqa: PLW0603 - kept open for the life of the process
    log_dir.mkdir(parents=True, exist_ok=True)
    _fault_file = (log_dir / "faulthandler.log").open("a", encoding="utf-8")
    faulthandler.enable(_fault_file)

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.error("unhandled exception", exc_info=(exc_type, exc, tb))
        report = write_report(log_dir, exc_type, exc, tb)
        if QApplication.instance() is not None:
            CrashDialog.ask(report, "".join(traceback.format_exception(exc_type, exc, tb))[-4000:])

    sys.excepthook = hook

    def qt_messages(kind: QtMsgType, _context: object, message: str) -> None:
        level = {
            QtMsgType.QtDebugMsg: logging.DEBUG,
            QtMsgType.QtInfoMsg: logging.INFO,
            QtMsgType.QtWarningMsg: logging.WARNING,
        }.get(kind, logging.ERROR)
        qt_log.log(level, "Qt: %s", message)

    qInstallMessageHandler(qt_messages)


def uninstall() -> None:
    """Undo install() (tests): stop faulthandler and close its file."""
    global _fault_file  # noqa: PLW0603
    faulthandler.disable()
    if _fault_file is not None:
        _fault_file.close()
        _fault_file = None
    qInstallMessageHandler(None)
