"""NIK (Nomor Induk Kependudukan) checks: structure PP KK CC DDMMYY SSSS, with no check digit to verify.

The NIK never changes: not on a move, not on marriage, not when a birth date is corrected. So the region
prefix may be a retired code and the date digits may disagree with the recorded birth date; both are
warnings. Structural faults (length, non-digits, impossible date, serial 0000) are errors.
"""

from __future__ import annotations

import datetime
from typing import Final

from app.findings import Finding
from app.identity.common import check_digits, check_region_prefix, check_serial, value_type_finding
from app.identity.normalize import input_text, normalize_identifier
from app.identity.prefixes import RegionPrefixes, default_prefixes
from app.identity.result import IdentifierCheck
from app.indonesian import MONTHS

NIK_PENDING: Final = "belum-punya-nik"
"""The explicit "no NIK yet" state (newborns, first registration): stored instead of a made-up number."""

SEX_MALE: Final = 1
SEX_FEMALE: Final = 2
_SEX_WORDS: Final = {SEX_MALE: "laki-laki", SEX_FEMALE: "perempuan"}
_FIX: Final = "Periksa kembali NIK pada KTP-el atau Kartu Keluarga."


def check_nik(
    value: object,
    *,
    sex: int | None = None,
    birth_date: datetime.date | None = None,
    allow_pending: bool = False,
    path: str = "",
    today: datetime.date | None = None,
    prefixes: RegionPrefixes | None = None,
) -> IdentifierCheck:
    """Check a NIK and return its findings and parts; never raises, whatever `value` is.

    `sex` (1 laki-laki, 2 perempuan) and `birth_date` are the values recorded for the person; a disagreement
    with the NIK is a warning. `allow_pending` accepts NIK_PENDING for people who have no NIK yet.
    `today` and `prefixes` replace the current date and the shipped region data (for tests).
    """
    text = input_text(value)
    type_error = value_type_finding(value, subject="NIK", code="nik", path=path, fix=_FIX)
    if type_error is not None:
        return IdentifierCheck(input=text, kind="nik", normalized="", errors=[type_error])

    if isinstance(value, str) and value.strip().lower() == NIK_PENDING:
        result = IdentifierCheck(input=text, kind="nik_pending", normalized=NIK_PENDING)
        if not allow_pending:
            result.add(
                Finding(
                    path,
                    "nik_pending_not_allowed",
                    "error",
                    "Kolom ini memerlukan NIK yang sebenarnya; pilihan 'belum punya NIK' tidak dapat dipakai di "
                    "sini. Isi 16 angka NIK sesuai KTP-el atau Kartu Keluarga.",
                )
            )
        return result

    result = IdentifierCheck(input=text, kind="nik", normalized=normalize_identifier(value))
    digits = result.normalized
    if not digits:
        pending_hint = " Bila orang ini belum punya NIK, pilih 'belum punya NIK'." if allow_pending else ""
        result.add(
            Finding(
                path,
                "nik_empty",
                "error",
                f"NIK belum diisi. Isi 16 angka NIK sesuai KTP-el atau Kartu Keluarga.{pending_hint}",
            )
        )
        return result
    if digits[0] == "0" and len(digits) == 16:
        result.add(
            Finding(
                path,
                "nik_temporary",
                "error",
                "NIK sementara tidak diterima: nomor yang diawali angka 0 adalah nomor sementara buatan aplikasi "
                "desa (misalnya OpenSID), bukan NIK dari Dukcapil. Isi NIK yang sebenarnya sesuai KTP-el atau "
                "Kartu Keluarga, atau pilih 'belum punya NIK' bila orang ini belum memiliki NIK.",
            )
        )
        return result
    if not check_digits(result, subject="NIK", code="nik", path=path, fix=_FIX):
        return result

    check_region_prefix(result, digits, prefixes or default_prefixes(), subject="NIK", code="nik", path=path)
    _check_birth(result, digits, sex, birth_date, today or datetime.date.today(), path)
    check_serial(result, digits, subject="NIK", code="nik", path=path)
    return result


