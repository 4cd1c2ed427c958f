"""Where the shipped data files (resources/) live, in a checkout and in a frozen PyInstaller build."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """Return the folder holding catalogue, form schemas, regions and other shipped data."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Return the path of one shipped data file or folder below resources/."""
    return resources_dir().joinpath(*parts)
