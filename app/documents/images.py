"""Array conventions of the pipeline: uint8 RGB (H, W, 3) or gray (H, W), and small conversions."""

from __future__ import annotations

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


def downscale(image: Image, max_side: int) -> tuple[Image, float]:
    """A copy whose longer side is at most max_side, and the factor applied (<= 1)."""
    height, width = image.shape[:2]
    scale = min(1.0, max_side / max(height, width))
    if scale >= 1.0:
        return image, 1.0
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    step = int(1 / scale) // 2
    if step >= 2:
        # Skip pixels first: an area filter over a 12-megapixel frame costs more than the rest.
        image = image[::step, ::step]
    return np.asarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA), dtype=np.uint8), scale


def resize_to(image: Image, width: int, height: int) -> Image:
    """Resample to an exact size (area filter when shrinking, cubic when enlarging)."""
    if (image.shape[1], image.shape[0]) == (width, height):
        return image
    shrinking = width * height < image.shape[0] * image.shape[1]
    method = cv2.INTER_AREA if shrinking else cv2.INTER_CUBIC
    return np.asarray(cv2.resize(image, (width, height), interpolation=method), dtype=np.uint8)
