"""One page from capture to stored bytes: find, flatten the perspective, straighten, even the light,
choose bilevel or tone, encode to size, and check the result."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Literal, TypedDict

from app.documents.binarize import binarize
from app.documents.checks import Check, checks_record, failed, run_checks
from app.documents.classify import Mode, choose_mode
from app.documents.deskew import MIN_ANGLE, skew_angle
from app.documents.encode import BilevelFormat, Encoded, ToneFormat, encode_bilevel, encode_tone
from app.documents.geometry import Geometry, from_quad, from_rotation, render
from app.documents.images import Image, as_rgb, halved, is_colour, resize_to, to_gray
from app.documents.lighting import BROAD, background, flatten, paper_level, stretch, stretch_table, white_gain
from app.documents.outline import Quad, as_quad, find_page, touches_border, whole_image
from app.documents.paper import MM_PER_INCH, Paper, nearest_paper
from app.documents.parallel import in_background
from app.documents.rectify import choose_paper, effective_dpi

TONE_LIMIT = 150_000
SURVEY_DPI = 100
MIN_TONE_DPI = 180
OPTIONAL_MIN_AREA = 0.35
OPTIONAL_CONTRAST = 18.0
CARD_MIN_AREA = 0.02
Find = Literal["required", "optional", "off"]


@dataclass(frozen=True)
class Options:
    """How to process a page; the defaults decide everything from the picture.

    find: "required" for camera frames (no outline found is a fault), "optional" for imported
    photos and scans (no outline: treat as a scan), "off" for scanners. outline: corners set by the
    officer in pixels of the captured image. rotation: quarter turns clockwise after flattening.
    paper: the page's paper when known; else papers: the ones it may be (a KK: A4 or F4, never an ID-1
    card), chosen from by shape; empty: any.
    """

    find: Find = "required"
    paper: Paper | None = None
    papers: tuple[Paper, ...] = ()
    dpi: int | None = None
    outline: Quad | None = field(default=None, compare=False)
    rotation: int = 0
    mode: Mode | None = None
    tone_limit: int = TONE_LIMIT
    tone_format: ToneFormat = "webp"
    bilevel_format: BilevelFormat = "g4"


@dataclass(frozen=True)
class Prepared:
    """A captured picture with its page's geometry fixed: where the page is and how it maps flat."""

    image: Image
    geometry: Geometry
    paper: Paper
    dpi: int
    source_dpi: float
    outline: Quad | None
    found: bool
    cut_off: bool
    skew: float

    def render(self, *, dpi: int | None = None, gray: bool = False) -> Image:
        """The flat, level page (lighting untouched) at its dpi or another one."""
        geometry = self.geometry if dpi is None else self.geometry.scaled(dpi / self.dpi)
        return render(self.image, geometry, gray=gray, antialias=dpi is None)


class StoreFields(TypedDict):
    """The metadata app.store.applications.attach_page keeps with a page's bytes."""

    media_type: str
    source: str
    dpi: int
    mode: str
    width: int
    height: int
    checks: dict[str, object]


@dataclass(frozen=True)
class ProcessedPage:
    """A finished page: its bytes, how they were made, and the quality checks."""

    data: bytes
    media_type: str
    mode: Mode
    dpi: int
    width: int
    height: int
    source: str
    paper: str
    outline: Quad | None = field(compare=False)
    checks: tuple[Check, ...]
    ms: float = field(compare=False)

    @property
    def failed(self) -> tuple[Check, ...]:
        """The checks this page did not pass."""
        return failed(self.checks)

    def store_fields(self, *, kept_anyway: bool = False) -> StoreFields:
        """Keyword arguments for attach_page besides the bytes; kept_anyway records the officer's choice."""
        return StoreFields(
            media_type=self.media_type,
            source=self.source,
            dpi=self.dpi,
            mode=self.mode,
            width=self.width,
            height=self.height,
            checks=checks_record(self.checks, kept_anyway=kept_anyway),
        )


def _scan_geometry(image: Image, source_dpi: float | None, options: Options) -> Prepared:
    height, width = image.shape[:2]
    landscape = width > height
    paper = options.paper or nearest_paper(
        max(width, height) / min(width, height), landscape=landscape, among=options.papers
    )
    if source_dpi is None or source_dpi <= 0:
        # No resolution recorded: assume the picture is the whole sheet.
        source_dpi = min(width, height) / (paper.width_mm / MM_PER_INCH)
    skew = skew_angle(image)
    skew = skew if abs(skew) >= MIN_ANGLE else 0.0
    target = options.dpi or paper.dpi
    dpi, factor = round(source_dpi), 1.0
    if source_dpi > target * 1.15:
        dpi, factor = target, target / source_dpi
    geometry = from_rotation(width, height, skew, factor)
    return Prepared(image, geometry, paper, dpi, float(source_dpi), None, True, False, skew)


