"""Synthetic documents shared by the pipeline tests (drawn once per test session)."""

from __future__ import annotations

import pytest

from app.documents.images import Image as Pixels
from tests.helpers import documents
from tests.helpers.documents import Photo, Synthetic


@pytest.fixture(scope="session")
def letter() -> Synthetic:
    """A 10 pt letter with NIKs (A4 at 300 dpi)."""
    return documents.text_page(21, lines=36)


@pytest.fixture(scope="session")
def card() -> Synthetic:
    """A KTP-el-like card."""
    return documents.id_card(22)


@pytest.fixture(scope="session")
def photo_page() -> Synthetic:
    """A page with a large colour photograph."""
    return documents.photo_page(23)


@pytest.fixture(scope="session")
def letter_photo(letter: Synthetic) -> Photo:
    """The letter photographed by an 8-megapixel camera (about 200 dpi on the page) under a lamp."""
    return documents.photograph(letter, frame=(3264, 2448), fill=0.9, seed=3)


@pytest.fixture(scope="session")
def letter_scan(letter: Synthetic) -> Pixels:
    """The letter scanned at 200 dpi, laid 1.5 degrees crooked."""
    return documents.scan(letter, dpi=200, skew=1.5)
