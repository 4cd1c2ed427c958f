"""Read the front of a KTP-el: its "Label : value" lines (NIK, Nama, Tempat/Tgl Lahir, Jenis Kelamin,
Alamat, RT/RW, Kel/Desa, Kecamatan, Agama, Status Perkawinan, Pekerjaan, Kewarganegaraan) and the
provinsi and kabupaten/kota printed above them.

The person's values form the reading's single row (F-1.01 member field ids); the address (alamat, rt,
rw and the region codes) is the reading's header, as on a KK."""

from __future__ import annotations

import time
from dataclasses import replace
from difflib import SequenceMatcher

import numpy as np

from app.cardread import pages, values
from app.cardread.engine import ANY, DIGITS, UPPER, Line, Recognizer, shared
from app.cardread.fields import FieldKind, code_field, date_field, make_value, name_field, number_field, text_field
from app.cardread.layout import BLURRED, Page, analyse, crop, label_value_lines, sharpness, text_lines
from app.cardread.model import Box, CardReading, ReadRow, ReadValue
from app.cardread.regions import check_header_regions, split_rt_rw
from app.identity import check_nik

LABELS = {
    "NIK": "nik",
    "NAMA": "nama_lengkap",
    "TEMPAT/TGL LAHIR": "lahir",
    "JENIS KELAMIN": "jenis_kelamin",
    "ALAMAT": "alamat",
    "RT/RW": "rt_rw",
    "KEL/DESA": "desa",
    "KECAMATAN": "kecamatan",
    "AGAMA": "agama",
    "STATUS PERKAWINAN": "status_kawin",
    "PEKERJAAN": "pekerjaan",
    "KEWARGANEGARAAN": "kewarganegaraan",
    "BERLAKU HINGGA": "berlaku",
}
PLACE_CHARS = UPPER + " .-()'/"
KINDS: dict[str, tuple[FieldKind, str]] = {
    "nik": (number_field("NIK"), DIGITS),
    "nama_lengkap": (name_field("Nama"), UPPER + " .,'-"),
    "lahir": (text_field("Tempat/Tgl Lahir"), UPPER + DIGITS + " ,.-"),
    "jenis_kelamin": (code_field("jenis_kelamin", "Jenis Kelamin"), UPPER + "-"),
    "alamat": (text_field("Alamat"), UPPER + DIGITS + " ./,-()'"),
    "rt_rw": (text_field("RT/RW", DIGITS + "/"), DIGITS + "/"),
    "desa": (text_field("Kel/Desa", PLACE_CHARS), PLACE_CHARS),
    "kecamatan": (text_field("Kecamatan", PLACE_CHARS), PLACE_CHARS),
    "agama": (code_field("agama", "Agama"), UPPER + " /"),
    "status_kawin": (code_field("status_kawin", "Status Perkawinan"), UPPER + " "),
    "pekerjaan": (code_field("pekerjaan", "Pekerjaan"), UPPER + " /().,-"),
    "kewarganegaraan": (code_field("kewarganegaraan", "Kewarganegaraan"), UPPER),
}
# The KTP-el prints "KAWIN" and "CERAI HIDUP" without saying whether the event was recorded: no code.
UNSPECIFIED_MARRIAGE = {"KAWIN", "CERAI HIDUP"}


def read_ktp(image: np.ndarray, recognizer: Recognizer | None = None) -> CardReading:
    """Read a KTP-el front (scan, photo or stored card image) into a CardReading."""
    started = time.perf_counter()
    flat = pages.flatten(image, "ktp")
    reader = recognizer or shared()
    reading = _read(analyse(flat.gray, ruled=False), flat, reader)
    if not reading.usable and reading.problems == (pages.NOT_KTP,):
        turned = analyse(np.ascontiguousarray(np.rot90(flat.gray, 2)), ruled=False)
        if _read(turned, flat, reader).usable:
            reading = replace(reading, problems=(pages.UPSIDE_DOWN,))
    return replace(reading, seconds=round(time.perf_counter() - started, 3))


def _label_of(text: str) -> str | None:
    wanted = values.fold(text)
    best, found = 0.0, None
    for printed, field_id in LABELS.items():
        likeness = SequenceMatcher(None, wanted, values.fold(printed)).ratio()
        if likeness > best:
            best, found = likeness, field_id
    return found if best >= 0.7 else None