def prepare(image: Image, *, source_dpi: float | None = None, options: Options | None = None) -> Prepared:
    """Fix the page's geometry: where a photographed page is and its paper, or a scan's tilt."""
    options = options or Options()
    image = as_rgb(image)
    height, width = image.shape[:2]
    quad = as_quad(options.outline) if options.outline is not None else None
    if quad is None and options.find == "required":
        quad = find_page(image)
    elif quad is None and options.find == "optional":
        # A picture that may be a scan: only a large page that stands out from what is around it
        # (not a table's frame or a photo printed on the page).
        quad = find_page(image, min_area=OPTIONAL_MIN_AREA, min_contrast=OPTIONAL_CONTRAST)
    elif quad is None and options.paper is not None and options.paper.is_card:
        # A KTP-el or KIA laid on the scanner's glass: find the card against the white lid.
        quad = find_page(image, min_area=CARD_MIN_AREA, min_contrast=OPTIONAL_CONTRAST)
    if quad is None and options.find != "required":
        prepared = _scan_geometry(image, source_dpi, options)
    else:
        found = quad is not None
        quad = quad if quad is not None else whole_image(width, height)
        paper, landscape = choose_paper(quad, width, height, options.paper, options.papers)
        dpi = options.dpi or paper.dpi
        geometry = from_quad(quad, *paper.pixels(dpi, landscape=landscape))
        cut_off = found and touches_border(quad, width, height)
        source = effective_dpi(quad, paper, landscape)
        prepared = Prepared(image, geometry, paper, dpi, source, quad, found, cut_off, 0.0)
    if options.rotation % 4:
        prepared = replace(prepared, geometry=prepared.geometry.rotated(options.rotation))
    return prepared


def _survey(page: Image, dpi: int) -> Image:
    """The page at SURVEY_DPI (or its own dpi when lower): enough to measure the light and the colours."""
    if dpi <= SURVEY_DPI:
        return page
    while dpi >= 2 * SURVEY_DPI:
        page, dpi = halved(page), dpi // 2
    height, width = page.shape[:2]
    return resize_to(page, max(1, round(width * SURVEY_DPI / dpi)), max(1, round(height * SURVEY_DPI / dpi)))


def _at_source_scale(page: Image, dpi: int, source_dpi: float) -> Image:
    """The page shrunk back to the detail the source really had (an enlarged photo is not blurred)."""
    if source_dpi >= dpi * 0.95:
        return page
    factor = source_dpi / dpi
    height, width = page.shape[:2]
    return resize_to(page, max(1, round(width * factor)), max(1, round(height * factor)))


def _checks(
    work: Image, small: Image, paper: Image, dpi: int, source_dpi: float, *, found: bool, cut_off: bool
) -> tuple[Check, ...]:
    return run_checks(
        page=_at_source_scale(work, dpi, source_dpi),
        source_page=small,
        paper=paper_level(paper),
        dpi=source_dpi,
        found=found,
        cut_off=cut_off,
    )


def encode_page(work: Image, mode: Mode, dpi: int, options: Options) -> Encoded:
    """The page's bytes in the chosen mode."""
    if mode == "bilevel":
        return encode_bilevel(binarize(work), dpi, options.bilevel_format)
    tone = work if mode == "color" and is_colour(work) else to_gray(work)
    # Pages keep text legible (10 pt digits need about 180 dpi); cards have more pixels than they need.
    return encode_tone(tone, dpi, limit=options.tone_limit, fmt=options.tone_format, min_dpi=min(dpi, MIN_TONE_DPI))


def finish(
    prepared: Prepared, *, source: str, options: Options | None = None, started: float | None = None
) -> ProcessedPage:
    """Even out the light, choose the mode, encode and check a prepared page."""
    options = options or Options()
    started = time.perf_counter() if started is None else started
    card = prepared.paper.is_card
    # The page is rendered in colour unless the mode is known not to keep it; a small copy decides
    # the mode and measures the light. It is shrunk from the page, unless the page was enlarged from
    # the picture (a card from a webcam): resampled twice, its darkest ink would fade.
    rendered = prepared.render(gray=options.mode in ("bilevel", "gray"))
    if prepared.source_dpi >= prepared.dpi:
        small = _survey(rendered, prepared.dpi)
    else:
        small = prepared.render(dpi=min(prepared.dpi, SURVEY_DPI))
    paper = background(small)
    table = stretch_table(small) if card else None
    gain = 1.0 if card else white_gain(flatten(small, paper))
    survey = stretch(small, table) if card else flatten(small, paper, gain)
    mode = options.mode or choose_mode(survey, card=card)
    if mode != "bilevel" and not card:
        paper = background(small, window=BROAD)
    page = rendered if mode == "color" else to_gray(rendered)
    work = stretch(page, table) if card else flatten(page, paper, gain)
    # The checks run beside the encoding, the costliest step.
    checked = in_background(
        _checks, work, small, paper, prepared.dpi, prepared.source_dpi, found=prepared.found, cut_off=prepared.cut_off
    )
    encoded = encode_page(work, mode, prepared.dpi, options)
    checks = checked.result()
    return ProcessedPage(
        data=encoded.data,
        media_type=encoded.media_type,
        mode=mode,
        dpi=encoded.dpi,
        width=encoded.width,
        height=encoded.height,
        source=source,
        paper=prepared.paper.key,
        outline=prepared.outline,
        checks=checks,
        ms=(time.perf_counter() - started) * 1000.0,
    )


def process_page(
    image: Image, *, source: str, source_dpi: float | None = None, options: Options | None = None
) -> ProcessedPage:
    """Turn one captured picture into a small, straight, legible stored page."""
    started = time.perf_counter()
    options = options or Options()
    return finish(
        prepare(image, source_dpi=source_dpi, options=options), source=source, options=options, started=started
    )
