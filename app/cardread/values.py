"""Read text into the forms' terms: code-list codes by nearest label (OCR slips forgiven), DD-MM-YYYY
dates, 16-digit numbers and names, each with how sure the mapping is."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from app.forms.registry import default_registry

# Below this likeness a read word is not taken for any label of the list.
MIN_LIKENESS = 0.72
# A loose match this close to another code's label ("STRATA II" / "STRATA III") is left for the officer.
MIN_MARGIN = 0.1


@dataclass(frozen=True)
class Mapped:
    """A mapped value (None: no mapping), the likeness of the text to what it was mapped from (0-1), and
    how much less like it the nearest other code's label is (1.0 for an exact match)."""

    value: str | None
    likeness: float
    margin: float = 1.0


def fold(text: str) -> str:
    """Upper case, only letters, digits and '+', so that "AKADEMI/ DIPLOMA III" meets "AKADEMI/DIPLOMA III"."""
    return re.sub(r"[^A-Z0-9+]", "", text.upper())


@lru_cache(maxsize=64)
def _labels(list_id: str) -> tuple[tuple[str, str], ...]:
    codes = default_registry().codelists.get(list_id)
    if codes is None:
        raise KeyError(f"no code list {list_id!r}")
    names = []
    for entry in codes.codes:
        for name in (entry.label, *entry.aliases):
            names.append((fold(name), str(entry.code)))
    return tuple(names)


def code(list_id: str, text: str, extra: dict[str, str] | None = None) -> Mapped:
    """The code of the label (or alias, or `extra` wording → code) nearest to `text`."""
    wanted = fold(text)
    if not wanted:
        return Mapped(None, 0.0)
    names = list(_labels(list_id))
    names += [(fold(k), v) for k, v in (extra or {}).items()]
    by_code: dict[str, float] = {}
    for name, value in names:
        if name == wanted:
            return Mapped(value, 1.0)
        likeness = SequenceMatcher(None, wanted, name, autojunk=False).ratio()
        by_code[value] = max(likeness, by_code.get(value, 0.0))
    ranked = sorted(by_code.items(), key=lambda item: item[1], reverse=True)
    best_code, best = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if best < MIN_LIKENESS:
        return Mapped(None, best, best - runner_up)
    return Mapped(best_code, best, best - runner_up)


def label(list_id: str, value: str) -> str | None:
    """The label of a code given as text ("1")."""
    codes = default_registry().codelists.get(list_id)
    if codes is None:
        return None
    for entry in codes.codes:
        if str(entry.code) == value:
            return entry.label
    return None


def date(text: str) -> datetime.date | None:
    """A DD-MM-YYYY date (the separators may be lost or misread), or None."""
    digits = re.sub(r"[^0-9]", "", text)
    if len(digits) != 8:
        return None
    try:
        return datetime.date(int(digits[4:]), int(digits[2:4]), int(digits[:2]))
    except ValueError:
        return None


def number(text: str, length: int = 16) -> str | None:
    """The run of exactly `length` digits in `text` (a NIK, a KK number), or None."""
    runs = re.findall(r"[0-9]+", text)
    joined = "".join(runs)
    if len(joined) == length:
        return joined
    fitting = [run for run in runs if len(run) == length]
    return fitting[0] if len(fitting) == 1 else None


def name(text: str) -> str:
    """A name or place as the card prints it: capitals, single spaces, no stray marks at the ends."""
    cleaned = re.sub(r"[^A-Z .,'\-]", "", text.upper())
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" .,-'")
    # A dot is followed by a space on the cards ("MOH. RIZKI"); the OCR sometimes loses it.
    return re.sub(r"\.(?=[A-Z])", ". ", cleaned)


def free_text(text: str) -> str:
    """An address or other free text: single spaces, trimmed."""
    return re.sub(r"\s+", " ", text).strip(" :")
