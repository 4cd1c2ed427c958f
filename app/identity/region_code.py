"""Kode wilayah checks: a 2/4/6/10-digit Kemendagri code, current (ok), retired (warning) or unknown (error)."""

from __future__ import annotations

from typing import Final

from app.findings import Finding
from app.identity.common import value_type_finding
from app.identity.normalize import input_text, is_ascii_digits, normalize_identifier
from app.identity.result import IdentifierCheck
from app.regions import RegionIndex, default_index, dotted_code

_FIX: Final = "Gunakan kode wilayah Kemendagri: 2, 4, 6 atau 10 angka, misalnya 35.21.01.2001 atau 3521012001."


def check_region_code(value: object, *, path: str = "", index: RegionIndex | None = None) -> IdentifierCheck:
    """Check a region code given dotted or undotted; never raises, whatever `value` is.

    `index` replaces the shipped region data (for tests).
    """
    text = input_text(value)
    type_error = value_type_finding(value, subject="Kode wilayah", code="region", path=path, fix=_FIX)
    if type_error is not None:
        return IdentifierCheck(input=text, kind="region", normalized="", errors=[type_error])
    digits = normalize_identifier(value)
    code = dotted_code(digits) if is_ascii_digits(digits) else None
    result = IdentifierCheck(input=text, kind="region", normalized=code or digits)
    if code is None:
        what = "belum diisi" if not digits else f"tidak sesuai format ({len(digits)} karakter)"
        result.add(Finding(path, "region_format", "error", f"Kode wilayah {what}. {_FIX}"))
        return result
    regions = index or default_index()
    region = regions.get(code)
    if region is not None:
        result.parts.update({"code": region.code, "name": region.name, "level": region.level})
        result.parts["path"] = [r.name for r in regions.path(code)]
        if region.postal_code is not None:
            result.parts["postal_code"] = region.postal_code
        return result
    retired = regions.historical(code)
    if retired is not None:
        successor = retired.successor
        result.parts.update(
            {
                "code": retired.code,
                "name": retired.name,
                "level": retired.level,
                "last_seen_edition": retired.last_seen_edition,
                "successor_code": None if successor is None else successor.code,
                "successor_name": None if successor is None else successor.name,
            }
        )
        now = "" if successor is None else f" Wilayah ini sekarang {successor.name} ({successor.code})."
        result.add(
            Finding(
                path,
                "region_historical",
                "warning",
                f"Kode wilayah {code} ({retired.name}) adalah kode lama, terakhir dipakai pada daftar Kemendagri "
                f"tahun {retired.last_seen_edition}.{now} Untuk data baru gunakan kode yang berlaku sekarang; "
                "kode lama hanya wajar pada NIK atau Nomor KK lama.",
            )
        )
        return result
    known = ""
    parent = code.rpartition(".")[0]
    while parent:
        found = regions.get(parent)
        if found is not None:
            known = f" Kode {found.code} ({found.name}) ada; periksa angka sesudahnya."
            break
        parent = parent.rpartition(".")[0]
    result.add(
        Finding(
            path,
            "region_unknown",
            "error",
            f"Kode wilayah {code} tidak ada dalam daftar wilayah Kemendagri yang terpasang.{known} "
            "Pilih wilayah dari daftar atau periksa kembali angkanya.",
        )
    )
    return result
