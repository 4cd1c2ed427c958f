"""Crash consistency: a writer is SIGKILLed at random points >= 200 times during answer saves, page
writes and submits; afterwards every acknowledged record is there and `loket-admin verify` is clean."""

from __future__ import annotations

import json
import os
import random
import select
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from app.paths import DataPaths
from app.store import Store
from app.store import applications as apps
from app.store.models import Application, Page
from tests.helpers.stores import SUPERVISOR, new_store
from tests.reliability.writer import fingerprint

KILLS = 200
ROOT = Path(__file__).resolve().parents[2]


def run_writer_until_killed(basedir: Path, seed: int, rng: random.Random) -> list[str]:
    """Start a writer, let it work for a random moment after READY, SIGKILL it; return its lines."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.writer", str(basedir), str(seed)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    output = b""
    deadline = time.monotonic() + 60
    while b"READY\n" not in output:
        ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(proc.stdout.fileno(), 65536) if ready else b""
        if not chunk:
            proc.kill()
            raise AssertionError(f"writer did not start: {proc.communicate()[1].decode(errors='replace')}")
        output += chunk
    time.sleep(rng.uniform(0.0, 0.4))
    proc.send_signal(signal.SIGKILL)
    rest, _ = proc.communicate()
    assert proc.returncode == -signal.SIGKILL, "the writer must still be running when it is killed"
    return (output + rest).decode().splitlines()


def test_sigkill_at_random_points_loses_nothing_acknowledged(tmp_path: Path) -> None:
    base = tmp_path / "data"
    new_store(base).close()
    rng = random.Random(20261122)
    acked_answers: dict[str, str] = {}
    pending_answers: dict[str, set[str]] = defaultdict(set)
    acked_pages: dict[str, set[str]] = defaultdict(set)
    acked_submits: set[str] = set()
    acked_creates: set[str] = set()
    counts = {"kills": 0, "ack_lines": 0, "in_flight_at_kill": 0}
    for i in range(KILLS):
        lines = run_writer_until_killed(base, 1000 + i, rng)
        counts["kills"] += 1
        last_try: list[str] | None = None
        for line in lines:
            parts = line.split()
            if parts[0] == "TRY":
                last_try = parts
                if parts[1] == "answer":
                    pending_answers[parts[2]].add(parts[3])
            elif parts[0] == "ACK":
                counts["ack_lines"] += 1
                last_try = None
                kind = parts[1]
                if kind == "create":
                    acked_creates.add(parts[2])
                elif kind == "answer":
                    acked_answers[parts[2]] = parts[3]
                    pending_answers[parts[2]] = set()
                elif kind == "page":
                    acked_pages[parts[2]].add(parts[3])
                elif kind == "submit":
                    acked_submits.add(parts[2])
        counts["in_flight_at_kill"] += last_try is not None

    report = subprocess.run(
        [sys.executable, "-m", "app.admin.cli", "--basedir", str(base), "--user", SUPERVISOR[0], "--json", "verify"],
        cwd=ROOT,
        env={**os.environ, "LOKET_PASSWORD": SUPERVISOR[2]},
        capture_output=True,
        text=True,
        check=False,
    )
    assert report.returncode == 0, report.stdout + report.stderr
    assert json.loads(report.stdout)["ok"] is True

    store = Store.unlock(DataPaths(base), SUPERVISOR[0], SUPERVISOR[2])
    try:
        present = {a.client_id: a for a in Application.select()}
        assert acked_creates <= set(present)
        for client_id, expected in acked_answers.items():
            stored = apps.answers_of(present[client_id]).get("F-1.02")
            # The last acknowledged value, or a write that committed just before the kill (not yet acked).
            assert fingerprint(stored) in {expected, *pending_answers[client_id]}, client_id
        for client_id, digests in acked_pages.items():
            stored_pages = {
                p.blob_hash
                for p in Page.select()
                .join_from(Page, Page.document.rel_model)
                .where(Page.document.rel_model.application == present[client_id])
            }
            assert digests <= stored_pages
            for digest in digests:
                store.blobs.get(digest)
        for client_id in acked_submits:
            assert present[client_id].state == "submitted"
    finally:
        store.close()
    print(
        f"\ncrash consistency: {counts['kills']} SIGKILLs, {counts['ack_lines']} acknowledged writes, "
        f"{counts['in_flight_at_kill']} kills during a write, {len(acked_answers)} drafts, "
        f"{sum(len(d) for d in acked_pages.values())} pages, {len(acked_submits)} submits: all present, verify ok"
    )
    assert counts["kills"] >= 200
    assert counts["in_flight_at_kill"] >= 20, "too few kills landed during a write to mean anything"
