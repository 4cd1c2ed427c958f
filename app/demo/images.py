"""Made-up document pages drawn with Pillow: a KK, a KTP-el-like card, letters, photos; PNG bytes.

No external assets: text uses DejaVu Sans when the system has it, else Pillow's built-in font. Pages are
drawn at 100 dpi in grayscale with few gray levels so a page stays well under 60 KB.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import textwrap
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from app.demo.people import Address, Family, Person

DPI = 100
A4_PORTRAIT = (827, 1169)
A4_LANDSCAPE = (1169, 827)
CARD = (674, 425)  # ID-1 (85.6 x 54 mm) at 200 dpi
PHOTO_SHEET = (600, 400)
INK, GRAY, LIGHT, PAPER = 0, 110, 200, 255
# zlib level 6: level 9 (Pillow's optimize=True) saves about 8% more at five times the encoding time.
COMPRESS_LEVEL = 6
# Anti-aliased text to four gray levels (black, dark, light, white): a few times smaller than 256 levels.
_FOUR_LEVELS = [(v // 64) * 85 if v < 250 else 255 for v in range(256)]

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".fonts",
)
_SEX = {1: "LAKI-LAKI", 2: "PEREMPUAN"}
_RELIGION = {1: "ISLAM", 2: "KRISTEN", 3: "KATHOLIK", 4: "HINDU", 5: "BUDHA", 6: "KHONGHUCU", 7: "KEPERCAYAAN"}
_MARITAL = {
    1: "BELUM KAWIN",
    2: "KAWIN TERCATAT",
    3: "KAWIN BELUM TERCATAT",
    4: "CERAI HIDUP",
    5: "CERAI HIDUP BELUM TERCATAT",
    6: "CERAI MATI",
}
_SHDK = {1: "KEPALA KELUARGA", 2: "SUAMI", 3: "ISTRI", 4: "ANAK", 5: "MENANTU", 6: "CUCU", 7: "ORANG TUA", 8: "MERTUA"}
_EDUCATION = {
    1: "TIDAK/BELUM SEKOLAH",
    2: "BELUM TAMAT SD",
    3: "TAMAT SD",
    4: "SLTP",
    5: "SLTA",
    6: "DIPLOMA I/II",
    7: "DIPLOMA III",
    8: "DIPLOMA IV/S1",
    9: "STRATA II",
    10: "STRATA III",
}
_JOBS = {
    1: "BELUM/TIDAK BEKERJA", 2: "MENGURUS RUMAH TANGGA", 3: "PELAJAR/MAHASISWA", 4: "PENSIUNAN", 5: "PNS",
    6: "TNI", 7: "POLRI", 8: "PERDAGANGAN", 9: "PETANI/PEKEBUN", 10: "PETERNAK", 15: "KARYAWAN SWASTA",
    19: "BURUH HARIAN LEPAS", 20: "BURUH TANI/PERKEBUNAN", 26: "TUKANG BATU", 27: "TUKANG KAYU",
    30: "TUKANG JAHIT", 65: "GURU", 73: "BIDAN", 74: "PERAWAT", 81: "SOPIR", 84: "PEDAGANG",
    85: "PERANGKAT DESA", 88: "WIRASWASTA",
}  # fmt: skip
_BLOOD = {1: "A", 2: "B", 3: "AB", 4: "O", 5: "A+", 7: "B+", 11: "O+", 13: "-"}


@functools.cache
def font(size: int, bold: bool = False) -> Font:
    """DejaVu Sans (bold) at a pixel size, else Pillow's own scalable font, else its bitmap font."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in _FONT_DIRS:
        path = folder / name
        if path.is_file():
            try:
                return ImageFont.truetype(str(path), size)
            except OSError:
                continue
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType
        return ImageFont.load_default()


def day_text(day: dt.date | None) -> str:
    """A date as printed on documents (DD-MM-YYYY)."""
    return "" if day is None else f"{day:%d-%m-%Y}"


def to_png(image: Image.Image) -> bytes:
    """Grayscale PNG reduced to four gray levels, which is what keeps a page small."""
    gray = image.convert("L").point(_FOUR_LEVELS)
    buffer = io.BytesIO()
    gray.save(buffer, format="PNG", compress_level=COMPRESS_LEVEL, dpi=(DPI, DPI))
    return buffer.getvalue()


def _fit(draw: ImageDraw.ImageDraw, text: str, face: Font, width: int) -> str:
    """The text cut to fit a width in pixels."""
    if draw.textlength(text, font=face) <= width:
        return text
    while text and draw.textlength(text + "..", font=face) > width:
        text = text[:-1]
    return text + ".."


