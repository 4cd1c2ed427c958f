"""The whole pipeline on synthetic scans and photos, and its quality checks."""

from __future__ import annotations

import io
from dataclasses import replace

import cv2
import numpy as np
import pytest
from PIL import Image as PilImage

from app.documents import ID_CARD, Options, process_page
from app.documents.checks import Check, blur_score, checks_record
from app.documents.images import Image as Pixels
from app.documents.paper import F4
from tests.helpers import documents
from tests.helpers.documents import Photo, Synthetic


def _failed(page: object) -> set[str]:
    return {check.name for check in page.failed}  # type: ignore[attr-defined]


def test_scanned_letter_becomes_a_small_bilevel_page(letter_scan: Pixels) -> None:
    page = process_page(letter_scan, source="scanner", source_dpi=200, options=Options(find="off"))
    assert (page.mode, page.media_type, page.dpi) == ("bilevel", "image/tiff", 200)
    assert (page.width, page.height) == (letter_scan.shape[1], letter_scan.shape[0])
    assert len(page.data) <= 60_000
    assert not page.failed
    with PilImage.open(io.BytesIO(page.data)) as picture:
        assert picture.mode == "1"
        assert picture.info["compression"] == "group4"


def test_a_300_dpi_scan_is_kept_at_200_dpi(letter: Synthetic) -> None:
    scanned = documents.scan(letter, dpi=300, skew=0.0)
    page = process_page(scanned, source="scanner", source_dpi=300, options=Options(find="off"))
    assert page.dpi == 200
    assert page.width == pytest.approx(1654, abs=2)


def test_photographed_letter_is_flattened_to_a4(letter_photo: Photo) -> None:
    page = process_page(letter_photo.image, source="camera")
    assert page.paper == "a4"
    assert (page.width, page.height, page.dpi) == (1654, 2339, 200)
    assert page.mode == "bilevel"
    assert not page.failed, [check.reason for check in page.failed]
    assert page.outline is not None
    assert np.abs(page.outline - letter_photo.corners).max() < 20


def test_paper_and_rotation_can_be_chosen(letter_photo: Photo) -> None:
    page = process_page(letter_photo.image, source="camera", options=Options(paper=F4, rotation=1, mode="gray"))
    assert (page.paper, page.mode) == ("f4", "gray")
    width, height = F4.pixels(200, landscape=True)
    assert page.width > page.height
    assert (page.width, page.height) == (round(width * page.dpi / 200), round(height * page.dpi / 200))
    assert page.dpi >= 180


def test_the_officers_outline_wins(letter_photo: Photo) -> None:
    corners = np.asarray(letter_photo.corners, dtype=np.float32)
    page = process_page(letter_photo.image, source="camera", options=Options(outline=corners))
    assert page.outline is not None
    assert np.allclose(page.outline, corners)


def test_card_photo_is_kept_in_colour_at_300_dpi(card: Synthetic) -> None:
    photo = documents.photograph(card, frame=(1600, 1200), fill=0.7)
    page = process_page(photo.image, source="camera", options=Options(paper=ID_CARD))
    assert (page.paper, page.mode, page.media_type, page.dpi) == ("id_card", "color", "image/webp", 300)
    assert (page.width, page.height) == (1011, 638)
    assert not page.failed, [check.reason for check in page.failed]


def test_photo_page_is_tone_and_under_its_budget(photo_page: Synthetic) -> None:
    scanned = documents.scan(photo_page, dpi=200, gray=False)
    page = process_page(scanned, source="scanner", source_dpi=200, options=Options(find="off"))
    assert page.mode == "color"
    assert len(page.data) <= 150_000


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, set()),
        ({"blur": 5.0}, {"blur"}),
        ({"light": 0.22}, {"dark"}),
        ({"glare": 0.6}, {"glare"}),
        ({"shift": (0.0, 0.3)}, {"cut_off"}),
        ({"fill": 0.35}, {"resolution"}),
    ],
)
def test_checks_tell_what_is_wrong(card: Synthetic, changes: dict[str, object], expected: set[str]) -> None:
    settings: dict[str, object] = {"frame": (1600, 1200), "fill": 0.75, "seed": 5, **changes}
    photo = documents.photograph(card, **settings)  # type: ignore[arg-type]
    page = process_page(photo.image, source="camera", options=Options(paper=ID_CARD))
    assert _failed(page) == expected, [check.reason for check in page.failed]
    for check in page.failed:
        assert check.reason  # what to do, in Bahasa Indonesia


