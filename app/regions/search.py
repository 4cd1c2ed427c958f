"""Autocomplete index over region names: word-start prefix matching, ranked, answering within a few milliseconds.

Matching rules (what the officer can type):
- case, accents and punctuation are ignored; apostrophes are dropped ("Ma'ruf" == "maruf"), any other
  punctuation separates words;
- every query word must be the start of a word: "won" finds "Wonosari", "sari" finds "Sari Rejo" and
  "Rejo Sari" but never "Wonosari";
- in a query of several words, each word must start a word of the region's own name or of its kecamatan or
  kabupaten/kota name, and at least one must start a word of its own name: "wono sine" finds Desa Wonosari
  in Kecamatan Sine;
- level words ("Kab.", "Kabupaten", "Kota", "Kec.", "Kecamatan", "Distrik", "Desa", "Kel.", "Kelurahan",
  "Prov.", "Provinsi") are optional: they are not required to match, but regions of the named level come first.

Ranking, deterministic: regions of a level named in the query first; then whole query equal to the name
(for a kabupaten/kota also the name without "Kabupaten"/"Kota"), then the name starting with the query, then
the same two tests on the query without its level words, then all words in the region's own name, then
matches through the kecamatan/kabupaten names; ties by level (provinsi first), shorter name, name, code.
"""

from __future__ import annotations

import heapq
import re
import threading
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import chain
from typing import Any, Final

from app.regions.codes import LEVEL_DEPTH, LEVELS, Level, level_of

ALL_LEVELS: Final[frozenset[Level]] = frozenset(LEVELS)
DESA_DEPTH_LEVELS: Final[frozenset[Level]] = frozenset(lv for lv in LEVELS if LEVEL_DEPTH[lv] == 4)
MAX_QUERY_CHARS: Final = 200

# Query word -> (the word as written in region names, the levels it hints at).
_LEVEL_WORDS: Final[dict[str, tuple[str, frozenset[Level]]]] = {
    "prov": ("provinsi", frozenset({"provinsi"})),
    "provinsi": ("provinsi", frozenset({"provinsi"})),
    "kab": ("kabupaten", frozenset({"kabupaten"})),
    "kabupaten": ("kabupaten", frozenset({"kabupaten"})),
    "kota": ("kota", frozenset({"kota"})),
    "kec": ("kecamatan", frozenset({"kecamatan"})),
    "kecamatan": ("kecamatan", frozenset({"kecamatan"})),
    "distrik": ("distrik", frozenset({"kecamatan"})),
    "desa": ("desa", frozenset({"desa", "desa_adat"})),
    "kel": ("kelurahan", frozenset({"kelurahan"})),
    "kelurahan": ("kelurahan", frozenset({"kelurahan"})),
}

_APOSTROPHES: Final = "'`\u2018\u2019\u02bc\u00b4"
_ASCII_FOLD: Final[dict[int, str | None]] = {
    code: (None if chr(code) in _APOSTROPHES else " ")
    for code in range(128)
    if not ("a" <= chr(code) <= "z" or "0" <= chr(code) <= "9")
}
_NON_WORD_RUNS: Final = re.compile("[^a-z0-9\n]+")
_NON_ASCII: Final = re.compile("[^\x00-\x7f]")
_SPACES_AT_LINE_ENDS: Final = re.compile(" ?\n ?")
_UNICODE_APOSTROPHES: Final[dict[int, str | None]] = {ord(c): None for c in _APOSTROPHES}
_NAMES, _WORDS = 0, 1
_SCAN_ALWAYS: Final = 2000
# First digit of the 4-digit desa part of a code, per level.
_DESA_DIGIT: Final[dict[Level, str]] = {"kelurahan": "1", "desa": "2", "desa_adat": "3"}
# Code length of each depth (provinsi 2, kabupaten/kota 5, kecamatan 8, desa/kelurahan 13 characters).
_CODE_LENGTHS: Final = (2, 5, 8, 13)
_CACHE_LIMIT: Final = 4096
_SENTINEL: Final = "\uffff"


