"""The header's region names (provinsi, kabupaten/kota, kecamatan, desa/kelurahan) as region codes of the
shipped region data, each looked up under the one above, forgiving small OCR slips; a name that is not
there, or a postal code that is not the desa's, becomes a problem for the officer."""

from __future__ import annotations

import re
from dataclasses import replace
from difflib import SequenceMatcher

from app.cardread.model import ReadValue
from app.regions import Region, default_index

# The card may print "KABUPATEN X" / "KOTA X" / "KAB. X" or just "X".
_PREFIXES = ("KABUPATEN", "KAB", "KOTA", "ADM", "KOTA ADM", "PROVINSI", "KECAMATAN", "DESA", "KELURAHAN")
MIN_LIKENESS = 0.8

LEVELS = (
    ("provinsi", "kode_provinsi", "Provinsi"),
    ("kabupaten", "kode_kabupaten", "Kabupaten/Kota"),
    ("kecamatan", "kode_kecamatan", "Kecamatan"),
    ("desa", "kode_desa", "Desa/Kelurahan"),
)


def _fold(name: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", name.upper())


def _forms(name: str) -> set[str]:
    """A region's name with and without its kind ("KABUPATEN NGAWI" and "NGAWI")."""
    folded = {_fold(name)}
    upper = name.upper()
    for prefix in _PREFIXES:
        if upper.startswith(prefix + " ") or upper.startswith(prefix + ". "):
            folded.add(_fold(upper[len(prefix) :]))
    return folded


def best_match(text: str, candidates: list[Region]) -> tuple[Region | None, float]:
    """The candidate whose name is nearest to `text`, and how near (1.0: the same letters)."""
    wanted = _forms(text)
    best, found = 0.0, None
    for region in candidates:
        for form in _forms(region.name):
            for want in wanted:
                likeness = 1.0 if form == want else SequenceMatcher(None, want, form, autojunk=False).ratio()
                if likeness > best:
                    best, found = likeness, region
    return found, best


def split_rt_rw(read: ReadValue) -> dict[str, ReadValue]:
    """The card's "RT/RW" value as the forms' two fields; a part that is not 1-3 digits is proposed as
    nothing, with a problem asking the officer to type it."""
    parts = [p for p in (read.value or "").split("/") if p]
    out: dict[str, ReadValue] = {}
    for i, key in enumerate(("rt", "rw")):
        part = parts[i] if len(parts) == 2 and parts[i].isdigit() and len(parts[i]) <= 3 else None
        unread = f"{key.upper()}: '{read.text}' tidak terbaca sebagai RT/RW; ketik sesuai kartu."
        problems = () if part is not None else (unread,)
        out[key] = ReadValue(key, read.text, part, read.confidence, read.box, problems)
    return out


def check_header_regions(raw: dict[str, ReadValue], postal: ReadValue | None) -> dict[str, ReadValue]:
    """Region codes for the header's names (dotted codes, e.g. "35.21.01.2001"), each with problems when
    the name is not found below the region above it; the postal code checked against the desa's."""
    index = default_index()
    out: dict[str, ReadValue] = {}
    parent: Region | None = None
    for key, field_id, title in LEVELS:
        read = raw.get(key)
        if read is None:
            return out
        candidates = list(index.regions("provinsi")) if parent is None else index.children(parent.code)
        region, likeness = best_match(read.text, candidates)
        where = f" di {parent.name}" if parent is not None else ""
        if region is None or likeness < MIN_LIKENESS:
            problem = (
                f"{title} '{read.text}' tidak ditemukan{where} dalam data wilayah; "
                "pilih wilayah yang benar dari daftar."
            )
            out[field_id] = ReadValue(field_id, read.text, None, read.confidence, read.box, (problem,))
            return out
        confidence = read.confidence if likeness == 1.0 else min(read.confidence, likeness)
        out[field_id] = ReadValue(field_id, read.text, region.code, round(confidence, 3), read.box, read.problems)
        parent = region
    if parent is not None and postal is not None and postal.value is not None:
        expected = index.postal_code(parent.code)
        if expected is not None and expected != postal.value:
            out["kode_pos"] = replace(
                postal,
                problems=(
                    *postal.problems,
                    f"Kode Pos {postal.value} bukan kode pos {parent.name} ({expected}); periksa kartu.",
                ),
            )
    return out