def test_a_webcam_photo_of_a_whole_page_has_too_little_resolution(letter: Synthetic) -> None:
    photo = documents.photograph(letter, frame=(1280, 720), fill=0.9)
    page = process_page(photo.image, source="camera")
    assert _failed(page) == {"resolution"}
    assert "dpi" in page.failed[0].reason


def test_no_page_in_a_camera_frame_is_a_cut_off_page() -> None:
    frame = np.full((720, 1280, 3), 90, np.uint8)
    page = process_page(frame, source="camera")
    assert "cut_off" in _failed(page)


def test_blank_and_black_pages(letter: Synthetic) -> None:
    blank = process_page(
        np.full((2339, 1654), 252, np.uint8), source="scanner", source_dpi=200, options=Options(find="off")
    )
    assert not blank.failed
    black = process_page(np.zeros((600, 400), np.uint8), source="scanner", source_dpi=200, options=Options(find="off"))
    assert "dark" in _failed(black)
    assert black.checks[0].value == 0.0 or "blur" in _failed(black)


def test_blur_score_grows_with_blur(letter: Synthetic) -> None:
    import cv2

    page = documents.at_dpi(letter, 200)
    blurred = [np.asarray(cv2.GaussianBlur(page, (0, 0), sigma), dtype=np.uint8) for sigma in (1, 2, 4)]
    scores = [blur_score(image) for image in (page, *blurred)]
    assert scores == sorted(scores)
    assert scores[0] < 0.3
    assert scores[-1] > 0.5


def test_store_fields_and_the_kept_anyway_record(letter_scan: Pixels) -> None:
    page = process_page(letter_scan, source="scanner", source_dpi=200, options=Options(find="off"))
    fields = page.store_fields()
    assert fields["media_type"] == "image/tiff"
    assert (fields["source"], fields["dpi"], fields["mode"]) == ("scanner", 200, "bilevel")
    assert (fields["width"], fields["height"]) == (page.width, page.height)
    assert fields["checks"]["failed"] == []
    assert fields["checks"]["kept_anyway"] is False
    checks = (Check("blur", False, 0.7, 0.5), Check("dark", True, 200.0, 70.0))
    record = checks_record(checks, kept_anyway=True)
    assert record == {
        "blur": {"ok": False, "value": 0.7},
        "dark": {"ok": True, "value": 200.0},
        "failed": ["blur"],
        "kept_anyway": True,
    }
    assert checks_record(checks[1:], kept_anyway=True)["kept_anyway"] is False
    assert "kabur" in checks[0].reason


def test_options_are_plain_values() -> None:
    base = Options()
    assert replace(base, rotation=2).rotation == 2
    assert base.find == "required"


def test_imported_pictures_are_rectified_only_when_they_are_photos(letter: Synthetic, card: Synthetic) -> None:
    framed = documents.at_dpi(letter, 200).copy()
    framed[150:2200, 100:1550][[0, 1, 2, -3, -2, -1], :] = 0  # a table's frame printed on the page
    framed[150:2200, 100:1550][:, [0, 1, 2, -3, -2, -1]] = 0
    scanned = process_page(framed, source="file", source_dpi=200, options=Options(find="optional"))
    assert scanned.outline is None and (scanned.width, scanned.height) == (framed.shape[1], framed.shape[0])
    photo = documents.photograph(card, frame=(1600, 1200), fill=0.75)
    photographed = process_page(photo.image, source="file", options=Options(find="optional"))
    assert photographed.outline is not None and photographed.paper == "id_card"


def test_a_card_on_the_scanner_glass_is_found_when_a_card_is_expected(card: Synthetic) -> None:
    glass = np.full((2339, 1654, 3), 246, np.uint8)  # A4 glass at 200 dpi, white lid
    small = np.asarray(cv2.resize(card.image, (674, 425), interpolation=cv2.INTER_AREA))
    glass[300:725, 200:874] = small
    page = process_page(glass, source="scanner", source_dpi=200, options=Options(find="off", paper=ID_CARD))
    assert (page.paper, page.mode, page.width, page.height) == ("id_card", "color", 1011, 638)
    assert page.outline is not None and np.abs(page.outline[0] - (200, 300)).max() < 6
    whole = process_page(glass, source="scanner", source_dpi=200, options=Options(find="off"))
    assert whole.outline is None  # without the hint a scan is never cropped
