"""Where a page lies in a captured picture, as one transform to the output page, and rendering it."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from app.documents.images import Image, halved, to_gray
from app.documents.outline import Quad

# Shrinking by more than this with a plain warp aliases fine print: pre-shrink with an area filter.
_MAX_WARP_SHRINK = 1.6
_HALF = np.array([[2.0, 0.0, 0.5], [0.0, 2.0, 0.5], [0.0, 0.0, 1.0]])


@dataclass(frozen=True)
class Geometry:
    """A 3x3 transform from the captured picture to the output page, and the output's size in pixels."""

    matrix: npt.NDArray[np.float64]
    width: int
    height: int

    def scaled(self, factor: float) -> Geometry:
        """The same page rendered factor times as large."""
        scale = np.diag([factor, factor, 1.0])
        return Geometry(scale @ self.matrix, max(1, round(self.width * factor)), max(1, round(self.height * factor)))

    def rotated(self, quarters: int) -> Geometry:
        """The same page turned by quarter turns clockwise."""
        turns = quarters % 4
        w, h = self.width, self.height
        turn = {
            0: np.eye(3),
            1: np.array([[0, -1, h - 1], [1, 0, 0], [0, 0, 1]], dtype=np.float64),
            2: np.array([[-1, 0, w - 1], [0, -1, h - 1], [0, 0, 1]], dtype=np.float64),
            3: np.array([[0, 1, 0], [-1, 0, w - 1], [0, 0, 1]], dtype=np.float64),
        }[turns]
        size = (w, h) if turns % 2 == 0 else (h, w)
        return Geometry(turn @ self.matrix, size[0], size[1])

    def shrink(self) -> float:
        """How many source pixels one output pixel covers along its longer axis (about)."""
        linear = self.matrix[:2, :2] / max(abs(self.matrix[2, 2]), 1e-12)
        return 1.0 / max(math.sqrt(abs(np.linalg.det(linear))), 1e-12)


def from_quad(quad: Quad, width: int, height: int) -> Geometry:
    """The perspective transform taking quad's corners to an output of width x height."""
    target = np.array([(0, 0), (width - 1, 0), (width - 1, height - 1), (0, height - 1)], dtype=np.float32)
    return Geometry(cv2.getPerspectiveTransform(quad.astype(np.float32), target).astype(np.float64), width, height)


def from_rotation(width: int, height: int, angle: float, factor: float) -> Geometry:
    """Rotate a picture of width x height about its centre by angle degrees (counter-clockwise) and scale it."""
    out_w, out_h = max(1, round(width * factor)), max(1, round(height * factor))
    matrix = cv2.getRotationMatrix2D((width / 2.0, height / 2.0), angle, factor)
    matrix[0, 2] += out_w / 2.0 - width / 2.0
    matrix[1, 2] += out_h / 2.0 - height / 2.0
    return Geometry(np.vstack([matrix, [0.0, 0.0, 1.0]]), out_w, out_h)


def render(image: Image, geometry: Geometry, *, gray: bool = False, antialias: bool = True) -> Image:
    """The output page from the captured picture (gray: warp only the luma, three times faster)."""
    source = to_gray(image) if gray else image
    matrix = geometry.matrix
    shrink = geometry.shrink()
    while antialias and shrink >= 2.0:
        # Halving is OpenCV's fastest area filter; a halved pixel u is centred on 2u + 0.5 of its source.
        source = halved(source)
        matrix = matrix @ _HALF
        shrink /= 2.0
    if antialias and shrink > _MAX_WARP_SHRINK:
        factor = 1.25 / shrink
        size = (max(1, round(source.shape[1] * factor)), max(1, round(source.shape[0] * factor)))
        source = np.asarray(cv2.resize(source, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)
        matrix = matrix @ np.diag([1.0 / factor, 1.0 / factor, 1.0])
    if np.allclose(matrix[2], [0.0, 0.0, 1.0]):
        warped = cv2.warpAffine(
            source,
            matrix[:2],
            (geometry.width, geometry.height),
            flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_REPLICATE,
        )
    else:
        warped = cv2.warpPerspective(
            source, matrix, (geometry.width, geometry.height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
        )
    return np.asarray(warped, dtype=np.uint8)
