"""Personal name checks per Permendagri 73/2022 (pencatatan nama pada dokumen kependudukan)."""

from __future__ import annotations

import unicodedata
from typing import Final

from app.findings import Finding, Severity
from app.identity.normalize import input_text
from app.identity.result import IdentifierCheck

MAX_NAME_LENGTH: Final = 60
# The apostrophe is allowed although the regulation bans punctuation: it is part of the Latin spelling of
# many names transliterated from Arabic ("Ma'ruf", "Syafi'i", "Qur'ani") and is printed so on the KTP-el
# and KK. The hyphen is not: it joins words that the regulation wants written as separate words.
_APOSTROPHES: Final = {ord(c): "'" for c in "\u2018\u2019\u02bc\u0060\u00b4"}
_LEGACY_NOTE: Final = " Dokumen yang terbit sebelum 2022 tetap berlaku; ubah hanya bila pemohon memperbaiki namanya."


def check_name(value: object, *, legacy: bool = False, path: str = "") -> IdentifierCheck:
    """Check a personal name (without titles); never raises, whatever `value` is.

    For a new name (legacy=False) breaches of the regulation are errors; for a name already on documents
    issued before 2022 (legacy=True) they are warnings. Fewer than two words is only ever a warning:
    the Dirjen Dukcapil called that rule "not rigid".
    """
    text = input_text(value)
    if value is None:
        value = ""
    if not isinstance(value, str):
        return IdentifierCheck(
            input=text,
            kind="name",
            normalized="",
            errors=[Finding(path, "name_invalid_type", "error", "Nama harus diisi sebagai teks.")],
        )
    normalized = " ".join(unicodedata.normalize("NFC", value).translate(_APOSTROPHES).split())
    result = IdentifierCheck(input=text, kind="name", normalized=normalized)
    if not normalized:
        result.add(Finding(path, "name_empty", "error", "Nama belum diisi. Tulis nama lengkap sesuai dokumen."))
        return result
    severity: Severity = "warning" if legacy else "error"
    note = _LEGACY_NOTE if legacy else ""
    words = normalized.split(" ")
    result.parts["length"] = len(normalized)
    result.parts["word_count"] = len(words)

    if len(normalized) > MAX_NAME_LENGTH:
        result.add(
            Finding(
                path,
                "name_too_long",
                severity,
                f"Nama terlalu panjang: {len(normalized)} huruf termasuk spasi, paling banyak {MAX_NAME_LENGTH} "
                f"(Permendagri 73/2022).{note}",
            )
        )
    digits = [c for c in normalized if c.isdigit()]
    if digits:
        result.add(
            Finding(
                path,
                "name_has_digits",
                severity,
                f"Nama tidak boleh berisi angka (Permendagri 73/2022). Hapus angka dari nama.{note}",
            )
        )
    punctuation = sorted({c for c in normalized if not (c.isalpha() or c.isdigit() or c in " '")})
    if punctuation:
        shown = " ".join(punctuation)
        result.add(
            Finding(
                path,
                "name_punctuation",
                severity,
                f"Nama tidak boleh berisi tanda baca ({shown}); hanya huruf, spasi dan tanda petik (') yang "
                f"diperbolehkan. Gelar ditulis di kolomnya sendiri, bukan di nama.{note}",
            )
        )
    letters = [c for c in normalized if c.isalpha()]
    non_latin = [c for c in letters if not unicodedata.name(c, "").startswith("LATIN ")]
    if non_latin:
        result.add(
            Finding(
                path,
                "name_not_latin",
                severity,
                f"Nama harus ditulis dengan huruf Latin (A-Z) sesuai ejaan bahasa Indonesia.{note}",
            )
        )
    accented = sorted({c for c in letters if not c.isascii() and c not in non_latin})
    if accented:
        result.add(
            Finding(
                path,
                "name_accented_letter",
                "warning",
                f"Nama berisi huruf beraksen ({' '.join(accented)}); SIAK umumnya hanya memakai huruf A-Z. "
                "Pastikan penulisannya sama dengan dokumen asal.",
            )
        )
    if len(words) < 2:
        result.add(
            Finding(
                path,
                "name_single_word",
                "warning",
                "Nama hanya satu kata. Permendagri 73/2022 menganjurkan paling sedikit dua kata, tetapi tidak "
                "wajib; lanjutkan bila nama memang tertulis demikian.",
            )
        )
    if any(len(w.strip(".'")) == 1 and w.strip(".'").isalpha() for w in words):
        result.add(
            Finding(
                path,
                "name_abbreviated",
                "warning",
                "Nama tampaknya berisi singkatan (satu huruf). Permendagri 73/2022 melarang menyingkat nama "
                "kecuali singkatan itu tidak bermakna lain; tulis nama lengkap bila ada.",
            )
        )
    return result
