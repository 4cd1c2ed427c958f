"""Synthetic documents for tests and the bench: dense 10 pt text with NIKs, a page with a photo, an
ID card, a stamped letter; and what a scanner or a phone camera makes of them (tilt, perspective,
shadow, blur, noise). Everything is drawn here: no files, no network."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from app.documents.images import Image as Pixels
from app.documents.paper import A4, ID_CARD, MM_PER_INCH, Paper

TRUTH_DPI = 300
_FONT_FILES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    Path("C:/Windows/Fonts/arial.ttf"),
)
_BOLD_FILES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    Path("C:/Windows/Fonts/arialbd.ttf"),
)
GIVEN = ("BUDI", "SITI", "AGUS", "DEWI", "EKO", "SRI", "JOKO", "RINA", "AHMAD", "NUR", "WAHYU", "LESTARI")
FAMILY = ("SANTOSO", "RAHAYU", "PRASETYO", "HIDAYAT", "SETIAWAN", "WIBOWO", "NUGROHO", "UTAMI", "HANDAYANI")
PLACES = ("NGAWI", "MADIUN", "MAGETAN", "PONOROGO", "BOYOLALI", "KLATEN", "SRAGEN", "BLORA")
WORDS = [
    "yang",
    "bertanda",
    "tangan",
    "di",
    "bawah",
    "ini",
    "menerangkan",
    "bahwa",
    "penduduk",
    "tersebut",
    "benar",
    "berdomisili",
    "di",
    "wilayah",
    "desa",
    "kami",
    "dan",
    "surat",
    "keterangan",
    "ini",
    "dibuat",
    "untuk",
    "keperluan",
    "pengurusan",
    "dokumen",
    "kependudukan",
    "sesuai",
    "ketentuan",
    "peraturan",
    "perundang-undangan",
    "yang",
    "berlaku",
    "serta",
    "dapat",
    "dipergunakan",
    "sebagaimana",
    "mestinya",
]


@dataclass(frozen=True)
class Synthetic:
    """A drawn document (RGB at TRUTH_DPI unless said otherwise) and the NIKs printed on it."""

    image: Pixels
    paper: Paper
    niks: tuple[str, ...]
    dpi: int = TRUTH_DPI


def font(points: float, dpi: int = TRUTH_DPI, *, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A sans-serif font of a size in points at a resolution."""
    pixels = max(6, round(points / 72 * dpi))
    for path in _BOLD_FILES if bold else _FONT_FILES:
        if path.exists():
            return ImageFont.truetype(str(path), pixels)
    return ImageFont.load_default(pixels)


def _mm(value: float, dpi: int = TRUTH_DPI) -> int:
    return round(value / MM_PER_INCH * dpi)


def _canvas(paper: Paper, dpi: int = TRUTH_DPI, colour: tuple[int, int, int] = (255, 255, 255)) -> Image.Image:
    return Image.new("RGB", paper.pixels(dpi), colour)


def nik(rng: random.Random) -> str:
    """A NIK-shaped 16-digit number (region, birth date, serial)."""
    region = rng.choice(("3521", "3519", "3520", "3309", "3310")) + f"{rng.randint(10, 19):02d}"
    born = f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(50, 99):02d}"
    return f"{region}{born}{rng.randint(1, 9999):04d}"


def _person(rng: random.Random) -> str:
    return f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"


def text_page(
    seed: int = 1, *, paper: Paper = A4, points: float = 10.0, lines: int | None = None, spacing: float = 1.3
) -> Synthetic:
    """A dense letter in 10 pt type: a heading, prose, and a numbered list of people with their NIKs."""
    rng = random.Random(seed)
    canvas = _canvas(paper)
    draw = ImageDraw.Draw(canvas)
    body, heading = font(points), font(points + 3, bold=True)
    left, top = _mm(20), _mm(18)
    width = canvas.width - 2 * left
    step = round(points * spacing / 72 * TRUTH_DPI)
    draw.text((left, top), "PEMERINTAH KABUPATEN NGAWI - SURAT KETERANGAN DOMISILI", font=heading, fill=(0, 0, 0))
    y = top + 2 * step
    niks: list[str] = []
    budget = lines if lines is not None else (canvas.height - y - _mm(18)) // step
    for row in range(budget):
        if row % 3 == 2:
            number = nik(rng)
            niks.append(number)
            text = (
                f"{len(niks)}. NIK {number}  {_person(rng)}, lahir di {rng.choice(PLACES)} RT {rng.randint(1, 20):03d}"
            )
        else:
            words: list[str] = []
            while True:  # whole words up to the right margin, as a word processor wraps them
                word = rng.choice(WORDS)
                if words and draw.textlength(" ".join([*words, word]), font=body) > width:
                    break
                words.append(word)
            text = " ".join(words)
        draw.text((left, y), text, font=body, fill=(0, 0, 0))
        y += step
    return Synthetic(np.asarray(canvas, dtype=np.uint8), paper, tuple(niks))


