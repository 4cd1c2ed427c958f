"""Content-addressed document storage: appends at the right offset only, verified before acceptance."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import pytest

from sync.server.errors import HashMismatchError, OffsetMismatchError, TooLargeError
from sync.server.storage import DiskStorage


def test_chunks_append_at_the_offset_and_publish_when_verified(tmp_path: Path) -> None:
    storage = DiskStorage(tmp_path)
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
    assert list(storage.stored()) == [sha] and not list(storage.partial.iterdir())


def test_bytes_that_do_not_match_their_hash_are_discarded(tmp_path: Path) -> None:
    storage = DiskStorage(tmp_path)
    data = os.urandom(1000)
    sha = hashlib.sha256(data).hexdigest()
    with pytest.raises(HashMismatchError):
        storage.append(sha, 1000, 0, os.urandom(1000))
    assert storage.offset(sha) == 0 and not storage.complete(sha)
    with pytest.raises(TooLargeError):
        storage.append(sha, 1000, 0, data + b"x")


def test_concurrent_appends_of_the_same_chunk_store_it_once(tmp_path: Path) -> None:
    storage = DiskStorage(tmp_path)
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
