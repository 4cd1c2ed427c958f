"""Array conventions of the pipeline: uint8 RGB (H, W, 3) or gray (H, W), and small conversions."""

from __future__ import annotations

import math
from typing import TypeAlias

import cv2
import numpy as np
import numpy.typing as npt

Image: TypeAlias = npt.NDArray[np.uint8]
Mask: TypeAlias = npt.NDArray[np.bool_]


def is_colour(image: Image) -> bool:
    """Whether the array has three channels."""
    return image.ndim == 3 and image.shape[2] == 3


def as_rgb(image: npt.NDArray[np.generic]) -> Image:
    """Any uint8/uint16 gray, gray+alpha, RGB or RGBA array as uint8 gray or RGB (alpha dropped)."""
    array = np.asarray(image)
    if array.dtype == np.uint16:
        array = (array >> 8).astype(np.uint8)
    elif array.dtype == np.bool_:
        array = np.where(array, 255, 0).astype(np.uint8)
    elif array.dtype != np.uint8:
        raise ValueError(f"unsupported pixel type {array.dtype}")
    if (array.ndim == 3 and array.shape[2] == 1) or (array.ndim == 3 and array.shape[2] == 2):
        array = array[:, :, 0]
    elif array.ndim == 3 and array.shape[2] == 4:
        array = array[:, :, :3]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] != 3):
        raise ValueError(f"unsupported image shape {array.shape}")
    if array.shape[0] < 1 or array.shape[1] < 1:
        raise ValueError("empty image")
    return np.ascontiguousarray(array)


def to_gray(image: Image) -> Image:
    """Luma of an RGB image (a gray image as it is)."""
    if is_colour(image):
        return np.asarray(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY), dtype=np.uint8)
    return image


def percentile(gray: Image, q: float) -> float:
    """np.percentile(gray, q) (linear interpolation between ranks), from a histogram: no sort."""
    if gray.size < 2**24:  # counts stay exact in OpenCV's float32 bins
        counts = cv2.calcHist([gray], [0], None, [256], [0, 256]).ravel().astype(np.int64)
    else:
        counts = np.bincount(gray.ravel(), minlength=256)
    ranks = np.cumsum(counts)
    position = q / 100.0 * (int(ranks[-1]) - 1)
    below = math.floor(position)
    low = int(np.searchsorted(ranks, below, side="right"))  # the value at sorted index below
    high = int(np.searchsorted(ranks, below + 1, side="right")) if position > below else low
    return low + (position - below) * (high - low)


def halved(image: Image) -> Image:
    """The image at half its width and height, each pixel the mean of a 2x2 block (an odd last row or
    column is dropped)."""
    height, width = image.shape[:2]
    # An exact factor of two takes OpenCV's fast area path; any other factor is several times slower.
    even = image[: height - height % 2, : width - width % 2]
    return np.asarray(cv2.resize(even, (width // 2, height // 2), interpolation=cv2.INTER_AREA), dtype=np.uint8)


def _shrink(image: Image, width: int, height: int) -> Image:
    """Resample to a smaller exact size: halvings while they stay at or above it, then one area step."""
    while image.shape[1] >= 2 * width and image.shape[0] >= 2 * height:
        image = halved(image)
    if (image.shape[1], image.shape[0]) == (width, height):
        return image
    return np.asarray(cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA), dtype=np.uint8)


def downscale(image: Image, max_side: int) -> tuple[Image, float]:
    """A copy whose longer side is at most max_side, and the factor applied (<= 1)."""
    height, width = image.shape[:2]
    scale = min(1.0, max_side / max(height, width))
    if scale >= 1.0:
        return image, 1.0
    return _shrink(image, max(1, round(width * scale)), max(1, round(height * scale))), scale


def resize_to(image: Image, width: int, height: int) -> Image:
    """Resample to an exact size (area filter when shrinking, cubic when enlarging)."""
    if (image.shape[1], image.shape[0]) == (width, height):
        return image
    if width <= image.shape[1] and height <= image.shape[0]:
        return _shrink(image, width, height)
    return np.asarray(cv2.resize(image, (width, height), interpolation=cv2.INTER_CUBIC), dtype=np.uint8)
