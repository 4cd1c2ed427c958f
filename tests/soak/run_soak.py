"""`make soak`: a kabupaten's week (236 outposts, 20,000 applications, 100,000 pages) on PostgreSQL, two
replicas behind HAProxy and S3 object storage; prints the figures and fails on any error or memory growth.

`python -m tests.soak.run_soak --scale 0.1` runs a tenth of the week (outposts, applications and pages).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from pathlib import Path

from tests.helpers.soak import FULL, run_soak, summary


def main(argv: list[str] | None = None) -> int:
    """Run the soak; 0 when it passed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="share of the full week's load (default 1)")
    parser.add_argument("--folder", type=Path, help="where to keep the run's files (default: a temporary folder)")
    args = parser.parse_args(argv)
    scale = dataclasses.replace(
        FULL,
        outposts=max(2, round(FULL.outposts * args.scale)),
        applications=max(4, round(FULL.applications * args.scale)),
        pages=max(4, round(FULL.pages * args.scale)),
    )
    with tempfile.TemporaryDirectory(prefix="loket-soak-") as tmp:
        report = run_soak(args.folder or Path(tmp), scale, log=lambda line: print(line, flush=True))
    print(summary(report))
    problems = report.problems()
    for problem in problems[:20]:
        print(f"FAIL: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
