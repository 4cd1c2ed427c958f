"""Sync benchmarks: goodput over an emulated EDGE link, bytes re-sent after a cut mid-document, the time to
sync a day's queue, and server intake with 236 simulated outposts on PostgreSQL (real uvicorn, real links).

The EDGE rows drive the real client (`enrol` makes the device's key, `SyncClient` signs every package). The
intake's outposts each have their own Ed25519 key and sign their packages with the client's `Signer`, and
each uploads its own copies of the documents it cites (documents are per outpost), before the measure.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import random
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from app.demo.people import PeopleGenerator
from app.store import applications as apps
from app.store.models import OutboxItem
from app.store.store import Store
from sync.client import SyncClient, enrol
from sync.client.pacing import KIB
from sync.client.package import Signer, build_package
from sync.protocol import ApplicationPackage, BatchRequest, EnrolRequest
from sync.server import auth
from tests.helpers.dinas import DinasServer, start_server
from tests.helpers.linkemu import LinkEmulator, LinkProfile
from tests.helpers.pg import Postgres
from tests.helpers.stores import new_store
from tests.integration.sync.cases import clean_case, draft_from_case

EDGE = LinkProfile.edge()
LINK_RATE = EDGE.bandwidth  # bytes/s
DAY_APPLICATIONS = 5
PAGES_PER_APPLICATION = 5
PAGE_SIZES = (40_000, 120_000)  # scanned text pages to photo pages (DESIGN: <= 60 KB and <= 150 KB)
CUT_DOCUMENT = 640 * KIB
OUTPOSTS = 236
APPLICATIONS_PER_OUTPOST = 5
LOAD_THREADS = 24


def day_queue(store: Store, rng: random.Random) -> int:
    """A day's work at an outpost: 5 complete applications of 5 pages each; returns their bytes."""
    people = PeopleGenerator(77)
    total = made = 0
    while made < DAY_APPLICATIONS:
        application = draft_from_case(store, clean_case(people, rng), rng, PAGE_SIZES)
        documents = apps.pages_of(application)
        pages = [page for _, doc_pages in documents for page in doc_pages]
        if len(pages) > PAGES_PER_APPLICATION:
            continue  # a service with more documents than a typical day's case: left as a draft
        while len(pages) < PAGES_PER_APPLICATION:
            data = os.urandom(rng.randint(*PAGE_SIZES))
            pages.append(
                apps.attach_page(store, application, documents[0][0].requirement_id, data, media_type="image/jpeg")
            )
        total += sum(p.size for p in pages)
        apps.submit(store, application)
        made += 1
    return total


