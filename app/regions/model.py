"""Value types for regions: a current region and a retired (historical) region code."""

from __future__ import annotations

from dataclasses import dataclass

from app.regions.codes import Level, code_depth, parent_code, undotted


@dataclass(frozen=True, slots=True)
class Region:
    """One current region (provinsi, kabupaten/kota, kecamatan or desa/kelurahan) of the shipped edition."""

    code: str
    name: str
    level: Level
    postal_code: str | None = None

    @property
    def key(self) -> str:
        """Return the code without dots, e.g. `3521012001`."""
        return undotted(self.code)

    @property
    def depth(self) -> int:
        """Return 1 for provinsi, 2 for kabupaten/kota, 3 for kecamatan, 4 for desa/kelurahan."""
        return code_depth(self.code)

    @property
    def parent_code(self) -> str | None:
        """Return the dotted code of the region one level up, or None for a provinsi."""
        return parent_code(self.code)

    def to_dict(self) -> dict[str, str]:
        """Return `{"code", "name", "level"}` plus `"postal_code"` when known."""
        out = {"code": self.code, "name": self.name, "level": self.level}
        if self.postal_code is not None:
            out["postal_code"] = self.postal_code
        return out


@dataclass(frozen=True, slots=True)
class HistoricalRegion:
    """A region code that existed in an older Kepmendagri edition but not in the current one (a region split).

    Old NIK and KK numbers keep such prefixes for life, so they are accepted with a warning.
    `successor` is the current region that now holds it, matched by name: the same-named kabupaten or
    kecamatan in the new province, else the successor kabupaten; None when no match is known.
    """

    code: str
    name: str
    level: Level
    last_seen_edition: str
    successor: Region | None

    def to_dict(self) -> dict[str, object]:
        """Return `{"code", "name", "level", "last_seen_edition", "successor"}` (successor as a dict or None)."""
        return {
            "code": self.code,
            "name": self.name,
            "level": self.level,
            "last_seen_edition": self.last_seen_edition,
            "successor": None if self.successor is None else self.successor.to_dict(),
        }
