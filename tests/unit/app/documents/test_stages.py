"""The pipeline's stages one by one: geometry, deskew, lighting, classification, binarisation, encoding."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
from PIL import Image as PilImage
from PIL.TiffImagePlugin import TiffImageFile

from app.documents.binarize import binarize
from app.documents.classify import choose_mode, colour_share, photo_share
from app.documents.deskew import skew_angle
from app.documents.encode import encode_bilevel, encode_g4, encode_png1, encode_tone
from app.documents.geometry import from_rotation, render
from app.documents.images import as_rgb, to_gray
from app.documents.lighting import background, flatten, paper_level, white_gain
from tests.helpers import documents
from tests.helpers.documents import Synthetic


def test_as_rgb_accepts_what_decoders_return() -> None:
    assert as_rgb(np.zeros((4, 5, 4), np.uint8)).shape == (4, 5, 3)
    assert as_rgb(np.zeros((4, 5, 1), np.uint8)).shape == (4, 5)
    assert as_rgb(np.full((4, 5), 65535, np.uint16)).max() == 255
    assert as_rgb(np.ones((2, 2), bool)).max() == 255
    for bad in (np.zeros((0, 5), np.uint8), np.zeros((3, 3), np.float64), np.zeros((2, 2, 5), np.uint8)):
        with pytest.raises(ValueError):
            as_rgb(bad)


@pytest.mark.parametrize("quarters", [0, 1, 2, 3])
def test_geometry_rotation_matches_numpy(quarters: int) -> None:
    image = np.arange(6 * 4, dtype=np.uint8).reshape(6, 4) * 10
    geometry = from_rotation(4, 6, 0.0, 1.0).rotated(quarters)
    assert np.array_equal(render(image, geometry, antialias=False), np.rot90(image, k=-quarters))  # clockwise


@pytest.mark.parametrize("tilt", [-2.5, -0.8, 1.5, 3.0])
def test_skew_angle_is_measured(letter: Synthetic, tilt: float) -> None:
    scanned = documents.scan(letter, dpi=100, skew=tilt, noise=1.0)
    assert skew_angle(scanned) == pytest.approx(tilt, abs=0.2)


def test_skew_angle_of_a_blank_page_is_zero() -> None:
    assert skew_angle(np.full((800, 600), 250, np.uint8)) == 0.0


def test_flatten_removes_a_shadow_and_keeps_the_ink(letter: Synthetic) -> None:
    page = to_gray(documents.at_dpi(letter, 100))
    height, width = page.shape
    shade = np.linspace(1.0, 0.45, width, dtype=np.float32)[None, :] * np.linspace(1.0, 0.8, height)[:, None]
    shaded = (page.astype(np.float32) * shade).astype(np.uint8)
    paper = background(shaded)
    flat = flatten(shaded, paper, white_gain(flatten(shaded, paper)))
    blank = page > 240
    assert np.percentile(flat[blank], 5) > 235  # the paper is white all over
    assert np.median(flat[page < 60]) < 110  # the ink stays dark
    assert paper_level(paper) < 200


def test_modes(letter: Synthetic, photo_page: Synthetic, card: Synthetic) -> None:
    assert choose_mode(documents.at_dpi(letter, 100)) == "bilevel"
    assert choose_mode(documents.at_dpi(photo_page, 100)) == "color"
    gray_photo = np.asarray(cv2.cvtColor(documents.at_dpi(photo_page, 100), cv2.COLOR_RGB2GRAY), dtype=np.uint8)
    assert choose_mode(gray_photo) == "gray"
    assert choose_mode(documents.at_dpi(documents.stamped_page(3), 100)) == "color"
    assert choose_mode(documents.at_dpi(card, 100), card=True) == "color"
    assert photo_share(to_gray(documents.at_dpi(letter, 100))) < 0.002
    assert colour_share(documents.at_dpi(letter, 100)) == 0.0


def test_binarize_keeps_strokes_and_drops_specks() -> None:
    page = np.full((200, 300), 250, np.uint8)
    page[50:60, 20:280] = 20
    page[120, 150] = 0  # a lone speck
    ink = binarize(page)
    assert ink[50:60, 25:275].all()
    assert not ink[120, 150]
    assert ink.sum() < 12 * 262


def test_bilevel_encodings_are_lossless(letter: Synthetic) -> None:
    ink = to_gray(documents.at_dpi(letter, 200)) < 128
    for data in (encode_g4(ink, 200), encode_png1(ink, 200)):
        with PilImage.open(io.BytesIO(data)) as picture:
            assert picture.mode == "1"
            assert picture.info["dpi"][0] == pytest.approx(200, abs=0.5)
            assert np.array_equal(~np.asarray(picture), ink)
    with PilImage.open(io.BytesIO(encode_g4(ink, 200))) as picture:
        assert isinstance(picture, TiffImageFile)
        assert len(picture.tag_v2[273]) == 1  # one strip: G4 does not restart from a blank row
    chosen = encode_bilevel(ink, 200, "auto")
    assert len(chosen.data) == min(len(encode_g4(ink, 200)), len(encode_png1(ink, 200)))
    assert encode_bilevel(ink, 200).media_type == "image/tiff"


@pytest.mark.parametrize("fmt", ["webp", "jpeg", "avif"])
def test_tone_encoding_meets_its_size(photo_page: Synthetic, fmt: str) -> None:
    image = documents.at_dpi(photo_page, 150)
    encoded = encode_tone(image, 150, limit=60_000, fmt=fmt, min_dpi=60)  # type: ignore[arg-type]
    assert len(encoded.data) <= 60_000
    assert encoded.media_type == f"image/{fmt}"
    with PilImage.open(io.BytesIO(encoded.data)) as picture:
        assert picture.size == (encoded.width, encoded.height)


def test_tone_encoding_lowers_resolution_only_when_quality_cannot_and_not_below_a_floor() -> None:
    noise = np.random.default_rng(1).integers(0, 255, (800, 600, 3), dtype=np.uint8)
    encoded = encode_tone(noise, 200, limit=20_000, fmt="jpeg", min_dpi=50)
    assert len(encoded.data) <= 20_000
    assert 50 <= encoded.dpi < 200
    assert encoded.width < 600
    kept = encode_tone(noise, 200, limit=20_000, fmt="jpeg", min_dpi=180)
    assert kept.dpi == 180  # never below the floor, even if over the size
