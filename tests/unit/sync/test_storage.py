"""Content-addressed document storage: appends at the right offset only, verified before acceptance.

The interface's tests run on both backends: the folder, and S3 object storage on a real S3 API server
(moto's, started for the session on 127.0.0.1).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.server import keys
from sync.server.errors import HashMismatchError, OffsetMismatchError, TooLargeError
from sync.server.s3storage import S3Storage
from sync.server.storage import DiskStorage, DocumentStorage, open_storage
from tests.helpers.s3 import S3Server


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    server = S3Server(tmp_path_factory.mktemp("s3") / "moto.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["folder", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> DocumentStorage:
    if request.param == "folder":
        return DiskStorage(tmp_path)
    server: S3Server = request.getfixturevalue("s3_server")
    url = f"s3://{server.new_bucket()}/loket/documents"
    return S3Storage(url, keys.load(tmp_path), server.client())


def test_chunks_append_at_the_offset_and_publish_when_verified(storage: DocumentStorage) -> None:
    data = os.urandom(300_000)
    sha = hashlib.sha256(data).hexdigest()
    assert storage.offset(sha) == 0 and not storage.complete(sha)
    assert storage.append(sha, len(data), 0, data[:100_000]) == 100_000
    with pytest.raises(OffsetMismatchError) as raised:
        storage.append(sha, len(data), 0, data[:100_000])  # a repeat of the first chunk
    assert raised.value.offset == 100_000
    assert storage.append(sha, len(data), 100_000, data[100_000:]) == len(data)
    assert storage.complete(sha) and storage.verify(sha)
    with storage.open(sha) as handle:
        assert handle.read() == data
    assert storage.append(sha, len(data), 0, data[:10]) == len(data), "a stored document is not touched again"
    assert list(storage.stored()) == [sha] and storage.partial_offset(sha) == 0
    if isinstance(storage, DiskStorage):
        assert not list(storage.partial.iterdir())
    else:
        assert isinstance(storage, S3Storage) and not list(storage.partials()), "the chunks are gone"


def test_bytes_that_do_not_match_their_hash_are_discarded(storage: DocumentStorage) -> None:
    data = os.urandom(1000)
    sha = hashlib.sha256(data).hexdigest()
    with pytest.raises(HashMismatchError):
        storage.append(sha, 1000, 0, os.urandom(1000))
    assert storage.offset(sha) == 0 and not storage.complete(sha)
    with pytest.raises(TooLargeError):
        storage.append(sha, 1000, 0, data + b"x")


def test_concurrent_appends_of_the_same_chunk_store_it_once(storage: DocumentStorage) -> None:
    data = os.urandom(64_000)
    sha = hashlib.sha256(data).hexdigest()
    outcomes: list[str] = []

    def upload() -> None:
        try:
            storage.append(sha, len(data), 0, data)
            outcomes.append("ok")
        except OffsetMismatchError:
            outcomes.append("mismatch")

    threads = [threading.Thread(target=upload) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert storage.verify(sha) and outcomes.count("ok") >= 1


def test_digests_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        DiskStorage(tmp_path).path_of("../../etc/passwd")


def test_each_device_uploads_into_its_own_partial(storage: DocumentStorage) -> None:
    data = os.urandom(50_000)
    sha = hashlib.sha256(data).hexdigest()
    assert storage.append(sha, len(data), 0, data[:20_000], owner="aaaa-1") == 20_000
    assert storage.partial_offset(sha, "bbbb-2") == 0, "another device starts from nothing"
    assert storage.append(sha, len(data), 0, data[:30_000], owner="bbbb-2") == 30_000
    assert storage.drop_partial(sha, "bbbb-2") > 0 and storage.partial_offset(sha, "aaaa-1") == 20_000
    assert storage.append(sha, len(data), 20_000, data[20_000:], owner="aaaa-1") == len(data)
    assert storage.complete(sha) and storage.read(sha) == data and storage.size(sha) == len(data)
    assert storage.delete(sha) and not storage.complete(sha) and not storage.delete(sha)


def test_chunks_of_one_upload_may_land_on_any_replica(s3_server: S3Server, tmp_path: Path) -> None:
    """Two server processes' storages on one bucket: no upload state in either, one offset wins once."""
    url = f"s3://{s3_server.new_bucket()}/loket"
    ring = keys.load(tmp_path)
    replicas = [S3Storage(url, ring, s3_server.client()) for _ in range(2)]
    data = os.urandom(400_000)
    sha = hashlib.sha256(data).hexdigest()
    offset = 0
    for number, start in enumerate(range(0, len(data), 64_000)):
        replica = replicas[number % 2]
        assert replica.partial_offset(sha, "d1d1-1") == offset == start
        offset = replica.append(sha, len(data), start, data[start : start + 64_000], owner="d1d1-1")
    assert offset == len(data) and replicas[0].complete(sha) and replicas[1].read(sha) == data

    other = os.urandom(128_000)
    other_sha = hashlib.sha256(other).hexdigest()
    outcomes: list[str] = []

    def race(replica: S3Storage) -> None:
        try:
            replica.append(other_sha, len(other), 0, other[:64_000], owner="d1d1-1")
            outcomes.append("ok")
        except OffsetMismatchError as error:
            outcomes.append(f"mismatch {error.offset}")

    threads = [threading.Thread(target=race, args=(replicas[n % 2],)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1, outcomes
    assert all(outcome in {"ok", "mismatch 64000"} for outcome in outcomes), outcomes
    assert replicas[1].append(other_sha, len(other), 64_000, other[64_000:], owner="d1d1-1") == len(other)
    assert replicas[0].verify(other_sha) and not list(replicas[0].partials())


def test_the_object_store_holds_only_sealed_bytes(s3_server: S3Server, tmp_path: Path) -> None:
    bucket = s3_server.new_bucket()
    storage = S3Storage(f"s3://{bucket}/p", keys.load(tmp_path), s3_server.client())
    data = b"NIK 3201010101010001 " * 2000
    sha = hashlib.sha256(data).hexdigest()
    storage.append(sha, len(data), 0, data[:10_000], owner="d1d1-1")
    client = s3_server.client()
    listed = client.list_objects_v2(Bucket=bucket)["Contents"]
    assert [item["Key"] for item in listed] == [f"p/partial/d1d1-1.{sha}/{0:016x}"]
    storage.append(sha, len(data), 10_000, data[10_000:], owner="d1d1-1")
    listed = client.list_objects_v2(Bucket=bucket)["Contents"]
    assert [item["Key"] for item in listed] == [f"p/documents/{sha[:2]}/{sha}"]
    blob = client.get_object(Bucket=bucket, Key=listed[0]["Key"])["Body"].read()
    assert keys.is_sealed(blob) and b"3201010101010001" not in blob


def test_the_storage_option_picks_the_backend(
    s3_server: S3Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in s3_server.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv(keys.ENV_KEY, raising=False)
    bucket = s3_server.new_bucket()
    chosen = open_storage(f"s3://{bucket}/a/b", tmp_path / "local")
    assert isinstance(chosen, S3Storage) and (chosen.bucket, chosen.prefix) == (bucket, "a/b/")
    assert keys.key_file_for(tmp_path / "local").exists(), "the key is beside the local folder, not in the bucket"
    assert isinstance(open_storage(str(tmp_path / "docs"), tmp_path / "docs"), DiskStorage)
    with pytest.raises(ValueError, match="bucket"):
        open_storage("s3:///nothing", tmp_path)
