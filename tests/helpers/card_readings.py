"""Card readings made by hand, as the reader would return them, for the review view's tests and bench:
a family with valid NIKs (region 35.21.01), each value with its box on a drawn page image."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import cv2
import numpy as np
import numpy.typing as npt

from app.cardread.model import Box, CardReading, ReadRow, ReadValue

PAGE_WIDTH, PAGE_HEIGHT = 2000, 1400
KK_NUMBER = "3521010101100009"


@dataclass(frozen=True)
class Member:
    """One member as printed on the card (text) and as the form holds it (value)."""

    values: Mapping[str, tuple[str, str]]  # field id -> (text on the card, value in the form's terms)


def _member(
    nik: str,
    name: str,
    sex: str,
    place: str,
    born: str,
    status: str,
    shdk: str,
    father: str,
    mother: str,
    married: str = "",
) -> Member:
    sex_code = "1" if sex == "LAKI-LAKI" else "2"
    status_code = {"BELUM KAWIN": "1", "KAWIN TERCATAT": "2"}[status]
    shdk_code = {"KEPALA KELUARGA": "1", "ISTRI": "3", "ANAK": "4", "FAMILI LAIN": "9"}[shdk]
    day, month, year = born.split("-")
    values: dict[str, tuple[str, str]] = {
        "nama_lengkap": (name, name),
        "nik": (nik, nik),
        "jenis_kelamin": (sex, sex_code),
        "tempat_lahir": (place, place),
        "tanggal_lahir": (born, f"{year}-{month}-{day}"),
        "agama": ("ISLAM", "1"),
        "pendidikan": ("SLTA / SEDERAJAT", "5"),
        "pekerjaan": ("PETANI/PEKEBUN", "9"),
        "golongan_darah": ("O", "4"),
        "status_kawin": (status, status_code),
        "shdk": (shdk, shdk_code),
        "kewarganegaraan": ("WNI", "1"),
        "nama_ayah": (father, father),
        "nama_ibu": (mother, mother),
    }
    if married:
        d, m, y = married.split("-")
        values["tanggal_kawin"] = (married, f"{y}-{m}-{d}")
    return Member(values)


FAMILY: tuple[Member, ...] = (
    _member(
        "3521011705800001",
        "BUDI SANTOSO",
        "LAKI-LAKI",
        "NGAWI",
        "17-05-1980",
        "KAWIN TERCATAT",
        "KEPALA KELUARGA",
        "KARSO",
        "SITI AMINAH",
        married="12-06-2005",
    ),
    _member(
        "3521014902830002",
        "SRI WAHYUNI",
        "PEREMPUAN",
        "MADIUN",
        "09-02-1983",
        "KAWIN TERCATAT",
        "ISTRI",
        "SUPARDI",
        "WARSINI",
        married="12-06-2005",
    ),
    _member(
        "3521010108070003",
        "ANDI PRASETYO",
        "LAKI-LAKI",
        "NGAWI",
        "01-08-2007",
        "BELUM KAWIN",
        "ANAK",
        "BUDI SANTOSO",
        "SRI WAHYUNI",
    ),
    _member(
        "3521016311100004",
        "DEWI LESTARI",
        "PEREMPUAN",
        "NGAWI",
        "23-11-2010",
        "BELUM KAWIN",
        "ANAK",
        "BUDI SANTOSO",
        "SRI WAHYUNI",
    ),
    _member(
        "3521014503150005",
        "RINA MARLINA",
        "PEREMPUAN",
        "NGAWI",
        "05-03-2015",
        "BELUM KAWIN",
        "ANAK",
        "BUDI SANTOSO",
        "SRI WAHYUNI",
    ),
    _member(
        "3521011204160006",
        "RIZKI RAMADHAN",
        "LAKI-LAKI",
        "NGAWI",
        "12-04-2016",
        "BELUM KAWIN",
        "ANAK",
        "BUDI SANTOSO",
        "SRI WAHYUNI",
    ),
    _member(
        "3521015009180007",
        "NUR AINI",
        "PEREMPUAN",
        "NGAWI",
        "10-09-2018",
        "BELUM KAWIN",
        "ANAK",
        "BUDI SANTOSO",
        "SRI WAHYUNI",
    ),
    _member(
        "3521010203450008",
        "KARSO",
        "LAKI-LAKI",
        "NGAWI",
        "02-03-1945",
        "BELUM KAWIN",
        "FAMILI LAIN",
        "SASTRO",
        "PAINEM",
    ),
)
HEADER: Mapping[str, tuple[str, str]] = {
    "nomor_kk": (KK_NUMBER, KK_NUMBER),
    "nama_kepala_keluarga": ("BUDI SANTOSO", "BUDI SANTOSO"),
    "alamat": ("JL MAWAR 1", "JL MAWAR 1"),
    "rt": ("004", "004"),
    "rw": ("002", "002"),
    "kode_pos": ("63263", "63263"),
    "kode_desa": ("SINE", "3521012001"),
    "kode_kecamatan": ("SINE", "352101"),
    "kode_kabupaten": ("NGAWI", "3521"),
    "kode_provinsi": ("JAWA TIMUR", "35"),
}


class PageDrawer:
    """Lays values out on a white page, one line of text each, and remembers their boxes."""

    def __init__(self) -> None:
        self.page: npt.NDArray[np.uint8] = np.full((PAGE_HEIGHT, PAGE_WIDTH, 3), 255, dtype=np.uint8)
        self.x, self.y = 40, 40

    def place(self, text: str) -> Box:
        width = 12 * max(len(text), 1) + 8
        if self.x + width > PAGE_WIDTH - 40:
            self.x, self.y = 40, self.y + 34
        box = Box(self.x, self.y, width, 28)
        cv2.putText(self.page, text, (self.x + 2, self.y + 21), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (0, 0, 0), 1)
        self.x += width + 16
        return box

    def next_line(self) -> None:
        self.x, self.y = 40, self.y + 40


def kk_reading(
    members: int = 5,
    *,
    doubtful: Mapping[tuple[int, str], float | str] | None = None,
    problems: Sequence[str] = (),
) -> tuple[CardReading, npt.NDArray[np.uint8]]:
    """A KK reading of the first `members` of FAMILY and its page. `doubtful` marks values: (row, field) ->
    a confidence below the reader's threshold, or a problem message (row -1: the header)."""
    marks = dict(doubtful or {})
    drawer = PageDrawer()

    def value(row: int, field: str, text: str, mapped: str) -> ReadValue:
        mark = marks.get((row, field))
        confidence = mark if isinstance(mark, float) else 0.97
        found = (mark,) if isinstance(mark, str) else ()
        return ReadValue(field, text, mapped, confidence, drawer.place(text), found)

    header = {field: value(-1, field, text, mapped) for field, (text, mapped) in HEADER.items()}
    drawer.next_line()
    rows = []
    for index, member in enumerate(FAMILY[:members]):
        rows.append(ReadRow({f: value(index, f, text, mapped) for f, (text, mapped) in member.values.items()}))
        drawer.next_line()
    reading = CardReading("kk", PAGE_WIDTH, PAGE_HEIGHT, header, tuple(rows), tuple(problems), 1.2)
    return reading, drawer.page


