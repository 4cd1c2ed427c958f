"""Read a Kartu Keluarga page: its title and number, the header block and the two member tables, into a
CardReading checked against app.identity (NIK, Nomor KK) and the region data (the desa exists).

The layout is found from what is printed: the two ruled member tables (10 and 9 columns, the first
above the second), the title above them and the "Label : value" lines between."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

import numpy as np

from app.cardread import pages, values
from app.cardread.engine import ANY, DIGITS, UPPER, Line, Recognizer, shared
from app.cardread.fields import (
    DOC_CHARS,
    FieldKind,
    code_field,
    date_field,
    is_dash,
    make_value,
    name_field,
    number_field,
    text_field,
)
from app.cardread.layout import (
    BLURRED,
    Page,
    Table,
    analyse,
    crop,
    find_tables,
    ink_box,
    label_value_lines,
    member_rows,
    sharpness,
    text_lines,
)
from app.cardread.model import Box, CardReading, ReadRow, ReadValue
from app.cardread.regions import check_header_regions, split_rt_rw
from app.identity import check_kk, check_nik

TITLE = "KARTU KELUARGA"

# The member tables' columns after "No", in print order: (field id, how it is read).
TABLE1: tuple[tuple[str, FieldKind], ...] = (
    ("nama_lengkap", name_field("Nama Lengkap")),
    ("nik", number_field("NIK")),
    ("jenis_kelamin", code_field("jenis_kelamin", "Jenis Kelamin")),
    ("tempat_lahir", name_field("Tempat Lahir")),
    ("tanggal_lahir", date_field("Tanggal Lahir")),
    ("agama", code_field("agama", "Agama")),
    ("pendidikan", code_field("pendidikan", "Pendidikan")),
    ("pekerjaan", code_field("pekerjaan", "Jenis Pekerjaan")),
    ("golongan_darah", code_field("golongan_darah", "Golongan Darah")),
)
TABLE2: tuple[tuple[str, FieldKind], ...] = (
    ("status_kawin", code_field("status_kawin", "Status Perkawinan")),
    ("tanggal_kawin", date_field("Tanggal Perkawinan")),
    ("shdk", code_field("shdk", "Status Hubungan Dalam Keluarga")),
    ("kewarganegaraan", code_field("kewarganegaraan", "Kewarganegaraan")),
    ("nomor_paspor", text_field("Nomor Paspor", DOC_CHARS)),
    ("nomor_itas", text_field("Nomor KITAP", DOC_CHARS)),
    ("nama_ayah", name_field("Nama Ayah")),
    ("nama_ibu", name_field("Nama Ibu")),
)

# The header's printed labels → field ids ("RT/RW" holds two).
HEADER_LABELS = {
    "NAMA KEPALA KELUARGA": "nama_kepala_keluarga",
    "ALAMAT": "alamat",
    "RT/RW": "rt_rw",
    "DESA/KELURAHAN": "desa",
    "KECAMATAN": "kecamatan",
    "KABUPATEN/KOTA": "kabupaten",
    "KODE POS": "kode_pos",
    "PROVINSI": "provinsi",
}
HEADER_KINDS: dict[str, FieldKind] = {
    "nama_kepala_keluarga": name_field("Nama Kepala Keluarga"),
    "alamat": text_field("Alamat"),
    "rt_rw": text_field("RT/RW", DIGITS + "/"),
    "desa": text_field("Desa/Kelurahan", UPPER + " .-()'/"),
    "kecamatan": text_field("Kecamatan", UPPER + " .-()'/"),
    "kabupaten": text_field("Kabupaten/Kota", UPPER + " .-()'/"),
    "kode_pos": text_field("Kode Pos", DIGITS),
    "provinsi": text_field("Provinsi", UPPER + " .-()'/"),
}
NUMBER_KIND = number_field("Nomor KK")


@dataclass
class _Job:
    """One crop to read and what it is for."""

    crop: np.ndarray
    charset: str
    box: Box
    target: tuple[str, int, str]  # ("title"|"number"|"label"|"value"|"cell", row, field)
    kind: FieldKind | None = None


def read_kk(image: np.ndarray, recognizer: Recognizer | None = None) -> CardReading:
    """Read a KK page (any capture: scan, photo, stored page) into a CardReading."""
    started = time.perf_counter()
    flat = pages.flatten(image, "kk")
    page = analyse(flat.gray)
    reading = _read_page(page, flat, recognizer or shared())
    return replace(reading, seconds=round(time.perf_counter() - started, 3))


def _empty(page: Page, *problems: str) -> CardReading:
    return CardReading("kk", page.width, page.height, problems=tuple(problems))


def _touches_edge(box: Box, page: Page) -> bool:
    # analyse() ignores rules this close to the picture's edge: a table reaching them was cut there.
    margin = min(page.width, page.height) // 150 + 4
    return (
        box.x <= margin
        or box.y <= margin
        or box.x + box.width >= page.width - margin
        or box.y + box.height >= page.height - margin
    )


def _page_problem(page: Page, tables: list[Table], flat: pages.Flat) -> tuple[str | None, Table | None, Table | None]:
    """A page-level fault that stops the reading, or the two member tables."""
    if int(page.ink.sum()) < page.width * page.height * 0.002:
        return pages.BLANK, None, None
    first = next((t for t in tables if t.columns() == len(TABLE1) + 1), None)
    second = next((t for t in tables if t.columns() == len(TABLE2) + 1), None)
    if any(_touches_edge(t.box, page) for t in tables) or (flat.cut_off and (first is None or second is None)):
        return pages.CUT_OFF, None, None
    if first is None or second is None:
        turned = analyse(np.ascontiguousarray(np.rot90(flat.gray)))
        counts = {t.columns() for t in find_tables(turned)}
        if {len(TABLE1) + 1, len(TABLE2) + 1} <= counts:
            return pages.SIDEWAYS, None, None
        return (pages.UNREADABLE if sharpness(page) < BLURRED else pages.NOT_KK), None, None
    if first.box.y > second.box.y:
        return pages.UPSIDE_DOWN, None, None
    return None, first, second


def _read_page(page: Page, flat: pages.Flat, recognizer: Recognizer) -> CardReading:
    tables = find_tables(page)
    problem, first, second = _page_problem(page, tables, flat)
    if problem is not None or first is None or second is None:
        return _empty(page, problem or pages.NOT_KK)
    rows1, _ = member_rows(first, len(TABLE1) + 1)
    rows2, _ = member_rows(second, len(TABLE2) + 1)
    jobs: list[_Job] = []
    _top_jobs(page, first, jobs)
    _header_jobs(page, first, jobs)
    members = _cell_jobs(page, rows1, rows2, jobs)
    lines = recognizer.read([j.crop for j in jobs], [j.charset for j in jobs])
    _read_doubtful_again(recognizer, jobs, lines)
    return _assemble(page, flat, jobs, lines, members)


def _fits(job: _Job, line: Line) -> bool:
    """Whether a reading maps exactly into its field (a code's own label, a date, 16 digits)."""
    if job.kind is None:
        return True
    value, _, likeness, problems = job.kind.to_value(line.text)
    return value is not None and likeness >= 1.0 and not problems


def _read_doubtful_again(recognizer: Recognizer, jobs: list[_Job], lines: list[Line]) -> None:
    """Cells whose reading fits their field only loosely are read again more closely; the new reading is
    kept when it fits exactly."""
    again = [i for i, job in enumerate(jobs) if job.target[0] == "cell" and not _fits(job, lines[i])]
    if not again:
        return
    closer = recognizer.read_closely([jobs[i].crop for i in again], [jobs[i].charset for i in again])
    for i, line in zip(again, closer, strict=True):
        if _fits(jobs[i], line):
            lines[i] = line


def _top_jobs(page: Page, first: Table, jobs: list[_Job]) -> None:
    """The title and the number line: the tallest lines in the middle above the header."""
    area = Box(page.width // 4, 0, page.width // 2, max(1, first.box.y))
    lines = text_lines(page.text, area)
    if not lines:
        return
    title = max(lines[: max(1, len(lines) // 2 + 1)], key=lambda b: b.height)
    jobs.append(_Job(crop(page.gray, title), UPPER + " ", title, ("title", 0, "")))
    below = [b for b in lines if b.y > title.y + title.height]
    if below:
        number = below[0]
        jobs.append(_Job(crop(page.gray, number), DIGITS + "No.", number, ("number", 0, "nomor_kk"), NUMBER_KIND))


def _header_jobs(page: Page, first: Table, jobs: list[_Job]) -> None:
    """The "Label : value" lines between the number line and the first table, in two blocks."""
    titles = [j.box for j in jobs if j.target[0] in ("title", "number")]
    top = max((b.y + b.height for b in titles), default=0) + 4
    bottom = first.box.y - 4
    if bottom <= top:
        return
    middle = first.box.x + first.box.width // 2
    blocks = (
        Box(first.box.x, top, middle - first.box.x, bottom - top),
        Box(middle, top, first.box.x + first.box.width - middle, bottom - top),
    )
    number = 0
    for block in blocks:
        for _, label, value in label_value_lines(page.text, text_lines(page.text, block)):
            if label is None or value is None:
                continue
            number += 1
            jobs.append(_Job(crop(page.gray, label), ANY + " ", label, ("label", number, "")))
            jobs.append(_Job(crop(page.gray, value), UPPER + DIGITS + " ./,-()'", value, ("value", number, "")))


def _cell_jobs(page: Page, rows1: list[tuple[Box, ...]], rows2: list[tuple[Box, ...]], jobs: list[_Job]) -> int:
    """A job per filled cell of the member rows; returns how many rows hold a member."""
    members = 0
    for index, (cells1, cells2) in enumerate(zip(rows1, rows2, strict=False)):
        inked = [ink_box(page.text, cell) for cell in cells1[1:3]]
        if not any(inked):
            continue
        members += 1
        for cells, fields in ((cells1, TABLE1), (cells2, TABLE2)):
            for cell, (field_id, kind) in zip(cells[1:], fields, strict=False):
                box = ink_box(page.text, cell)
                if box is None or is_dash(box, cell.height * 0.55):
                    continue
                jobs.append(_Job(crop(page.gray, box), kind.charset, box, ("cell", index, field_id), kind))
    return members


def _label_of(text: str) -> str | None:
    wanted = values.fold(text)
    best, found = 0.0, None
    for printed, field_id in HEADER_LABELS.items():
        likeness = SequenceMatcher(None, wanted, values.fold(printed)).ratio()
        if likeness > best:
            best, found = likeness, field_id
    return found if best >= 0.7 else None


def _assemble(page: Page, flat: pages.Flat, jobs: list[_Job], lines: list[Line], members: int) -> CardReading:
    problems: list[str] = []
    header: dict[str, ReadValue] = {}
    title_line = next((line for job, line in zip(jobs, lines, strict=True) if job.target[0] == "title"), None)
    if title_line is None or SequenceMatcher(None, values.fold(title_line.text), values.fold(TITLE)).ratio() < 0.7:
        unreadable = (title_line is not None and title_line.confidence < 0.5) or sharpness(page) < BLURRED
        return _empty(page, pages.UNREADABLE if unreadable else pages.NOT_KK)
    labels: dict[int, str] = {}
    for job, line in zip(jobs, lines, strict=True):
        if job.target[0] == "label":
            field_id = _label_of(line.text)
            if field_id is not None:
                labels[job.target[1]] = field_id
    raw_header: dict[str, ReadValue] = {}
    cells: dict[int, dict[str, ReadValue]] = {}
    confidences: list[float] = []
    for job, line in zip(jobs, lines, strict=True):
        what, index, field_id = job.target
        if what == "number" and job.kind is not None:
            header["nomor_kk"] = make_value("nomor_kk", job.kind, line, job.box)
        elif what == "value" and index in labels:
            key = labels[index]
            raw_header[key] = make_value(key, HEADER_KINDS[key], _digits_fixed(line, key), job.box)
        elif what == "cell" and job.kind is not None:
            read = make_value(field_id, job.kind, line, job.box)
            cells.setdefault(index, {})[field_id] = read
            confidences.append(read.confidence)
    if not cells or (confidences and float(np.median(confidences)) < 0.5):
        return _empty(page, pages.UNREADABLE)
    if flat.source_dpi < pages.MIN_SOURCE_DPI["kk"]:
        problems.append(pages.TOO_FAR)
    if "nomor_kk" in header:
        header["nomor_kk"] = _check_kk(header["nomor_kk"])
    header.update(_header_values(raw_header))
    rows = tuple(ReadRow(_check_row(cells[i])) for i in sorted(cells))
    if len(rows) < members:
        problems.append(pages.UNREADABLE)
    return CardReading("kk", page.width, page.height, header, rows, tuple(problems))


_DIGIT_SLIPS = str.maketrans({"O": "0", "D": "0", "Q": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "B": "8", "G": "6"})


def _digits_fixed(line: Line, key: str) -> Line:
    """Header values that are digits (RT/RW, postal code) read with the letters' look-alikes turned back."""
    if key in ("rt_rw", "kode_pos"):
        return Line(line.text.upper().translate(_DIGIT_SLIPS), line.confidence)
    return line


def _header_values(raw: dict[str, ReadValue]) -> dict[str, ReadValue]:
    """The header in the form's fields: RT and RW apart, region names as region codes (checked)."""
    out: dict[str, ReadValue] = {}
    for key in ("nama_kepala_keluarga", "alamat", "kode_pos"):
        if key in raw:
            out[key] = raw[key]
    if "rt_rw" in raw:
        out.update(split_rt_rw(raw["rt_rw"]))
    out.update(check_header_regions(raw, out.get("kode_pos")))
    return out


def _check_kk(read: ReadValue) -> ReadValue:
    if read.value is None:
        return read
    result = check_kk(read.value)
    found = tuple(f"Nomor KK: {f.message}" for f in result.findings)
    return replace(read, problems=read.problems + found) if found else read


def _check_row(values_: dict[str, ReadValue]) -> dict[str, ReadValue]:
    """The row's NIK checked against the row's sex and birth date (app.identity): a NIK failing its checks
    carries the findings as problems, so the review never pre-accepts it."""
    nik = values_.get("nik")
    if nik is None or nik.value is None:
        return values_
    sex_read, born_read = values_.get("jenis_kelamin"), values_.get("tanggal_lahir")
    sex = int(sex_read.value) if sex_read is not None and sex_read.value else None
    born = None
    if born_read is not None and born_read.value:
        born = values.date(born_read.value[8:10] + born_read.value[5:7] + born_read.value[0:4])
    result = check_nik(nik.value, sex=sex, birth_date=born)
    found = tuple(f"NIK: {f.message}" for f in result.findings)
    if found:
        values_["nik"] = replace(nik, problems=nik.problems + found)
    return values_