def edge_rows(folder: Path) -> list[dict[str, object]]:
    """Goodput and the day's queue over EDGE, then a cut in the middle of a large document."""
    server = start_server(folder / "server")
    emulator = LinkEmulator(server.port, LinkProfile(), seed=1).start()
    store = new_store(folder / "outpost")
    rng = random.Random(2026)
    try:
        enrol(store, emulator.url, server.add_outpost("35.21.01.2001", "Desa Sukamaju"), "Laptop Desa")
        SyncClient(store).run_once()  # first contact (catalogue check) outside the measure
        document_bytes = day_queue(store, rng)
        emulator.set_profile(EDGE)
        started = time.perf_counter()
        report = SyncClient(store).run_once()
        seconds = time.perf_counter() - started
        assert report.accepted == DAY_APPLICATIONS, report
        goodput = document_bytes / seconds / LINK_RATE

        # One application with a large document (a multi-page PDF import); the link drops in its middle.
        application = draft_from_case(store, clean_case(PeopleGenerator(78), rng), rng, (2000, 3000))
        requirement = apps.pages_of(application)[0][0].requirement_id
        apps.attach_page(store, application, requirement, os.urandom(CUT_DOCUMENT), media_type="application/pdf")
        apps.submit(store, application)
        emulator.schedule_cut(CUT_DOCUMENT // 2 + 20_000)  # the small pages go first: the cut lands mid-document
        cut_client = SyncClient(store, parallel_uploads=1)
        cut_report = cut_client.run_once()
        assert cut_report.accepted == 1 and emulator.faults["cut"] == 1, cut_report
        chunk = cut_client.transport.link.chunk_size() if cut_client.transport is not None else 0
    finally:
        store.close()
        emulator.stop()
        server.stop()
    return [
        {
            "measure": "sync goodput over emulated EDGE (200 kbit/s, 840 ms RTT), a day's queue",
            "budget": ">= 80 % of link rate",
            "measured": f"{goodput * 100:.1f} % ({document_bytes / seconds / 1000:.1f} of {LINK_RATE / 1000:.1f} kB/s)",
            "ok": goodput >= 0.80,
        },
        {
            "measure": "bytes re-sent after a cut in the middle of a document (EDGE)",
            "budget": "<= one chunk",
            "measured": f"{cut_report.bytes_resent / KIB:.0f} KiB: the torn chunk, {emulator.cut_body_bytes / KIB:.0f} "
            f"KiB of which had crossed the link (chunk {chunk // KIB} KiB)",
            "ok": cut_report.bytes_resent <= chunk,
        },
        {
            "measure": f"time to sync a day's queue ({DAY_APPLICATIONS} applications x {PAGES_PER_APPLICATION} "
            f"pages, {document_bytes / 1e6:.2f} MB) over EDGE",
            "budget": f"info (the bytes alone take {document_bytes / LINK_RATE:.0f} s at link rate)",
            "measured": f"{seconds:.1f} s",
            "ok": None,
        },
    ]


# -- intake -------------------------------------------------------------------------------------------------
def intake_packages(folder: Path, count: int) -> tuple[list[ApplicationPackage], dict[str, bytes]]:
    """`count` valid packages made from a few real applications (new ids each), and their page bytes."""
    store = new_store(folder / "templates")
    rng = random.Random(9)
    people = PeopleGenerator(9)
    templates: list[ApplicationPackage] = []
    blobs: dict[str, bytes] = {}
    try:
        for _ in range(20):
            application = draft_from_case(store, clean_case(people, rng), rng, (3000, 6000))
            apps.submit(store, application)
            package = build_package(OutboxItem.get(OutboxItem.application == application))
            templates.append(package)
            blobs.update({sha: store.blobs.get(sha) for sha, _ in package.document_refs()})
    finally:
        store.close()
    packages = [
        templates[i % len(templates)].model_copy(update={"item_id": str(uuid.uuid4()), "client_id": str(uuid.uuid4())})
        for i in range(count)
    ]
    return packages, blobs


@dataclass(frozen=True)
class BenchDevice:
    """One simulated outpost's laptop: its bearer secret and its package signer (made as `enrol` makes them)."""

    secret: str
    signer: Signer


def enrol_outposts(server: DinasServer, count: int) -> list[BenchDevice]:
    """`count` outposts with one enrolled device each, each with its own Ed25519 key.

    The devices are registered by the server's own enrolment code on its database, as `loket-server`
    administration commands act on it: over HTTP, enrolment is rate-limited per client address (20 in
    10 minutes), and every simulated outpost here comes from 127.0.0.1.
    """
    devices = []
    for index in range(count):
        code = server.add_outpost(f"35.21.{index // 100 + 1:02d}.{2001 + index % 100}", f"Desa {index}")
        key = Ed25519PrivateKey.generate()
        private = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        secret = f"bench-{index:04d}-" + "x" * 32
        auth.enrol(
            EnrolRequest(
                code=code,
                device_id=str(uuid.uuid4()),
                device_secret=secret,
                device_name=f"L{index}",
                public_key=base64.b64encode(public).decode("ascii"),
            )
        )
        devices.append(BenchDevice(secret, Signer(private)))
    return devices


def upload_own_copies(
    url: str, jobs: list[tuple[BenchDevice, list[ApplicationPackage]]], blobs: dict[str, bytes]
) -> int:
    """Each outpost uploads every document its packages cite (documents are per outpost); returns the uploads."""
    local = threading.local()

    def upload(job: tuple[BenchDevice, list[ApplicationPackage]]) -> int:
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        device, packages = job
        hashes = sorted({sha for package in packages for sha, _ in package.document_refs()})
        for sha in hashes:
            data = blobs[sha]
            answer = session.put(
                f"{url}/v1/documents/{sha}",
                params={"offset": 0, "size": len(data)},
                data=data,
                headers={"Authorization": f"Bearer {device.secret}"},
                timeout=60,
            )
            answer.raise_for_status()
        return len(hashes)

    with ThreadPoolExecutor(LOAD_THREADS) as pool:
        return sum(pool.map(upload, jobs))


def intake_row(folder: Path) -> dict[str, object]:
    """Applications per second the server takes in from 236 outposts at once, on PostgreSQL."""
    postgres = Postgres(durable=True).start()
    server = start_server(folder / "intake", postgres.create_database("intake"), workers=2)
    try:
        devices = enrol_outposts(server, OUTPOSTS)
        packages, blobs = intake_packages(folder, OUTPOSTS * APPLICATIONS_PER_OUTPOST)
        # Each device signs its own packages, as the client's Signer does before a batch.
        jobs = [
            (
                device,
                [
                    device.signer.sign(package)
                    for package in packages[i * APPLICATIONS_PER_OUTPOST : (i + 1) * APPLICATIONS_PER_OUTPOST]
                ],
            )
            for i, device in enumerate(devices)
        ]
        upload_own_copies(server.url, jobs, blobs)
        bodies = [
            (
                device.secret,
                BatchRequest(
                    batch_id=str(uuid.uuid4()), device_time=dt.datetime(2026, 11, 22, 8, 0), items=signed
                ).model_dump_json(),
            )
            for device, signed in jobs
        ]
        local = threading.local()
        outcomes: list[str] = []
        refused: list[str] = []

        def send(job: tuple[str, str]) -> None:
            session = getattr(local, "session", None) or requests.Session()
            local.session = session
            token, body = job
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            answer = session.post(f"{server.url}/v1/batches", data=body, timeout=120, headers=headers)
            answer.raise_for_status()
            for result in json.loads(answer.content)["results"]:
                outcomes.append(result["outcome"])
                if result["outcome"] != "accepted":
                    refused.append(f"{result['outcome']}: {result['reasons'][:2]}")

        started = time.perf_counter()
        with ThreadPoolExecutor(LOAD_THREADS) as pool:
            list(pool.map(send, bodies))
        seconds = time.perf_counter() - started
    finally:
        server.stop()
        postgres.stop()
    accepted = outcomes.count("accepted")
    rate = accepted / seconds
    load = os.getloadavg()[0]
    return {
        "measure": f"server intake, {OUTPOSTS} outposts at once, PostgreSQL, 2 workers "
        f"({accepted} applications, signed and re-validated)",
        "budget": ">= 100 applications/s",
        "measured": f"{rate:.0f} applications/s (load average {load:.1f} on {os.cpu_count()} cores)"
        + (f"; {len(refused)} not accepted, e.g. {refused[0]}" if refused else ""),
        "ok": rate >= 100 and accepted == len(packages),
    }


def run() -> list[dict[str, object]]:
    """All sync measures."""
    with tempfile.TemporaryDirectory(prefix="loket-bench-sync-") as tmp:
        folder = Path(tmp)
        rows = edge_rows(folder)
        rows.append(intake_row(folder))
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
