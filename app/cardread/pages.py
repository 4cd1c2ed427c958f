"""From a file or a picture to a flat gray page for the reader: the capture pipeline finds a photographed
page (or card) and undoes its perspective, or straightens a scan; and the page-level problems, in the
officer's words, saying what to do."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from app.capture.files import file_pages
from app.documents.images import as_rgb
from app.documents.paper import A4, ID_CARD
from app.documents.pipeline import Options, prepare

Image = npt.NDArray[np.uint8]

KK_DPI = 200
KTP_DPI = 300
# A photo holding fewer pixels per inch of paper than this is too far away to read small print.
MIN_SOURCE_DPI = {"kk": 110.0, "ktp": 150.0}

NOT_KK = (
    "Halaman ini bukan Kartu Keluarga (judul 'KARTU KELUARGA' dan tabel anggotanya tidak ditemukan). "
    "Pindai atau foto halaman depan Kartu Keluarga."
)
NOT_KTP = "Gambar ini bukan KTP-el bagian depan (NIK dan Nama tidak ditemukan). Pindai atau foto sisi depan KTP-el."
UPSIDE_DOWN = "Halaman terbalik. Putar halaman (atau kartu) lalu pindai atau foto ulang."
SIDEWAYS = "Halaman miring 90 derajat. Putar halaman ke posisi tegak lalu pindai atau foto ulang."
CUT_OFF = (
    "Halaman terpotong: sebagian kartu berada di luar gambar. Foto atau pindai ulang dengan seluruh kartu "
    "terlihat dan sedikit tepi di sekelilingnya."
)
BLANK = "Halaman kosong: tidak ada tulisan yang terbaca. Periksa sisi kertas yang dipindai lalu pindai ulang."
UNREADABLE = (
    "Tulisan pada halaman tidak terbaca (kabur, gelap, atau terlalu kecil). Pindai ulang, atau dekatkan kamera "
    "dan pastikan gambar tajam dan terang."
)
TOO_FAR = "Kamera terlalu jauh: tulisan terlalu kecil untuk dibaca. Dekatkan kamera sampai kartu memenuhi gambar."


@dataclass(frozen=True)
class Flat:
    """A page flattened for reading, and what the flattening noticed."""

    gray: Image
    cut_off: bool
    source_dpi: float


def load(path: str | Path) -> Image:
    """The first page of an image or PDF file as RGB pixels (G4 TIFF, WebP, AVIF, PNG, JPEG and what the
    capture pipeline's file import accepts). Raises app.capture.errors.FileImportError for a bad file."""
    for raw in file_pages(path):
        return as_rgb(raw.image)
    raise ValueError(f"{path}: no page")


def flatten(image: Image, kind: str) -> Flat:
    """The page (KK: A4 at 200 dpi) or card (KTP-el: ID-1 at 300 dpi) as a flat gray image.

    A picture that shows a page on a background is found and its perspective undone; a picture that is
    the page itself (a scan, a stored page) is straightened."""
    paper = ID_CARD if kind == "ktp" else A4
    dpi = KTP_DPI if kind == "ktp" else KK_DPI
    rgb = as_rgb(image)
    prepared = prepare(rgb, options=Options(find="optional", paper=paper, dpi=dpi))
    gray = prepared.render(gray=True)
    return Flat(np.ascontiguousarray(gray), prepared.cut_off, prepared.source_dpi)
