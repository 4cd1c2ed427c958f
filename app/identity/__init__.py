"""Identifier checks for Adminduk: NIK, Nomor KK, kode wilayah and personal names, as findings, never raising."""

from app.identity.kk import check_kk
from app.identity.name import check_name
from app.identity.nik import NIK_PENDING, SEX_FEMALE, SEX_MALE, check_nik
from app.identity.normalize import normalize_identifier
from app.identity.region_code import check_region_code
from app.identity.result import IdentifierCheck, Kind

__all__ = [
    "NIK_PENDING",
    "SEX_FEMALE",
    "SEX_MALE",
    "IdentifierCheck",
    "Kind",
    "check_kk",
    "check_name",
    "check_nik",
    "check_region_code",
    "normalize_identifier",
]