def fold_words(text: str) -> list[str]:
    """Return the lower-case ASCII words of a name or query, without accents and punctuation."""
    folded = text.lower()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded).translate(_UNICODE_APOSTROPHES)
        folded = "".join(c if c.isascii() else " " for c in folded if not unicodedata.combining(c))
    return folded.translate(_ASCII_FOLD).split()


def _core_words(words: list[str], level: Level) -> list[str]:
    """Return the words of a kabupaten/kota name without its leading "Kabupaten"/"Kota"."""
    if level in ("kabupaten", "kota") and len(words) > 1 and words[0] in ("kabupaten", "kota"):
        return words[1:]
    return words


def _fold_all(names: Sequence[str]) -> list[str]:
    """Return every name folded to its words joined by single spaces (whole-table fast path of fold_words)."""
    lowered = "\n".join(names).lower()
    if lowered.count("\n") != len(names) - 1:  # a name holding a line break: fold one by one
        return [" ".join(fold_words(name)) for name in names]
    special_rows = set()
    if not lowered.isascii():
        special_rows = {lowered.count("\n", 0, m.start()) for m in _NON_ASCII.finditer(lowered)}
    folded = _NON_WORD_RUNS.sub(" ", lowered.replace("'", "").replace("`", ""))
    lines = _SPACES_AT_LINE_ENDS.sub("\n", folded).strip(" ").split("\n")
    for row in special_rows:
        lines[row] = " ".join(fold_words(names[row]))
    return lines


class _Postings:
    """Flat (key, id) entries sorted by key, then id: the ids of all keys starting with a prefix form a slice."""

    def __init__(self, keys: list[str], ids: list[int]) -> None:
        """Hold parallel keys and ids, given in any order (duplicates are harmless)."""
        # Two stable sorts with C-level keys: by id, then by key (much faster than sorting tuples).
        order = sorted(range(len(ids)), key=ids.__getitem__)
        order.sort(key=keys.__getitem__)
        self.keys = [keys[i] for i in order]
        self.ids = [ids[i] for i in order]

    @classmethod
    def presorted(cls, keys: list[str], ids: list[int]) -> _Postings:
        """Take keys and ids already in this order (the `keys` and `ids` of a built instance)."""
        postings = cls.__new__(cls)
        postings.keys = keys
        postings.ids = ids
        return postings

    def prefix_range(self, prefix: str) -> tuple[int, int]:
        """Return the slice of entries whose key starts with `prefix`."""
        low = bisect_left(self.keys, prefix)
        return low, bisect_left(self.keys, prefix + _SENTINEL, low)

    def exact_range(self, key: str) -> tuple[int, int]:
        """Return the slice of entries whose key is exactly `key`."""
        low = bisect_left(self.keys, key)
        return low, bisect_right(self.keys, key, low)


