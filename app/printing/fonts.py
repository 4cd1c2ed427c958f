"""The typefaces of every print-out: DejaVu Sans when it can be found, else reportlab's built-in Helvetica.

DejaVu is looked for in resources/print/fonts (where an installer may ship it), then in the usual
system folders. Helvetica needs no file and prints the Latin-1 letters every Indonesian name uses;
DejaVu is embedded (subset) so the PDF prints the same on any computer.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFError, TTFont  # type: ignore[import-untyped]

from app.resources import resource_path

# Our name for each face -> the DejaVu file that provides it.
_FACES = {
    "LoketSans": "DejaVuSans.ttf",
    "LoketSans-Bold": "DejaVuSans-Bold.ttf",
    "LoketSansCondensed": "DejaVuSansCondensed.ttf",
    "LoketSansCondensed-Bold": "DejaVuSansCondensed-Bold.ttf",
}


@dataclass(frozen=True)
class FontSet:
    """The font names to use: regular and bold, and a condensed pair for dense tables."""

    regular: str
    bold: str
    condensed: str
    condensed_bold: str
    embedded: bool


FALLBACK = FontSet("Helvetica", "Helvetica-Bold", "Helvetica", "Helvetica-Bold", embedded=False)


def font_dirs() -> list[Path]:
    """Where DejaVu is looked for, in order."""
    dirs = [resource_path("print", "fonts")]
    if sys.platform == "win32":
        for root in (os.environ.get("WINDIR"), os.environ.get("LOCALAPPDATA")):
            if root:
                dirs.append(Path(root) / "Fonts")
                dirs.append(Path(root) / "Microsoft" / "Windows" / "Fonts")
    else:
        dirs += [
            Path("/usr/share/fonts/truetype/dejavu"),
            Path("/usr/share/fonts/dejavu"),
            Path("/usr/share/fonts/TTF"),
            Path("/usr/local/share/fonts"),
            Path.home() / ".local" / "share" / "fonts",
            Path.home() / ".fonts",
        ]
    return dirs


def select_fonts(search: Sequence[Path]) -> FontSet:
    """Register DejaVu from the first folder holding all four faces; Helvetica when none does."""
    for folder in search:
        files = {face: folder / name for face, name in _FACES.items()}
        if not all(path.is_file() for path in files.values()):
            continue
        try:
            faces = [TTFont(face, str(path)) for face, path in files.items()]
        except (TTFError, OSError):
            continue
        for face in faces:
            if face.fontName not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(face)
        for family, bold in (("LoketSans", "LoketSans-Bold"), ("LoketSansCondensed", "LoketSansCondensed-Bold")):
            # <b> inside a paragraph switches to the bold face; there is no italic face, so italics stay upright.
            addMapping(family, 0, 0, family)
            addMapping(family, 1, 0, bold)
            addMapping(family, 0, 1, family)
            addMapping(family, 1, 1, bold)
        return FontSet("LoketSans", "LoketSans-Bold", "LoketSansCondensed", "LoketSansCondensed-Bold", embedded=True)
    return FALLBACK


_selected: FontSet | None = None
_lock = threading.Lock()


def fonts() -> FontSet:
    """The fonts of this process, chosen on first use."""
    global _selected  # noqa: PLW0603 - fonts are registered once per process
    with _lock:
        if _selected is None:
            _selected = select_fonts(font_dirs())
        return _selected