def unreadable(message: str = "Halaman ini bukan KK atau terbalik: putar kartu dan pindai ulang.") -> CardReading:
    """A page the reader could not read: problems, no rows, no header."""
    return CardReading("kk", PAGE_WIDTH, PAGE_HEIGHT, problems=(message,))


def without_value(reading: CardReading, row: int, field: str) -> CardReading:
    """The reading with one member value unmapped (read, but not recognised)."""
    rows = list(reading.rows)
    values = dict(rows[row].values)
    values[field] = replace(values[field], value=None, confidence=0.4)
    rows[row] = ReadRow(values, rows[row].problems)
    return replace(reading, rows=tuple(rows))


def ktp_reading(member: int = 0) -> tuple[CardReading, npt.NDArray[np.uint8]]:
    """A KTP-el front of one member of FAMILY: the person as the one row, the address as the header."""
    drawer = PageDrawer()
    on_card = (
        "nik",
        "nama_lengkap",
        "tempat_lahir",
        "tanggal_lahir",
        "jenis_kelamin",
        "agama",
        "status_kawin",
        "pekerjaan",
        "kewarganegaraan",
    )
    person = FAMILY[member].values
    row = {f: ReadValue(f, person[f][0], person[f][1], 0.95, drawer.place(person[f][0])) for f in on_card}
    header = {
        f: ReadValue(f, text, mapped, 0.95, drawer.place(text))
        for f, (text, mapped) in HEADER.items()
        if f in ("alamat", "rt", "rw", "kode_desa", "kode_kecamatan", "kode_kabupaten", "kode_provinsi")
    }
    return CardReading("ktp", PAGE_WIDTH, PAGE_HEIGHT, header, (ReadRow(row),)), drawer.page
