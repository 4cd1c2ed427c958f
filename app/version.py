"""The version of Loket, from the installed package metadata."""

from __future__ import annotations

from importlib import metadata


def version() -> str:
    """Return the installed version, or 0+unknown when running from an uninstalled tree."""
    try:
        return metadata.version("loket")
    except metadata.PackageNotFoundError:
        return "0+unknown"
