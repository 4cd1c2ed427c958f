"""Reading back the PDFs printing makes: page count, page sizes, text per page, QR codes (PDFium, OpenCV)."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import pypdfium2


@dataclass(frozen=True)
class ReadPdf:
    """What a PDF holds, read with PDFium."""

    pages: list[str]
    sizes: list[tuple[float, float]]

    @property
    def text(self) -> str:
        """All pages' text, whitespace folded to single spaces."""
        return " ".join(self.pages)

    def page_with(self, needle: str) -> int:
        """The 0-based index of the first page whose text holds `needle` (-1: none)."""
        return next((i for i, page in enumerate(self.pages) if needle in page), -1)


def read_pdf(data: bytes) -> ReadPdf:
    """Parse a PDF and extract each page's text (fails the test on a malformed PDF)."""
    assert data.startswith(b"%PDF-"), data[:20]
    document = pypdfium2.PdfDocument(data)
    try:
        pages: list[str] = []
        sizes: list[tuple[float, float]] = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            pages.append(" ".join(textpage.get_text_range().split()))
            sizes.append(tuple(page.get_size()))
            textpage.close()
            page.close()
        return ReadPdf(pages, sizes)
    finally:
        document.close()


def decode_qr(data: bytes, page: int = 0, scale: float = 3.0) -> str:
    """Render one page and decode the QR code on it with OpenCV ('' when none is found)."""
    document = pypdfium2.PdfDocument(data)
    try:
        image = document[page].render(scale=scale).to_pil().convert("L")
        pixels = np.asarray(image)
    finally:
        document.close()
    text, _points, _straight = cv2.QRCodeDetector().detectAndDecode(pixels)
    return str(text)
