"""Import pages from files: images (JPEG, PNG, TIFF, one page per frame) and PDFs (each page rendered
with PDFium). Every fault is a FileImportError naming the file; other files are not affected."""

from __future__ import annotations

import importlib
import io
import logging
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image as PilImage
from PIL import ImageOps, ImageSequence, UnidentifiedImageError

from app.capture.base import RawPage
from app.capture.errors import (
    DamagedFileError,
    DamagedPdfError,
    EmptyFileError,
    EncryptedPdfError,
    FileTooLargeError,
    UnreadableFileError,
    UnsupportedFileError,
)
from app.documents.images import as_rgb

log = logging.getLogger("loket.documents")

MAX_FILE_BYTES = 150 * 1024 * 1024
MAX_PIXELS = 80_000_000
MAX_PDF_PAGES = 200
PDF_DPI = 200
IMAGE_FORMATS = frozenset({"JPEG", "PNG", "TIFF", "MPO", "WEBP", "BMP"})
SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".pdf", ".webp", ".bmp")
_PDF_PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD
_IMAGE_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF8", b"BM", b"RIFF")


def _read(path: Path) -> bytes:
    name = path.name
    try:
        size = path.stat().st_size
        if size == 0:
            raise EmptyFileError(name)
        if size > MAX_FILE_BYTES:
            raise FileTooLargeError(name, f"{size} bytes")
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(name, exc.strerror or type(exc).__name__) from None


def _plausible_dpi(info: Mapping[str | tuple[int, int], Any]) -> float | None:
    dpi = info.get("dpi")
    if not isinstance(dpi, tuple) or not dpi:
        return None
    try:
        value = float(dpi[0])  # TIFF gives IFDRational values
    except (TypeError, ValueError):
        return None
    # 72 and 96 are what cameras and editors write when they know nothing.
    return value if 100 <= value <= 1200 else None


def _frame_pixels(frame: PilImage.Image) -> npt.NDArray[np.uint8]:
    """One decoded frame, upright, as uint8 gray or RGB."""
    with warnings.catch_warnings():
        # Pillow warns about damaged metadata (e.g. corrupt EXIF) of pictures it still decodes fine.
        warnings.simplefilter("ignore", UserWarning)
        frame.load()
        upright = ImageOps.exif_transpose(frame)
        mode = "L" if upright.mode in ("1", "L", "I", "I;16", "F") else "RGB"
        return as_rgb(np.asarray(upright.convert(mode)))


def image_pages(data: bytes, name: str) -> Iterator[RawPage]:
    """Each frame of an image file as a page, upright as its EXIF orientation says."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # damaged metadata of a picture that still decodes
            warnings.simplefilter("error", PilImage.DecompressionBombWarning)
            picture = PilImage.open(io.BytesIO(data))
    except (PilImage.DecompressionBombWarning, PilImage.DecompressionBombError) as exc:
        raise FileTooLargeError(name, str(exc)) from None
    except UnidentifiedImageError:
        if data.startswith(_IMAGE_SIGNATURES):
            raise DamagedFileError(name, "image header, unreadable content") from None
        raise UnsupportedFileError(name, "not an image Pillow knows") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise DamagedFileError(name, str(exc)) from None
    with picture:
        if picture.format not in IMAGE_FORMATS:
            raise UnsupportedFileError(name, str(picture.format))
        number = 0
        try:
            for frame in ImageSequence.Iterator(picture):
                if frame.width * frame.height > MAX_PIXELS:
                    raise FileTooLargeError(name, f"{frame.width}x{frame.height} pixels")
                pixels = _frame_pixels(frame)
                number += 1
                yield RawPage(pixels, "file", _plausible_dpi(frame.info), name, number)
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise DamagedFileError(name, str(exc)) from None


def pdf_pages(data: bytes, name: str, dpi: int = PDF_DPI) -> Iterator[RawPage]:
    """Each page of a PDF rendered at dpi (smaller when the page is huge)."""
    pdfium: Any = importlib.import_module("pypdfium2")  # PDFium is loaded only when a PDF is imported

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == _PDF_PASSWORD_ERROR or "password" in str(exc).lower():
            raise EncryptedPdfError(name, str(exc)) from None
        raise DamagedPdfError(name, str(exc)) from None
    try:
        count = len(document)
        if count == 0:
            raise DamagedPdfError(name, "no pages")
        if count > MAX_PDF_PAGES:
            raise FileTooLargeError(name, f"{count} pages")
        for index in range(count):
            try:
                page = document[index]
                width_pt, height_pt = page.get_size()
                scale = dpi / 72.0
                pixels = width_pt * height_pt * scale * scale
                if pixels > MAX_PIXELS:
                    scale *= (MAX_PIXELS / pixels) ** 0.5
                bitmap = page.render(scale=scale, rev_byteorder=True)
                image = as_rgb(np.array(bitmap.to_numpy(), copy=True))
                bitmap.close()
                page.close()
            except pdfium.PdfiumError as exc:
                raise DamagedPdfError(name, f"page {index + 1}: {exc}") from None
            yield RawPage(image, "pdf", scale * 72.0, name, index + 1)
    finally:
        document.close()


def is_pdf(data: bytes) -> bool:
    """Whether bytes look like a PDF (the header may follow some junk, as PDF readers allow)."""
    return b"%PDF-" in data[:1024]


def file_pages(path: str | Path) -> Iterator[RawPage]:
    """Every page of one image or PDF file; raises a FileImportError naming the file."""
    path = Path(path)
    data = _read(path)
    log.debug("importing a file of %d bytes", len(data))
    if is_pdf(data):
        yield from pdf_pages(data, path.name)
    else:
        yield from image_pages(data, path.name)
