"""Benchmark of the back office's page rendering (sync/server/backoffice/pages.py): a dense 10 pt G4 text
page and a WebP photo page, made by the outpost's pipeline from 200-dpi scans and stored in a real
DiskStorage; first render (empty cache) and cached render, full size and thumbnail."""

from __future__ import annotations

import hashlib
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from app.documents import Options, process_page
from sync.server.backoffice.pages import PageRenderer, Size
from sync.server.storage import DiskStorage
from tests.helpers import documents

FIRST_BUDGET_MS = 300.0
CACHED_BUDGET_MS = 20.0
RUNS = 15


def _p95(samples: list[float]) -> float:
    """95th percentile."""
    return statistics.quantiles(samples, n=20)[18]


def _pages() -> list[tuple[str, bytes, str]]:
    """(name, bytes, media type) of the pages measured, as an outpost would upload them."""
    scan = Options(find="off")
    dense = documents.text_page(102, spacing=1.2)
    photo = documents.photo_page(103)
    text = process_page(documents.scan(dense, dpi=200), source="scanner", source_dpi=200, options=scan)
    colour = documents.scan(photo, dpi=200, gray=False)
    picture = process_page(colour, source="scanner", source_dpi=200, options=scan)
    return [
        ("dense 10 pt text page (G4 TIFF)", text.data, text.media_type),
        ("page with a photo (WebP)", picture.data, picture.media_type),
    ]


def _first_render(storage: DiskStorage, folder: Path, sha: str, media_type: str, size: Size) -> tuple[float, int, str]:
    """Milliseconds to render into an empty cache, and the rendering's size and type."""
    renderer = PageRenderer(storage, Path(tempfile.mkdtemp(prefix="cache-", dir=folder)))
    started = time.perf_counter()
    page = renderer.render(sha, media_type, size)
    elapsed = (time.perf_counter() - started) * 1000.0
    assert not page.cached
    shutil.rmtree(renderer.cache_dir)
    return elapsed, len(page.data), page.media_type


def page_rows() -> list[dict[str, object]]:
    """First and cached render of each page, as rows for tests/bench/run.py."""
    rows: list[dict[str, object]] = []
    folder = Path(tempfile.mkdtemp(prefix="loket-bench-pages-"))
    try:
        storage = DiskStorage(folder / "storage")
        for name, data, media_type in _pages():
            sha = hashlib.sha256(data).hexdigest()
            storage.append(sha, len(data), 0, data)
            for size in ("full", "thumb"):
                _first_render(storage, folder, sha, media_type, size)  # warm up: imports, plugins
                samples, made = [], (0, "")
                for _ in range(RUNS):
                    ms, length, output = _first_render(storage, folder, sha, media_type, size)
                    samples.append(ms)
                    made = (length, output)
                p95 = _p95(samples)
                rows.append(
                    {
                        "measure": f"back office: {name}, {size}, first render (p95)",
                        "budget": f"<= {FIRST_BUDGET_MS:.0f} ms",
                        "measured": f"{p95:.0f} ms (median {statistics.median(samples):.0f} ms of {RUNS}; "
                        f"{len(data) / 1000:.0f} KB stored -> {made[0] / 1000:.1f} KB {made[1]})",
                        "ok": p95 <= FIRST_BUDGET_MS,
                    }
                )
            renderer = PageRenderer(storage, folder / "cache")
            renderer.render(sha, media_type)
            cached = []
            for _ in range(RUNS):
                started = time.perf_counter()
                page = renderer.render(sha, media_type)
                cached.append((time.perf_counter() - started) * 1000.0)
                assert page.cached
            p95 = _p95(cached)
            rows.append(
                {
                    "measure": f"back office: {name}, full, cached (p95)",
                    "budget": f"<= {CACHED_BUDGET_MS:.0f} ms",
                    "measured": f"{p95:.2f} ms (median {statistics.median(cached):.2f} ms of {RUNS})",
                    "ok": p95 <= CACHED_BUDGET_MS,
                }
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return rows


def run() -> list[dict[str, object]]:
    """Every measure as a row for tests/bench/run.py."""
    return page_rows()


if __name__ == "__main__":
    from tests.bench.run import table

    print(table(run()))
