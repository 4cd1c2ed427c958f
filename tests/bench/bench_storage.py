"""Document upload goodput: S3-compatible object storage against the single-process folder backend.

The same real `loket-server serve` (one process, SQLite) takes the same uploads, once with `--storage`
a folder and once with `--storage s3://bucket/prefix` on moto's S3 server on 127.0.0.1: several devices
upload scanned documents at once in chunks through `PUT /v1/documents/{sha256}`, as the client does on a
good link. Goodput is document bytes accepted per second; each backend runs twice, alternately, best kept.
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
from tests.helpers.dinas import start_server
from tests.helpers.s3 import S3Server

DEVICES = 4
DOCUMENTS_PER_DEVICE = 6
DOCUMENT_BYTES = 2 * 2**20
CHUNK_BYTES = 512 * 2**10
ROUNDS = 2
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


def _goodput(folder: Path, storage_url: str | None, round_number: int) -> float:
    """Bytes per second one server process accepts, storing to a folder or to `storage_url`."""
    extra = ("--storage", storage_url) if storage_url else ()
    server = start_server(folder, extra_args=extra)
    try:
        devices = enrol_outposts(server, DEVICES)
        started = time.perf_counter()
        accepted = _upload_all(server.url, devices, round_number)
        return accepted / (time.perf_counter() - started)
    finally:
        server.stop()


def goodput_rows(folder: Path) -> list[dict[str, object]]:
    """The S3 goodput as a share of the folder's, measured in one run."""
    s3 = S3Server(folder / "moto.log")
    s3.start()
    try:
        disk: list[float] = []
        remote: list[float] = []
        for round_number in range(ROUNDS):
            disk.append(_goodput(folder / f"folder-{round_number}", None, round_number))
            bucket = s3.new_bucket()
            local = folder / f"s3-{round_number}"
            with _environment({**s3.env(), "LOKET_SERVER_LOCAL_DIR": str(local / "documents")}):
                remote.append(_goodput(local, f"s3://{bucket}/loket/documents", round_number))
    finally:
        s3.stop()
    best_disk, best_s3 = max(disk), max(remote)
    share = best_s3 / best_disk
    mib = 2**20
    return [
        {
            "measure": "document upload goodput, folder backend (1 process, 4 devices, 512 KiB chunks)",
            "budget": "reference",
            "measured": f"{best_disk / mib:.1f} MiB/s",
            "ok": None,
        },
        {
            "measure": "document upload goodput to S3 (moto on 127.0.0.1) vs the folder backend",
            "budget": f">= {BUDGET:.0%} of the folder",
            "measured": f"{best_s3 / mib:.1f} MiB/s = {share:.0%}",
            "ok": share >= BUDGET,
        },
    ]


def run() -> list[dict[str, object]]:
    """The benchmark rows."""
    with tempfile.TemporaryDirectory(prefix="loket-bench-storage-") as tmp:
        return goodput_rows(Path(tmp))


if __name__ == "__main__":
    for row in run():
        print(row)
