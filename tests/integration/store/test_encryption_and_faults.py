"""Real SQLCipher files and blobs on disk: no plaintext without the key, and environment faults
(wrong password, truncated or corrupted files, a full disk) give clear messages and lose nothing."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.paths import DataPaths
from app.store import Store
from app.store import applications as apps
from app.store.errors import BlobError, DatabaseCorruptError, DiskFullError, WrongPasswordError
from app.store.models import Application
from app.store.residents import ResidentRecord, add_residents
from app.store.verify import verify_store
from tests.helpers.stores import SUPERVISOR, new_store

NIK = "3521014708920003"
NAME = "Sulastri Wulandari"


def unlock(base: Path) -> Store:
    return Store.unlock(DataPaths(base), SUPERVISOR[0], SUPERVISOR[2])


def fill(store: Store) -> Application:
    application = apps.create_draft(store, "KTPEL-BARU-WNI", applicant_name=NAME, applicant_nik=NIK)
    apps.save_answers(store, application, "F-1.02@PMDN109-2019", {"pemohon": {"nama": NAME, "nik": NIK}})
    apps.attach_page(
        store, application, "kk", f"KARTU KELUARGA {NAME} NIK {NIK}".encode() * 50, media_type="text/plain"
    )
    add_residents(store, [ResidentRecord(NAME, NIK, "3521010101100001")])
    return application


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_no_plaintext_in_any_file(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    fill(store)
    # Look while the database is open (WAL and shared memory present) and again after closing.
    needles = [NIK.encode(), NAME.encode(), NAME.encode("utf-16-le"), NAME.lower().encode()]
    for phase in ("open", "closed"):
        files = [p for p in tmp_path.rglob("*") if p.is_file()]
        assert any(p.name == "loket.db" for p in files)
        for path in files:
            content = path.read_bytes()
            for needle in needles:
                assert needle not in content, f"plaintext {needle!r} found in {path.name} ({phase})"
        if phase == "open":
            store.close()
    assert (tmp_path / "loket.db").read_bytes()[:16] != b"SQLite format 3\x00"


def test_wrong_password_changes_nothing(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    fill(store)
    store.close()
    before = digest(tmp_path / "loket.db")
    with pytest.raises(WrongPasswordError):
        Store.unlock(DataPaths(tmp_path), SUPERVISOR[0], "bukan-sandinya")
    assert digest(tmp_path / "loket.db") == before


@pytest.mark.parametrize("damage", ["truncate", "corrupt_header", "zero_file"])
def test_damaged_database_is_reported_and_kept(tmp_path: Path, damage: str) -> None:
    store = new_store(tmp_path)
    fill(store)
    store.close()
    db = tmp_path / "loket.db"
    data = bytearray(db.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 3 + 100]
    elif damage == "corrupt_header":
        for i in range(16, 200):
            data[i] ^= 0x5A
    else:
        data = bytearray()
    db.write_bytes(bytes(data))
    before = digest(db)
    with pytest.raises(DatabaseCorruptError) as caught:
        opened = unlock(tmp_path)
        # A truncated file may open; reading the lost pages must then fail the same way.
        try:
            report = verify_store(opened)
            if report.ok:
                Application.select().count()
            raise DatabaseCorruptError("; ".join(report.integrity) or "verify failed")
        finally:
            opened.close()
    assert "cadangan" in caught.value.message
    assert digest(db) == before, "a damaged database must not be rewritten"


def test_corrupted_blob_is_found_by_verify(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    fill(store)
    [blob] = list((tmp_path / "blobs").rglob("*.blob"))
    blob.write_bytes(blob.read_bytes()[:-10])
    report = verify_store(store)
    assert not report.ok and len(report.blobs_corrupt) == 1
    with pytest.raises(BlobError, match="Pindai ulang"):
        store.blobs.get(report.blobs_corrupt[0])
    blob.unlink()
    assert verify_store(store).blobs_missing
    store.close()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 8 MiB filesystem (tmpfs), mounted for this test only."""
    if os.geteuid() != 0:
        pytest.fail("the full-disk test mounts a small tmpfs and needs root (CI and `make test` run as root)")
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill_disk(folder: Path) -> Path:
    filler = folder / "filler.bin"
    with filler.open("wb", buffering=0) as handle:
        for size in (65536, 4096, 512, 1):
            try:
                while True:
                    handle.write(b"\0" * size)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
    return filler


def test_full_disk_gives_a_clear_message_and_keeps_saved_data(small_disk: Path) -> None:
    base = small_disk / "data"
    store = new_store(base)
    application = fill(store)
    saved = {"pemohon": {"nama": NAME, "nik": NIK}}
    filler = fill_disk(small_disk)
    with pytest.raises(DiskFullError) as caught:
        for i in range(200):
            apps.save_answers(store, application, "F-1.02@PMDN109-2019", {"pemohon": {"nama": "x" * 50_000, "i": i}})
            apps.attach_page(store, application, "kk", os.urandom(300_000), media_type="image/png")
    assert "Ruang penyimpanan penuh" in caught.value.message
    filler.unlink()
    store.close()
    reopened = unlock(base)
    stored = apps.answers_of(Application.get(Application.client_id == application.client_id))["F-1.02"]
    # The last save that returned is there (a failed one left nothing half-written).
    pemohon = stored["pemohon"]
    assert isinstance(pemohon, dict)
    assert stored == saved or pemohon["nama"] == "x" * 50_000
    assert verify_store(reopened).ok
    apps.save_answers(reopened, application, "F-1.02@PMDN109-2019", saved)
    reopened.close()
    shutil.rmtree(base)
