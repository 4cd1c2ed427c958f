"""The pipeline's fast paths give the answers of the plain computations they replace."""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from app.documents.checks import blur_score
from app.documents.encode import FLOOR_QUALITY, START_QUALITY, _predict_quality
from app.documents.geometry import from_rotation, render
from app.documents.images import Image, downscale, halved, percentile, resize_to
from app.documents.lighting import background
from app.documents.parallel import in_background
from tests.helpers import documents
from tests.helpers.documents import Synthetic


@pytest.mark.parametrize("shape", [(7, 9), (8, 10), (301, 213, 3)])
def test_halved_is_the_mean_of_each_2x2_block(shape: tuple[int, ...]) -> None:
    image = np.random.default_rng(0).integers(0, 256, shape, dtype=np.uint8)
    even = image[: shape[0] // 2 * 2, : shape[1] // 2 * 2].astype(np.float64)
    mean = (even[0::2, 0::2] + even[1::2, 0::2] + even[0::2, 1::2] + even[1::2, 1::2]) / 4
    result = halved(image)
    assert result.shape == mean.shape
    assert np.abs(result - mean).max() <= 0.5


def test_downscale_and_resize_to_give_the_size_asked_for() -> None:
    image = np.random.default_rng(1).integers(0, 256, (3000, 4000, 3), dtype=np.uint8)
    small, scale = downscale(image, 960)
    assert small.shape == (720, 960, 3) and scale == pytest.approx(0.24)
    assert downscale(image, 5000) == (image, 1.0)
    assert resize_to(image, 1001, 777).shape == (777, 1001, 3)
    assert resize_to(image[:10, :10], 20, 30).shape == (30, 20, 3)  # enlarged


def test_percentile_matches_numpy() -> None:
    rng = np.random.default_rng(2)
    for _ in range(200):
        gray = rng.integers(0, 256, (int(rng.integers(1, 30)), int(rng.integers(1, 30))), dtype=np.uint8)
        if rng.random() < 0.5:
            gray = gray // 64 * 64  # few distinct levels: ties between ranks
        for q in (0.0, 0.5, 50.0, 70.0, 99.5, 100.0):
            assert percentile(gray, q) == pytest.approx(float(np.percentile(gray, q)), abs=1e-9)


def test_background_of_a_colour_page_is_that_of_each_channel(photo_page: Synthetic) -> None:
    page = documents.at_dpi(photo_page, 100)
    whole = background(page)
    for channel in range(3):
        alone = background(np.ascontiguousarray(page[:, :, channel]))
        assert np.abs(whole[:, :, channel].astype(np.int16) - alone).max() <= 1


def _blur_reference(image: Image, side: int = 1024) -> float:
    """blur_score as first written: int16 differences with numpy."""
    height, width = image.shape
    top, left = max(0, (height - side) // 2), max(0, (width - side) // 2)
    gray = image[top : top + side, left : left + side].astype(np.int16)
    if float(gray.std()) < 6.0:
        return 0.0
    scores = []
    for kernel in ((1, 9), (9, 1)):
        blurred = cv2.blur(gray, kernel)
        axis = 0 if kernel[1] == 9 else 1
        d_sharp, d_blur = np.abs(np.diff(gray, axis=axis)), np.abs(np.diff(blurred, axis=axis))
        edges = d_sharp > 12
        total = float(d_sharp[edges].sum())
        if total <= 0:
            return 1.0
        scores.append((total - float(np.maximum(0, d_sharp - d_blur)[edges].sum())) / total)
    return max(scores)


def test_blur_score_matches_its_plain_formula(letter: Synthetic) -> None:
    page = np.asarray(cv2.cvtColor(documents.at_dpi(letter, 200), cv2.COLOR_RGB2GRAY), dtype=np.uint8)
    images: list[npt.NDArray[np.uint8]] = [
        page,
        np.asarray(cv2.GaussianBlur(page, (0, 0), 2.0), dtype=np.uint8),
        np.full((300, 300), 200, np.uint8),
    ]
    for image in images:
        assert blur_score(image) == pytest.approx(_blur_reference(image), abs=1e-12)


def test_rendering_shrunk_by_halving_keeps_the_geometry() -> None:
    # value = 4x: every 2x2 mean along the way is a whole number, so rounding cannot hide an offset
    ramp = np.tile(np.arange(0, 256, 4, dtype=np.uint8), (64, 1))
    small = render(ramp, from_rotation(64, 64, 0.0, 0.25))  # shrink 4: two halvings, then a plain warp
    expected = np.arange(16, dtype=np.float64) * 16  # output x' comes from x = 4x'
    assert np.abs(small[8, 1:-1] - expected[1:-1]).max() <= 0.5


def test_background_tasks_return_results_and_raise_errors() -> None:
    assert in_background(sum, [1, 2, 3]).result() == 6
    with pytest.raises(ZeroDivisionError):
        in_background(lambda: 1 / 0).result()


def test_quality_prediction_spans_floor_to_start() -> None:
    noise = np.random.default_rng(3).integers(0, 256, (900, 700, 3), dtype=np.uint8)
    assert _predict_quality(noise, "webp", 20_000)[0] == FLOOR_QUALITY["webp"]
    flat = np.full((900, 700, 3), 240, np.uint8)
    assert _predict_quality(flat, "webp", 20_000)[0] == START_QUALITY["webp"]
