"""`make bench`: run every benchmark module and print one Markdown table of measures against budgets."""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Callable

# Each module exposes run() -> list of {"measure", "budget", "measured", "ok"} rows.
MODULES = [
    "tests.bench.bench_data",
    "tests.bench.bench_regions",
    "tests.bench.bench_identity",
    "tests.bench.bench_store",
    "tests.bench.bench_ui",
    "tests.bench.bench_officer_day",  # issue 14: a KK Baru and a birth by keyboard, before and after
    "tests.bench.bench_card_review",  # issue 20: the review of a card reading opens within 200 ms
    "tests.bench.bench_cardread",  # issue 20: the card reader's accuracy and seconds per page, one core
    "tests.bench.bench_documents",
    "tests.bench.bench_sync",
    "tests.bench.bench_replicas",  # issue 21: intake with 1, 2 and 3 replicas behind HAProxy
    "tests.bench.bench_storage",  # issue 21: upload goodput to S3 (moto) against the folder backend
    "tests.bench.bench_updates",  # issue 19: a typical fix as a patch, its apply, its download over EDGE
    "tests.bench.bench_backoffice_pages",
    "tests.bench.bench_backoffice",  # 200,000 applications on PostgreSQL: a few minutes
]


def table(rows: list[dict[str, object]]) -> str:
    """Format rows as a Markdown table."""
    lines = ["| measure | budget | measured | verdict |", "|---|---|---|---|"]
    for row in rows:
        ok = row.get("ok")
        verdict = "ok" if ok is True else ("OVER BUDGET" if ok is False else "info")
        lines.append(f"| {row['measure']} | {row['budget']} | {row['measured']} | {verdict} |")
    return "\n".join(lines)


def main() -> int:
    """Run all benchmarks; exit 1 if any measure is over its budget."""
    rows: list[dict[str, object]] = []
    started = time.perf_counter()
    for name in MODULES:
        run: Callable[[], list[dict[str, object]]] = importlib.import_module(name).run
        print(f"running {name} ...", file=sys.stderr, flush=True)
        rows.extend(run())
    print(table(rows))
    print(f"\n({len(rows)} measures in {time.perf_counter() - started:.1f} s on this machine)")
    return 1 if any(row.get("ok") is False for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
