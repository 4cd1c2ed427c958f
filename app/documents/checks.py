"""Quality checks of a captured page, each failure with its reason in Bahasa Indonesia.

The officer may keep a page that fails (a faded original cannot be rescanned into a sharp one);
that choice is recorded with the check results.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import cv2
import numpy as np

from app.documents.images import Image, to_gray

BLUR_LIMIT = 0.5
DARK_LIMIT = 70.0
GLARE_LIMIT = 0.002
MIN_DPI = 180

_REASONS = {
    "blur": "Gambar kabur. Tahan kamera dan dokumen tetap diam, pastikan fokus, lalu ambil ulang.",
    "dark": "Gambar terlalu gelap. Tambah cahaya (nyalakan lampu atau dekatkan ke jendela), lalu ambil ulang.",
    "glare": "Ada pantulan cahaya (silau) pada dokumen. Geser lampu atau miringkan dokumen sedikit, lalu ambil ulang.",
    "cut_off": "Halaman terpotong: keempat sudut dokumen harus terlihat di dalam bingkai. Mundurkan kamera.",
    "resolution": "Resolusi terlalu rendah ({value:.0f} dpi; perlu minimal {limit:.0f} dpi agar angka NIK terbaca). "
    "Dekatkan kamera ke dokumen atau pindai dengan 200 dpi.",
}


@dataclass(frozen=True)
class Check:
    """The result of one check: its measured value, the limit, and the reason when it failed."""

    name: str
    ok: bool
    value: float
    limit: float

    @property
    def reason(self) -> str:
        """What went wrong and what to do, for the officer ("" when the check passed)."""
        return "" if self.ok else _REASONS[self.name].format(value=self.value, limit=self.limit)


def _centre(gray: Image, side: int) -> Image:
    height, width = gray.shape
    top, left = max(0, (height - side) // 2), max(0, (width - side) // 2)
    return gray[top : top + side, left : left + side]


def blur_score(image: Image, *, side: int = 1024) -> float:
    """Perceptual blur 0 (sharp) to 1 (blurred): how little a further blur changes the edges.

    Crete-Roffet et al., "The blur effect" (2007), counting only real edges (steps above noise),
    over the central square of the page.
    """
    gray = np.ascontiguousarray(_centre(to_gray(image), side))
    if float(cv2.meanStdDev(gray)[1][0, 0]) < 6.0:
        return 0.0  # a blank page: nothing to be sharp or blurred
    scores = []
    for kernel in ((1, 9), (9, 1)):
        blurred = cv2.blur(gray, kernel)
        # Differences between neighbours along the blur, in uint8 (|a - b| fits) with OpenCV's vector code.
        if kernel[1] == 9:
            d_sharp, d_blur = cv2.absdiff(gray[1:], gray[:-1]), cv2.absdiff(blurred[1:], blurred[:-1])
        else:
            d_sharp, d_blur = cv2.absdiff(gray[:, 1:], gray[:, :-1]), cv2.absdiff(blurred[:, 1:], blurred[:, :-1])
        edges = np.asarray(d_sharp > 12, dtype=np.uint8)
        total = cv2.sumElems(cv2.bitwise_and(d_sharp, d_sharp, mask=edges))[0]
        if total <= 0:
            return 1.0  # content but not one crisp step anywhere
        kept = cv2.sumElems(cv2.subtract(d_sharp, d_blur, mask=edges))[0]  # saturates at 0
        scores.append((total - kept) / total)
    return max(scores)


def glare_share(image: Image, paper: float) -> float:
    """The share of the page burnt out to white where the paper itself is not (a lamp's reflection)."""
    if paper >= 225:
        return 0.0
    gray = to_gray(image)[::2, ::2]
    hot = cv2.morphologyEx((gray >= 250).astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    return float(np.mean(hot))


def run_checks(
    *,
    page: Image,
    source_page: Image,
    paper: float,
    dpi: float,
    found: bool,
    cut_off: bool,
) -> tuple[Check, ...]:
    """Every check of a page.

    page: the rectified page at the source's own scale (for blur); source_page: the same before
    evening out the light (for glare); paper: the paper's brightness 0-255; dpi: the source's
    pixels per inch on the page; found: whether the page's edges were seen; cut_off: whether the
    page runs off the picture.
    """
    blur = blur_score(page)
    glare = glare_share(source_page, paper)
    return (
        Check("blur", blur <= BLUR_LIMIT, round(blur, 3), BLUR_LIMIT),
        Check("dark", paper >= DARK_LIMIT, round(paper, 1), DARK_LIMIT),
        Check("glare", glare <= GLARE_LIMIT, round(glare, 4), GLARE_LIMIT),
        Check("cut_off", found and not cut_off, 0.0 if found and not cut_off else 1.0, 0.0),
        Check("resolution", dpi >= MIN_DPI, round(dpi), MIN_DPI),
    )


def failed(checks: Iterable[Check]) -> tuple[Check, ...]:
    """The checks that did not pass."""
    return tuple(check for check in checks if not check.ok)


def checks_record(checks: Iterable[Check], *, kept_anyway: bool = False) -> dict[str, object]:
    """The check results as stored with a page (JSON): each value, what failed, and the officer's choice."""
    items = tuple(checks)
    record: dict[str, object] = {check.name: {"ok": check.ok, "value": check.value} for check in items}
    record["failed"] = [check.name for check in items if not check.ok]
    record["kept_anyway"] = bool(kept_anyway and any(not check.ok for check in items))
    return record