def _centre(draw: ImageDraw.ImageDraw, y: int, text: str, face: Font, width: int, x0: int = 0) -> None:
    length = draw.textlength(text, font=face)
    draw.text((x0 + (width - length) / 2, y), text, fill=INK, font=face)


def _table(
    draw: ImageDraw.ImageDraw,
    top: int,
    left: int,
    columns: Sequence[tuple[str, int]],
    rows: Sequence[Sequence[str]],
    *,
    row_height: int = 22,
    minimum_rows: int = 10,
) -> int:
    """A ruled table with a header row; returns the y below it."""
    head, body = font(11, bold=True), font(11)
    width = sum(w for _, w in columns)
    count = max(len(rows), minimum_rows)
    bottom = top + row_height * (count + 1)
    draw.rectangle((left, top, left + width, bottom), outline=INK, width=1)
    draw.rectangle((left, top, left + width, top + row_height), fill=LIGHT, outline=INK)
    x = left
    for title, w in columns:
        draw.line((x, top, x, bottom), fill=INK)
        draw.text((x + 3, top + 5), _fit(draw, title, head, w - 6), fill=INK, font=head)
        x += w
    for index in range(count):
        y = top + row_height * (index + 1)
        draw.line((left, y, left + width, y), fill=GRAY)
        if index < len(rows):
            x = left
            for (_, w), cell in zip(columns, rows[index], strict=False):
                draw.text((x + 3, y + 5), _fit(draw, cell, body, w - 6), fill=INK, font=body)
                x += w
    return bottom


def _fields(draw: ImageDraw.ImageDraw, x: int, y: int, items: Sequence[tuple[str, str]], *, size: int = 13,
            label_width: int = 200, step: int = 22, width: int = 560) -> int:  # fmt: skip
    """Label : value lines; returns the y below them."""
    face = font(size)
    for label, value in items:
        draw.text((x, y), label, fill=INK, font=face)
        draw.text((x + label_width, y), ": " + _fit(draw, value, face, width - label_width - 12), fill=INK, font=face)
        y += step
    return y


# -- Kartu Keluarga -------------------------------------------------------------------------------------
def kk_page(family: Family) -> bytes:
    """A KK-like page (A4 landscape): number, address, the members' table and the marital/parents table."""
    image = Image.new("L", A4_LANDSCAPE, PAPER)
    draw = ImageDraw.Draw(image)
    width = A4_LANDSCAPE[0]
    _centre(draw, 24, "KARTU KELUARGA", font(28, bold=True), width)
    _centre(draw, 62, f"No. {family.kk}", font(18, bold=True), width)
    address = family.address
    left = [
        ("Nama Kepala Keluarga", family.head.name),
        ("Alamat", address.street),
        ("RT/RW", f"{address.rt}/{address.rw}"),
        ("Kode Pos", address.postal_code),
    ]
    right = [
        ("Desa/Kelurahan", address.desa_name),
        ("Kecamatan", address.kecamatan_name),
        ("Kabupaten/Kota", address.town),
        ("Provinsi", address.provinsi_name),
    ]
    _fields(draw, 40, 100, left, size=12, label_width=170, step=19, width=560)
    _fields(draw, 640, 100, right, size=12, label_width=130, step=19, width=500)
    members = family.members
    first = [
        ("No", 30), ("Nama Lengkap", 250), ("NIK", 150), ("Jenis Kelamin", 95), ("Tempat Lahir", 115),
        ("Tanggal Lahir", 95), ("Agama", 80), ("Pendidikan", 130), ("Jenis Pekerjaan", 145),
    ]  # fmt: skip
    rows = [
        [
            str(i + 1), m.name, m.nik, _SEX.get(m.sex, ""), m.birth_place, day_text(m.birth_date),
            _RELIGION.get(m.religion, ""), _EDUCATION.get(m.education, ""), _JOBS.get(m.occupation, "LAINNYA"),
        ]
        for i, m in enumerate(members)
    ]  # fmt: skip
    y = _table(draw, 186, 40, first, rows)
    second = [
        ("No", 30), ("Status Perkawinan", 170), ("Tanggal Perkawinan", 120), ("Status Hubungan", 130),
        ("Kewarganegaraan", 110), ("No. Paspor", 90), ("Nama Ayah", 220), ("Nama Ibu", 220),
    ]  # fmt: skip
    rows = [
        [
            str(i + 1), _MARITAL.get(m.marital_status, ""), day_text(m.marriage_date), _SHDK.get(m.shdk, ""),
            "WNI" if m.citizenship == 1 else "WNA", "-", m.father_name or "-", m.mother_name,
        ]
        for i, m in enumerate(members)
    ]  # fmt: skip
    y = _table(draw, y + 14, 40, second, rows)
    small = font(11)
    draw.text((40, y + 14), f"Dikeluarkan Tanggal : {day_text(family.issued)}", fill=INK, font=small)
    office = f"KEPALA DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL {address.kabupaten_name}"
    _centre(draw, y + 14, office, small, 480, x0=650)
    _centre(draw, y + 60, "( tanda tangan elektronik )", small, 480, x0=650)
    return to_png(image)


