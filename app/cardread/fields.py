"""The fields a card prints and how each is read: the recogniser's characters for it and how its text
becomes the form's value (code list, date, number, name), as ReadValues with their problems."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from app.cardread import values
from app.cardread.engine import DIGITS, UPPER, Line
from app.cardread.model import LOW_CONFIDENCE, Box, ReadValue

NAME_CHARS = UPPER + " .,'-"
WORD_CHARS = UPPER + " /().,-+"
DATE_CHARS = DIGITS + "-"
DOC_CHARS = UPPER + DIGITS + "-/"
FREE_CHARS = UPPER + DIGITS + " ./,-()'"

# Wording seen on cards (and the KTP-el) for codes whose label differs.
EXTRA_WORDING: dict[str, dict[str, str]] = {
    "jenis_kelamin": {"LAKI-LAKI": "1", "PEREMPUAN": "2"},
    "golongan_darah": {"TIDAK TAHU": "13", "-": "13"},
    "pendidikan": {
        "TIDAK/BELUM SEKOLAH": "1",
        "TAMAT SD/SEDERAJAT": "3",
        "SLTA/SEDERAJAT": "5",
        "DIPLOMA I/II": "6",
        "AKADEMI/DIPLOMA III/S. MUDA": "7",
        "DIPLOMA IV/STRATA I": "8",
    },
}


@dataclass(frozen=True)
class FieldKind:
    """How one field is read."""

    charset: str
    to_value: Callable[[str], tuple[str | None, str, float, tuple[str, ...]]]


def code_field(list_id: str, title: str) -> FieldKind:
    """A field holding a code of `list_id`, printed as its label."""

    def convert(text: str) -> tuple[str | None, str, float, tuple[str, ...]]:
        mapped = values.code(list_id, text, EXTRA_WORDING.get(list_id))
        if mapped.value is None:
            return (
                None,
                text,
                mapped.likeness,
                (f"{title}: '{text}' tidak ada dalam daftar pilihan; pilih dari daftar.",),
            )
        if mapped.margin < values.MIN_MARGIN:
            label = values.label(list_id, mapped.value) or mapped.value
            return (
                mapped.value,
                text,
                mapped.likeness,
                (f"{title}: terbaca '{text}', mirip '{label}' dan pilihan lain; periksa kartu lalu pilih yang benar.",),
            )
        return mapped.value, text, mapped.likeness, ()

    return FieldKind(WORD_CHARS, convert)


def date_field(title: str) -> FieldKind:
    """A DD-MM-YYYY date, as YYYY-MM-DD."""

    def convert(text: str) -> tuple[str | None, str, float, tuple[str, ...]]:
        found = values.date(text)
        if found is None:
            return None, text, 0.0, (f"{title}: '{text}' bukan tanggal HH-BB-TTTT; ketik sesuai kartu.",)
        if found > datetime.date.today():
            return None, text, 0.0, (f"{title}: {text} ada di masa depan; periksa kartu.",)
        return found.isoformat(), text, 1.0, ()

    return FieldKind(DATE_CHARS, convert)


def number_field(title: str) -> FieldKind:
    """A 16-digit number (NIK, Nomor KK); its checks come later, with the rest of the row."""

    def convert(text: str) -> tuple[str | None, str, float, tuple[str, ...]]:
        found = values.number(text)
        if found is None:
            digits = "".join(ch for ch in text if ch.isdigit())
            return None, text, 0.0, (f"{title}: terbaca {len(digits)} angka, seharusnya 16; ketik sesuai kartu.",)
        return found, text, 1.0, ()

    return FieldKind(DIGITS, convert)


def name_field(title: str) -> FieldKind:
    """A person's or place's name in capitals."""

    def convert(text: str) -> tuple[str | None, str, float, tuple[str, ...]]:
        cleaned = values.name(text)
        if not cleaned:
            return None, text, 0.0, (f"{title} tidak terbaca; ketik sesuai kartu.",)
        return cleaned, text, 1.0, ()

    return FieldKind(NAME_CHARS, convert)


def text_field(title: str, charset: str = FREE_CHARS) -> FieldKind:
    """Free text (an address, a document number)."""

    def convert(text: str) -> tuple[str | None, str, float, tuple[str, ...]]:
        cleaned = values.free_text(text)
        if not cleaned:
            return None, text, 0.0, (f"{title} tidak terbaca; ketik sesuai kartu.",)
        return cleaned, text, 1.0, ()

    return FieldKind(charset, convert)


def make_value(field_id: str, kind: FieldKind, line: Line, box: Box | None) -> ReadValue:
    """A ReadValue from what the recogniser read; the confidence is the reading's, lowered when the text
    had to be matched loosely to a label."""
    value, text, likeness, problems = kind.to_value(line.text)
    confidence = line.confidence if likeness >= 1.0 else min(line.confidence, likeness)
    if value is not None and 0.0 < likeness < 1.0:
        # Matched loosely: still proposed, but the officer looks when the match is far.
        confidence = min(confidence, LOW_CONFIDENCE + (likeness - values.MIN_LIKENESS))
    return ReadValue(field_id, text, value, round(float(confidence), 3), box, problems)


def is_dash(box: Box, line_height: float) -> bool:
    """A cell holding only "-" (nothing to fill): a short, flat mark."""
    return box.height < 0.3 * line_height and box.width < 1.6 * line_height
