"""Paper sizes, outline ordering, finding the page in a photo, and the page's real proportions."""

from __future__ import annotations

import numpy as np
import pytest

from app.documents.outline import as_quad, find_page, side_lengths, touches_border, whole_image
from app.documents.paper import A4, F4, ID_CARD, nearest_paper, paper_for_document
from app.documents.rectify import choose_paper, effective_dpi, page_aspect
from tests.helpers import documents
from tests.helpers.camera import desk
from tests.helpers.documents import Photo, Synthetic


def test_paper_pixels_at_200_dpi() -> None:
    assert A4.pixels(200) == (1654, 2339)
    assert F4.pixels(200) == (1693, 2598)
    assert ID_CARD.pixels(300, landscape=True) == (1011, 638)
    assert ID_CARD.is_card and not A4.is_card


def test_nearest_paper_by_proportion_and_orientation() -> None:
    assert nearest_paper(1.41, landscape=False) is A4
    assert nearest_paper(1.41, landscape=True) is A4
    assert nearest_paper(1.54, landscape=False) is F4
    assert nearest_paper(1.58, landscape=True) is ID_CARD


def test_cards_are_known_by_document_id() -> None:
    assert paper_for_document("ktp_el") is ID_CARD
    assert paper_for_document("kia") is ID_CARD
    assert paper_for_document("kk") is None


def test_as_quad_orders_corners_clockwise_from_top_left() -> None:
    quad = as_quad([(90, 95), (10, 12), (100, 8), (5, 90)])
    assert quad.tolist() == [[10, 12], [100, 8], [90, 95], [5, 90]]
    with pytest.raises(ValueError):
        as_quad([(0, 0), (1, 1), (2, 2)])


def test_touches_border() -> None:
    assert touches_border(whole_image(400, 300), 400, 300)
    assert not touches_border(as_quad([(50, 40), (350, 40), (350, 260), (50, 260)]), 400, 300)


@pytest.mark.parametrize(("paper", "size"), [(A4, (2480, 3508)), (F4, (2540, 3898)), (ID_CARD, (1011, 638))])
@pytest.mark.parametrize("angles", [(0, 0, 0), (15, -8, 4), (-25, 12, -6), (35, 0, 0)])
def test_page_aspect_recovers_the_real_proportions(
    paper: object, size: tuple[int, int], angles: tuple[float, float, float]
) -> None:
    pitch, yaw, roll = angles
    quad = as_quad(documents.project(size, (4000, 3000), fill=0.8, pitch=pitch, yaw=yaw, roll=roll))
    aspect = page_aspect(quad, 4000, 3000)
    assert aspect == pytest.approx(size[0] / size[1], rel=0.03)
    chosen, landscape = choose_paper(quad, 4000, 3000)
    assert chosen is paper
    assert landscape == (size[0] > size[1])


def test_find_page_in_a_photo(letter_photo: Photo) -> None:
    quad = find_page(letter_photo.image)
    assert quad is not None
    assert np.abs(quad - letter_photo.corners).max() < 0.005 * 3264
    width, height = side_lengths(quad)
    assert effective_dpi(quad, A4, False) == pytest.approx(min(width / (210 / 25.4), height / (297 / 25.4)))


def test_find_page_of_a_card_held_up(card: Synthetic) -> None:
    photo = documents.photograph(card, frame=(1280, 720), fill=0.6, pitch=10, yaw=8)
    quad = find_page(photo.image)
    assert quad is not None
    assert np.abs(quad - photo.corners).max() < 6


def test_no_page_on_an_empty_desk() -> None:
    assert find_page(desk((1280, 720))) is None


@pytest.mark.parametrize(("dpi", "line"), [(200, 3), (200, 6), (300, 4), (300, 10)])
def test_a_frame_printed_on_a_page_is_not_its_edge(letter: Synthetic, dpi: int, line: int) -> None:
    page = documents.at_dpi(letter, dpi).copy()
    height, width = page.shape[:2]
    framed = page[height // 16 : height - height // 16, width // 16 : width - width // 16]
    framed[:line] = framed[-line:] = 0
    framed[:, :line] = framed[:, -line:] = 0
    assert find_page(page, min_area=0.35, min_contrast=18.0) is None
