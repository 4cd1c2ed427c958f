"""Undo perspective: a photographed page's real proportions, its paper, and the detail the photo holds."""

from __future__ import annotations

import math

import numpy as np

from app.documents.outline import Quad, side_lengths
from app.documents.paper import MM_PER_INCH, Paper, nearest_paper

# A phone's main camera or a webcam: focal length about 0.6-1.0 times the longer image side.
ASSUMED_FOCAL = 0.8


def page_aspect(quad: Quad, width: int, height: int) -> float:
    """Width over height of the real rectangle seen as quad, for a camera centred on the image.

    Zhang & He, "Whiteboard scanning and image enhancement" (2007): the focal length and the
    rectangle's aspect ratio follow from the vanishing geometry of its four corners. When a pair of
    sides is parallel in the picture the focal length is undefined; a typical one is assumed then.
    """
    width_px, height_px = side_lengths(quad)
    naive = width_px / max(height_px, 1e-6)
    cx, cy = width / 2.0, height / 2.0
    m1, m2, m4, m3 = (np.array([x - cx, y - cy, 1.0]) for x, y in quad)  # tl, tr, br, bl
    k2 = float(np.dot(np.cross(m1, m4), m3) / np.dot(np.cross(m2, m4), m3))
    k3 = float(np.dot(np.cross(m1, m4), m2) / np.dot(np.cross(m3, m4), m2))
    n2 = k2 * m2 - m1
    n3 = k3 * m3 - m1
    longer = float(max(width, height))
    focal2 = (ASSUMED_FOCAL * longer) ** 2
    if abs(n2[2] * n3[2]) > 1e-9:
        estimate = -(n2[0] * n3[0] + n2[1] * n3[1]) / (n2[2] * n3[2])
        if math.isfinite(estimate) and (0.3 * longer) ** 2 < estimate < (5.0 * longer) ** 2:
            focal2 = estimate
    top = n2[0] ** 2 + n2[1] ** 2 + focal2 * n2[2] ** 2
    bottom = n3[0] ** 2 + n3[1] ** 2 + focal2 * n3[2] ** 2
    aspect = math.sqrt(top / bottom) if bottom > 0 and top > 0 else naive
    # A wildly different answer means the corners are noisy: trust the plain side lengths then.
    return aspect if 0.6 < aspect / naive < 1.6 else naive


def choose_paper(
    quad: Quad, width: int, height: int, hint: Paper | None = None, among: tuple[Paper, ...] = ()
) -> tuple[Paper, bool]:
    """The paper a photographed page is (the hint when given, else the nearest of among or of all papers) and
    whether it lies landscape."""
    aspect = page_aspect(quad, width, height)
    landscape = aspect > 1.0
    long_over_short = aspect if landscape else 1.0 / aspect
    return (hint or nearest_paper(long_over_short, landscape=landscape, among=among)), landscape


def effective_dpi(quad: Quad, paper: Paper, landscape: bool) -> float:
    """How many source pixels per inch the photo has on the page (the lower of the two axes)."""
    width_px, height_px = side_lengths(quad)
    width_mm, height_mm = (paper.height_mm, paper.width_mm) if landscape else (paper.width_mm, paper.height_mm)
    return min(width_px / (width_mm / MM_PER_INCH), height_px / (height_mm / MM_PER_INCH))
