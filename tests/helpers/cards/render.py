"""Draw synthetic cards flat: a Kartu Keluarga page (A4 landscape at 200 dpi) in the official layout and a
KTP-el front (ID-1 at 300 dpi), with fonts from Debian's fonts-dejavu and fonts-liberation packages."""

from __future__ import annotations

import datetime
import math
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from reportlab.graphics.barcode import qrencoder  # type: ignore[import-untyped]

from tests.helpers.cards.content import BLOOD, PRINTED_EDUCATION, Family, Person, label, occupation_labels

FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation"), Path("/usr/share/fonts/truetype/dejavu"))
# (regular, bold) pairs; Liberation Sans has Arial's metrics, the font real cards are printed in.
FONT_FAMILIES = (
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("LiberationSansNarrow-Regular.ttf", "LiberationSansNarrow-Bold.ttf"),
)

KK_DPI = 200
KK_SIZE = (2339, 1654)  # A4 landscape at 200 dpi
KTP_DPI = 300
KTP_SIZE = (1011, 638)  # ID-1 at 300 dpi
ROWS = 10  # a KK prints ten member rows, empty ones included

# Member table columns: (heading, relative width). Numbers are printed under the headings.
TABLE1 = (
    ("No", 3.0),
    ("Nama Lengkap", 20.0),
    ("NIK", 16.0),
    ("Jenis Kelamin", 9.5),
    ("Tempat Lahir", 12.0),
    ("Tanggal Lahir", 9.5),
    ("Agama", 9.0),
    ("Pendidikan", 17.5),
    ("Jenis Pekerjaan", 19.0),
    ("Golongan Darah", 7.5),
)
TABLE2 = (
    ("No", 3.0),
    ("Status Perkawinan", 15.0),
    ("Tanggal Perkawinan", 10.0),
    ("Status Hubungan Dalam Keluarga", 14.0),
    ("Kewarga- negaraan", 8.0),
    ("No. Paspor", 9.0),
    ("No. KITAP", 9.0),
    ("Ayah", 18.0),
    ("Ibu", 18.0),
)


def font_path(name: str) -> Path:
    """The path of a Debian font file; fails loudly when the package is missing."""
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(
        f"font {name} missing: install fonts-liberation and fonts-dejavu (installers/debian-deps.sh)"
    )


def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(name)), size)


