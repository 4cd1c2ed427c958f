"""The synthetic test and bench set: numbered samples of KK pages and KTP-el fronts, each flat, scanned or
photographed, with the content they show. Sample n is the same on every run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from tests.helpers.cards.content import Family, Person, make_family
from tests.helpers.cards.degrade import photo, scan
from tests.helpers.cards.render import render_kk, render_ktp

Capture = Literal["flat", "scan", "photo"]
CAPTURES: tuple[Capture, ...] = ("flat", "scan", "photo")


@dataclass(frozen=True)
class KKSample:
    """A KK page as captured, and what it says."""

    number: int
    capture: Capture
    family: Family
    image: np.ndarray


@dataclass(frozen=True)
class KTPSample:
    """A KTP-el front as captured, and whose it is."""

    number: int
    capture: Capture
    person: Person
    family: Family
    image: np.ndarray


def capture_of(number: int) -> Capture:
    """Samples cycle flat, scan, photo."""
    return CAPTURES[number % len(CAPTURES)]


def captured(flat: np.ndarray, capture: Capture, seed: int) -> np.ndarray:
    """A flat rendering as the given capture would give it."""
    if capture == "scan":
        return scan(flat, seed)
    if capture == "photo":
        return photo(flat, seed)
    return flat


def kk_sample(number: int, capture: Capture | None = None, members: int | None = None) -> KKSample:
    """KK sample `number` (3-8 members, or `members`), captured as `capture` or its turn in the cycle."""
    how = capture or capture_of(number)
    family = make_family(1000 + number, members)
    flat = render_kk(family, number)
    return KKSample(number, how, family, captured(flat, how, 5000 + number))


def ktp_sample(number: int, capture: Capture | None = None) -> KTPSample:
    """KTP-el sample `number`: the front of one adult's card."""
    how = capture or capture_of(number)
    family = make_family(9000 + number)
    adults = [p for p in family.members if p.birth_date.year <= 2008]
    person = adults[number % len(adults)]
    flat = render_ktp(person, family, number)
    image = captured(flat, how, 7000 + number) if how != "photo" else photo(flat, 7000 + number, frame=(1600, 1200))
    return KTPSample(number, how, person, family, image)
