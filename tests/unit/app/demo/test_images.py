"""Demo pages: PNG, grayscale, 100 dpi, well under 60 KB, drawn with or without DejaVu."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Iterator

import pytest
from PIL import Image

from app.catalog import load_catalog
from app.demo import images
from app.demo.answers import build_case
from app.demo.pages import document_pages
from app.demo.people import Family, PeopleGenerator

TODAY = dt.date(2026, 3, 15)
LIMIT = 60_000


@pytest.fixture(scope="module")
def big_family() -> Family:
    """A family that fills most rows of the KK table."""
    people = PeopleGenerator(21, today=TODAY)
    return max((people.family("extended") for _ in range(200)), key=lambda f: len(f.members))


def _pages(family: Family) -> Iterator[tuple[str, bytes, tuple[int, int]]]:
    person = family.members[-1]
    yield "kk", images.kk_page(family), images.A4_LANDSCAPE
    yield "ktp", images.ktp_card(family.head, family.address, issued=family.issued), images.CARD
    yield "kia", images.kia_card(person, family), images.CARD
    yield "photo", images.photo_sheet(2), images.PHOTO_SHEET
    lines = images.person_lines(person, family.address)
    for page in (1, 2):
        letter = images.letter_page(
            "SURAT KETERANGAN KELAHIRAN",
            lines,
            issuer=images.village_letterhead(family.address),
            number="474.1/045/404.305.01/2026",
            body="Demikian surat keterangan ini dibuat untuk dipergunakan sebagaimana mestinya.",
            place_date="KROMPOL, 12-01-2026",
            signer=("Kepala Desa Krompol", "SLAMET RIYADI"),
            page=page,
            pages=2,
        )
        yield f"letter{page}", letter, images.A4_PORTRAIT


def test_pages_are_small_grayscale_pngs(big_family: Family) -> None:
    assert len(big_family.members) >= 6
    for name, data, size in _pages(big_family):
        assert data[:8] == b"\x89PNG\r\n\x1a\n", name
        assert len(data) < LIMIT, (name, len(data))
        with Image.open(io.BytesIO(data)) as image:
            assert image.mode == "L", name
            assert image.size == size, name
            assert round(image.info["dpi"][0]) == images.DPI
            assert len(image.getcolors() or []) <= 4


def test_pages_are_deterministic(big_family: Family) -> None:
    assert images.kk_page(big_family) == images.kk_page(big_family)


def test_default_font_when_dejavu_is_missing(monkeypatch: pytest.MonkeyPatch, big_family: Family) -> None:
    monkeypatch.setattr(images, "_FONT_DIRS", ())
    images.font.cache_clear()
    try:
        data = images.kk_page(big_family)
    finally:
        images.font.cache_clear()
    assert data[:4] == b"\x89PNG" and len(data) < LIMIT


def test_long_titles_wrap_and_values_are_cut(big_family: Family) -> None:
    title = "SURAT KETERANGAN/BUKTI PERUBAHAN PERISTIWA KEPENDUDUKAN DAN PERISTIWA PENTING " * 2
    data = images.letter_page(title, [("Nama", "X" * 300)], issuer=("KOP",))
    assert len(data) < LIMIT


def test_every_catalogue_document_gets_pages() -> None:
    catalog = load_catalog()
    people = PeopleGenerator(8, today=TODAY)
    rng = random.Random(1)
    for number in (25, 26, 21, 13):
        case = build_case(catalog.service(number), people)
        for document in catalog.documents.values():
            pages = document_pages(document, case, rng)
            assert 1 <= len(pages) <= 2, document.id
            for data in pages:
                assert data[:4] == b"\x89PNG" and len(data) < LIMIT, document.id
