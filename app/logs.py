"""Logging: named loggers per subsystem, configured only at entry points, never with personal data.

Code logs ids and counts, never names, NIK or KK. As a second line of defence the handlers redact
any run of 16 digits (a NIK or KK number) before a line is written.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

LOGGER_NAMES = ("loket", "loket.store", "loket.forms", "loket.ui", "loket.sync", "loket.admin", "loket.documents")
_SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RedactIdentifiers(logging.Filter):
    """Replace 16-digit runs (NIK, KK) in the formatted message with a placeholder."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message in place; never drop a record."""
        message = record.getMessage()
        if _SIXTEEN_DIGITS.search(message):
            record.msg = _SIXTEEN_DIGITS.sub("[16-digit number redacted]", message)
            record.args = ()
        return True


def configure(log_dir: Path | None, level: int = logging.INFO, *, stderr: bool = False) -> Path | None:
    """Set up the 'loket' logger tree: a rotating file in log_dir and/or stderr. Returns the file path."""
    root = logging.getLogger("loket")
    root.setLevel(level)
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    target: Path | None = None
    redact = RedactIdentifiers()
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        target = log_dir / "loket.log"
        file_handler = logging.handlers.RotatingFileHandler(target, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
        file_handler.setFormatter(logging.Formatter(FORMAT))
        file_handler.addFilter(redact)
        root.addHandler(file_handler)
    if stderr:
        stream = logging.StreamHandler()
        stream.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        stream.addFilter(redact)
        root.addHandler(stream)
    root.propagate = False
    return target


def recent_lines(log_file: Path, count: int = 50) -> list[str]:
    """The last lines of a log file (for the crash dialog and support)."""
    try:
        lines = log_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    return lines[-count:]
