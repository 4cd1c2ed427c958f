"""Search keys the back office looks applications up by: NIK, Nomor KK, name prefix, registration number."""

from __future__ import annotations

import re

_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\D")


def name_key(name: str) -> str:
    """A name as searched: upper case, single spaces, trimmed ("  siti  aminah" -> "SITI AMINAH")."""
    return _SPACES.sub(" ", name).strip().upper()[:100]


def kecamatan_of(region_code: str) -> str:
    """The kecamatan part of a Kemendagri code in dotted form: `3521012001` or `35.21.01.2001` -> `35.21.01`."""
    digits = _DIGITS.sub("", region_code)
    if len(digits) < 6:
        return ""
    return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}"


def digits_of(text: str) -> str:
    """Only the digits of what was typed (NIK and KK are searched without spaces or dots)."""
    return _DIGITS.sub("", text)
