"""Key files the server makes for itself: written once, owner-only (0600), flushed before anyone reads them."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from app.fileio import fsync_dir


def create_secret(path: Path, data: bytes) -> bool:
    """Write `data` to a new file at `path` with mode 0600; False when the file exists already (kept as it is).

    Two server processes starting together may both try: exactly one writes, the other reads its file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    with contextlib.suppress(OSError):
        fsync_dir(path.parent)
    return True
