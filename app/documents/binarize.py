"""Turn an evened-out page into black ink on white paper."""

from __future__ import annotations

import cv2
import numpy as np

from app.documents.images import Image, Mask, to_gray

LOWEST, HIGHEST = 100, 205


def threshold(gray: Image) -> float:
    """Otsu's level between ink and paper, kept within sane bounds for a flattened page."""
    level, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return float(min(max(level, LOWEST), HIGHEST))


def binarize(image: Image) -> Mask:
    """Ink mask (True = black) of a flattened page, without isolated single-pixel specks."""
    gray = np.asarray(cv2.GaussianBlur(to_gray(image), (3, 3), 0), dtype=np.uint8)
    ink = (gray < threshold(gray)).astype(np.uint8)
    neighbours = cv2.boxFilter(ink, cv2.CV_16U, (3, 3), normalize=False)
    return np.asarray((ink == 1) & (neighbours > 1), dtype=np.bool_)
