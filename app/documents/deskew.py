"""Straighten a scanned page whose text lines are slightly tilted (a page laid crooked on the glass)."""

from __future__ import annotations

import math

import cv2
import numpy as np

from app.documents.images import Image, downscale, to_gray

MAX_ANGLE = 6.0
MIN_ANGLE = 0.15
_WORK_SIDE = 1100
_MAX_POINTS = 80_000


def _score(xs: np.ndarray, ys: np.ndarray, angle: float) -> float:
    radians = math.radians(angle)
    rows = ys * math.cos(radians) - xs * math.sin(radians)
    offset = rows - rows.min()
    counts = np.bincount(offset.astype(np.int64))
    return float(np.dot(counts, counts))


def skew_angle(image: Image, *, max_angle: float = MAX_ANGLE) -> float:
    """The tilt of the text lines in degrees (positive: lines fall to the right); 0 when unsure."""
    small, _ = downscale(to_gray(image), _WORK_SIDE)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ys, xs = np.nonzero(ink)
    if xs.size < 200 or xs.size > 0.5 * ink.size:
        return 0.0
    if xs.size > _MAX_POINTS:
        pick = np.random.default_rng(0).choice(xs.size, _MAX_POINTS, replace=False)
        xs, ys = xs[pick], ys[pick]
    xs_f, ys_f = xs.astype(np.float64), ys.astype(np.float64)
    best, step = 0.0, 0.5
    angles = np.arange(-max_angle, max_angle + step / 2, step)
    while step >= 0.05:
        scores = [_score(xs_f, ys_f, float(a)) for a in angles]
        best = float(angles[int(np.argmax(scores))])
        step /= 4
        angles = np.arange(best - 4 * step, best + 4.5 * step, step)
    flat = _score(xs_f, ys_f, 0.0)
    # Only trust a clearly better alignment (a page without text lines has no real optimum).
    if _score(xs_f, ys_f, best) < 1.02 * flat:
        return 0.0
    return best
