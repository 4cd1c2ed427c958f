"""Region prefixes of NIK and KK numbers (provinsi, kabupaten/kota, kecamatan), current and retired, held once."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from app.regions import RegionIndex, default_index


@dataclass(frozen=True, slots=True)
class RetiredPrefix:
    """A retired region code found in an old NIK/KK, with the current region that now holds it (if known)."""

    code: str
    name: str
    last_seen_edition: str
    successor_code: str | None
    successor_name: str | None
    description: str
    successor_description: str | None


class RegionPrefixes:
    """Look-ups by undotted 2-, 4- or 6-digit prefix, built once from the region table."""

    def __init__(self, index: RegionIndex) -> None:
        """Take the current names down to kecamatan and the retired codes from the region index."""
        self.edition = index.edition
        self._current = {code.replace(".", ""): name for code, name in index.names_by_code(max_depth=3).items()}
        self._retired: dict[str, RetiredPrefix] = {}
        for code in index.historical_codes():
            entry = index.historical(code)
            if entry is None:
                continue
            successor = entry.successor
            self._retired[code.replace(".", "")] = RetiredPrefix(
                code=entry.code,
                name=entry.name,
                last_seen_edition=entry.last_seen_edition,
                successor_code=None if successor is None else successor.code,
                successor_name=None if successor is None else successor.name,
                description=_describe_retired(index, entry.code, entry.name),
                successor_description=None if successor is None else _describe_current(index, successor.code),
            )
        self._provinces = frozenset(k for k in (*self._current, *self._retired) if len(k) == 2) | frozenset(
            k[:2] for k in self._retired
        )

    def province_known(self, digits: str) -> bool:
        """Return True if the 2-digit province code is current or appears in retired codes."""
        return digits in self._provinces

    def current_name(self, digits: str) -> str | None:
        """Return the current name of an undotted 2/4/6-digit code, or None."""
        return self._current.get(digits)

    def retired(self, digits: str) -> RetiredPrefix | None:
        """Return the retired region of an undotted 4/6-digit code, or None."""
        return self._retired.get(digits)


def _display(name: str) -> str:
    """Return an old all-capitals name in title case ("KAB. MERAUKE" -> "Kab. Merauke")."""
    return name.title() if name.isupper() else name


def _describe_current(index: RegionIndex, code: str) -> str:
    """Return "Kecamatan X, Kabupaten Y, Provinsi" (or "Kabupaten Y, Provinsi") for a current code."""
    names = [r.name for r in index.path(code)]
    if len(names) == 3:
        names[2] = f"Kecamatan {names[2]}"
    return ", ".join(reversed(names))


def _describe_retired(index: RegionIndex, code: str, name: str) -> str:
    """Return "Kecamatan X, Kab. Y" (or "Kab. Y") for a retired code, from the old names."""
    if code.count(".") != 2:
        return _display(name)
    kabupaten = index.historical(code[:5])
    current = index.get(code[:5])
    holder = kabupaten.name if kabupaten is not None else current.name if current is not None else code[:5]
    return f"Kecamatan {_display(name)}, {_display(holder)}"


@functools.cache
def default_prefixes() -> RegionPrefixes:
    """Return the prefixes of the shipped region data, built once on first use."""
    return RegionPrefixes(default_index())


def dotted(digits: str) -> str:
    """Return an undotted 2/4/6-digit prefix with dots: 352101 -> 35.21.01."""
    return ".".join(digits[i : i + 2] for i in range(0, len(digits), 2))