def _check_birth(
    result: IdentifierCheck,
    digits: str,
    sex: object,
    birth_date: object,
    today: datetime.date,
    path: str,
) -> None:
    """Check the DDMMYY part (day + 40 for women) and compare it with the recorded sex and birth date."""
    parts = result.parts
    parts["sex"] = None
    parts["birth_date"] = None
    parts["birth_date_candidates"] = []
    day_digits = int(digits[6:8])
    month = int(digits[8:10])
    two_digit_year = int(digits[10:12])
    if 1 <= day_digits <= 31:
        nik_sex, day = SEX_MALE, day_digits
    elif 41 <= day_digits <= 71:
        nik_sex, day = SEX_FEMALE, day_digits - 40
    else:
        result.add(
            Finding(
                path,
                "nik_date_invalid",
                "error",
                f"Tanggal lahir pada NIK (angka ke-7 dan ke-8: {digits[6:8]}) tidak mungkin: untuk laki-laki "
                f"01-31, untuk perempuan 41-71 (tanggal ditambah 40). {_FIX}",
            )
        )
        return
    parts["sex"] = nik_sex
    if not 1 <= month <= 12:
        result.add(
            Finding(
                path,
                "nik_date_invalid",
                "error",
                f"Bulan lahir pada NIK (angka ke-9 dan ke-10: {digits[8:10]}) harus 01-12. {_FIX}",
            )
        )
        return

    recorded = birth_date if isinstance(birth_date, datetime.date) else None
    if isinstance(recorded, datetime.datetime):
        recorded = recorded.date()
    candidates: list[datetime.date] = []
    for century in (1900, 2000):
        try:
            candidate = datetime.date(century + two_digit_year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            candidates.append(candidate)
    if not candidates:
        result.add(
            Finding(
                path,
                "nik_date_invalid",
                "error",
                f"Tanggal lahir pada NIK ({day} {MONTHS[month - 1]}, tahun ..{digits[10:12]}) tidak ada di "
                f"kalender atau belum terjadi (misalnya 30 Februari, atau 29 Februari pada tahun bukan kabisat). "
                f"{_FIX}",
            )
        )
        return
    parts["birth_date_candidates"] = [c.isoformat() for c in candidates]
    chosen: datetime.date | None = None
    if recorded is not None:
        chosen = next((c for c in candidates if c.year // 100 == recorded.year // 100), None)
    if chosen is None and len(candidates) == 1:
        chosen = candidates[0]
    parts["birth_date"] = None if chosen is None else chosen.isoformat()

    if isinstance(sex, int) and not isinstance(sex, bool) and sex in _SEX_WORDS and sex != nik_sex:
        result.add(
            Finding(
                path,
                "nik_sex_mismatch",
                "warning",
                f"Jenis kelamin yang diisi ({_SEX_WORDS[sex]}) tidak sesuai dengan NIK: angka tanggal lahir "
                f"pada NIK ({digits[6:8]}) menunjukkan {_SEX_WORDS[nik_sex]} (untuk perempuan tanggal ditambah "
                "40). Periksa kembali jenis kelamin atau NIK.",
            )
        )
    if recorded is not None and (
        recorded.day != day or recorded.month != month or recorded.year % 100 != two_digit_year
    ):
        result.add(
            Finding(
                path,
                "nik_birth_date_mismatch",
                "warning",
                f"Tanggal lahir yang diisi ({recorded.day} {MONTHS[recorded.month - 1]} {recorded.year}) "
                f"berbeda dengan tanggal pada NIK ({day} {MONTHS[month - 1]}, tahun ..{digits[10:12]}). Ini "
                "wajar bila tanggal lahir pernah dibetulkan, karena NIK tidak pernah berubah; bila tidak, "
                "periksa kembali tanggal lahir atau NIK.",
            )
        )
