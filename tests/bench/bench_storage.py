"""Document upload goodput: S3-compatible object storage through the load balancer against the folder backend.

Several devices upload scanned documents at once in chunks through `PUT /v1/documents/{sha256}`, as the
client does on a good link, to: one real `loket-server serve` process (SQLite) storing to a folder (the
reference); the same process storing to `s3://bucket/prefix` on moto's S3 server on 127.0.0.1; and two
replicas (one worker each) on one PostgreSQL behind a real HAProxy, storing to that S3 server (issue 21's
budget: >= 90 % of the folder). Goodput is document bytes accepted per second; each setup runs twice,
alternately, best kept. Everything (server processes, PostgreSQL, HAProxy, moto, the load) shares this
machine's cores.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from tests.bench.bench_sync import BenchDevice, enrol_outposts
from tests.helpers import haproxy
from tests.helpers.dinas import DinasServer, free_port, start_server
from tests.helpers.pg import Postgres
from tests.helpers.s3 import S3Server

DEVICES = 4
DOCUMENTS_PER_DEVICE = 6
DOCUMENT_BYTES = 2 * 2**20
CHUNK_BYTES = 512 * 2**10
ROUNDS = 2
REPLICAS = 2
BUDGET = 0.90


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _upload_all(url: str, devices: list[BenchDevice], round_number: int) -> int:
    """Every device uploads its documents chunk by chunk, devices in parallel; the bytes accepted."""
    local = threading.local()

    def one_device(job: tuple[int, BenchDevice]) -> int:
        index, device = job
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        sent = 0
        for number in range(DOCUMENTS_PER_DEVICE):
            seed = f"{round_number}:{index}:{number}".encode()
            data = (hashlib.sha256(seed).digest() + os.urandom(96)) * (DOCUMENT_BYTES // 128)
            sha = hashlib.sha256(data).hexdigest()
            for offset in range(0, len(data), CHUNK_BYTES):
                answer = session.put(
                    f"{url}/v1/documents/{sha}",
                    params={"offset": offset, "size": len(data)},
                    data=data[offset : offset + CHUNK_BYTES],
                    headers={"Authorization": f"Bearer {device.secret}"},
                    timeout=60,
                )
                answer.raise_for_status()
            assert answer.json()["complete"], answer.text
            sent += len(data)
        return sent

    with ThreadPoolExecutor(DEVICES) as pool:
        return sum(pool.map(one_device, enumerate(devices)))


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) of a process and its children so far, from /proc."""
    total, queue, seen = 0.0, [pid], set()
    while queue:
        current = queue.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        queue.extend(int(child) for child in children)
    return total


def _cpu_of(pids: dict[str, int]) -> dict[str, float]:
    return {name: cpu_seconds(pid) for name, pid in pids.items()}


def _goodput(folder: Path, storage_url: str | None, round_number: int) -> tuple[float, float]:
    """Bytes per second one server process accepts, storing to a folder or to `storage_url`; its CPU per document."""
    extra = ("--storage", storage_url) if storage_url else ()
    server = start_server(folder, extra_args=extra)
    try:
        devices = enrol_outposts(server, DEVICES)
        assert server.process is not None
        before = cpu_seconds(server.process.pid)
        started = time.perf_counter()
        accepted = _upload_all(server.url, devices, round_number)
        seconds = time.perf_counter() - started
        return accepted / seconds, (cpu_seconds(server.process.pid) - before) / (DEVICES * DOCUMENTS_PER_DEVICE)
    finally:
        server.stop()


