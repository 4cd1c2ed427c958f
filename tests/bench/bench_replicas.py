"""Intake with several server replicas behind HAProxy on one PostgreSQL (issue 21): the figure per replica.

The same load as the single-process intake row of bench_sync (236 outposts at once, each one batch of
signed packages whose documents are already uploaded), sent to: one `loket-server serve` process
(one worker) directly, then 2 and 3 replica processes (one worker each, one shared document folder)
behind a real HAProxy. Everything (PostgreSQL, replicas, HAProxy, the load) shares this machine's cores.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from sync.protocol import ApplicationPackage, BatchRequest
from tests.bench.bench_sync import (
    APPLICATIONS_PER_OUTPOST,
    LOAD_THREADS,
    OUTPOSTS,
    enrol_outposts,
    intake_packages,
    upload_own_copies,
)
from tests.helpers import haproxy
from tests.helpers.dinas import DinasServer, free_port
from tests.helpers.pg import Postgres

# (label, replica processes, uvicorn workers each, behind HAProxy)
SETUPS = (
    ("single", 1, 2, False),  # today's single-process figure: one `serve --workers 2`, as in bench_sync
    ("r1", 1, 1, True),
    ("r2", 2, 1, True),
    ("r3", 3, 1, True),
)


def intake_rate(
    folder: Path,
    postgres: Postgres,
    setup: tuple[str, int, int, bool],
    templates: list[ApplicationPackage],
    blobs: dict[str, bytes],
) -> tuple[float, int]:
    """Applications per second taken in by one setup (replicas, workers each, balanced or direct)."""
    label, replicas, workers, balanced = setup
    folder.mkdir(parents=True, exist_ok=True)
    url = postgres.create_database(f"replicas_{label}")
    servers = [
        DinasServer(
            database_url=url,
            storage=folder / "documents",
            port=free_port(),
            log_path=folder / f"r{i}.log",
            workers=workers,
        )
        for i in range(replicas)
    ]
    balancer: haproxy.LoadBalancer | None = None
    try:
        for server in servers:
            server.start()
        if balanced:
            balancer = haproxy.LoadBalancer(
                folder / "haproxy", [s.port for s in servers], check_ms=1000, fall=3
            ).start()
        base = balancer.url if balancer else servers[0].url
        devices = enrol_outposts(servers[0], OUTPOSTS)
        count = APPLICATIONS_PER_OUTPOST
        jobs = [
            (
                device,
                [
                    device.signer.sign(
                        templates[(i * count + j) % len(templates)].model_copy(
                            update={"item_id": str(uuid.uuid4()), "client_id": str(uuid.uuid4())}
                        )
                    )
                    for j in range(count)
                ],
            )
            for i, device in enumerate(devices)
        ]
        upload_own_copies(base, jobs, blobs)
        bodies = [
            (
                device.secret,
                BatchRequest(
                    batch_id=str(uuid.uuid4()), device_time=dt.datetime(2026, 12, 6, 8), items=items
                ).model_dump_json(),
            )
            for device, items in jobs
        ]
        local = threading.local()
        accepted: list[int] = []
        unavailable: list[str] = []

        def send(job: tuple[str, str]) -> None:
            session = getattr(local, "session", None) or requests.Session()
            local.session = session
            token, body = job
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            for _ in range(50):  # an outpost sends a batch refused with 503 again, with the same id
                answer = session.post(f"{base}/v1/batches", data=body, timeout=120, headers=headers)
                if answer.status_code != 503:
                    break
                unavailable.append(answer.text[:120])
                time.sleep(0.2)
            answer.raise_for_status()
            accepted.append(sum(r["outcome"] == "accepted" for r in json.loads(answer.content)["results"]))

        started = time.perf_counter()
        with ThreadPoolExecutor(LOAD_THREADS) as pool:
            list(pool.map(send, bodies))
        seconds = time.perf_counter() - started
    finally:
        if balancer is not None:
            balancer.stop()
        for server in servers:
            server.stop()
    if unavailable:
        print(f"{label}: {len(unavailable)} answers 503, e.g. {unavailable[0]!r}")
    return sum(accepted) / seconds, sum(accepted)


def run() -> list[dict[str, object]]:
    """The single-process figure, then 1, 2 and 3 replicas behind HAProxy; 2 replicas must match one process."""
    if not haproxy.available():
        return [{"measure": "intake with replicas", "budget": "-", "measured": "haproxy not installed", "ok": False}]
    expected = OUTPOSTS * APPLICATIONS_PER_OUTPOST
    rates: dict[str, float] = {}
    complete: dict[str, bool] = {}
    with tempfile.TemporaryDirectory(prefix="loket-bench-replicas-") as tmp:
        folder = Path(tmp)
        templates, blobs = intake_packages(folder / "templates", 20)
        postgres = Postgres(durable=True).start()
        try:
            for setup in SETUPS:
                rate, accepted = intake_rate(folder / setup[0], postgres, setup, templates, blobs)
                rates[setup[0]], complete[setup[0]] = rate, accepted == expected
        finally:
            postgres.stop()
    single = rates["single"]
    cores = os.cpu_count()
    per_replica = ", ".join(f"{n}: {rates[f'r{n}']:.0f}/s" for n in (1, 2, 3))
    added = f"2nd {rates['r2'] - rates['r1']:+.0f}/s, 3rd {rates['r3'] - rates['r2']:+.0f}/s"
    return [
        {
            "measure": f"server intake, 2 replicas (1 worker each) behind HAProxy, one PostgreSQL, {OUTPOSTS} outposts "
            f"at once, vs one `serve --workers 2` directly ({expected} applications each)",
            "budget": ">= the single-process figure",
            "measured": f"{rates['r2']:.0f} vs {single:.0f} applications/s ({rates['r2'] / single:.2f}x) "
            f"on {cores} cores",
            "ok": rates["r2"] >= single and all(complete.values()),
        },
        {
            "measure": "server intake per replica behind HAProxy (1 worker each; PostgreSQL, balancer and load "
            "share the same cores)",
            "budget": "measured",
            "measured": f"{per_replica} (added replica {added})",
            "ok": all(complete.values()),
        },
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