def _read(page: Page, flat: pages.Flat, recognizer: Recognizer) -> CardReading:
    empty = CardReading("ktp", page.width, page.height)
    if int(page.ink.sum()) < page.width * page.height * 0.002:
        return replace(empty, problems=(pages.BLANK,))
    area = Box(0, 0, round(page.width * 0.74), page.height)
    lines = text_lines(page.text, area, min_height=max(8, page.height // 70))
    pairs: list[tuple[Box, Box]] = []
    titles: list[Box] = []
    for line, label, value in label_value_lines(page.text, lines):
        if label is None or value is None:
            if not pairs:
                titles.append(line)
            continue
        pairs.append((label, value))
    if len(pairs) < 3:
        return replace(empty, problems=(pages.UNREADABLE if sharpness(page) < BLURRED else pages.NOT_KTP,))
    crops = [crop(page.gray, label) for label, _ in pairs]
    labels = [_label_of(line.text) for line in recognizer.read(crops, [ANY + " "] * len(crops))]
    if "nik" not in labels or "nama_lengkap" not in labels:
        return replace(empty, problems=(pages.NOT_KTP,))
    jobs: list[tuple[str, Box]] = [
        (field_id, value) for field_id, (_, value) in zip(labels, pairs, strict=True) if field_id in KINDS
    ]
    title_jobs = titles[-2:]
    read = recognizer.read(
        [crop(page.gray, box) for _, box in jobs] + [crop(page.gray, box) for box in title_jobs],
        [KINDS[field_id][1] for field_id, _ in jobs] + [PLACE_CHARS] * len(title_jobs),
    )
    found: dict[str, ReadValue] = {}
    for (field_id, where), said in zip(jobs, read, strict=False):
        found[field_id] = _value(field_id, said, where)
    if len(title_jobs) == 2:
        for key, said, where in zip(("provinsi", "kabupaten"), read[len(jobs) :], title_jobs, strict=True):
            text = said.text.removeprefix("PROVINSI").strip() if key == "provinsi" else said.text
            found[key] = ReadValue(key, text, text, said.confidence, where)
    problems: list[str] = []
    if flat.source_dpi < pages.MIN_SOURCE_DPI["ktp"]:
        problems.append(pages.TOO_FAR)
    if flat.cut_off:
        problems.append(pages.CUT_OFF)
    row = _person(found)
    header = _address(found)
    return CardReading("ktp", page.width, page.height, header, (ReadRow(row),), tuple(problems))


def _value(field_id: str, line: Line, box: Box) -> ReadValue:
    kind = KINDS[field_id][0]
    if field_id == "status_kawin" and values.fold(line.text) in {values.fold(w) for w in UNSPECIFIED_MARRIAGE}:
        return ReadValue(
            field_id,
            line.text,
            None,
            line.confidence,
            box,
            (
                f"Status Perkawinan: KTP-el menulis '{line.text}' tanpa keterangan tercatat atau belum; "
                "pilih sesuai akta atau KK.",
            ),
        )
    return make_value(field_id, kind, line, box)


def _person(found: dict[str, ReadValue]) -> dict[str, ReadValue]:
    row = {
        k: v
        for k, v in found.items()
        if k in ("nik", "nama_lengkap", "jenis_kelamin", "agama", "status_kawin", "pekerjaan", "kewarganegaraan")
    }
    born = found.get("lahir")
    if born is not None:
        place, _, day = born.text.rpartition(",")
        if not place:
            place, day = " ".join(born.text.split()[:-1]), (born.text.split() or [""])[-1]
        row["tempat_lahir"] = make_value(
            "tempat_lahir", name_field("Tempat Lahir"), Line(place, born.confidence), born.box
        )
        row["tanggal_lahir"] = make_value(
            "tanggal_lahir", date_field("Tanggal Lahir"), Line(day.strip(), born.confidence), born.box
        )
    nik = row.get("nik")
    if nik is not None and nik.value is not None:
        sex_read, born_read = row.get("jenis_kelamin"), row.get("tanggal_lahir")
        sex = int(sex_read.value) if sex_read is not None and sex_read.value else None
        birth = None
        if born_read is not None and born_read.value:
            birth = values.date(born_read.value[8:10] + born_read.value[5:7] + born_read.value[0:4])
        result = check_nik(nik.value, sex=sex, birth_date=birth)
        messages = tuple(f"NIK: {f.message}" for f in result.findings)
        if messages:
            row["nik"] = replace(nik, problems=nik.problems + messages)
    return row


def _address(found: dict[str, ReadValue]) -> dict[str, ReadValue]:
    header: dict[str, ReadValue] = {}
    if "alamat" in found:
        header["alamat"] = found["alamat"]
    if "rt_rw" in found:
        header.update(split_rt_rw(found["rt_rw"]))
    header.update(check_header_regions(found, None))
    return header
