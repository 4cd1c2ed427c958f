"""File import: images and PDFs become pages; every bad input is a clear FileImportError."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image as PilImage
from reportlab.lib import pdfencrypt  # type: ignore[import-untyped]
from reportlab.pdfgen import canvas  # type: ignore[import-untyped]

from app.capture import files
from app.capture.errors import (
    DamagedFileError,
    DamagedPdfError,
    EmptyFileError,
    EncryptedPdfError,
    FileImportError,
    FileTooLargeError,
    UnreadableFileError,
    UnsupportedFileError,
)
from app.capture.files import file_pages
from app.errors import KnownError


def _image(path: Path, fmt: str, size: tuple[int, int] = (300, 200), **params: object) -> Path:
    picture = PilImage.new("RGB", size, (250, 250, 250))
    picture.paste((10, 10, 10), (20, 20, 120, 40))
    picture.save(path, fmt, **params)
    return path


def _pdf(path: Path, pages: int = 2, password: str | None = None) -> Path:
    encrypt = pdfencrypt.StandardEncryption(password, canPrint=0) if password else None
    document = canvas.Canvas(str(path), pagesize=(595.27, 841.89), encrypt=encrypt)
    for number in range(pages):
        document.drawString(72, 760, f"Halaman {number + 1} NIK 3521101203850001")
        document.showPage()
    document.save()
    return path


def test_jpeg_png_and_tiff_pages(tmp_path: Path) -> None:
    jpeg = _image(tmp_path / "ktp.jpg", "JPEG", dpi=(300, 300))
    png = _image(tmp_path / "kk.png", "PNG")
    (page,) = file_pages(jpeg)
    assert (page.source, page.dpi, page.origin, page.number) == ("file", 300.0, "ktp.jpg", 1)
    assert page.image.shape == (200, 300, 3)
    (page,) = file_pages(png)
    assert page.dpi is None  # no resolution recorded
    tiff = tmp_path / "scan.tif"
    frames = [PilImage.new("L", (120, 160), shade) for shade in (200, 150, 100)]
    frames[0].save(tiff, "TIFF", save_all=True, append_images=frames[1:], dpi=(200, 200))
    pages = list(file_pages(tiff))
    assert [p.number for p in pages] == [1, 2, 3]
    assert [int(p.image.mean()) for p in pages] == [200, 150, 100]
    assert all(p.image.ndim == 2 and p.dpi == 200.0 for p in pages)


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    picture = PilImage.new("RGB", (300, 200), (240, 240, 240))
    exif = picture.getexif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to view
    picture.save(tmp_path / "phone.jpg", "JPEG", exif=exif.tobytes())
    (page,) = file_pages(tmp_path / "phone.jpg")
    assert page.image.shape[:2] == (300, 200)


def test_pdf_pages_are_rendered_at_200_dpi(tmp_path: Path) -> None:
    pages = list(file_pages(_pdf(tmp_path / "akta.pdf", pages=2)))
    assert [p.number for p in pages] == [1, 2]
    assert pages[0].source == "pdf"
    assert pages[0].image.shape == (2339, 1654, 3)
    assert pages[0].dpi == pytest.approx(200)
    assert pages[0].image.min() < 100  # the text is there


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda p: p.write_bytes(b""), EmptyFileError),
        (lambda p: p.write_text("Nama,NIK\nBudi,3521101203850001\n"), UnsupportedFileError),
        (lambda p: p.write_bytes(b"GIF89a" + bytes(200)), DamagedFileError),
        (lambda p: p.write_bytes(bytes(range(256)) * 3), UnsupportedFileError),
        (lambda p: p.write_bytes(_image(p, "PNG").read_bytes()[:300]), DamagedFileError),
        (lambda p: p.write_bytes(_image(p, "JPEG", size=(800, 600)).read_bytes()[:2000]), DamagedFileError),
        (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4), DamagedFileError),
        (lambda p: p.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8), DamagedPdfError),
        (lambda p: p.write_bytes(_pdf(p).read_bytes()[:400]), DamagedPdfError),
        (lambda p: _pdf(p, password="rahasia"), EncryptedPdfError),
    ],
    ids=[
        "zero-byte",
        "text",
        "gif-junk",
        "binary-junk",
        "truncated-png",
        "truncated-jpeg",
        "corrupt-png",
        "junk-pdf",
        "truncated-pdf",
        "encrypted-pdf",
    ],
)
def test_bad_files_are_told_clearly(tmp_path: Path, make: object, error: type[FileImportError]) -> None:
    path = tmp_path / "dokumen.bin"
    make(path)  # type: ignore[operator]
    with pytest.raises(error) as caught:
        list(file_pages(path))
    assert isinstance(caught.value, KnownError)
    assert caught.value.name == "dokumen.bin"
    assert caught.value.message and "dokumen.bin" not in caught.value.message  # names are shown, never logged


def test_a_picture_with_corrupt_exif_still_comes_in(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    PilImage.new("RGB", (64, 48), (200, 200, 200)).save(buffer, "JPEG")
    plain = buffer.getvalue()
    exif = b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x05\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00" + b"\xff" * 6
    path = tmp_path / "hp.jpg"
    path.write_bytes(plain[:2] + b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif + plain[2:])
    (page,) = file_pages(path)  # Pillow warns about the EXIF; that is no reason to refuse the page
    assert sorted(page.image.shape[:2]) == [48, 64]


def test_gif_is_not_accepted(tmp_path: Path) -> None:
    _image(tmp_path / "a.gif", "GIF")
    with pytest.raises(UnsupportedFileError):
        list(file_pages(tmp_path / "a.gif"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError):
        list(file_pages(tmp_path / "hilang.jpg"))


def test_huge_files_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _image(tmp_path / "besar.png", "PNG", size=(2000, 1500))
    monkeypatch.setattr(files, "MAX_PIXELS", 1_000_000)
    with pytest.raises(FileTooLargeError):
        list(file_pages(path))
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 100)
    with pytest.raises(FileTooLargeError):
        list(file_pages(path))


def test_decompression_bomb_is_refused_not_warned(tmp_path: Path) -> None:
    # A PNG whose header claims 40000 x 40000 pixels (1.6 gigapixels) in a few dozen bytes.
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 40000, 40000, 1, 0, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")
    path = tmp_path / "bom.png"
    path.write_bytes(data)
    with pytest.raises(FileTooLargeError):
        list(file_pages(path))


def test_pdf_with_many_pages_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "MAX_PDF_PAGES", 1)
    with pytest.raises(FileTooLargeError):
        list(file_pages(_pdf(tmp_path / "tebal.pdf", pages=3)))


def test_pixels_are_uint8() -> None:
    picture = PilImage.fromarray(np.full((10, 10), 40000, np.uint16))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    (page,) = files.image_pages(buffer.getvalue(), "a.png")
    assert page.image.dtype == np.uint8
