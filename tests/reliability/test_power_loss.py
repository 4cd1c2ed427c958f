"""Power loss: the real store on a FUSE filesystem that loses everything not flushed when the power is cut.

Each cycle boots the "laptop" (mounts tests.helpers.powerfs over the data folder), starts a worker
that opens the store, runs the full verification and checks every write acknowledged before the
earlier cuts, then saves answers, attaches pages, submits, writes backups and acknowledges sync
items until it is SIGKILLed at a random moment; then the power is cut (unmount: unflushed file
contents, creates, renames and unlinks whose directory was not fsynced are lost). `loket-admin
verify` itself runs every 10th boot and at the end. A fresh installation starts every 25 cuts,
so the checks stay fast. 100 cuts in the suite; `make powerloss` (LOKET_POWERLOSS_CUTS=1000) runs more.
See docs/durability.md for what this does and does not simulate.
"""

from __future__ import annotations

import json
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.stores import SUPERVISOR, new_store
from tests.reliability.writer import fingerprint

pytest.importorskip("mfusepy", reason="the power-loss filesystem needs mfusepy (dev extra) and libfuse3")
from tests.helpers.powerfs import Mounted, fuse_unavailable

CUTS = int(os.environ.get("LOKET_POWERLOSS_CUTS", "100"))
EPOCH = 25
CLI_EVERY = 10
NO_ANSWERS = fingerprint(None)
ROOT = Path(__file__).resolve().parents[2]
AIMED = ("answer", "answer", "page", "submit", "syncack", "backup")


def fresh_expectations() -> dict[str, Any]:
    return {"creates": [], "answers": {}, "pages": {}, "submits": [], "syncacks": [], "backups": []}


def run_worker(basedir: Path, expected_file: Path, seed: int, rng: random.Random) -> tuple[list[str], bool]:
    """Boot: the worker checks the store, works, and is SIGKILLed at a random moment; return its lines."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.powerloss_worker", str(basedir), str(expected_file), str(seed)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    output = b""
    deadline = time.monotonic() + 120
    while b"READY\n" not in output and b"CHECK FAIL" not in output:
        ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(proc.stdout.fileno(), 65536) if ready else b""
        if not chunk:
            break
        output += chunk
    killed = False
    if b"READY\n" in output:
        if rng.random() < 0.5:
            time.sleep(rng.uniform(0.0, 0.5))  # any moment
        else:
            # Aim at a write of one kind: a moment (0-4 ms) after its k-th TRY line, so the fast
            # ones (an answer save takes a few ms) are cut in flight too.
            output = wait_for_try(proc, output, rng.choice(AIMED), rng.randrange(3), time.monotonic() + 3)
            time.sleep(rng.uniform(0.0, 0.004))
        proc.send_signal(signal.SIGKILL)
        killed = True
    rest, err = proc.communicate(timeout=120)
    lines = (output + rest).decode().splitlines()
    failed = [line for line in lines if line.startswith("CHECK FAIL")]
    assert not failed, failed[0] + "\n" + err.decode(errors="replace")[-3000:]
    if killed:
        assert proc.returncode == -signal.SIGKILL, "the worker must still be running when the power goes"
    else:
        assert proc.returncode == 0, err.decode(errors="replace")[-3000:]
    return lines, killed


def wait_for_try(proc: subprocess.Popen[bytes], seen: bytes, kind: str, skip: int, deadline: float) -> bytes:
    """Read until the worker printed its (skip+1)-th `TRY kind` after READY (or the deadline); return all read."""
    assert proc.stdout is not None
    marker = f"TRY {kind}".encode()
    while seen.split(b"READY\n", 1)[1].count(marker) <= skip and time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(proc.stdout.fileno(), 65536) if ready else b""
        if not chunk:
            break
        seen += chunk
    return seen


def record(lines: list[str], expected: dict[str, Any], in_flight: Counter[str]) -> int:
    """Fold the worker's acknowledgements into the expectations; count the write cut short. Return acks."""
    last_try: list[str] | None = None
    acks = 0
    for line in lines:
        parts = line.split()
        if parts[0] == "TRY":
            last_try = parts
            if parts[1] == "answer":
                # A draft's first save cut short may leave it with no answers at all.
                expected["answers"].setdefault(parts[2], [NO_ANSWERS]).append(parts[3])
        elif parts[0] == "ACK":
            acks += 1
            last_try = None
            kind, args = parts[1], parts[2:]
            if kind == "create":
                expected["creates"].append(args[0])
            elif kind == "answer":
                # From now on: this value, or a later one whose write may have committed before a cut.
                expected["answers"][args[0]] = [args[1]]
            elif kind == "page":
                expected["pages"].setdefault(args[0], []).append(args[1])
            elif kind == "submit":
                expected["submits"].append(args[0])
            elif kind == "syncack":
                expected["syncacks"].append(args)
            elif kind == "backup":
                expected["backups"].append(args[0])
    if last_try is not None:
        in_flight[last_try[1]] += 1
    return acks


