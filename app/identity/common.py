"""Checks shared by NIK and KK numbers: the 6-digit region prefix, serial and Indonesian date wording."""

from __future__ import annotations

from app.findings import Finding
from app.identity.prefixes import RegionPrefixes, dotted
from app.identity.result import IdentifierCheck


def check_region_prefix(
    result: IdentifierCheck, digits: str, prefixes: RegionPrefixes, *, subject: str, code: str, path: str
) -> None:
    """Check the first 6 digits (provinsi, kabupaten/kota, kecamatan) and record the parts found.

    `subject` names the number in messages ("NIK", "Nomor KK"); `code` prefixes finding codes ("nik", "kk").
    An unknown province or a 00 part is an error; a kecamatan missing from the current list is only a warning,
    because numbers keep the prefix of the region that issued them, even after a region split.
    """
    province, kabupaten, kecamatan = digits[:2], digits[:4], digits[:6]
    parts = result.parts
    parts["province_code"] = province
    parts["province_name"] = prefixes.current_name(province)
    parts["kabupaten_code"] = dotted(kabupaten)
    parts["kabupaten_name"] = prefixes.current_name(kabupaten)
    parts["kecamatan_code"] = dotted(kecamatan)
    parts["kecamatan_name"] = prefixes.current_name(kecamatan)
    parts["region_status"] = "unknown"
    fix = f"Periksa kembali {subject} sesuai dokumen aslinya (KTP-el atau Kartu Keluarga)."
    blocked = False
    if not prefixes.province_known(province):
        result.add(
            Finding(
                path,
                f"{code}_province_unknown",
                "error",
                f"Kode provinsi pada {subject} (2 angka pertama: {province}) tidak dikenal. {fix}",
            )
        )
        blocked = True
    if digits[2:4] == "00":
        result.add(
            Finding(
                path,
                f"{code}_kabupaten_zero",
                "error",
                f"Kode kabupaten/kota pada {subject} (angka ke-3 dan ke-4) tidak boleh 00. {fix}",
            )
        )
        blocked = True
    if digits[4:6] == "00":
        result.add(
            Finding(
                path,
                f"{code}_kecamatan_zero",
                "error",
                f"Kode kecamatan pada {subject} (angka ke-5 dan ke-6) tidak boleh 00. {fix}",
            )
        )
        blocked = True
    if blocked:
        return
    if parts["kecamatan_name"] is not None:
        parts["region_status"] = "current"
        return
    retired = prefixes.retired(kecamatan) or prefixes.retired(kabupaten)
    if retired is not None:
        parts["region_status"] = "historical"
        if retired.code == dotted(kecamatan):
            parts["kecamatan_name"] = retired.name
        kabupaten_retired = prefixes.retired(kabupaten)
        if kabupaten_retired is not None:
            parts["kabupaten_name"] = kabupaten_retired.name
        now = ""
        if retired.successor_description is not None:
            verb = "menjadi" if len(retired.successor_code or "") == len(retired.code) else "termasuk"
            now = f" Wilayah itu sekarang {verb} {retired.successor_description} ({retired.successor_code})."
        result.add(
            Finding(
                path,
                f"{code}_prefix_historical",
                "warning",
                f"Kode wilayah pada {subject} ({dotted(kecamatan)}) adalah kode lama untuk {retired.description}, "
                f"terakhir dipakai pada daftar wilayah Kemendagri tahun {retired.last_seen_edition}.{now} "
                f"{subject} yang terbit sebelum pemekaran tetap berlaku dan tidak perlu diubah; lanjutkan bila "
                "angkanya sama dengan dokumen aslinya.",
            )
        )
        return
    where = "kecamatan" if parts["kabupaten_name"] is not None else "kabupaten/kota dan kecamatan"
    result.add(
        Finding(
            path,
            f"{code}_prefix_unknown",
            "warning",
            f"Kode {where} pada {subject} ({dotted(kecamatan)}) tidak ada dalam daftar wilayah Kemendagri saat ini "
            "maupun daftar kode lama. Ini bisa terjadi setelah pemekaran wilayah; pastikan 6 angka pertama "
            f"{subject} sama dengan dokumen aslinya (KTP-el atau Kartu Keluarga).",
        )
    )


def check_serial(result: IdentifierCheck, digits: str, *, subject: str, code: str, path: str) -> None:
    """Record the 4-digit serial and report 0000, which SIAK never assigns (serials start at 0001)."""
    serial = digits[12:16]
    result.parts["serial"] = serial
    if serial == "0000":
        result.add(
            Finding(
                path,
                f"{code}_serial_zero",
                "error",
                f"Nomor urut pada {subject} (4 angka terakhir) tidak boleh 0000. Periksa kembali {subject} "
                "sesuai dokumen aslinya (KTP-el atau Kartu Keluarga).",
            )
        )


def check_digits(result: IdentifierCheck, *, subject: str, code: str, path: str, fix: str, length: int = 16) -> bool:
    """Report non-digits and a wrong length of `result.normalized`; return True if it is `length` digits."""
    text = result.normalized
    digit_count = sum(1 for c in text if "0" <= c <= "9")
    others = len(text) - digit_count
    if others:
        hint = ""
        if any(c in "OoIl" for c in text):
            hint = " Huruf O, I atau l mungkin terketik sebagai pengganti angka 0 atau 1."
        result.add(
            Finding(
                path,
                f"{code}_not_digits",
                "error",
                f"{subject} hanya boleh berisi angka 0-9; huruf dan tanda lain tidak diperbolehkan "
                f"(ada {others} karakter bukan angka).{hint} {fix}",
            )
        )
    if digit_count != length:
        result.add(
            Finding(
                path,
                f"{code}_length",
                "error",
                f"{subject} harus {length} angka; yang diisi {digit_count} angka. {fix}",
            )
        )
    return not others and digit_count == length


def value_type_finding(value: object, *, subject: str, code: str, path: str, fix: str) -> Finding | None:
    """Return an error for a value that is neither text nor a whole number, else None (None counts as empty)."""
    if value is None or isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return None
    if isinstance(value, float):
        message = (
            f"{subject} tersimpan sebagai bilangan pecahan (misalnya dari Excel), sehingga angka-angkanya bisa "
            f"berubah. Ketik ulang {subject} sebagai teks. {fix}"
        )
    else:
        message = f"{subject} harus berupa teks berisi angka; nilai yang diterima bukan teks. {fix}"
    return Finding(path, f"{code}_invalid_type", "error", message)
