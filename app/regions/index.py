"""The region table in memory: look-up by code, tree navigation, retired codes, postal codes and name search."""

from __future__ import annotations

import csv
import functools
import json
import threading
from bisect import bisect_left
from collections.abc import Collection, Iterator
from operator import itemgetter
from pathlib import Path

from app.regions.codes import (
    Level,
    ancestor_codes,
    code_depth,
    dotted_code,
    level_of,
    parent_code,
)
from app.regions.model import HistoricalRegion, Region
from app.regions.search import ALL_LEVELS, SearchIndex, fold_words
from app.resources import resource_path

WILAYAH_FILE = "wilayah-2025.csv"
KODEPOS_FILE = "kodepos-2025.csv"
HISTORICAL_FILE = "wilayah-historical-not-current.csv"
EDITION_FILE = "edition.json"


def _read_rows(path: Path) -> list[list[str]]:
    """Return the data rows of a shipped CSV file (header skipped)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        return list(reader)


def _fold_name(name: str) -> str:
    """Return a name folded for matching across editions ("KAB. MERAUKE" == "Kabupaten Merauke")."""
    words = fold_words(name)
    if words and words[0] == "kab":
        words[0] = "kabupaten"
    return "".join(words)


class RegionIndex:
    """All current regions of one Kepmendagri edition, plus retired codes, held in memory.

    Every method accepts codes dotted (`35.21.01.2001`) or undotted (`3521012001`) and answers malformed
    input (None, numbers, garbage) with None, False or an empty list instead of raising.
    """

    def __init__(
        self,
        codes: list[str],
        names: list[str],
        postal_codes: dict[str, str],
        historical: dict[str, tuple[str, str]],
        edition: str = "",
        *,
        row_of: dict[str, int] | None = None,
        search: SearchIndex | None = None,
    ) -> None:
        """Hold the table: dotted codes sorted in tree order, names, postal codes by dotted desa code, and
        retired codes (dotted code -> (name, last edition seen)).

        `row_of` (code -> row) and the name `search` index may come ready-made (app.regions.prebuilt)."""
        self._codes = codes
        self._names = names
        self._row_of = row_of if row_of is not None else dict(zip(codes, range(len(codes)), strict=True))
        self._postal = postal_codes
        self._historical = historical
        self.edition = edition
        self._regions: list[Region | None] = [None] * len(codes)
        self._search: SearchIndex | None = search
        self._search_lock = threading.Lock()
        self._successor_names: dict[str, str | None] | None = None

    @classmethod
    def load(cls, directory: Path | None = None) -> RegionIndex:
        """Read the shipped region files (resources/regions/, or another folder holding the same files)."""
        folder = directory if directory is not None else resource_path("regions")
        rows = _read_rows(folder / WILAYAH_FILE)
        rows.sort(key=itemgetter(0))  # tree order is code order; the shipped file already is (linear check)
        codes = [row[0] for row in rows]
        names = [row[1] for row in rows]
        with (folder / KODEPOS_FILE).open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader, None)
            postal = {code: postal_code for code, postal_code in reader}
        historical = {row[0]: (row[1], row[2]) for row in _read_rows(folder / HISTORICAL_FILE)}
        edition = ""
        edition_path = folder / EDITION_FILE
        if edition_path.exists():
            edition = str(json.loads(edition_path.read_text(encoding="utf-8")).get("edition", ""))
        return cls(codes, names, postal, historical, edition)

    def table(self) -> tuple[list[str], list[str], dict[str, str], dict[str, tuple[str, str]], str]:
        """The data it holds: codes, names, postal codes, retired codes and the edition (see __init__)."""
        return self._codes, self._names, self._postal, self._historical, self.edition

    # -- look-up -----------------------------------------------------------------------------------

    def __len__(self) -> int:
        """Return the number of current regions, all levels together."""
        return len(self._codes)

    def get(self, code: object) -> Region | None:
        """Return the current region with this code, or None if the code is malformed, retired or unknown."""
        row = self._row(code)
        return None if row is None else self._region(row)

    def regions(self, level: Level | None = None) -> Iterator[Region]:
        """Yield every current region in code order, or only those of one level."""
        for row, code in enumerate(self._codes):
            if level is None or level_of(code) == level:
                yield self._region(row)

    def children(self, code: object) -> list[Region]:
        """Return the regions one level below, in code order (empty for a desa or an unknown code)."""
        dotted = dotted_code(code)
        if dotted is None or dotted not in self._row_of:
            return []
        depth = code_depth(dotted)
        start = bisect_left(self._codes, dotted + ".")
        end = bisect_left(self._codes, dotted + "/", start)  # "/" sorts right after "."
        return [self._region(r) for r in range(start, end) if self._codes[r].count(".") == depth]

    def path(self, code: object) -> list[Region]:
        """Return the chain provinsi -> ... -> the region itself (empty if the code is not current)."""
        dotted = dotted_code(code)
        if dotted is None or dotted not in self._row_of:
            return []
        return [self._region(self._row_of[c]) for c in ancestor_codes(dotted)]

    def postal_code(self, code: object) -> str | None:
        """Return the 5-digit postal code of a desa/kelurahan, or None."""
        dotted = dotted_code(code)
        return None if dotted is None else self._postal.get(dotted)

    def historical(self, code: object) -> HistoricalRegion | None:
        """Return the retired region with exactly this code (e.g. 91.01, Kab. Merauke before 2022), or None.

        None also for codes that are current: a code is either current or retired, never both.
        """
        dotted = dotted_code(code)
        if dotted is None:
            return None
        entry = self._historical.get(dotted)
        if entry is None:
            return None
        name, edition = entry
        return HistoricalRegion(
            code=dotted,
            name=name,
            level=level_of(dotted),
            last_seen_edition=edition,
            successor=self._successor(dotted),
        )

    def historical_children(self, code: object) -> list[HistoricalRegion]:
        """Return the retired regions one level below a retired code, in code order."""
        dotted = dotted_code(code)
        if dotted is None or dotted not in self._historical:
            return []
        depth = code_depth(dotted)
        found = [
            self.historical(c)
            for c in sorted(self._historical)
            if c.startswith(dotted + ".") and code_depth(c) == depth + 1
        ]
        return [h for h in found if h is not None]

    def is_current(self, code: object) -> bool:
        """Return True if the code is a region of the current edition."""
        return self._row(code) is not None

    def is_known_prefix(self, code: object) -> bool:
        """Return True if the code is current or retired (as NIK/KK prefixes must be)."""
        dotted = dotted_code(code)
        return dotted is not None and (dotted in self._row_of or dotted in self._historical)

    def names_by_code(self, max_depth: int = 4) -> dict[str, str]:
        """Return dotted code -> name of every current region down to `max_depth` (3 = kecamatan)."""
        longest = (0, 2, 5, 8, 13)[max(0, min(max_depth, 4))]
        return {code: self._names[row] for row, code in enumerate(self._codes) if len(code) <= longest}

    def historical_codes(self) -> frozenset[str]:
        """Return every retired dotted code."""
        return frozenset(self._historical)

    # -- search ------------------------------------------------------------------------------------

    def search(
        self,
        query: object,
        level: Level | Collection[Level] | None = None,
        parent: object = None,
        limit: int = 20,
    ) -> list[Region]:
        """Return regions for an autocomplete box, best first (see app.regions.search for the rules).

        `level` is one level or a collection of levels (e.g. DESA_KELURAHAN); `parent` limits the answer to
        regions below that code. A query that is itself a region code returns that region.
        Malformed arguments give an empty list.
        """
        if not isinstance(query, str) or isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0:
            return []
        levels = _levels(level)
        if levels is None:
            return []
        parent_row: int | None = None
        if parent is not None:
            parent_row = self._row(parent)
            if parent_row is None:
                return []
        as_code = dotted_code(query)
        if as_code is not None:
            region = self.get(as_code)
            if region is None or region.level not in levels:
                return []
            if parent_row is not None and not as_code.startswith(self._codes[parent_row] + "."):
                return []
            return [region]
        rows = self.search_index().search(query, levels, parent_row, limit)
        return [self._region(r) for r in rows]

    @property
    def search_ready(self) -> bool:
        """Whether name search is ready (the index is built once, a few hundred milliseconds)."""
        return self._search is not None

    def search_index(self) -> SearchIndex:
        """Return the name index, building it on first use (a few hundred milliseconds, once)."""
        index = self._search
        if index is None:
            with self._search_lock:
                index = self._search
                if index is None:
                    index = SearchIndex(self._codes, self._names)
                    self._search = index
        return index

    # -- internals ---------------------------------------------------------------------------------

    def _row(self, code: object) -> int | None:
        """Return the table row of a current code, or None."""
        dotted = dotted_code(code)
        return None if dotted is None else self._row_of.get(dotted)

    def _region(self, row: int) -> Region:
        """Return the Region of a table row, creating it on first use."""
        region = self._regions[row]
        if region is None:
            code = self._codes[row]
            region = Region(code=code, name=self._names[row], level=level_of(code), postal_code=self._postal.get(code))
            self._regions[row] = region
        return region

    def _successor(self, code: str) -> Region | None:
        """Return the current region that now holds a retired code, matched by name (see HistoricalRegion)."""
        depth = code_depth(code)
        if depth == 2:
            return self._current_kabupaten_named(self._historical[code][0])
        if depth != 3:
            return None
        parent = parent_code(code)
        if parent is None:
            return None
        holder = self.get(parent)
        if holder is None and parent in self._historical:
            holder = self._successor(parent)
        if holder is None:
            return None
        wanted = _fold_name(self._historical[code][0])
        for kecamatan in self.children(holder.code):
            if _fold_name(kecamatan.name) == wanted:
                return kecamatan
        return holder

    def _current_kabupaten_named(self, name: str) -> Region | None:
        """Return the current kabupaten/kota with this name (folded), or None if none or several."""
        if self._successor_names is None:
            table: dict[str, str | None] = {}
            for row, code in enumerate(self._codes):
                if code_depth(code) == 2:
                    key = _fold_name(self._names[row])
                    table[key] = None if key in table else code
            self._successor_names = table
        found = self._successor_names.get(_fold_name(name))
        return None if found is None else self.get(found)


def _levels(level: object) -> frozenset[Level] | None:
    """Return the level filter as a set, or None if it names an unknown level."""
    if level is None:
        return ALL_LEVELS
    items: list[object] = [level] if isinstance(level, str) else list(level) if isinstance(level, Collection) else []
    chosen: set[Level] = set()
    for item in items:
        if not isinstance(item, str) or item not in ALL_LEVELS:
            return None
        chosen.add(item)
    return frozenset(chosen) if chosen else None


def default_loaded() -> bool:
    """Whether the shared index is already in memory (a UI can then search without waiting)."""
    return default_index.cache_info().currsize > 0


@functools.cache
def default_index() -> RegionIndex:
    """Return the shared index of the shipped region data, loaded once on first use.

    It comes from the prebuilt file (search index included) when there is one for these data files,
    so nothing is built while the officer types; see app.regions.prebuilt.
    """
    from app.regions.prebuilt import load_default  # noqa: PLC0415 - prebuilt imports this module

    return load_default()
