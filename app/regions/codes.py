"""Kemendagri region code syntax: dotted and undotted forms, depth and level from the code alone."""

from __future__ import annotations

import re
from typing import Final, Literal

Level = Literal["provinsi", "kabupaten", "kota", "kecamatan", "kelurahan", "desa", "desa_adat"]

LEVELS: Final[tuple[Level, ...]] = (
    "provinsi",
    "kabupaten",
    "kota",
    "kecamatan",
    "kelurahan",
    "desa",
    "desa_adat",
)
KABUPATEN_KOTA: Final[frozenset[Level]] = frozenset({"kabupaten", "kota"})
DESA_KELURAHAN: Final[frozenset[Level]] = frozenset({"kelurahan", "desa", "desa_adat"})

# Depth of each level in the tree: 1 provinsi, 2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan.
LEVEL_DEPTH: Final[dict[Level, int]] = {
    "provinsi": 1,
    "kabupaten": 2,
    "kota": 2,
    "kecamatan": 3,
    "kelurahan": 4,
    "desa": 4,
    "desa_adat": 4,
}

# [0-9] and not \d: \d would also accept Arabic-Indic and other Unicode digits.
_DOTTED = re.compile(r"[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{4})?)?)?")
_UNDOTTED = re.compile(r"[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{10}")
_WHITESPACE = re.compile(r"\s+")
_MAX_INPUT = 64


def dotted_code(value: object) -> str | None:
    """Return the dotted form (`35.21.01.2001`) of a region code given dotted or undotted, or None if malformed."""
    if not isinstance(value, str) or len(value) > _MAX_INPUT:
        return None
    text = _WHITESPACE.sub("", value)
    if "." in text:
        return text if _DOTTED.fullmatch(text) else None
    if not _UNDOTTED.fullmatch(text):
        return None
    parts = [text[:2]]
    if len(text) >= 4:
        parts.append(text[2:4])
    if len(text) >= 6:
        parts.append(text[4:6])
    if len(text) == 10:
        parts.append(text[6:10])
    return ".".join(parts)


def undotted(code: str) -> str:
    """Return a dotted code without its dots, as printed in the boxes of a form."""
    return code.replace(".", "")


def code_depth(code: str) -> int:
    """Return 1 for provinsi, 2 for kabupaten/kota, 3 for kecamatan and 4 for desa/kelurahan (dotted code)."""
    return code.count(".") + 1


def level_of(code: str) -> Level:
    """Return the level a well-formed dotted code denotes, by the Kemendagri numbering rules.

    Kabupaten are numbered 01-69 and kota 71-99; the first digit of a desa part is 1 for kelurahan,
    2 for desa and 3 for desa adat.
    """
    depth = code_depth(code)
    if depth == 1:
        return "provinsi"
    if depth == 2:
        return "kota" if code[3] >= "7" else "kabupaten"
    if depth == 3:
        return "kecamatan"
    first = code[9]
    if first == "1":
        return "kelurahan"
    if first == "3":
        return "desa_adat"
    return "desa"


def parent_code(code: str) -> str | None:
    """Return the dotted code of the region one level up, or None for a provinsi."""
    cut = code.rfind(".")
    return code[:cut] if cut > 0 else None


def ancestor_codes(code: str) -> list[str]:
    """Return the dotted codes from the provinsi down to and including the code itself."""
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]
