"""Cleaning of typed or imported identifiers before they are checked: spaces, dots, dashes, invisible characters."""

from __future__ import annotations

import unicodedata
from typing import Final

# Removed: separators officers type or copy (spaces, dots, dashes), and characters SIAK exports and web
# pages carry invisibly (zero-width, byte-order mark, soft hyphen, direction marks, non-breaking spaces).
_REMOVED: Final = (
    " \t\n\r\v\f.-"
    + "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r\v\f")
    + "\x7f\u00a0\u00ad\u1680\u180e\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    + "\u200b\u200c\u200d\u200e\u200f\u2010\u2011\u2012\u2013\u2014\u2015\u2024\u2028\u2029"
    + "\u202a\u202b\u202c\u202d\u202e\u202f\u205f\u2060\u2212\u3000\ufeff\uff0d\uff0e"
)
_TABLE: Final[dict[int, str | None]] = {ord(c): None for c in _REMOVED}
_TABLE.update({0xFF10 + d: str(d) for d in range(10)})  # full-width digits ０-９
# Any other character of these Unicode categories is removed too: format (Cf), control (Cc),
# separators (Zs, Zl, Zp) and dashes (Pd).
_DROPPED_CATEGORIES: Final = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp", "Pd"})


def normalize_identifier(value: object) -> str:
    """Return an identifier with spaces, dots, dashes and invisible characters removed, full-width digits made
    ASCII, and every other character kept (so letters are still there to be reported).

    An int is taken as its decimal digits; None, bool and any other type give "".
    """
    if isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, str):
        return ""
    if value.isascii() and value.isdigit():
        return value
    cleaned = value.translate(_TABLE)
    if not cleaned.isascii():
        cleaned = "".join(c for c in cleaned if unicodedata.category(c) not in _DROPPED_CATEGORIES)
    return cleaned


def is_ascii_digits(text: str) -> bool:
    """Return True if the text is non-empty and made only of the ASCII digits 0-9."""
    return text.isascii() and text.isdigit()


def input_text(value: object) -> str:
    """Return the original value as text for a check result: a string as given, None as "", else str()."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    try:
        return str(value)
    except Exception:  # an object whose __str__ fails must not break a check
        return f"<{type(value).__name__}>"