def _goodput_balanced(
    folder: Path, postgres: Postgres, storage_url: str, round_number: int, s3_pid: int
) -> tuple[float, dict[str, float]]:
    """Bytes per second two replicas on one PostgreSQL behind HAProxy accept, storing to `storage_url`."""
    folder.mkdir(parents=True, exist_ok=True)
    url = postgres.create_database(f"goodput_{round_number}")
    servers = [
        DinasServer(
            database_url=url,
            storage=folder / "documents",
            port=free_port(),
            log_path=folder / f"r{index}.log",
            extra_args=("--storage", storage_url),
        )
        for index in range(REPLICAS)
    ]
    balancer: haproxy.LoadBalancer | None = None
    try:
        for server in servers:
            server.start()
        balancer = haproxy.LoadBalancer(folder / "haproxy", [s.port for s in servers], check_ms=1000, fall=3).start()
        devices = enrol_outposts(servers[0], DEVICES)
        pids = {"replicas": 0, "S3 server": s3_pid, "HAProxy": balancer.process.pid if balancer.process else 0}
        before = _cpu_of(pids) | {"replicas": sum(cpu_seconds(s.process.pid) for s in servers if s.process)}
        started = time.perf_counter()
        accepted = _upload_all(balancer.url, devices, round_number)
        seconds = time.perf_counter() - started
        after = _cpu_of(pids) | {"replicas": sum(cpu_seconds(s.process.pid) for s in servers if s.process)}
        documents = DEVICES * DOCUMENTS_PER_DEVICE
        return accepted / seconds, {name: (after[name] - before[name]) / documents for name in pids}
    finally:
        if balancer is not None:
            balancer.stop()
        for server in servers:
            server.stop()


def goodput_rows(folder: Path) -> list[dict[str, object]]:
    """The S3 goodput, one process and through the balancer, as a share of the folder's, in one run."""
    s3 = S3Server(folder / "moto.log")
    s3.start()
    postgres = Postgres(durable=True).start()
    try:
        disk: list[tuple[float, float]] = []
        remote: list[tuple[float, float]] = []
        balanced: list[tuple[float, dict[str, float]]] = []
        for round_number in range(ROUNDS):
            disk.append(_goodput(folder / f"folder-{round_number}", None, round_number))
            local = folder / f"s3-{round_number}"
            with _environment({**s3.env(), "LOKET_SERVER_LOCAL_DIR": str(local / "documents")}):
                remote.append(_goodput(local, f"s3://{s3.new_bucket()}/loket/documents", round_number))
            local = folder / f"lb-{round_number}"
            with _environment({**s3.env(), "LOKET_SERVER_LOCAL_DIR": str(local / "documents")}):
                assert s3.process is not None
                balanced.append(
                    _goodput_balanced(
                        local, postgres, f"s3://{s3.new_bucket()}/loket/documents", round_number, s3.process.pid
                    )
                )
    finally:
        postgres.stop()
        s3.stop()
    (best_disk, disk_cpu), (best_s3, _) = max(disk), max(remote)
    best_balanced, cpu = max(balanced, key=lambda run: run[0])
    spent = ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in cpu.items())
    mib = 2**20
    return [
        {
            "measure": f"document upload goodput, folder backend (1 process, SQLite, {DEVICES} devices, "
            f"{CHUNK_BYTES // 1024} KiB chunks of {DOCUMENT_BYTES // mib} MiB documents)",
            "budget": "reference",
            "measured": f"{best_disk / mib:.1f} MiB/s (server CPU {disk_cpu * 1000:.0f} ms per document)",
            "ok": None,
        },
        {
            "measure": "document upload goodput to S3 (moto on 127.0.0.1), 1 process, vs the folder backend",
            "budget": "measured",
            "measured": f"{best_s3 / mib:.1f} MiB/s = {best_s3 / best_disk:.0%}",
            "ok": None,
        },
        {
            "measure": f"document upload goodput through HAProxy to S3: {REPLICAS} replicas (1 worker each) on "
            "one PostgreSQL, moto on 127.0.0.1, vs the folder backend",
            "budget": f">= {BUDGET:.0%} of the folder",
            "measured": f"{best_balanced / mib:.1f} MiB/s = {best_balanced / best_disk:.0%}",
            "ok": best_balanced / best_disk >= BUDGET,
        },
        {
            "measure": f"CPU per {DOCUMENT_BYTES // mib} MiB document uploaded through HAProxy to S3, by process "
            "(PostgreSQL not counted)",
            "budget": "info",
            "measured": spent,
            "ok": None,
        },
    ]


def run() -> list[dict[str, object]]:
    """The benchmark rows."""
    with tempfile.TemporaryDirectory(prefix="loket-bench-storage-") as tmp:
        return goodput_rows(Path(tmp))


if __name__ == "__main__":
    for row in run():
        print(row)
