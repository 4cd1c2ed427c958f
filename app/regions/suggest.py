"""Suggestions for a region field of one level: names or codes of any level, narrowed by the levels above.

A field asks for one depth (provinsi, kabupaten/kota, kecamatan or desa/kelurahan). What the officer types
may name a region of that depth ("ngawi" in Kabupaten/Kota) or of another: a desa typed in Provinsi
suggests the province(s) holding a desa of that name, each with the desa that led to it (only when no
region of the field's own level has that name); a kabupaten code
typed in Kecamatan lists its kecamatan. Regions already chosen above (the kabupaten in the same form)
narrow the suggestions to what lies below them; when nothing there matches, regions elsewhere are
suggested, marked as outside.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from app.regions.codes import LEVEL_DEPTH, LEVELS, Level, ancestor_codes, code_depth, dotted_code
from app.regions.index import RegionIndex
from app.regions.model import Region

# The level names of form fields (FieldSpec.region_level) and the depth each asks for.
FIELD_DEPTHS: Final[dict[str, int]] = {"provinsi": 1, "kabupaten": 2, "kecamatan": 3, "desa": 4}
DEEPER_LIMIT: Final = 60  # matches below the field's depth looked at to find their ancestors


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A region of the wanted depth, and how it matched what was typed."""

    region: Region
    via: Region | None = None  # the deeper region whose name or code was typed (a desa typed in Provinsi)
    outside: bool = False  # not below the regions already chosen above (nothing there matched)


def levels_at(depth: int) -> frozenset[Level]:
    """Return the levels of one depth (2: kabupaten and kota)."""
    return frozenset(lv for lv in LEVELS if LEVEL_DEPTH[lv] == depth)


def _levels_below(depth: int) -> frozenset[Level]:
    return frozenset(lv for lv in LEVELS if LEVEL_DEPTH[lv] > depth)


def suggest(index: RegionIndex, query: str, depth: int, within: str | None = None, limit: int = 15) -> list[Suggestion]:
    """Return up to `limit` regions of `depth` (1-4) for what was typed, best first.

    `within` is the deepest region already chosen above the field (a dotted or undotted code, or None);
    it is ignored unless it is a current region above `depth`.
    """
    if depth not in (1, 2, 3, 4) or limit <= 0 or not query.strip():
        return []
    parent = dotted_code(within) if within else None
    if parent is not None and (index.get(parent) is None or code_depth(parent) >= depth):
        parent = None
    code = dotted_code(query)
    if code is not None:
        return _by_code(index, code, depth, parent, limit)
    found = _by_name(index, query, depth, parent, limit)
    if not found and parent is not None:
        return [Suggestion(s.region, s.via, outside=True) for s in _by_name(index, query, depth, None, limit)]
    return found


def _by_code(index: RegionIndex, code: str, depth: int, parent: str | None, limit: int) -> list[Suggestion]:
    """A typed code: its region, its ancestor at the depth, or its descendants at the depth."""
    region = index.get(code)
    if region is None:
        return []
    typed_depth = code_depth(code)
    if typed_depth == depth:
        return [Suggestion(region, outside=parent is not None and not code.startswith(parent + "."))]
    if typed_depth > depth:
        ancestor = index.get(ancestor_codes(code)[depth - 1])
        return [] if ancestor is None else [Suggestion(ancestor, via=region)]
    below: list[Suggestion] = []

    def walk(above: str) -> None:
        for child in index.children(above):
            if len(below) >= limit:
                return
            if code_depth(child.code) == depth:
                below.append(Suggestion(child))
            else:
                walk(child.code)

    walk(code)
    return below


def _by_name(index: RegionIndex, query: str, depth: int, parent: str | None, limit: int) -> list[Suggestion]:
    """A typed name: regions of the depth by that name, else the ancestors of deeper regions by that name."""
    found = [Suggestion(r) for r in index.search(query, level=levels_at(depth), parent=parent, limit=limit)]
    if found or depth == 4:
        return found  # the name is one of this level's: deeper namesakes would only crowd the list
    seen = {s.region.code for s in found}
    for deeper in index.search(query, level=_levels_below(depth), parent=parent, limit=DEEPER_LIMIT):
        code = ancestor_codes(deeper.code)[depth - 1]
        if code in seen:
            continue
        ancestor = index.get(code)
        if ancestor is None:
            continue
        seen.add(code)
        found.append(Suggestion(ancestor, via=deeper))
        if len(found) >= limit:
            break
    return found