class SearchIndex:
    """Word-start index over all region names, with regions numbered in ranking order for cheap top-k.

    Regions are numbered ("ids") by rank: level (provinsi first), name length, name, code. A sorted list
    of ids is therefore a ranked list, and the first `limit` accepted ids of a match class are its best.
    Per-region data stays in table-row order (`_row[id]` maps an id to its row).

    Two postings: `_names` holds every folded name (and a kabupaten/kota name without "Kabupaten"/"Kota"),
    so names starting with a text form one slice; `_words` holds every later word of a name.
    """

    def __init__(self, codes: Sequence[str], names: Sequence[str]) -> None:
        """Build the index from the region table (dotted codes sorted in tree order, and names)."""
        count = len(codes)
        self._codes = codes
        self._norm = norm = _fold_all(names)
        self._core = core = list(norm)
        for row in [r for r, code in enumerate(codes) if len(code) == 5]:
            core[row] = " ".join(_core_words(norm[row].split(), level_of(codes[row])))

        # Rank order: level, name length, name, code. Rows are in code order and each sort is stable, so
        # sorting by the least significant key first gives the combined order.
        name_lengths = list(map(len, core))
        code_lengths = list(map(len, codes))
        order = sorted(range(count), key=core.__getitem__)
        order.sort(key=name_lengths.__getitem__)
        order.sort(key=code_lengths.__getitem__)
        self._row = order
        self._rank = rank = [0] * count
        for ident, row in enumerate(order):
            rank[row] = ident
        per_length = Counter(code_lengths)
        self._depth_start = [0, 0]
        for length in _CODE_LENGTHS:
            self._depth_start.append(self._depth_start[-1] + per_length.get(length, 0))

        name_keys = list(norm)
        name_ids = list(rank)
        word_keys: list[str] = []
        word_ids: list[int] = []
        for row, text in enumerate(norm):
            if " " in text:
                words = text.split(" ")
                firsts = {words[0], core[row].partition(" ")[0]}
                ident = rank[row]
                for word in words[1:]:
                    if word not in firsts:
                        word_keys.append(word)
                        word_ids.append(ident)
                if core[row] != text:
                    name_keys.append(core[row])
                    name_ids.append(ident)
        self._names = _Postings(name_keys, name_ids)
        self._words = _Postings(word_keys, word_ids)
        self._context = self._context_rows(codes, norm, core)
        self._desa_counts = Counter(code[9] for code in codes if len(code) == 13)
        self._start_caches()

    def _start_caches(self) -> None:
        """The caches filled by searches (empty) and their lock."""
        self._cache: dict[tuple[int, str], list[int]] = {}
        self._subtrees: dict[int, list[int]] = {}
        self._level_ids: dict[Level, list[int]] = {}
        self._lock = threading.Lock()

    def state(self) -> dict[str, list[str] | list[int] | dict[str, int]]:
        """What the constructor computed, as plain lists (app.regions.prebuilt stores it; see `restore`)."""
        return {
            "norm": self._norm,
            "core": self._core,
            "row": self._row,
            "rank": self._rank,
            "depth_start": self._depth_start,
            "context": self._context,
            "name_keys": self._names.keys,
            "name_ids": self._names.ids,
            "word_keys": self._words.keys,
            "word_ids": self._words.ids,
            "desa_counts": dict(self._desa_counts),
        }

    @classmethod
    def restore(cls, codes: Sequence[str], state: dict[str, Any]) -> SearchIndex:
        """The index `state()` described, over the same codes, without building anything again."""
        index = cls.__new__(cls)
        index._codes = codes
        index._norm = state["norm"]
        index._core = state["core"]
        index._row = state["row"]
        index._rank = state["rank"]
        index._depth_start = state["depth_start"]
        index._context = state["context"]
        index._names = _Postings.presorted(state["name_keys"], state["name_ids"])
        index._words = _Postings.presorted(state["word_keys"], state["word_ids"])
        index._desa_counts = Counter(state["desa_counts"])
        index._start_caches()
        return index

    # -- public ------------------------------------------------------------------------------------

    def search(self, query: str, levels: frozenset[Level], parent_row: int | None, limit: int) -> list[int]:
        """Return the table rows of the best `limit` regions matching `query`, best first."""
        tokens = fold_words(query[:MAX_QUERY_CHARS])
        if not tokens or limit <= 0 or not levels:
            return []
        required: list[str] = []
        full: list[str] = []
        hints: set[Level] = set()
        for token in tokens:
            level_word = _LEVEL_WORDS.get(token)
            if level_word is None:
                required.append(token)
                full.append(token)
            else:
                full.append(level_word[0])
                hints.update(level_word[1])
        if not required:  # only level words: treat them as ordinary words
            required = full = tokens
            hints.clear()
        parsed = _Query(required, full)

        passes = [levels]
        hinted = levels & hints
        if hinted and hinted != levels:
            passes = [frozenset(hinted), levels - hinted]
        found: list[int] = []
        for pass_levels in passes:
            found.extend(self._search_pass(parsed, pass_levels, parent_row, limit - len(found)))
            if len(found) >= limit:
                break
        return [self._row[i] for i in found]

    # -- passes ------------------------------------------------------------------------------------

    def _search_pass(self, query: _Query, levels: frozenset[Level], parent_row: int | None, limit: int) -> list[int]:
        """Return the ids of the best matches among `levels` (and below `parent_row`, when given)."""
        filters = _Filters(self, levels, parent_row)
        estimate = min(self._count(w) for w in query.required)
        universe = self._small_universe(levels, parent_row, estimate)
        if universe is not None:
            return self._score(universe, query, filters, limit)
        if len(query.required) == 1:
            return self._single(query, filters, limit)
        return self._multi(query, filters, limit)

    def _small_universe(self, levels: frozenset[Level], parent_row: int | None, estimate: int) -> list[int] | None:
        """Return the ids of the parent's subtree or of the chosen desa levels when scanning them all is cheaper."""
        best: list[int] | None = None
        if parent_row is not None:
            best = self._subtree(parent_row)
        if all(lv in _DESA_DIGIT for lv in levels) and not DESA_DEPTH_LEVELS.issubset(levels):
            size = sum(self._desa_counts.get(_DESA_DIGIT[lv], 0) for lv in levels)
            if (best is None or size < len(best)) and (size <= _SCAN_ALWAYS or 4 * size <= estimate):
                best = self._ids_of_levels(levels)
        if best is not None and (len(best) <= _SCAN_ALWAYS or 4 * len(best) <= estimate):
            return best
        return None

    def _single(self, query: _Query, filters: _Filters, limit: int) -> list[int]:
        """Return the best matches of a one-word query by walking ranked id lists in class order."""
        word = query.required[0]
        tiers: list[Sequence[int]] = []
        if query.full != query.core:
            tiers.append(self._prefixed(query.full, 0))
        low, high = self._names.exact_range(word)
        tiers.append(self._names.ids[low:high])
        tiers.append(filters.window(self._ids(_NAMES, word)))
        tiers.append(filters.window(self._ids(_WORDS, word)))
        found: list[int] = []
        seen: set[int] = set()
        for tier in tiers:
            for ident in tier:
                if ident in seen or not filters.accepts(ident):
                    continue
                seen.add(ident)
                found.append(ident)
                if len(found) >= limit:
                    return found
        return found

    def _multi(self, query: _Query, filters: _Filters, limit: int) -> list[int]:
        """Return the best matches of a query of several words, class by class, stopping when enough."""
        found: list[int] = []
        seen: set[int] = set()
        tiers = [self._prefixed(query.full, 0)]
        if query.core != query.full:
            tiers.append(self._prefixed(query.core, 2))
        for tier in tiers:
            for ident in tier:
                if ident not in seen and filters.accepts(ident):
                    seen.add(ident)
                    found.append(ident)
        if len(found) >= limit:
            return found[:limit]

        # Class 4: every word starts a word of the region's own name. Walk the most selective word's
        # regions in rank order; the first hits are the best of the class.
        word = min(query.required, key=lambda w: (self._count(w), w))
        others = [(w, " " + w) for w in query.required if w != word]
        norm, row_of = self._norm, self._row
        own = self._own_ids(word)
        for ident in own:
            if ident in seen or not filters.accepts(ident):
                continue
            text = norm[row_of[ident]]
            if all(text.startswith(w) or spaced in text for w, spaced in others):
                seen.add(ident)
                found.append(ident)
                if len(found) >= limit:
                    return found

        # Class 5: some words only start a word of the kecamatan or kabupaten/kota name.
        names, words = self._ids(_NAMES, word), self._ids(_WORDS, word)
        candidates = set(filters.window(names))
        candidates.update(filters.window(words))
        low, high = self._depth_start[2], self._depth_start[4]
        for ids in (names, words):  # kabupaten/kota and kecamatan matches: everything below them
            for ident in ids[bisect_left(ids, low) : bisect_left(ids, high)]:
                row = row_of[ident]
                if filters.related(self._codes[row]):
                    candidates.update(self._subtree(row))
        candidates.difference_update(seen)
        found.extend(self._score(sorted(candidates), query, filters, limit - len(found), only_context=True))
        return found

    def _score(
        self,
        candidates: Sequence[int],
        query: _Query,
        filters: _Filters,
        limit: int,
        *,
        only_context: bool = False,
    ) -> list[int]:
        """Return the best `limit` candidates that match every query word, ranked (all classes)."""
        spaced = [(w, " " + w) for w in query.required]
        norm, row_of, context = self._norm, self._row, self._context
        scored: list[tuple[int, int]] = []
        for ident in candidates:
            if not filters.accepts(ident):
                continue
            row = row_of[ident]
            own, ctx = norm[row], context[row]
            own_any, own_all, matched = False, True, True
            for word, spaced_word in spaced:
                if own.startswith(word) or spaced_word in own:
                    own_any = True
                elif spaced_word in ctx:
                    own_all = False
                else:
                    matched = False
                    break
            if matched and own_any and not (only_context and own_all):
                scored.append((self._class(ident, query) if own_all else 5, ident))
        return [i for _, i in heapq.nsmallest(limit, scored)]

    # -- helpers -----------------------------------------------------------------------------------

    def _class(self, ident: int, query: _Query) -> int:
        """Return the match class of a region matching every query word in its own name (0 best, 4 worst)."""
        row = self._row[ident]
        norm, core = self._norm[row], self._core[row]
        if query.full in (norm, core):
            return 0
        if norm.startswith(query.full) or core.startswith(query.full):
            return 1
        if query.core != query.full:
            if query.core in (norm, core):
                return 2
            if norm.startswith(query.core) or core.startswith(query.core):
                return 3
        return 4

    def _prefixed(self, text: str, exact_class: int) -> list[int]:
        """Return the ids of names equal to `text` (ranked first), then of names starting with it."""
        low, high = self._names.prefix_range(text)
        keys, ids = self._names.keys, self._names.ids
        return [
            i
            for _, i in sorted((exact_class if keys[k] == text else exact_class + 1, ids[k]) for k in range(low, high))
        ]

    def _own_ids(self, word: str) -> Iterator[int]:
        """Yield, in rank order and once each, the ids of regions having a word that starts with `word`."""
        last = -1
        for ident in heapq.merge(self._ids(_NAMES, word), self._ids(_WORDS, word)):
            if ident != last:
                last = ident
                yield ident

    def _ids_of_levels(self, levels: frozenset[Level]) -> list[int]:
        """Return the sorted ids of every desa/kelurahan of the given levels (lists built on first use)."""
        missing = [lv for lv in levels if lv not in self._level_ids]
        if missing:
            codes, rank = self._codes, self._rank
            with self._lock:
                for level in missing:
                    digit = _DESA_DIGIT[level]
                    self._level_ids[level] = sorted(
                        rank[r] for r, code in enumerate(codes) if len(code) == 13 and code[9] == digit
                    )
        if len(levels) == 1:
            return self._level_ids[next(iter(levels))]
        return sorted(chain.from_iterable(self._level_ids[lv] for lv in levels))

    @staticmethod
    def _context_rows(codes: Sequence[str], norm: list[str], core: list[str]) -> list[str]:
        """Return, per table row, the words of its kecamatan and kabupaten/kota names."""
        context = [""] * len(codes)
        kabupaten = kecamatan = ""
        for row, code in enumerate(codes):
            length = len(code)
            if length == 5:
                kabupaten = " " + core[row]
            elif length == 8:
                context[row] = kabupaten
                kecamatan = " " + norm[row] + kabupaten
            elif length == 13:
                context[row] = kecamatan
        return context

    def _subtree(self, row: int) -> list[int]:
        """Return the sorted ids of every region below the region at a table row (cached)."""
        cached = self._subtrees.get(row)
        if cached is not None:
            return cached
        code = self._codes[row]
        start = bisect_left(self._codes, code + ".")
        end = bisect_left(self._codes, code + "/", start)  # "/" sorts right after "."
        rank = self._rank
        result = sorted(rank[r] for r in range(start, end))
        self._subtrees[row] = result
        return result

    def _count(self, prefix: str) -> int:
        """Return how many (word, region) entries start with `prefix`: an upper bound of its matches."""
        names_low, names_high = self._names.prefix_range(prefix)
        words_low, words_high = self._words.prefix_range(prefix)
        return names_high - names_low + words_high - words_low

    def _ids(self, kind: int, prefix: str) -> list[int]:
        """Return the sorted ids of regions whose name (or a later word of it) starts with `prefix`."""
        postings = self._names if kind == _NAMES else self._words
        low, high = postings.prefix_range(prefix)
        if high - low < 2 or postings.keys[low] == postings.keys[high - 1]:
            return postings.ids[low:high]  # one key: its ids are already sorted and unique
        key = (kind, prefix)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        merged = sorted(set(postings.ids[low:high]))
        if high - low > 64:
            with self._lock:
                if len(self._cache) >= _CACHE_LIMIT:
                    self._cache.clear()
                self._cache[key] = merged
        return merged


