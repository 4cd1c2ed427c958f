"""Every path of an installation's data, resolved in one place with a `--basedir` override.

Order: an explicit base dir (the `--basedir` option), then the LOKET_BASEDIR environment variable,
then the platform's data folder (Windows: %PROGRAMDATA%\\Loket, shared by the officers of the
laptop; elsewhere $XDG_DATA_HOME/loket or ~/.local/share/loket).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

ENV_BASEDIR = "LOKET_BASEDIR"


def default_basedir() -> Path:
    """The platform's data folder for Loket."""
    env = os.environ.get(ENV_BASEDIR)
    if env:
        return Path(env)
    if sys.platform == "win32":
        root = os.environ.get("PROGRAMDATA") or os.environ.get("LOCALAPPDATA") or str(Path.home())
        return Path(root) / "Loket"
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "loket"


def cache_dir() -> Path:
    """Where derived, disposable files go (e.g. parsed data files); safe to delete at any time."""
    env = os.environ.get("LOKET_CACHE_DIR")
    if env:
        return Path(env)
    if sys.platform == "win32":
        root = os.environ.get("LOCALAPPDATA") or str(Path.home())
        return Path(root) / "Loket" / "cache"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "loket"


@dataclass(frozen=True)
class DataPaths:
    """The files and folders of one installation's data."""

    base: Path

    @classmethod
    def resolve(cls, basedir: str | os.PathLike[str] | None = None) -> DataPaths:
        """Paths below the given base dir, or the default one."""
        return cls(Path(basedir) if basedir else default_basedir())

    @property
    def database(self) -> Path:
        """The encrypted SQLite (SQLCipher) database."""
        return self.base / "loket.db"

    @property
    def keyring(self) -> Path:
        """The database key, wrapped once per officer (JSON)."""
        return self.base / "keys.json"

    @property
    def blobs(self) -> Path:
        """Encrypted scans and other blobs, named by content hash."""
        return self.base / "blobs"

    @property
    def backups(self) -> Path:
        """Automatic backups (taken before every migration)."""
        return self.base / "backups"

    @property
    def logs(self) -> Path:
        """Application logs (never with personal data) and crash reports."""
        return self.base / "logs"

    @property
    def printouts(self) -> Path:
        """Receipts and form print-outs (PDF) the officer printed."""
        return self.base / "printouts"

    @property
    def reference(self) -> Path:
        """Catalogue and form-schema versions received from the Dinas, one folder each (app/reference)."""
        return self.base / "reference"

    @property
    def settings(self) -> Path:
        """Device settings that must be readable before login (server address, window state)."""
        return self.base / "settings.json"

    def ensure(self) -> None:
        """Create the folders that must exist."""
        for folder in (self.base, self.blobs, self.backups, self.logs):
            folder.mkdir(parents=True, exist_ok=True)
