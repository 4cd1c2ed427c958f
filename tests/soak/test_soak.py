"""The soak in the suite: a small week (12 outposts, 240 applications, 1,200 pages, 4 days) through faulty
links with the real client, staff stepping through the back-office API; no error, memory flat.

The full week (`make soak`, tests/soak/run_soak.py) is the same code at 236 outposts on PostgreSQL, two
replicas behind HAProxy and S3.
"""

from __future__ import annotations

import math
from pathlib import Path

from tests.helpers.soak import SUITE, run_soak, summary


def test_a_small_week_of_outposts_syncing_through_faulty_links_has_no_errors_and_flat_memory(tmp_path: Path) -> None:
    report = run_soak(tmp_path, SUITE)
    print(summary(report))
    assert report.problems() == [], summary(report)
    assert report.accepted == report.submitted == SUITE.applications
    assert report.pages >= SUITE.pages, "every page reached the Dinas"
    assert report.faults > 0 and report.interrupted_runs + report.faults > 0, "the links did fail now and then"
    assert report.staff_steps > 0 and report.status_applied > 0, "staff worked and the outposts heard of it"
    assert not math.isnan(report.percentile(0.99)) and len(report.memory) > 10