def date_text(value: datetime.date | None) -> str:
    """A date as the cards print it (DD-MM-YYYY), or "-"."""
    return "-" if value is None else value.strftime("%d-%m-%Y")


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str

    def get(self, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
        return _font(self.bold if bold else self.regular, size)


def _fit(
    draw: ImageDraw.ImageDraw, text: str, fonts: Fonts, size: int, width: int, bold: bool = False
) -> ImageFont.FreeTypeFont:
    """The largest font up to `size` that fits `text` in `width` pixels."""
    while size > 9:
        font = fonts.get(size, bold)
        if draw.textlength(text, font=font) <= width:
            return font
        size -= 1
    return fonts.get(size, bold)


def _qr(data: str, module: int) -> Image.Image:
    code = qrencoder.QRCode(4, qrencoder.QRErrorCorrectLevel.M)
    code.addData(data)
    code.make()
    n = code.getModuleCount()
    grid = np.array([[0 if code.isDark(r, c) else 255 for c in range(n)] for r in range(n)], dtype=np.uint8)
    grid = np.pad(grid, 2, constant_values=255)
    return Image.fromarray(grid).resize(((n + 4) * module, (n + 4) * module), Image.Resampling.NEAREST)


def _signature(draw: ImageDraw.ImageDraw, rng: random.Random, x: int, y: int, width: int) -> None:
    """A scribbled signature: a few smooth loops of a pen."""
    points = []
    for i in range(60):
        t = i / 59
        points.append(
            (
                x + t * width + 12 * math.sin(t * 17 + rng.random()),
                y + 18 * math.sin(t * 9 * (1 + rng.random() * 0.3)) + 10 * math.cos(t * 23),
            )
        )
    draw.line(points, fill=(20, 30, 90), width=3, joint="curve")


def _stamp(page: Image.Image, rng: random.Random, cx: int, cy: int, radius: int, text: str, fonts: Fonts) -> None:
    """A round blue office stamp, partly transparent, laid over what is under it."""
    layer = Image.new("RGBA", page.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    colour = (40, 60, 170, 150)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=colour, width=5)
    draw.ellipse((cx - radius + 18, cy - radius + 18, cx + radius - 18, cy + radius - 18), outline=colour, width=2)
    font = fonts.get(max(12, radius // 7), True)
    for i, ch in enumerate(text):
        angle = math.pi + (i + 0.5) / len(text) * math.pi
        px, py = cx + (radius - 12) * math.cos(angle) * 0.85, cy + (radius - 12) * math.sin(angle) * 0.85
        draw.text((px, py), ch, font=font, fill=colour, anchor="mm")
    star = fonts.get(radius // 3, True)
    draw.text((cx, cy), "*", font=star, fill=colour, anchor="mm")
    rotated = layer.rotate(rng.uniform(-25, 25), center=(cx, cy))
    page.alpha_composite(rotated)


def _table(
    draw: ImageDraw.ImageDraw,
    fonts: Fonts,
    x0: int,
    y0: int,
    width: int,
    columns: tuple[tuple[str, float], ...],
    first_number: int,
    rows: list[list[str]],
    text_size: int,
    row_height: int,
) -> int:
    """Draw one member table with its heading row, number row and ten rows; return its bottom."""
    total = sum(w for _, w in columns)
    edges = [x0]
    for _, w in columns:
        edges.append(edges[-1] + round(w / total * width))
    edges[-1] = x0 + width
    head_h, num_h = round(row_height * 1.6), round(row_height * 0.75)
    head_font = fonts.get(text_size - 1, True)
    y_head, y_num, y_rows = y0, y0 + head_h, y0 + head_h + num_h
    bottom = y_rows + ROWS * row_height
    ink = (0, 0, 0)
    for i, (title, _) in enumerate(columns):
        left, right = edges[i], edges[i + 1]
        words = title.split(" ")
        lines = (
            [title]
            if draw.textlength(title, font=head_font) < right - left - 8
            else _wrap(draw, words, head_font, right - left - 8)
        )
        line_h = text_size + 2
        top = y_head + (head_h - line_h * len(lines)) // 2
        for j, line in enumerate(lines):
            draw.text(
                ((left + right) // 2, top + j * line_h + line_h // 2), line, font=head_font, fill=ink, anchor="mm"
            )
        number = "" if i == 0 else f"({first_number + i - 1})"
        draw.text(
            ((left + right) // 2, y_num + num_h // 2), number, font=fonts.get(text_size - 3), fill=ink, anchor="mm"
        )
    for r in range(ROWS):
        top = y_rows + r * row_height
        values = rows[r] if r < len(rows) else []
        for i, value in enumerate(values):
            left, right = edges[i], edges[i + 1]
            font = _fit(draw, value, fonts, text_size, right - left - 10)
            if i == 0 or len(value) <= 3:
                draw.text(((left + right) // 2, top + row_height // 2), value, font=font, fill=ink, anchor="mm")
            else:
                draw.text((left + 6, top + row_height // 2), value, font=font, fill=ink, anchor="lm")
    thick = 2
    for y in (y_head, y_num, y_rows, bottom):
        draw.line((x0, y, x0 + width, y), fill=ink, width=thick)
    for r in range(1, ROWS):
        draw.line((x0, y_rows + r * row_height, x0 + width, y_rows + r * row_height), fill=ink, width=1)
    for x in edges:
        draw.line((x, y_head, x, bottom), fill=ink, width=thick)
    return bottom


def _wrap(draw: ImageDraw.ImageDraw, words: list[str], font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for word in words:
        if lines and draw.textlength(lines[-1] + " " + word, font=font) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return [line.replace("- ", "-") for line in lines]


def table1_row(number: int, p: Person) -> list[str]:
    """The printed cells of a member in the first table."""
    return [
        str(number),
        p.name,
        p.nik,
        label("jenis_kelamin", p.sex),
        p.birth_place,
        date_text(p.birth_date),
        label("agama", p.religion),
        PRINTED_EDUCATION[p.education],
        occupation_labels()[p.occupation],
        BLOOD[p.blood],
    ]


def table2_row(number: int, p: Person) -> list[str]:
    """The printed cells of a member in the second table."""
    return [
        str(number),
        label("status_kawin", p.marital),
        date_text(p.marriage_date),
        label("shdk", p.relation),
        label("kewarganegaraan", p.citizenship),
        p.passport,
        p.kitap,
        p.father,
        p.mother,
    ]


def render_kk(family: Family, seed: int = 0) -> np.ndarray:
    """The family's card as a flat RGB page (A4 landscape, 200 dpi)."""
    rng = random.Random(seed * 7919 + 17)
    fonts = Fonts(*FONT_FAMILIES[seed % len(FONT_FAMILIES)])
    page = Image.new("RGBA", KK_SIZE, (255, 255, 255, 255))
    draw = ImageDraw.Draw(page)
    width, _ = KK_SIZE
    margin = 90
    ink = (0, 0, 0)
    # Emblem placeholder at the top left: a plain bird-in-a-shield outline (no real coat of arms).
    draw.polygon(
        [(margin + 10, 40), (margin + 90, 40), (margin + 90, 110), (margin + 50, 140), (margin + 10, 110)],
        outline=ink,
        width=3,
    )
    draw.text((width // 2, 70), "KARTU KELUARGA", font=fonts.get(46, True), fill=ink, anchor="mm")
    draw.text((width // 2, 125), f"No. {family.number}", font=fonts.get(34, True), fill=ink, anchor="mm")
    size = 26
    label_font = fonts.get(size)
    left = [
        ("Nama Kepala Keluarga", family.head),
        ("Alamat", family.address),
        ("RT/RW", f"{family.rt}/{family.rw}"),
        ("Desa/Kelurahan", family.desa),
    ]
    right = [
        ("Kecamatan", family.kecamatan),
        ("Kabupaten/Kota", family.kabupaten),
        ("Kode Pos", family.postal_code),
        ("Provinsi", family.provinsi),
    ]
    y = 180
    for column, x in ((left, margin), (right, width // 2 + 180)):
        for i, (name, value) in enumerate(column):
            ly = y + i * 38
            draw.text((x, ly), name, font=label_font, fill=ink)
            colon_x = x + 330
            draw.text((colon_x, ly), ":", font=label_font, fill=ink)
            draw.text((colon_x + 22, ly), value, font=_fit(draw, value, fonts, size, width // 2 - 420), fill=ink)
    table_width = width - 2 * margin
    rows1 = [table1_row(i + 1, p) for i, p in enumerate(family.members)]
    rows2 = [table2_row(i + 1, p) for i, p in enumerate(family.members)]
    bottom = _table(draw, fonts, margin, 350, table_width, TABLE1, 1, rows1, 22, 42)
    bottom = _table(draw, fonts, margin, bottom + 30, table_width, TABLE2, 10, rows2, 22, 42)
    # Footer: issue date, the head's signature, the official's signature with stamp and QR code.
    fy = bottom + 22
    small = fonts.get(22)
    draw.text((margin, fy), f"Dikeluarkan Tanggal : {date_text(family.issued)}", font=small, fill=ink)
    draw.text((margin + 500, fy + 30), "KEPALA KELUARGA", font=small, fill=ink, anchor="mm")
    _signature(draw, rng, margin + 420, fy + 80, 160)
    draw.text((margin + 500, fy + 130), family.head, font=small, fill=ink, anchor="mm")
    office = f"KEPALA DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL {family.kabupaten}"
    ox = width - margin - 560
    draw.text((ox, fy + 30), _shorten(office, 60), font=fonts.get(18), fill=ink, anchor="mm")
    _signature(draw, rng, ox - 90, fy + 80, 170)
    draw.text((ox, fy + 130), "Dr. H. SUTRISNO, S.H., M.Si.", font=fonts.get(20, True), fill=ink, anchor="mm")
    _stamp(page, rng, ox - 170, fy + 75, 62, "DISDUKCAPIL " + family.kabupaten[:20], fonts)
    qr = _qr(f"KK:{family.number}", 4)
    page.paste(qr, (width - margin - qr.width, fy - 6))
    return np.asarray(page.convert("RGB"))


def _shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "."


def render_ktp(person: Person, family: Family, seed: int = 0) -> np.ndarray:
    """A KTP-el front (ID-1, 300 dpi, RGB) for one person of the family."""
    rng = random.Random(seed * 104729 + 3)
    fonts = Fonts(*FONT_FAMILIES[seed % len(FONT_FAMILIES)])
    w, h = KTP_SIZE
    base = np.linspace(0, 1, w)[None, :, None]
    top = np.array([150, 200, 235], dtype=np.float64)
    bottom = np.array([215, 235, 245], dtype=np.float64)
    gradient = (top * (1 - base) + bottom * base) * np.ones((h, 1, 1))
    card = Image.fromarray(gradient.astype(np.uint8), "RGB").convert("RGBA")
    draw = ImageDraw.Draw(card)
    ink = (0, 0, 0)
    draw.text((w // 2, 38), f"PROVINSI {family.provinsi}", font=fonts.get(32, True), fill=ink, anchor="mm")
    draw.text((w // 2, 78), family.kabupaten, font=fonts.get(32, True), fill=ink, anchor="mm")
    rows = [
        ("NIK", person.nik),
        ("Nama", person.name),
        ("Tempat/Tgl Lahir", f"{person.birth_place}, {date_text(person.birth_date)}"),
        ("Jenis Kelamin", label("jenis_kelamin", person.sex)),
        ("Alamat", family.address),
        ("RT/RW", f"{family.rt}/{family.rw}"),
        ("Kel/Desa", family.desa),
        ("Kecamatan", family.kecamatan),
        ("Agama", label("agama", person.religion)),
        ("Status Perkawinan", "KAWIN" if person.marital in (2, 3) else label("status_kawin", person.marital)),
        ("Pekerjaan", occupation_labels()[person.occupation]),
        ("Kewarganegaraan", "WNI"),
        ("Berlaku Hingga", "SEUMUR HIDUP"),
    ]
    y = 120
    for name, value in rows:
        big = name == "NIK"
        size = 34 if big else 25
        font = fonts.get(size, big)
        draw.text((30, y), name, font=font, fill=ink)
        colon = 250
        draw.text((colon, y), ":", font=font, fill=ink)
        draw.text((colon + 18, y), value, font=_fit(draw, value, fonts, size, 720 - colon - 18, big), fill=ink)
        y += 46 if big else 34
    # Photo box and signature on the right.
    draw.rectangle((760, 150, 980, 430), fill=(200, 60, 60), outline=ink)
    draw.ellipse((815, 190, 925, 300), fill=(230, 200, 170))
    draw.rectangle((800, 300, 940, 430), fill=(40, 40, 60))
    draw.text((870, 460), family.kabupaten[:22], font=fonts.get(18), fill=ink, anchor="mm")
    draw.text((870, 485), date_text(family.issued), font=fonts.get(18), fill=ink, anchor="mm")
    _signature(draw, rng, 800, 540, 140)
    return np.asarray(card.convert("RGB"))