# -- cards ----------------------------------------------------------------------------------------------
def _silhouette(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int]) -> None:
    """A pas foto placeholder: a head and shoulders on a plain background."""
    x0, y0, x1, y1 = box
    draw.rectangle(box, fill=LIGHT, outline=INK)
    w, h = x1 - x0, y1 - y0
    draw.ellipse((x0 + w * 0.3, y0 + h * 0.14, x0 + w * 0.7, y0 + h * 0.56), fill=GRAY)
    draw.pieslice((x0 + w * 0.1, y0 + h * 0.6, x0 + w * 0.9, y0 + h * 1.4), 180, 360, fill=GRAY)


def id_card(title: Sequence[str], items: Sequence[tuple[str, str]], *, number: tuple[str, str] | None = None,
            footer: Sequence[str] = ()) -> bytes:  # fmt: skip
    """A card (ID-1 at 200 dpi) with a heading, an optional big number line, fields and a photo."""
    image = Image.new("L", CARD, PAPER)
    draw = ImageDraw.Draw(image)
    w, h = CARD
    draw.rounded_rectangle((2, 2, w - 3, h - 3), radius=22, outline=INK, width=3)
    y = 12
    for line in title:
        _centre(draw, y, line, font(17, bold=True), w)
        y += 22
    if number is not None:
        face = font(19, bold=True)
        draw.text((22, y + 6), number[0], fill=INK, font=face)
        draw.text((110, y + 6), ": " + number[1], fill=INK, font=face)
        y += 36
    _fields(draw, 22, y + 4, items, size=12, label_width=130, step=17, width=500)
    _silhouette(draw, (w - 150, 92, w - 28, 252))
    for index, line in enumerate(footer):
        _centre(draw, 260 + 16 * index, line, font(11), 150, x0=w - 163)
    draw.line((w - 140, 312, w - 40, 300), fill=INK, width=2)
    return to_png(image)


def ktp_card(person: Person, address: Address, *, issued: dt.date | None = None) -> bytes:
    """A KTP-el-like card for a resident."""
    items = [
        ("Nama", person.name),
        ("Tempat/Tgl Lahir", f"{person.birth_place}, {day_text(person.birth_date)}"),
        ("Jenis Kelamin", f"{_SEX.get(person.sex, '')}   Gol. Darah: {_BLOOD.get(person.blood_type, '-')}"),
        ("Alamat", address.street),
        ("RT/RW", f"{address.rt}/{address.rw}"),
        ("Kel/Desa", address.desa_name),
        ("Kecamatan", address.kecamatan_name),
        ("Agama", _RELIGION.get(person.religion, "")),
        ("Status Perkawinan", _MARITAL.get(person.marital_status, "")),
        ("Pekerjaan", _JOBS.get(person.occupation, "LAINNYA")),
        ("Kewarganegaraan", "WNI" if person.citizenship == 1 else "WNA"),
        ("Berlaku Hingga", "SEUMUR HIDUP"),
    ]
    title = (f"PROVINSI {address.provinsi_name}", address.kabupaten_name)
    footer = (address.town, day_text(issued)) if issued else (address.town,)
    return id_card(title, items, number=("NIK", person.nik), footer=footer)


def kia_card(person: Person, family: Family) -> bytes:
    """A Kartu Identitas Anak-like card."""
    items = [
        ("Nama", person.name),
        ("No. KK", family.kk),
        ("Tempat/Tgl Lahir", f"{person.birth_place}, {day_text(person.birth_date)}"),
        ("Jenis Kelamin", _SEX.get(person.sex, "")),
        ("Kepala Keluarga", family.head.name),
        ("Alamat", family.address.line()),
        ("Kel/Desa", family.address.desa_name),
        ("Agama", _RELIGION.get(person.religion, "")),
        ("Berlaku Hingga", day_text(person.birth_date.replace(year=person.birth_date.year + 17))),
    ]
    return id_card(("KARTU IDENTITAS ANAK", family.address.kabupaten_name), items, number=("NIK", person.nik))