def cli_verify(basedir: Path) -> None:
    """`loket-admin verify` as an officer would run it."""
    report = subprocess.run(
        [sys.executable, "-m", "app.admin.cli", "--basedir", str(basedir), "--user", SUPERVISOR[0], "--json", "verify"],
        cwd=ROOT,
        env={**os.environ, "LOKET_PASSWORD": SUPERVISOR[2]},
        capture_output=True,
        text=True,
        check=False,
    )
    assert report.returncode == 0, report.stdout + report.stderr
    assert json.loads(report.stdout)["ok"] is True, report.stdout


def test_power_cuts_lose_nothing_reported_saved(tmp_path: Path) -> None:
    reason = fuse_unavailable()
    if reason:
        pytest.skip(f"FUSE unavailable: {reason}")
    backing, shadow, mount = tmp_path / "disk", tmp_path / "durable", tmp_path / "mnt"
    expected_file = tmp_path / "expected.json"
    rng = random.Random(int(os.environ.get("LOKET_POWERLOSS_SEED", "20261206")))
    in_flight: Counter[str] = Counter()
    totals = Counter[str]()
    started = time.monotonic()
    expected = fresh_expectations()

    def boot(seed: int) -> tuple[list[str], bool, dict[str, int]]:
        expected_file.write_text(json.dumps(expected))
        fs = Mounted(backing, shadow, mount)
        try:
            if seed < 0 or seed % CLI_EVERY == 0:
                cli_verify(mount)
            lines, killed = run_worker(mount, expected_file, seed, rng)
        finally:
            counters = fs.cut()
        return lines, killed, counters

    for cut in range(CUTS):
        if cut % EPOCH == 0:
            if cut:
                boot(-1)  # the epoch's last check, then a new installation
            shutil.rmtree(backing, ignore_errors=True)
            new_store(backing).close()
            expected = fresh_expectations()
            history: list[tuple[int, str]] = []
            totals["installations"] += 1
        try:
            lines, killed, counters = boot(cut)
        except AssertionError as exc:
            # The installation's history of the writes the failure names, to tell a lost write from a test bug.
            words = {w.strip("[]',:") for w in str(exc).split()}
            related = [f"boot {n}: {line}" for n, line in history if words & set(line.split())]
            raise AssertionError(f"cut {cut}: {exc}\n" + "\n".join(related[-40:])) from None
        history.extend((cut, line) for line in lines if line.startswith(("TRY", "ACK")))
        assert killed
        totals["cuts"] += 1
        totals["acks"] += record(lines, expected, in_flight)
        totals.update({k: v for k, v in counters.items() if k in ("fsyncs", "dir_fsyncs")})
    boot(-1)
    elapsed = time.monotonic() - started
    print(
        f"\npower loss: {totals['cuts']} cuts in {elapsed:.0f} s over {totals['installations']} installations, "
        f"{totals['acks']} acknowledged writes, {totals['fsyncs']} fsyncs, {totals['dir_fsyncs']} directory fsyncs; "
        f"cut during a write: {dict(sorted(in_flight.items()))}; all present after every cut, verify ok"
    )
    assert totals["cuts"] == CUTS
    if CUTS >= 1000:
        for kind in ("answer", "page", "submit", "syncack", "backup"):
            assert in_flight[kind] >= 10, f"too few cuts during {kind}: {dict(in_flight)}"
