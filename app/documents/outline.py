"""Find a page's outline (four corners) in a photo, and facts about an outline."""

from __future__ import annotations

from typing import TypeAlias

import cv2
import numpy as np
import numpy.typing as npt

from app.documents.images import Image, downscale, percentile, to_gray

# Corners in pixels of the image they were found in: top-left, top-right, bottom-right, bottom-left.
Quad: TypeAlias = npt.NDArray[np.float32]

DETECT_SIDE = 960
MIN_AREA = 0.05
MAX_AREA = 0.985


def as_quad(points: npt.ArrayLike) -> Quad:
    """Four (x, y) points in clockwise order starting top-left, as a float32 (4, 2) array."""
    array = np.asarray(points, dtype=np.float32).reshape(-1, 2)
    if array.shape != (4, 2):
        raise ValueError("an outline has exactly four corners")
    centre = array.mean(axis=0)
    angles = np.arctan2(array[:, 1] - centre[1], array[:, 0] - centre[0])
    ordered = array[np.argsort(angles)]  # clockwise on screen (y points down)
    start = int(np.argmin(ordered.sum(axis=1)))
    return np.ascontiguousarray(np.roll(ordered, -start, axis=0))


def side_lengths(quad: Quad) -> tuple[float, float]:
    """Mean width (top, bottom) and mean height (left, right) of an outline in pixels."""
    top = float(np.linalg.norm(quad[1] - quad[0]))
    bottom = float(np.linalg.norm(quad[2] - quad[3]))
    left = float(np.linalg.norm(quad[3] - quad[0]))
    right = float(np.linalg.norm(quad[2] - quad[1]))
    return (top + bottom) / 2, (left + right) / 2


def touches_border(quad: Quad, width: int, height: int, margin: float = 0.004) -> bool:
    """Whether a corner lies on the image's edge (so the page probably goes on beyond it)."""
    pad_x, pad_y = max(2.0, width * margin), max(2.0, height * margin)
    xs, ys = quad[:, 0], quad[:, 1]
    return bool(
        np.any(xs <= pad_x)
        or np.any(ys <= pad_y)
        or np.any(xs >= width - 1 - pad_x)
        or np.any(ys >= height - 1 - pad_y)
    )


def whole_image(width: int, height: int) -> Quad:
    """The outline of an entire image."""
    return as_quad([(0, 0), (width - 1, 0), (width - 1, height - 1), (0, height - 1)])


def _approx_quad(contour: npt.NDArray[np.int32]) -> npt.NDArray[np.float32] | None:
    hull = cv2.convexHull(contour)
    perimeter = cv2.arcLength(hull, True)
    for fraction in (0.01, 0.02, 0.03, 0.045, 0.06):
        approx = cv2.approxPolyDP(hull, fraction * perimeter, True)
        if len(approx) == 4:
            return np.asarray(approx, dtype=np.float32).reshape(4, 2)
        if len(approx) < 4:
            return None
    return None


def _candidates(gray: Image) -> list[npt.NDArray[np.int32]]:
    """Outlines that may be the page: edges, the bright region (paper on a desk) and the dark regions
    (a card on a scanner's white lid)."""
    blurred = np.asarray(cv2.GaussianBlur(gray, (5, 5), 0), dtype=np.uint8)
    median = percentile(blurred, 50.0)
    # Thresholds follow the scene's brightness, capped so that a card on a white lid still has edges.
    edges = cv2.Canny(blurred, min(30.0, max(10.0, 0.5 * median)), min(80.0, max(30.0, 1.2 * median)))
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    found, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    contours = list(found)
    _, bright = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    for mask in (bright, cv2.bitwise_not(bright)):
        closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
        regions, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        contours.extend(regions)
    return [np.asarray(c, dtype=np.int32) for c in contours]


def edge_contrast(gray: Image, quad: npt.NDArray[np.float32]) -> float:
    """How much the luma just inside an outline differs from just outside it (a page on a desk: a lot;
    a table's frame printed on a page: nothing)."""
    inside = np.zeros(gray.shape, np.uint8)
    cv2.fillConvexPoly(inside, np.round(quad).astype(np.int32), 1)
    band = max(3, min(gray.shape) // 60)
    kernel = np.ones((band, band), np.uint8)
    # The rings keep a gap from the outline: a line printed along it (a frame), blurred by the
    # shrinking, would otherwise darken one ring and pass for a page's edge.
    gap = np.ones((band // 2 * 2 + 1, band // 2 * 2 + 1), np.uint8)
    core, grown = cv2.erode(inside, gap), cv2.dilate(inside, gap)
    ring_in = (core - cv2.erode(core, kernel)).astype(bool)
    ring_out = (cv2.dilate(grown, kernel) - grown).astype(bool)
    if not ring_in.any() or not ring_out.any():
        return 0.0
    return abs(float(np.median(gray[ring_in])) - float(np.median(gray[ring_out])))


def find_page(
    image: Image, *, max_side: int = DETECT_SIDE, min_area: float = MIN_AREA, min_contrast: float = 0.0
) -> Quad | None:
    """The outline of the largest page-like quadrilateral in a photo, or None when there is none.

    min_contrast asks the page to stand out from its surroundings (luma levels), for pictures that
    may as well be scans.
    """
    small, scale = downscale(to_gray(image), max_side)
    area = float(small.shape[0] * small.shape[1])
    best: npt.NDArray[np.float32] | None = None
    best_area = 0.0
    for contour in _candidates(small):
        if cv2.contourArea(contour) < min_area * area:
            continue
        quad = _approx_quad(contour)
        if quad is None:
            continue
        quad_area = float(cv2.contourArea(quad))
        if not min_area * area <= quad_area <= MAX_AREA * area or quad_area <= best_area:
            continue
        if (
            not cv2.isContourConvex(quad.reshape(-1, 1, 2))
            or cv2.contourArea(cv2.convexHull(contour)) < 0.85 * quad_area
        ):
            continue
        if min_contrast > 0 and edge_contrast(small, quad) < min_contrast:
            continue
        best, best_area = quad, quad_area
    if best is None:
        return None
    return as_quad(best / scale)
