"""Decide how a page is kept: bilevel (text), grayscale (photos) or colour (stamps, coloured cards)."""

from __future__ import annotations

from typing import Literal

import cv2
import numpy as np

from app.documents.images import Image, downscale, is_colour, to_gray

Mode = Literal["bilevel", "gray", "color"]

CHROMA = 22.0
COLOUR_SHARE = 0.0015
PHOTO_SHARE = 0.008
_BLOCK = 8


def colour_share(image: Image) -> float:
    """The share of the page covered by clearly coloured ink or print (fringes and noise ignored)."""
    if not is_colour(image):
        return 0.0
    small, _ = downscale(image, 800)
    lightness, a, b = cv2.split(cv2.cvtColor(small, cv2.COLOR_RGB2Lab))
    chroma = cv2.magnitude(a.astype(np.float32) - 128.0, b.astype(np.float32) - 128.0)
    coloured = ((chroma > CHROMA) & (lightness > 40)).astype(np.uint8)
    opened = cv2.morphologyEx(coloured, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    return float(opened.mean())


def photo_share(gray: Image) -> float:
    """The share of the page in blocks of continuous tone (photographs), not text on paper."""
    height, width = gray.shape
    rows, cols = height // _BLOCK, width // _BLOCK
    if rows < 3 or cols < 3:
        return 0.0
    cropped = gray[: rows * _BLOCK, : cols * _BLOCK]
    mid = ((cropped > 45) & (cropped < 205)).reshape(rows, _BLOCK, cols, _BLOCK).mean(axis=(1, 3))
    white = (cropped >= 225).reshape(rows, _BLOCK, cols, _BLOCK).mean(axis=(1, 3))
    blocks = ((mid > 0.55) & (white < 0.2)).astype(np.uint8)
    blocks = cv2.morphologyEx(blocks, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    return float(blocks.mean())


def choose_mode(image: Image, *, card: bool = False) -> Mode:
    """Bilevel for text, gray for photos, colour when colour carries meaning (stamps, cards)."""
    coloured = colour_share(image) > COLOUR_SHARE
    if card:
        return "color" if coloured else "gray"
    if coloured:
        return "color"
    return "gray" if photo_share(to_gray(image)) > PHOTO_SHARE else "bilevel"
