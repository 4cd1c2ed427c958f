"""The card reader's single entry point: read a Kartu Keluarga page or a KTP-el front into a CardReading."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from app.cardread import pages
from app.cardread.engine import Recognizer
from app.cardread.kk import read_kk
from app.cardread.ktp import read_ktp
from app.cardread.model import CardKind, CardReading


def read_card(image: np.ndarray | str | Path, kind: CardKind, recognizer: Recognizer | None = None) -> CardReading:
    """Read a card and propose its values for the officer's review.

    `image` is a page as the capture pipeline stores it (G4 TIFF, WebP, AVIF, PNG, JPEG: give its path),
    an ordinary photo or scan file, or pixels (uint8, RGB or gray). `kind` is "kk" or "ktp". Photos are
    found and flattened first; boxes are in the flattened page's pixels (page_width x page_height: for a
    stored page, the page itself). Runs on the calling thread (a few seconds on one core; the OCR engine
    loads on first use): call it from the task runner, not the GUI thread.

    Values are in the forms' terms: codes as text ("1"), dates as YYYY-MM-DD, region codes dotted
    ("35.21.01.2001"). A reading with page-level `problems` and no rows means the page could not be read
    (not this card, upside down, cut off, unreadable); the problems say what to do.
    """
    started = time.perf_counter()
    pixels = pages.load(image) if isinstance(image, str | Path) else image
    if kind == "kk":
        reading = read_kk(pixels, recognizer)
    elif kind == "ktp":
        reading = read_ktp(pixels, recognizer)
    else:
        raise ValueError(f"unknown card kind {kind!r}: 'kk' or 'ktp'")
    return replace(reading, seconds=round(time.perf_counter() - started, 3))