def passport_page(person: Person) -> bytes:
    """The data page of a passport (foreign nationals)."""
    items = [
        ("Surname/Given", person.name),
        ("Nationality", person.birth_place),
        ("Date of birth", day_text(person.birth_date)),
        ("Sex", "M" if person.sex == 1 else "F"),
        ("Place of birth", person.birth_place),
    ]
    return id_card(("PASSPORT",), items, number=("No.", person.passport or "-"))


def photo_sheet(count: int = 2) -> bytes:
    """Pas foto 4x6 on a sheet (e.g. husband and wife)."""
    image = Image.new("L", PHOTO_SHEET, PAPER)
    draw = ImageDraw.Draw(image)
    width = PHOTO_SHEET[0] // max(count, 1)
    for index in range(count):
        x = index * width + (width - 160) // 2
        _silhouette(draw, (x, 60, x + 160, 300))
    return to_png(image)


# -- letters --------------------------------------------------------------------------------------------
def letter_page(
    title: str,
    items: Sequence[tuple[str, str]],
    *,
    issuer: Sequence[str],
    number: str = "",
    opening: str = "Yang bertanda tangan di bawah ini menerangkan bahwa:",
    body: str = "",
    place_date: str = "",
    signer: Sequence[str] = (),
    page: int = 1,
    pages: int = 1,
) -> bytes:
    """A letter page on A4 portrait: letterhead, title and number, data lines, text; the last page is signed."""
    image = Image.new("L", A4_PORTRAIT, PAPER)
    draw = ImageDraw.Draw(image)
    width = A4_PORTRAIT[0]
    y = 40
    for index, line in enumerate(issuer):
        _centre(draw, y, line, font(20 if index == 0 else 15, bold=index < 2), width)
        y += 28 if index == 0 else 22
    draw.line((50, y + 6, width - 50, y + 6), fill=INK, width=3)
    draw.line((50, y + 11, width - 50, y + 11), fill=INK, width=1)
    y += 40
    heading = font(18, bold=True)
    for line in textwrap.wrap(title, 60):
        _centre(draw, y, line, heading, width)
        length = draw.textlength(line, font=heading)
        draw.line(((width - length) / 2, y + 24, (width + length) / 2, y + 24), fill=INK, width=1)
        y += 30
    text = font(13)
    if number:
        _centre(draw, y, f"Nomor : {number}", text, width)
    y += 46
    if page == 1:
        for line in textwrap.wrap(opening, 88):
            draw.text((70, y), line, fill=INK, font=text)
            y += 22
    if items:
        y = _fields(draw, 100, y + 10, items, size=13, label_width=210, step=24, width=640) + 14
    for paragraph in body.split("\n") if body else []:
        for line in textwrap.wrap(paragraph, 88):
            draw.text((70, y), line, fill=INK, font=text)
            y += 22
        y += 10
    if page == pages:
        y = max(y + 30, 860)
        if place_date:
            draw.text((470, y), place_date, fill=INK, font=text)
        for index, line in enumerate(signer):
            offset = 24 * index + (80 if index == len(signer) - 1 and index > 0 else 0)
            draw.text((470, y + 26 + offset), line, fill=INK, font=font(13, bold=index == len(signer) - 1))
    if pages > 1:
        _centre(draw, A4_PORTRAIT[1] - 40, f"Halaman {page} dari {pages}", font(11), width)
    return to_png(image)


def village_letterhead(address: Address) -> tuple[str, ...]:
    """The kop surat of the desa/kelurahan office."""
    office = "KELURAHAN" if address.desa_code[9:10] == "1" else "DESA"
    return (
        f"PEMERINTAH {address.kabupaten_name}",
        f"KECAMATAN {address.kecamatan_name}",
        f"{office} {address.desa_name}",
        f"Kode Pos {address.postal_code}",
    )


def person_lines(person: Person, address: Address) -> list[tuple[str, str]]:
    """The usual identity lines of a letter about a person."""
    lines = [
        ("Nama", person.name),
        ("NIK", person.nik or "-"),
        ("Jenis Kelamin", _SEX.get(person.sex, "")),
        ("Tempat/Tgl. Lahir", f"{person.birth_place}, {day_text(person.birth_date)}"),
        ("Agama", _RELIGION.get(person.religion, "")),
        ("Pekerjaan", _JOBS.get(person.occupation, "LAINNYA")),
        ("Alamat", address.line()),
        ("Desa/Kecamatan", f"{address.desa_name}, {address.kecamatan_name}"),
    ]
    return lines