def portrait(width: int, height: int, seed: int = 1) -> Pixels:
    """A made-up colour photograph: sky-to-ground gradient, a face-like shape, texture."""
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    t = ys / max(1, height - 1)
    red = 90 + 120 * t + 20 * np.sin(xs / 37.0)
    green = 140 - 40 * t + 25 * np.cos(ys / 29.0)
    blue = 200 - 150 * t
    photo = np.stack([red, green, blue], axis=2)
    cx, cy = width / 2, height * 0.45
    face = ((xs - cx) / (width * 0.22)) ** 2 + ((ys - cy) / (height * 0.26)) ** 2 < 1
    photo[face] = (205, 160, 130)
    body = ((xs - cx) / (width * 0.42)) ** 2 + ((ys - height) / (height * 0.35)) ** 2 < 1
    photo[body] = (40, 60, 120)
    noise = rng.normal(0, 9, (height // 4 + 1, width // 4 + 1, 3)).astype(np.float32)
    photo += cv2.resize(noise, (width, height), interpolation=cv2.INTER_CUBIC)
    return np.asarray(np.clip(photo, 0, 255), dtype=np.uint8)


def photo_page(seed: int = 2) -> Synthetic:
    """An A4 page with a large photograph (a certificate, a clipping) and some text with NIKs."""
    rng = random.Random(seed)
    canvas = _canvas(A4)
    draw = ImageDraw.Draw(canvas)
    body = font(10)
    left = _mm(20)
    draw.text((left, _mm(15)), "LAMPIRAN: FOTO PEMOHON DAN KETERANGAN", font=font(13, bold=True), fill=(0, 0, 0))
    photo = portrait(_mm(120), _mm(90), seed)
    canvas.paste(Image.fromarray(photo), (left, _mm(28)))
    y = _mm(28 + 90 + 8)
    niks: list[str] = []
    while y < canvas.height - _mm(20):
        number = nik(rng)
        niks.append(number)
        draw.text(
            (left, y), f"NIK {number}  {_person(rng)}  alamat Dusun {rng.choice(PLACES)}", font=body, fill=(0, 0, 0)
        )
        y += round(10 * 1.5 / 72 * TRUTH_DPI)
    return Synthetic(np.asarray(canvas, dtype=np.uint8), A4, tuple(niks))


def id_card(seed: int = 3) -> Synthetic:
    """An ID-1 card in the colours of a KTP-el: light blue guilloche, photo, NIK in large type."""
    rng = random.Random(seed)
    width, height = ID_CARD.pixels(TRUTH_DPI, landscape=True)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    wave = 0.5 + 0.5 * np.sin(xs / 9.0 + 4 * np.sin(ys / 31.0))
    base = np.stack([170 + 40 * wave, 205 + 30 * wave, 235 + 15 * wave], axis=2)
    card = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(card)
    number = nik(rng)
    draw.text((_mm(20), _mm(3)), "PROVINSI JAWA TIMUR", font=font(9, bold=True), fill=(0, 0, 0))
    draw.text((_mm(24), _mm(7)), "KABUPATEN NGAWI", font=font(9, bold=True), fill=(0, 0, 0))
    draw.text((_mm(4), _mm(13)), f"NIK : {number}", font=font(11, bold=True), fill=(0, 0, 0))
    rows = ("Nama", "Tempat/Tgl Lahir", "Alamat", "Agama", "Pekerjaan")
    for index, label in enumerate(rows):
        draw.text((_mm(4), _mm(20 + 5 * index)), f"{label} : {_person(rng)}", font=font(6.5), fill=(0, 0, 0))
    card.paste(Image.fromarray(portrait(_mm(22), _mm(28), seed)), (_mm(60), _mm(14)))
    image = np.asarray(card, dtype=np.uint8)
    return Synthetic(image, ID_CARD, (number,))


def stamped_page(seed: int = 4) -> Synthetic:
    """A text page with a blue round stamp and a signature (colour carries meaning here)."""
    page = text_page(seed, lines=30)
    canvas = Image.fromarray(page.image.copy())
    draw = ImageDraw.Draw(canvas)
    cx, cy, r = _mm(150), _mm(250), _mm(18)
    blue = (40, 70, 170)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=blue, width=_mm(1.2))
    draw.ellipse((cx - r + _mm(4), cy - r + _mm(4), cx + r - _mm(4), cy + r - _mm(4)), outline=blue, width=_mm(0.6))
    draw.text((cx - _mm(12), cy - _mm(2)), "KEPALA DESA", font=font(8, bold=True), fill=blue)
    draw.line(
        [(cx - _mm(30), cy + _mm(5)), (cx - _mm(10), cy - _mm(8)), (cx + _mm(5), cy + _mm(6))], fill=blue, width=6
    )
    return Synthetic(np.asarray(canvas, dtype=np.uint8), page.paper, page.niks)


def at_dpi(doc: Synthetic, dpi: int) -> Pixels:
    """The drawn document resampled to another resolution."""
    width, height = doc.image.shape[1], doc.image.shape[0]
    factor = dpi / doc.dpi
    return np.asarray(
        cv2.resize(doc.image, (round(width * factor), round(height * factor)), interpolation=cv2.INTER_AREA)
    )


def scan(
    doc: Synthetic, *, dpi: int = 200, skew: float = 1.2, noise: float = 2.5, seed: int = 0, gray: bool = True
) -> Pixels:
    """What a flatbed scanner at dpi makes of a page laid slightly crooked on the glass."""
    rng = np.random.default_rng(seed)
    page = at_dpi(doc, dpi)
    height, width = page.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), -skew, 1.0)
    turned = cv2.warpAffine(page, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=(250, 250, 250))
    soft = cv2.GaussianBlur(turned, (0, 0), 0.6).astype(np.float32)
    page = np.asarray(np.clip(soft * 0.97 + rng.normal(0, noise, soft.shape), 0, 255), dtype=np.uint8)
    return np.asarray(cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)) if gray else page