class _Filters:
    """The level and ancestor filter of one search pass, as an id window plus an optional per-id test."""

    __slots__ = ("_codes", "_levels", "_per_id_level", "_prefix", "_row", "high", "low")

    def __init__(self, index: SearchIndex, levels: frozenset[Level], parent_row: int | None) -> None:
        """Prepare the filter for `levels` below the region at `parent_row` (or anywhere when None)."""
        depths = {LEVEL_DEPTH[lv] for lv in levels}
        self.low = index._depth_start[min(depths)]
        self.high = index._depth_start[max(depths) + 1]
        # The window spans the depths from the lowest to the highest chosen; a per-id level test is needed
        # only when the chosen levels do not fill every depth in it.
        self._per_id_level = len(depths) != max(depths) - min(depths) + 1 or not all(
            lv in levels for lv in ALL_LEVELS if LEVEL_DEPTH[lv] in depths
        )
        self._levels = levels
        self._codes = index._codes
        self._row = index._row
        self._prefix = None if parent_row is None else index._codes[parent_row] + "."

    def accepts(self, ident: int) -> bool:
        """Return True if the region passes the level and ancestor filter."""
        if not self.low <= ident < self.high:
            return False
        if self._prefix is None and not self._per_id_level:
            return True
        code = self._codes[self._row[ident]]
        if self._prefix is not None and not code.startswith(self._prefix):
            return False
        return not self._per_id_level or level_of(code) in self._levels

    def related(self, code: str) -> bool:
        """Return True if the region is the parent, below it or above it (so its subtree can hold matches)."""
        prefix = self._prefix
        return prefix is None or code.startswith(prefix) or prefix.startswith(code + ".")

    def window(self, ids: list[int]) -> list[int]:
        """Return the part of a sorted id list inside the level window."""
        start = bisect_left(ids, self.low)
        end = bisect_left(ids, self.high, start)
        if start == 0 and end == len(ids):
            return ids
        return ids[start:end]


class _Query:
    """A folded query: the words that must match, and the query with and without its level words."""

    __slots__ = ("core", "full", "full_tokens", "required")

    def __init__(self, required: list[str], full_tokens: list[str]) -> None:
        """Hold the required words and all tokens (level words spelled as in names)."""
        self.required = required
        self.full_tokens = full_tokens
        self.core = " ".join(required)
        self.full = " ".join(full_tokens)
