"""The shipped region index prebuilt as data: the table and its name-search index in one file.

Building the search index folds and sorts 91,599 names in long C calls that hold the GIL; run on a
worker at start, they were the longest stalls of the GUI thread. So the built index is stored:

- `make dist` and the Windows workflow run `python -m app.regions.prebuilt` before freezing; it
  writes resources/regions/search-index-<data>-<code>.pickle, and the bundle carries it like every
  file below resources/.
- In a checkout the first start writes the same file. Its name holds the SHA-256 of the region data
  files and of the code that builds the index (this module, index.py, search.py, codes.py), so a
  change to either is built again, once; older files are removed then.

Loading reads the file as many small pickles of at most CHUNK items (strings shared through the pickle
memo), so no single call holds the GIL
for long and the GUI thread keeps its turn. A frozen bundle has no source files to hash: it takes
the file built for its data files (built with its own code at build time).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import logging
import os
import pickle
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.regions.index import EDITION_FILE, HISTORICAL_FILE, KODEPOS_FILE, WILAYAH_FILE, RegionIndex
from app.regions.search import SearchIndex
from app.resources import resource_path

log = logging.getLogger("loket.regions")

FORMAT = 1
"""Bump when the file's layout changes (the code hash covers it in a checkout; this also in a bundle)."""
CHUNK = 4096
PREFIX = "search-index-"
SUFFIX = ".pickle"
DATA_FILES = (WILAYAH_FILE, KODEPOS_FILE, HISTORICAL_FILE, EDITION_FILE)
CODE_FILES = ("prebuilt.py", "index.py", "search.py", "codes.py")
FROZEN_CODE = "bundle"
"""The code part of the name when the sources are not there to hash (a frozen bundle)."""

# The fields of the file, in order: lists and dicts go in chunks, the rest whole.
TABLE_LISTS = ("codes", "names")
TABLE_DICTS = ("postal", "historical")
SEARCH_LISTS = ("norm", "core", "row", "rank", "context", "name_keys", "name_ids", "word_keys", "word_ids")
SEARCH_DICTS = ("desa_counts",)
SCALARS = ("edition", "depth_start")


class SnapshotError(Exception):
    """A prebuilt file that does not fit: another format, other data, or damaged."""


def data_hash(folder: Path) -> str:
    """SHA-256 (16 hex digits) of the region data files, in a fixed order (a missing one counts as empty)."""
    digest = hashlib.sha256(f"format {FORMAT}\n".encode())
    for name in DATA_FILES:
        path = folder / name
        raw = path.read_bytes() if path.exists() else b""
        digest.update(f"{name} {len(raw)}\n".encode())
        digest.update(raw)
    return digest.hexdigest()[:16]


def code_hash() -> str:
    """SHA-256 (16 hex digits) of the code that builds the index, or FROZEN_CODE without its sources."""
    here = Path(__file__).resolve().parent
    sources = [here / name for name in CODE_FILES]
    if not all(path.is_file() for path in sources):
        return FROZEN_CODE
    digest = hashlib.sha256()
    for path in sources:
        raw = path.read_bytes()
        digest.update(f"{path.name} {len(raw)}\n".encode())
        digest.update(raw)
    return digest.hexdigest()[:16]


def file_name(data: str, code: str) -> str:
    """The prebuilt file's name for these data and code hashes."""
    return f"{PREFIX}{data}-{code}{SUFFIX}"


def find(folder: Path, data: str, code: str) -> Path | None:
    """The prebuilt file for these hashes; in a bundle (FROZEN_CODE), the one built for these data files."""
    exact = folder / file_name(data, code)
    if exact.is_file():
        return exact
    if code == FROZEN_CODE:
        made = sorted(folder.glob(f"{PREFIX}{data}-*{SUFFIX}"))
        return made[0] if made else None
    return None


def _records(index: RegionIndex, data: str, code: str) -> Iterator[tuple[str, object]]:
    codes, names, postal, historical, edition = index.table()
    state = index.search_index().state()
    yield "header", {"format": FORMAT, "data": data, "code": code, "count": len(codes)}
    fields: dict[str, Any] = {"codes": codes, "names": names, "postal": postal, "historical": historical, **state}
    for name in (*TABLE_LISTS, *SEARCH_LISTS):
        values = fields[name]
        for start in range(0, len(values), CHUNK):
            yield name, values[start : start + CHUNK]
    for name in (*TABLE_DICTS, *SEARCH_DICTS):
        # Keys and values as two lists, not (key, value) tuples: tuples are tracked by the garbage
        # collector, and creating 80,000 of them set off full collections (20-30 ms each) while loading.
        keys, values = list(fields[name]), list(fields[name].values())
        for start in range(0, len(keys), CHUNK):
            yield name, (keys[start : start + CHUNK], values[start : start + CHUNK])
    yield "edition", edition
    yield "depth_start", state["depth_start"]
    yield "end", None


