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
    """How sharply the points pile up into rows at this angle: the sum of squared row counts."""
    radians = math.radians(angle)
    sin, cos = math.sin(radians), math.cos(radians)
    rows = ys * cos - xs * sin
    # Lifted by the most negative value any point could take, instead of a pass to find the minimum.
    rows += max(0.0, sin) * float(xs.max(initial=0.0)) + 1.0
    counts = np.bincount(rows.astype(np.intp))
    return float(np.dot(counts, counts))


def _best_angle(xs: np.ndarray, ys: np.ndarray, max_angle: float) -> float:
    """The angle of the best score, coarse to fine (the coarse pass on every fourth point)."""
    step = 0.5
    angles = np.arange(-max_angle, max_angle + step / 2, step)
    points = (xs[::4], ys[::4])
    best = 0.0
    while step >= 0.05:
        scores = [_score(*points, float(a)) for a in angles]
        best = float(angles[int(np.argmax(scores))])
        step /= 4
        angles = np.arange(best - 4 * step, best + 4.5 * step, step)
        points = (xs, ys)
    return best


def skew_angle(image: Image, *, max_angle: float = MAX_ANGLE) -> float:
    """The tilt of the text lines in degrees (positive: lines fall to the right); 0 when unsure."""
    small, _ = downscale(to_gray(image), _WORK_SIDE)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    found = cv2.findNonZero(ink)
    count = 0 if found is None else len(found)
    if count < 200 or count > 0.5 * ink.size:
        return 0.0
    # Every n-th ink pixel in reading order: spread over the whole page like a random pick, cheaper.
    points = np.asarray(found, dtype=np.float32).reshape(-1, 2)[:: -(-count // _MAX_POINTS)]
    xs, ys = np.ascontiguousarray(points[:, 0]), np.ascontiguousarray(points[:, 1])
    best = _best_angle(xs, ys, max_angle)
    flat = _score(xs, ys, 0.0)
    # Only trust a clearly better alignment (a page without text lines has no real optimum).
    if _score(xs, ys, best) < 1.02 * flat:
        return 0.0
    return best
