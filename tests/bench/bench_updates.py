"""Update benchmarks (issue 19): a typical fix as a patch, its apply time, its download over EDGE.

A stand-in release is built like a real one, at a real one's shape: three programs, each carrying the
Python code as a zlib-compressed archive (PyInstaller's PYZ: ~3,000 modules), and native libraries;
the typical fix changes three modules. tufup packs the releases and makes the patches (the tools
`loket-server updates publish` uses); the laptop's side is app.updates.Updater against a real
`loket-server serve --updates`, through the project's EDGE link emulator for the download.

The typical fix's patch is a few kB: over EDGE its download is one round trip, so its goodput says
nothing about the link. The goodput row downloads a bigger fix (three more modules and a rebuilt
1.5 MB native library), whose patch is near the 2 MB budget.
"""

from __future__ import annotations

import random
import shutil
import struct
import tempfile
import time
import zlib
from pathlib import Path

import requests

from app.updates.policy import Policy, Release
from app.updates.state import UpdateHome
from app.updates.updater import PLATFORM, Updater
from sync.client.pacing import Backoff
from sync.server import updates
from tests.helpers.dinas import start_server
from tests.helpers.linkemu import LinkEmulator, LinkProfile

PATCH_BUDGET = 2 * 2**20
APPLY_BUDGET_S = 30.0
GOODPUT_BUDGET = 0.80
MODULES = 3000
LIBRARIES = 30 * 2**20
REBUILT_LIBRARY = 1_500_000
PROGRAMS = ("loket", "loket-admin", "loket-server")


def module_source(number: int, fixed_in: str = "") -> bytes:
    rng = random.Random(number)
    lines = [
        f"def f_{number}_{k}(x):\n    return x * {rng.randint(1, 999)} + {rng.randint(1, 999)}\n" for k in range(40)
    ]
    if fixed_in:
        lines.append(f"FIXED_IN = {fixed_in!r}\n")
    return "".join(lines).encode()


def pyz(version: str, changed: set[int]) -> bytes:
    """Modules compressed one by one, then a table of contents (names, offsets), as a PYZ is laid out."""
    body = bytearray()
    toc = bytearray()
    for number in range(MODULES):
        data = zlib.compress(module_source(number, version if number in changed else ""), 9)
        toc += struct.pack("<III", number, len(body), len(data))
        body += data
    return bytes(body + toc + struct.pack("<I", len(toc)))


def make_release(folder: Path, version: str, changed: set[int], rebuilt: bool = False) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    internal = folder / "_internal"
    internal.mkdir(parents=True)
    rng = random.Random(19)
    for index in range(6):  # the same native libraries in every release
        (internal / f"lib{index}.so").write_bytes(rng.randbytes(LIBRARIES // 6))
    (internal / "libfixed.so").write_bytes(random.Random(version if rebuilt else "same").randbytes(REBUILT_LIBRARY))
    code = pyz(version, changed)
    for program in PROGRAMS:
        (folder / program).write_bytes(b"\x7fELF-bootloader" + bytes(4096) + code)
    return folder


def run() -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory(prefix="loket-bench-updates-") as scratch:
        base = Path(scratch)
        repo, keys, served = base / "repo", base / "keys", base / "served"
        updates.init_repository(repo, keys)
        started = time.perf_counter()
        updates.publish(repo, keys, make_release(base / "b1", "1.0.0", set()), "1.0.0")
        updates.publish(repo, keys, make_release(base / "b2", "1.0.1", {17, 1402, 2999}), "1.0.1")
        publish_seconds = time.perf_counter() - started
        bigger = make_release(base / "b3", "1.0.2", {17, 1402, 2999, 5, 600, 2000}, rebuilt=True)
        updates.publish(repo, keys, bigger, "1.0.2")
        for name in ("metadata", "targets"):
            shutil.copytree(repo / name, served / PLATFORM / name)
        published = updates.published_targets(repo)
        patch_size = published["loket-1.0.1.patch"]["length"]
        archive_size = published["loket-1.0.1.tar.gz"]["length"]

        server = start_server(base / "server", extra_args=("--updates", str(served)))
        link = LinkEmulator(server.port, LinkProfile.edge(), seed=19).start()
        try:
            home = UpdateHome(base / "laptop")
            home.ensure()
            shutil.copyfile(repo / "targets" / "loket-1.0.0.tar.gz", home.targets / "loket-1.0.0.tar.gz")
            # The typical fix: 1.0.0 -> 1.0.1 (only 1.0.1 rolled out), downloaded and applied.
            updater = laptop(home, link.url, "1.0.0", repo)
            offer = updater.check(Policy(releases={"1.0.1": Release(share=100)}))
            assert offer is not None and offer.patch and offer.version == "1.0.1"
            updater.download(offer)
            started = time.perf_counter()
            folder = updater.stage(offer)
            apply_seconds = time.perf_counter() - started
            unpacked = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
            # The bigger fix, from the laptop now on 1.0.1: its download over EDGE.
            state = home.load()
            state.active, state.pending = "1.0.1", None
            home.save(state)
            updater = laptop(home, link.url, "1.0.1", repo)
            offer = updater.check(Policy(releases={"1.0.2": Release(share=100)}))
            assert offer is not None and offer.patch and offer.files == ("loket-1.0.2.patch",)
            started = time.perf_counter()
            updater.download(offer)
            download_seconds = time.perf_counter() - started
            big_patch = offer.download_bytes
        finally:
            link.stop()
            server.stop()
    rate = LinkProfile.edge().bandwidth
    goodput = big_patch / download_seconds / rate
    return [
        {
            "measure": "update: a typical fix (3 changed modules of 3,000, in 3 programs) as a tufup patch",
            "budget": f"<= {PATCH_BUDGET / 2**20:.0f} MB",
            "measured": f"{patch_size / 1000:.1f} kB (full archive {archive_size / 2**20:.1f} MB; "
            f"publishing two releases {publish_seconds:.0f} s)",
            "ok": patch_size <= PATCH_BUDGET,
        },
        {
            "measure": "update: that patch applied on the laptop (bsdiff, signed-hash check, unpack)",
            "budget": f"<= {APPLY_BUDGET_S:.0f} s",
            "measured": f"{apply_seconds:.1f} s ({unpacked / 2**20:.0f} MB unpacked)",
            "ok": apply_seconds <= APPLY_BUDGET_S,
        },
        {
            "measure": "update: patch download over emulated EDGE (200 kbit/s, 840 ms RTT), resumable, TUF-verified",
            "budget": f">= {GOODPUT_BUDGET * 100:.0f} %",
            "measured": f"{goodput * 100:.1f} % (a fix with a rebuilt library: {big_patch / 1000:.0f} kB "
            f"in {download_seconds:.1f} s)",
            "ok": goodput >= GOODPUT_BUDGET,
        },
    ]


def laptop(home: UpdateHome, url: str, current: str, repo: Path) -> Updater:
    return Updater(
        home,
        url,
        current,
        session=requests.Session(),
        backoff=Backoff(),
        outpost="bench",
        root_json=repo / "metadata" / "root.json",
    )


if __name__ == "__main__":
    for row in run():
        print(row)