@dataclass(frozen=True)
class Photo:
    """A camera frame of a document and where the document's corners really are in it."""

    image: Pixels
    corners: Pixels


def _rotation(pitch: float, yaw: float, roll: float) -> np.ndarray:
    a, b, c = (math.radians(v) for v in (pitch, yaw, roll))
    rx = np.array([[1, 0, 0], [0, math.cos(a), -math.sin(a)], [0, math.sin(a), math.cos(a)]])
    ry = np.array([[math.cos(b), 0, math.sin(b)], [0, 1, 0], [-math.sin(b), 0, math.cos(b)]])
    rz = np.array([[math.cos(c), -math.sin(c), 0], [math.sin(c), math.cos(c), 0], [0, 0, 1]])
    return np.asarray(rz @ ry @ rx, dtype=np.float64)


def project(
    size: tuple[float, float],
    frame: tuple[int, int],
    *,
    fill: float,
    pitch: float,
    yaw: float,
    roll: float,
    shift: tuple[float, float] = (0.0, 0.0),
) -> np.ndarray:
    """Where a pinhole camera (26 mm equivalent lens) aimed at a flat rectangle of size (w, h) sees its corners."""
    frame_w, frame_h = frame
    focal = 0.75 * frame_w
    width, height = size
    plane = np.array(
        [
            (-width / 2, -height / 2, 0),
            (width / 2, -height / 2, 0),
            (width / 2, height / 2, 0),
            (-width / 2, height / 2, 0),
        ]
    )
    turned = plane @ _rotation(pitch, yaw, roll).T

    def corners(distance: float, offset: np.ndarray) -> np.ndarray:
        points = turned + np.array([offset[0], offset[1], distance])
        return np.stack(
            [focal * points[:, 0] / points[:, 2] + frame_w / 2, focal * points[:, 1] / points[:, 2] + frame_h / 2],
            axis=1,
        )

    # Move the page (not the picture: that would move the lens's centre) until it fills and is
    # centred in the frame, then by shift (fractions of the frame).
    distance = focal * max(width / frame_w, height / frame_h) / fill
    offset = np.zeros(2)
    target = np.array([frame_w * (0.5 + shift[0]), frame_h * (0.5 + shift[1])])
    for _ in range(6):
        quad = corners(distance, offset)
        spread = max((quad[:, 0].max() - quad[:, 0].min()) / frame_w, (quad[:, 1].max() - quad[:, 1].min()) / frame_h)
        centre = (quad.min(axis=0) + quad.max(axis=0)) / 2
        offset = offset + (target - centre) * distance / focal
        distance *= spread / fill
    return corners(distance, offset).astype(np.float32)


