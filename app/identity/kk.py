"""Nomor KK (family card number) checks: 6-digit issuing region, DDMMYY issue date (no +40), 4-digit serial."""

from __future__ import annotations

import datetime
from typing import Final

from app.findings import Finding
from app.identity.common import check_digits, check_region_prefix, check_serial, value_type_finding
from app.identity.normalize import input_text, normalize_identifier
from app.identity.prefixes import RegionPrefixes, default_prefixes
from app.identity.result import IdentifierCheck
from app.indonesian import MONTHS

_SUBJECT: Final = "Nomor KK"
_FIX: Final = "Periksa kembali Nomor KK pada Kartu Keluarga."


def check_kk(
    value: object,
    *,
    path: str = "",
    today: datetime.date | None = None,
    prefixes: RegionPrefixes | None = None,
) -> IdentifierCheck:
    """Check a Nomor KK and return its findings and parts; never raises, whatever `value` is.

    The issue date is read as 20YY: an impossible date is an error, a date after today a warning.
    `today` and `prefixes` replace the current date and the shipped region data (for tests).
    """
    text = input_text(value)
    type_error = value_type_finding(value, subject=_SUBJECT, code="kk", path=path, fix=_FIX)
    if type_error is not None:
        return IdentifierCheck(input=text, kind="kk", normalized="", errors=[type_error])
    result = IdentifierCheck(input=text, kind="kk", normalized=normalize_identifier(value))
    digits = result.normalized
    if not digits:
        result.add(Finding(path, "kk_empty", "error", f"Nomor KK belum diisi. Isi 16 angka {_SUBJECT}. {_FIX}"))
        return result
    if digits[0] == "0" and len(digits) == 16:
        result.add(
            Finding(
                path,
                "kk_temporary",
                "error",
                "Nomor KK sementara tidak diterima: nomor yang diawali angka 0 adalah nomor sementara buatan "
                f"aplikasi desa (misalnya OpenSID), bukan Nomor KK dari Dukcapil. {_FIX}",
            )
        )
        return result
    if not check_digits(result, subject=_SUBJECT, code="kk", path=path, fix=_FIX):
        return result
    check_region_prefix(result, digits, prefixes or default_prefixes(), subject=_SUBJECT, code="kk", path=path)
    _check_issue_date(result, digits, today or datetime.date.today(), path)
    check_serial(result, digits, subject=_SUBJECT, code="kk", path=path)
    return result


def _check_issue_date(result: IdentifierCheck, digits: str, today: datetime.date, path: str) -> None:
    """Check the DDMMYY issue date (digits 7-12)."""
    result.parts["issue_date"] = None
    day, month, year = int(digits[6:8]), int(digits[8:10]), 2000 + int(digits[10:12])
    try:
        issued = datetime.date(year, month, day)
    except ValueError:
        month_text = MONTHS[month - 1] if 1 <= month <= 12 else f"bulan {digits[8:10]}"
        result.add(
            Finding(
                path,
                "kk_date_invalid",
                "error",
                f"Tanggal penerbitan pada Nomor KK (angka ke-7 sampai ke-12: {digits[6:8]} {month_text} "
                f"{year}) tidak ada di kalender; tanggal harus 01-31 dan bulan 01-12, tanpa tambahan 40. {_FIX}",
            )
        )
        return
    result.parts["issue_date"] = issued.isoformat()
    if issued > today:
        result.add(
            Finding(
                path,
                "kk_date_future",
                "warning",
                f"Tanggal penerbitan pada Nomor KK ({day} {MONTHS[month - 1]} {year}) belum terjadi. {_FIX}",
            )
        )
