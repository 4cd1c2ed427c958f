"""Encode a finished page: bilevel as CCITT G4 or PNG, continuous tone as WebP, AVIF or JPEG to a size.

Never JBIG2 in its lossy mode: its symbol matching can swap one digit of a NIK for another.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np
from PIL import Image as PilImage

from app.documents.images import Image, Mask, is_colour

BilevelFormat = Literal["auto", "png", "g4"]
ToneFormat = Literal["webp", "avif", "jpeg"]
MEDIA_TYPES = {
    "png": "image/png",
    "g4": "image/tiff",
    "webp": "image/webp",
    "avif": "image/avif",
    "jpeg": "image/jpeg",
}
START_QUALITY = {"webp": 80, "avif": 60, "jpeg": 85}
FLOOR_QUALITY = {"webp": 30, "avif": 25, "jpeg": 35}
WEBP_METHOD = 2
AVIF_SPEED = 9
MAX_TRIES = 5


@dataclass(frozen=True)
class Encoded:
    """The bytes of one page and how they were made."""

    data: bytes
    format: str
    width: int
    height: int
    dpi: int
    quality: int | None = None

    @property
    def media_type(self) -> str:
        """The MIME type of data."""
        return MEDIA_TYPES[self.format]


def _bilevel_image(ink: Mask) -> PilImage.Image:
    height, width = ink.shape
    paper_bits = np.packbits(~ink, axis=1)  # mode "1": a set bit is white
    return PilImage.frombytes("1", (width, height), paper_bits.tobytes())


def encode_png1(ink: Mask, dpi: int) -> bytes:
    """A 1-bit PNG."""
    buffer = io.BytesIO()
    _bilevel_image(ink).save(buffer, "PNG", dpi=(dpi, dpi), compress_level=6)
    return buffer.getvalue()


def encode_g4(ink: Mask, dpi: int) -> bytes:
    """A CCITT Group 4 TIFF (the fax codec: lossless for bilevel pages), in one strip.

    G4 codes each row against the one above; every new strip starts again from a blank row, so
    Pillow's default strips of 64 KB raw cost a dense 200-dpi page about 0.5 KB more.
    """
    buffer = io.BytesIO()
    height, width = ink.shape
    whole = height * ((width + 7) // 8)
    _bilevel_image(ink).save(buffer, "TIFF", compression="group4", dpi=(dpi, dpi), strip_size=max(whole, 1))
    return buffer.getvalue()


def encode_bilevel(ink: Mask, dpi: int, fmt: BilevelFormat = "auto") -> Encoded:
    """Lossless bilevel bytes; "auto" keeps whichever of PNG and G4 is smaller for this page."""
    height, width = ink.shape
    choices: list[tuple[str, bytes]] = []
    if fmt in ("auto", "png"):
        choices.append(("png", encode_png1(ink, dpi)))
    if fmt in ("auto", "g4"):
        choices.append(("g4", encode_g4(ink, dpi)))
    name, data = min(choices, key=lambda choice: len(choice[1]))
    return Encoded(data, name, width, height, dpi)


def _encoder(image: Image, fmt: ToneFormat) -> Callable[[int], bytes]:
    if fmt == "jpeg":
        # OpenCV's libjpeg-turbo is the fastest JPEG encoder at hand; it expects BGR.
        pixels = cv2.cvtColor(image, cv2.COLOR_RGB2BGR) if is_colour(image) else image

        def jpeg(quality: int) -> bytes:
            ok, buffer = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, quality, cv2.IMWRITE_JPEG_OPTIMIZE, 1])
            if not ok:
                raise ValueError("JPEG encoding failed")
            return buffer.tobytes()

        return jpeg
    picture = PilImage.fromarray(image)

    def pillow(quality: int) -> bytes:
        buffer = io.BytesIO()
        if fmt == "webp":
            picture.save(buffer, "WEBP", quality=quality, method=WEBP_METHOD)
        else:
            picture.save(buffer, "AVIF", quality=quality, speed=AVIF_SPEED)
        return buffer.getvalue()

    return pillow


def _sample(image: Image, band: int = 48, every: int = 6) -> tuple[Image, float]:
    """Every sixth band of rows, stacked: a quick stand-in for the page when predicting its size."""
    height = image.shape[0]
    if height < band * every * 2:
        return image, 1.0
    rows = [image[top : top + band] for top in range(0, height - band + 1, band * every)]
    sample = np.ascontiguousarray(np.concatenate(rows, axis=0))
    return sample, height / sample.shape[0]


def _predict_quality(image: Image, fmt: ToneFormat, limit: int) -> tuple[int, float]:
    """The quality expected to land just under limit, and the size expected there.

    A sample of the page is encoded at the floor and the start quality; the size is interpolated
    between the two on a log scale (sizes grow about exponentially with quality). The floor comes
    first: a page that does not fit even there (a noisy photograph, the costliest to encode) needs
    no second trial.
    """
    start, floor = START_QUALITY[fmt], FLOOR_QUALITY[fmt]
    sample, scale = _sample(image)
    encode = _encoder(sample, fmt)
    goal = limit * 0.9
    low = len(encode(floor)) * scale
    if low >= goal:
        return floor, low
    high = len(encode(start)) * scale
    if high <= goal:
        return start, high
    quality = floor + (start - floor) * math.log(goal / low) / math.log(high / low)
    return int(quality), goal


def _shrunk(image: Image, dpi: int, factor: float, min_dpi: int) -> tuple[Image, int]:
    factor = max(factor, min(1.0, min_dpi / dpi))
    if factor >= 0.999:
        return image, dpi
    size = (max(1, round(image.shape[1] * factor)), max(1, round(image.shape[0] * factor)))
    return np.asarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA), dtype=np.uint8), max(
        1, round(dpi * factor)
    )


def encode_tone(image: Image, dpi: int, *, limit: int, fmt: ToneFormat = "webp", min_dpi: int | None = None) -> Encoded:
    """Lossy gray or colour bytes no larger than limit: a quality predicted from a sample, then corrected.

    Encoding is the costliest step, so the page is normally encoded once; a miss costs one more try
    at a lower quality. A page too complex even at the floor quality is kept at a lower resolution,
    but never below min_dpi (default: the given dpi): legible beats small.
    """
    floor = FLOOR_QUALITY[fmt]
    lowest = dpi if min_dpi is None else min(dpi, min_dpi)
    quality, expected = _predict_quality(image, fmt, limit)
    if expected > limit:
        # Too complex even at the floor quality: shrink first rather than encode in vain.
        image, dpi = _shrunk(image, dpi, math.sqrt(limit * 0.85 / expected), lowest)
    encode = _encoder(image, fmt)
    data = encode(quality)
    tries = 1
    while len(data) > limit and tries < MAX_TRIES:
        if quality > floor:
            quality = max(floor, quality - max(4, round(100 * math.log(len(data) / (limit * 0.92)))))
        elif dpi > lowest:
            image, dpi = _shrunk(image, dpi, math.sqrt(limit / len(data)) * 0.95, lowest)
            encode = _encoder(image, fmt)
        else:
            break
        data = encode(quality)
        tries += 1
    return Encoded(data, fmt, image.shape[1], image.shape[0], dpi, quality)