def photograph(
    doc: Synthetic,
    *,
    frame: tuple[int, int] = (4000, 3000),
    fill: float = 0.86,
    pitch: float = 12.0,
    yaw: float = -6.0,
    roll: float = 3.0,
    shadow: float = 0.35,
    blur: float = 0.0,
    noise: float = 3.0,
    glare: float = 0.0,
    light: float = 1.0,
    shift: tuple[float, float] = (0.0, 0.0),
    seed: int = 0,
    jpeg: int = 92,
) -> Photo:
    """A phone or webcam photo of a document on a desk: perspective, shading, blur, sensor noise, JPEG."""
    rng = np.random.default_rng(seed)
    frame_w, frame_h = frame
    src_h, src_w = doc.image.shape[:2]
    quad = project((src_w, src_h), frame, fill=fill, pitch=pitch, yaw=yaw, roll=roll, shift=shift)
    source = np.array([(0, 0), (src_w - 1, 0), (src_w - 1, src_h - 1), (0, src_h - 1)], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(source, quad)
    desk = np.empty((frame_h, frame_w, 3), np.float32)
    desk[:] = (92, 70, 52)
    grain = cv2.resize(rng.normal(0, 12, (frame_h // 16 + 1, frame_w // 16 + 1)).astype(np.float32), (frame_w, frame_h))
    desk += grain[:, :, None]
    warped = cv2.warpPerspective(doc.image, matrix, (frame_w, frame_h), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((src_h, src_w), 255, np.uint8), matrix, (frame_w, frame_h)) > 127
    picture = np.where(mask[:, :, None], warped.astype(np.float32), desk)
    # Warm lamp light falling off to one side, and a hand's soft shadow across a corner.
    ys, xs = np.mgrid[0:frame_h:8, 0:frame_w:8].astype(np.float32)
    shade = light * (0.95 - shadow * 0.6 * (xs / frame_w))
    blob = np.exp(-(((xs - 0.25 * frame_w) / (0.22 * frame_w)) ** 2 + ((ys - 0.8 * frame_h) / (0.25 * frame_h)) ** 2))
    shade = shade - shadow * 0.5 * blob * light
    if glare > 0:
        spot_x, spot_y = (xs - 0.6 * frame_w) / (0.06 * frame_w), (ys - 0.35 * frame_h) / (0.06 * frame_h)
        shade = shade + glare * 2.5 * np.exp(-(spot_x**2 + spot_y**2))
    shade = cv2.resize(shade, (frame_w, frame_h), interpolation=cv2.INTER_LINEAR)
    picture = picture * shade[:, :, None] * np.array([1.0, 0.96, 0.88], np.float32)
    if blur > 0:
        picture = cv2.GaussianBlur(picture, (0, 0), blur)
    picture += rng.normal(0, noise, (frame_h, frame_w, 1)).astype(np.float32)
    pixels = np.clip(picture, 0, 255).astype(np.uint8)
    ok, encoded = cv2.imencode(".jpg", cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, jpeg])
    assert ok
    back = cv2.imdecode(encoded, cv2.IMREAD_COLOR)
    assert back is not None
    decoded = cv2.cvtColor(back, cv2.COLOR_BGR2RGB)
    return Photo(np.ascontiguousarray(decoded), quad)
