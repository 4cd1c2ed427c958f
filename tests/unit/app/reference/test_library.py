"""The versions an outpost keeps: the newest for new applications, every one for its own applications,
and a switch that a crash or a bad bundle cannot half-do."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from app.catalog import load_catalog
from app.reference import ReferenceLibrary, bundle, signing
from app.reference.bundle import BundleError, SignedBundle, open_signed
from app.reference.library import folder_name
from tests.helpers.reference import NEW_FORM_VERSION, catalogue_version

KEY = signing.new_private_key()


def signed(folder: Path, version: str, sequence: int) -> bytes:
    files = bundle.data_files(catalogue_version(folder, version))
    return bundle.build(files, sequence=sequence, catalog_version=version, forms=[], private_key=KEY)


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[int, bytes]:
    base = tmp_path_factory.mktemp("versions")
    return {1: signed(base / "1", "2027.01-1", 1), 2: signed(base / "2", "2027.02-1", 2)}


def opened(data: bytes) -> SignedBundle:
    return open_signed(data, signing.public_key_of(KEY))


def test_without_versions_from_the_dinas_the_shipped_catalogue_is_used(tmp_path: Path) -> None:
    library = ReferenceLibrary(tmp_path / "reference")
    assert library.newest().sequence == 0
    assert library.newest().version == load_catalog().version
    assert library.get("").catalog is load_catalog()


def test_the_newest_is_used_for_new_applications_and_every_version_stays(
    tmp_path: Path, bundles: dict[int, bytes]
) -> None:
    library = ReferenceLibrary(tmp_path / "reference")
    library.install(opened(bundles[1]))
    library.install(opened(bundles[2]))
    assert library.newest().version == "2027.02-1"
    assert library.get("2027.01-1").sequence == 1
    assert library.get(load_catalog().version).sequence == 0
    assert library.newest().forms.get("F-1.02").key == f"F-1.02@{NEW_FORM_VERSION}"
    assert [v[:2] for v in library.versions()] == [(1, "2027.01-1"), (2, "2027.02-1")]
    # another process (or the next start) finds the same versions on disk
    assert ReferenceLibrary(tmp_path / "reference").newest().version == "2027.02-1"


def test_a_bundle_that_does_not_load_is_refused_and_the_previous_stays(
    tmp_path: Path, bundles: dict[int, bytes]
) -> None:
    library = ReferenceLibrary(tmp_path / "reference")
    library.install(opened(bundles[1]))
    files = bundle.data_files(catalogue_version(tmp_path / "bad", "2027.03-1"))
    files["catalog/services/09-ktpel-baru-wni.yaml"] += b"\nforms: [F-9.99]\n"  # a form that does not exist
    bad = bundle.build(files, sequence=3, catalog_version="2027.03-1", forms=[], private_key=KEY)
    with pytest.raises(BundleError, match="tidak dapat dimuat"):
        library.install(opened(bad))
    assert library.newest().version == "2027.01-1"
    assert not (tmp_path / "reference" / folder_name(3)).exists()
    assert [p.name for p in (tmp_path / "reference").iterdir()] == [folder_name(1)]


def test_a_version_folder_damaged_on_disk_is_not_used(tmp_path: Path, bundles: dict[int, bytes]) -> None:
    library = ReferenceLibrary(tmp_path / "reference")
    library.install(opened(bundles[1]))
    library.install(opened(bundles[2]))
    damaged = tmp_path / "reference" / folder_name(2) / "catalog" / "catalog.yaml"
    damaged.write_bytes(damaged.read_bytes()[:100])
    assert ReferenceLibrary(tmp_path / "reference").newest().version == "2027.01-1"


CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from app.reference import ReferenceLibrary, signing
    from app.reference.bundle import open_signed
    data = Path(sys.argv[2]).read_bytes()
    signed = open_signed(data, bytes.fromhex(sys.argv[3]))
    library = ReferenceLibrary(Path(sys.argv[1]))
    print("go", flush=True)
    library.install(signed)
    print("done", flush=True)
    """
)


def test_a_process_killed_during_the_switch_leaves_the_previous_or_the_new_version_whole(
    tmp_path: Path, bundles: dict[int, bytes]
) -> None:
    folder = tmp_path / "reference"
    ReferenceLibrary(folder).install(opened(bundles[1]))
    source = tmp_path / "bundle.zip"
    source.write_bytes(bundles[2])
    rng = random.Random(18)
    outcomes: set[object] = set()
    for _ in range(8):
        shutil.rmtree(folder / folder_name(2), ignore_errors=True)
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(folder), str(source), signing.public_key_of(KEY).hex()],
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[4])},
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"go"
        # The install (~0.1 s) writes ~100 files with an fsync each, test-loads them, then renames: kill
        # anywhere in it, the first time at once.
        time.sleep(rng.uniform(0.0, 0.15) if outcomes else 0.0)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        newest = ReferenceLibrary(folder).newest()
        assert newest.sequence in (1, 2)
        assert newest.catalog.service("KTPEL-BARU-WNI")  # whichever is in force loads whole
        outcomes.add(newest.sequence)
    assert 1 in outcomes  # at least one kill landed before the rename
    # leftovers of killed runs do not stop the next install
    ReferenceLibrary(folder).install(opened(bundles[2]))
    assert ReferenceLibrary(folder).newest().sequence == 2
