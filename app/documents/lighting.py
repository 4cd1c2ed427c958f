"""Even out the lighting of a page: shadows, a lamp's fall-off and colour casts become plain white paper."""

from __future__ import annotations

import cv2
import numpy as np

from app.documents.images import Image, is_colour, percentile, to_gray

_BLOCK = 4
# The background window as a fraction of the page's shorter side: local for text (follows a hand's
# shadow), broad for pages with photographs (a photo larger than the window would be bleached).
LOCAL = 6
BROAD = 2


_KERNEL = 9


def _block_max(image: Image, block: int) -> Image:
    """The brightest pixel of every block x block square, per channel (a partial last block is dropped)."""
    height, width = image.shape[:2]
    rows, cols = max(1, height // block), max(1, width // block)
    if height < block or width < block:
        return image.copy()
    cropped = image[: rows * block, : cols * block]
    # A dilation anchored at each block's top-left corner holds the block's maximum there.
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (block, block))
    grown = cv2.dilate(cropped, kernel, anchor=(0, 0), borderType=cv2.BORDER_REPLICATE)
    return np.ascontiguousarray(grown[::block, ::block])


def background(image: Image, *, window: int = LOCAL) -> Image:
    """The brightness the paper has at every pixel, per channel (ink, stamps and photos removed)."""
    height, width = image.shape[:2]
    # Shrink by taking block maxima (the paper between the ink) until the window is a small
    # kernel, so that the closing costs nothing whatever the window.
    block = max(_BLOCK, min(height, width) // (window * _KERNEL))
    small = _block_max(image, block)
    # A closing removes everything dark that is smaller than its window (text, stamps, photos);
    # shadows and the fall-off of the light are larger and stay.
    size = max(3, min(_KERNEL, (min(small.shape[:2]) // window) | 1))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel, borderType=cv2.BORDER_REPLICATE)
    smooth = cv2.GaussianBlur(closed, (0, 0), size / 4)
    return np.asarray(cv2.resize(smooth, (width, height), interpolation=cv2.INTER_CUBIC), dtype=np.uint8)


def paper_level(paper: Image) -> float:
    """How bright the paper is (0-255): the median luma of a background estimate."""
    return percentile(to_gray(paper), 50.0)


def white_gain(flat: Image) -> float:
    """The extra gain that turns a flattened page's paper fully white (its noise included)."""
    level = percentile(to_gray(flat)[::2, ::2], 70.0)
    # Aim a little above white so that the paper's noise clips to white too.
    return float(np.clip(266.0 / max(level, 1.0), 1.0, 1.35))


def flatten(image: Image, paper: Image, gain: float = 1.0) -> Image:
    """The page divided by its paper background (estimated at any scale) times gain: paper becomes white."""
    height, width = image.shape[:2]
    if is_colour(paper) and not is_colour(image):
        paper = to_gray(paper)
    elif is_colour(image) and not is_colour(paper):
        paper = np.asarray(cv2.cvtColor(paper, cv2.COLOR_GRAY2RGB), dtype=np.uint8)
    # No zero divisors, set at the estimate's scale: bilinear blends of values >= 1 stay >= 1.
    paper = np.maximum(paper, 1)
    if paper.shape[:2] != (height, width):
        paper = np.asarray(cv2.resize(paper, (width, height), interpolation=cv2.INTER_LINEAR), dtype=np.uint8)
    return np.asarray(cv2.divide(image, paper, scale=255.0 * gain), dtype=np.uint8)


def stretch_table(image: Image, *, low: float = 0.5, high: float = 99.5) -> Image | None:
    """A lookup table spreading the luma between two percentiles over 0-255 (None: already spread)."""
    gray = to_gray(image)
    lo, hi = percentile(gray, low), percentile(gray, high)
    if hi - lo < 32 or (lo < 8 and hi > 247):
        return None
    levels = (np.arange(256, dtype=np.float32) - float(lo)) * 255.0 / float(hi - lo)
    return np.asarray(np.clip(levels, 0, 255), dtype=np.uint8)


def stretch(image: Image, table: Image | None) -> Image:
    """Apply a stretch_table (cards: their colours are kept, only the levels are spread)."""
    return image if table is None else np.asarray(cv2.LUT(image, table), dtype=np.uint8)
