"""What a card reading proposes: values with their confidence, their place on the page and the problems
found by the checks (`app.identity` for NIKs, the region data for codes). Plain frozen data, no Qt, so
the reader runs on the task runner and the review view only displays."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

CardKind = Literal["kk", "ktp"]

# Below this confidence a value is shown as "periksa" (check it) in the review, whatever its checks say.
LOW_CONFIDENCE = 0.80


@dataclass(frozen=True)
class Box:
    """A rectangle on the page image, in the page's pixels."""

    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class ReadValue:
    """One proposed value.

    `text` is what was read; `value` is that text in the form's terms (the code of a code list, a date
    as YYYY-MM-DD, a NIK of 16 digits), or None when it could not be mapped. `problems` are messages in
    Bahasa Indonesia for the officer (e.g. a NIK whose birth date disagrees with the row). A value with
    problems, or without a mapped value, is never pre-accepted by the review."""

    field: str
    text: str
    value: str | None
    confidence: float
    box: Box | None = None
    problems: tuple[str, ...] = ()

    @property
    def doubtful(self) -> bool:
        """True when the officer must look before accepting."""
        return self.value is None or bool(self.problems) or self.confidence < LOW_CONFIDENCE


@dataclass(frozen=True)
class ReadRow:
    """One member row of the card (or the single person of a KTP-el), keyed by field id."""

    values: dict[str, ReadValue]
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class CardReading:
    """The whole reading of one page.

    `problems` are page-level messages (not a KK, upside down, cut off, unreadable) saying what to do;
    when there are any and no rows, the review offers nothing to accept and the forms stay untouched."""

    kind: CardKind
    page_width: int
    page_height: int
    header: dict[str, ReadValue] = field(default_factory=dict)
    rows: tuple[ReadRow, ...] = ()
    problems: tuple[str, ...] = ()
    seconds: float = 0.0

    @property
    def usable(self) -> bool:
        """True when there is something to review."""
        return bool(self.header) or bool(self.rows)
