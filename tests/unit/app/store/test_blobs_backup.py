"""Tests of the blob store (encrypted, content-addressed) and of backup and restore."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from app.paths import DataPaths
from app.store import Store
from app.store import applications as apps
from app.store.backup import BackupError, create_backup, restore_backup, verify_backup
from app.store.blobs import BlobStore, digest_of
from app.store.errors import BlobError
from app.store.verify import verify_store
from tests.helpers.stores import SUPERVISOR, new_store

KEY = bytes(range(32))
SUPERVISOR_LOGIN = (SUPERVISOR[0], SUPERVISOR[2])


def test_put_get_is_idempotent_and_encrypted(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path, KEY)
    data = b"NIK 3521011705800001 BUDI SANTOSO" * 10
    digest = blobs.put(data)
    assert digest == digest_of(data)
    assert blobs.put(data) == digest
    raw = blobs.path_of(digest).read_bytes()
    assert b"BUDI" not in raw and b"3521011705800001" not in raw
    assert blobs.get(digest) == data
    assert list(blobs.stored()) == [digest]


def test_damaged_missing_and_orphaned_blobs(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path, KEY)
    good, bad, orphan = blobs.put(b"baik"), blobs.put(b"akan rusak"), blobs.put(b"yatim")
    path = blobs.path_of(bad)
    damaged = bytearray(path.read_bytes())
    damaged[-1] ^= 0xFF
    path.write_bytes(bytes(damaged))
    with pytest.raises(BlobError, match="rusak"):
        blobs.get(bad)
    missing = digest_of(b"tidak pernah ditulis")
    with pytest.raises(BlobError, match="tidak ditemukan"):
        blobs.get(missing)
    report = blobs.check([good, bad, missing])
    assert report.corrupt == (bad,) and report.missing == (missing,) and report.orphaned == (orphan,)
    assert not report.ok


def test_blob_renamed_to_other_hash_fails(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path, KEY)
    first, second = blobs.put(b"satu"), blobs.put(b"dua")
    blobs.path_of(first).write_bytes(blobs.path_of(second).read_bytes())
    with pytest.raises(BlobError):
        blobs.get(first)


def test_wrong_key_cannot_read(tmp_path: Path) -> None:
    digest = BlobStore(tmp_path, KEY).put(b"rahasia")
    with pytest.raises(BlobError):
        BlobStore(tmp_path, bytes(32)).get(digest)


def test_leftover_temporaries_are_removed(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path, KEY)
    blobs.put(b"x")
    (tmp_path / "ab").mkdir()
    (tmp_path / "ab" / ".abc.123.tmp").write_bytes(b"half")
    assert blobs.remove_temporaries() == 1


def test_backup_round_trip_and_restore_keeps_old_data(tmp_path: Path) -> None:
    store = new_store(tmp_path / "data")
    application = apps.create_draft(store, "KTPEL-BARU-WNI", applicant_name="Ani")
    apps.save_answers(store, application, "F-1.02@PMDN109-2019", {"pemohon": {"nama": "Ani"}})
    apps.attach_page(store, application, "kk", b"halaman kk", media_type="image/png")
    info = create_backup(store, tmp_path / "cadangan.loket")
    assert info.files == 3
    # Work after the backup is lost by a restore, but kept aside.
    later = apps.create_draft(store, "KK-HILANG-RUSAK")
    store.close()
    aside = restore_backup(tmp_path / "cadangan.loket", DataPaths(tmp_path / "data"), *SUPERVISOR_LOGIN).previous_data
    assert aside is not None and (aside / "loket.db").exists()
    restored = Store.unlock(DataPaths(tmp_path / "data"), SUPERVISOR[0], SUPERVISOR[2])
    assert apps.answers_of(application) == {"F-1.02": {"pemohon": {"nama": "Ani"}}}
    from app.store.models import Application

    assert Application.get_or_none(Application.client_id == later.client_id) is None
    assert verify_store(restored).ok
    restored.close()


def test_damaged_backup_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    store = new_store(tmp_path / "data")
    apps.attach_page(store, apps.create_draft(store, "KK-HILANG-RUSAK"), "kk", b"halaman", media_type="image/png")
    create_backup(store, tmp_path / "b.loket")
    store.close()
    with zipfile.ZipFile(tmp_path / "b.loket") as source, zipfile.ZipFile(tmp_path / "bad.loket", "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("blobs/"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            target.writestr(item, data)
    with pytest.raises(BackupError, match="rusak"):
        verify_backup(tmp_path / "bad.loket")
    before = (tmp_path / "data" / "loket.db").read_bytes()
    with pytest.raises(BackupError):
        restore_backup(tmp_path / "bad.loket", DataPaths(tmp_path / "data"), *SUPERVISOR_LOGIN)
    assert (tmp_path / "data" / "loket.db").read_bytes() == before
    (tmp_path / "trunc.loket").write_bytes((tmp_path / "b.loket").read_bytes()[:200])
    with pytest.raises(BackupError):
        verify_backup(tmp_path / "trunc.loket")