def write(index: RegionIndex, target: Path, data: str, code: str) -> int:
    """Write the index (its search index built if need be) to `target` atomically; return its size in bytes."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    for record in _records(index, data, code):
        pickler.dump(record)
    raw = buffer.getvalue()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(raw)
    os.replace(tmp, target)
    return len(raw)


def read(path: Path, data: str, code: str) -> RegionIndex:
    """The index stored in `path`, checked against the expected hashes; SnapshotError if it does not fit."""
    try:
        stream = io.BytesIO(path.read_bytes())
        unpickler = pickle.Unpickler(stream)
        name, header = unpickler.load()
        if name != "header" or not isinstance(header, dict):
            raise SnapshotError(f"{path.name}: no header")
        if header.get("format") != FORMAT or header.get("data") != data:
            raise SnapshotError(f"{path.name}: built for other data or another format")
        if code != FROZEN_CODE and header.get("code") != code:
            raise SnapshotError(f"{path.name}: built by other code")
        lists: dict[str, list[Any]] = {name: [] for name in (*TABLE_LISTS, *SEARCH_LISTS)}
        dicts: dict[str, dict[Any, Any]] = {name: {} for name in (*TABLE_DICTS, *SEARCH_DICTS)}
        scalars: dict[str, Any] = {}
        row_of: dict[str, int] = {}
        while True:
            name, value = unpickler.load()  # one small piece at a time: the GIL is released in between
            if name == "end":
                break
            if name in lists:
                if name == "codes":
                    row_of.update(zip(value, range(len(lists[name]), len(lists[name]) + len(value)), strict=True))
                lists[name].extend(value)
            elif name in dicts:
                keys, values = value
                dicts[name].update(zip(keys, values, strict=True))
            elif name in SCALARS:
                scalars[name] = value
            else:
                raise SnapshotError(f"{path.name}: unknown field {name!r}")
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError) as exc:
        raise SnapshotError(f"{path.name}: cannot be read ({type(exc).__name__})") from exc
    codes = lists["codes"]
    if len(codes) != header.get("count") or len(lists["names"]) != len(codes) or len(lists["row"]) != len(codes):
        raise SnapshotError(f"{path.name}: incomplete")
    historical = {code: tuple(entry) for code, entry in dicts["historical"].items()}
    state: dict[str, Any] = {name: lists[name] for name in SEARCH_LISTS}
    state["desa_counts"] = dicts["desa_counts"]
    state["depth_start"] = scalars["depth_start"]
    search = SearchIndex.restore(codes, state)
    return RegionIndex(
        codes,
        lists["names"],
        dicts["postal"],
        historical,
        str(scalars.get("edition", "")),
        row_of=row_of,
        search=search,
    )


def build(folder: Path, data: str, code: str) -> tuple[RegionIndex, Path, int]:
    """Build the index from the data files in `folder`, write it there and remove older prebuilt files."""
    index = RegionIndex.load(folder)
    index.search_index()
    target = folder / file_name(data, code)
    size = write(index, target, data, code)
    for old in folder.glob(f"{PREFIX}*{SUFFIX}"):
        if old != target:
            old.unlink(missing_ok=True)
    return index, target, size


def load_default(folder: Path | None = None) -> RegionIndex:
    """The shipped region index: the prebuilt file when it fits, else built now and stored for next time."""
    folder = folder if folder is not None else resource_path("regions")
    data, code = data_hash(folder), code_hash()
    found = find(folder, data, code)
    if found is not None:
        try:
            return read(found, data, code)
        except SnapshotError as exc:
            log.warning("prebuilt region index not used: %s", exc)
    try:
        index, target, _ = build(folder, data, code)
    except OSError as exc:  # a read-only folder: build it in memory every start (slower, still correct)
        log.info("prebuilt region index not written: %s", exc.strerror)
        index = RegionIndex.load(folder)
        index.search_index()
    else:
        log.info("region index built and stored as %s", target.name)
    return index


def main(argv: list[str] | None = None) -> int:
    """`python -m app.regions.prebuilt`: write the prebuilt index of the shipped region files (build step)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--folder", type=Path, default=None, help="the region data folder (default: resources/regions)")
    args = parser.parse_args(argv)
    folder = args.folder if args.folder is not None else resource_path("regions")
    started = time.perf_counter()
    _, target, size = build(folder, data_hash(folder), code_hash())
    print(f"{target} ({size / 2**20:.1f} MB, {time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
