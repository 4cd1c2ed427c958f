"""Documents in S3-compatible object storage (AWS S3, MinIO, Ceph RGW, ...), through boto3.

`loket-server serve --storage s3://bucket/prefix`. The endpoint comes from `LOKET_SERVER_S3_ENDPOINT`
(else boto3's own `AWS_ENDPOINT_URL`, else AWS), the credentials and region from boto3's usual sources
(`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_DEFAULT_REGION`, a profile, an instance role).

Objects below the prefix, all sealed with the server key like the folder backend:

- `documents/ab/<sha256>`: a verified document, one AES-GCM blob bound to its hash;
- `partial/<owner>.<sha256>/<offset:016x>`: one sealed chunk of an upload in progress, bound to the
  document and its offset.

No upload state lives only in a process, so any replica may take any chunk: the offset is where the chain
of chunk objects from 0 ends, and a chunk is written with `If-None-Match: *` at its offset's key, so of two
replicas writing at the same offset at once exactly one succeeds (the other answers `offset_mismatch`).
The database's record of the bytes received (`Upload.received`) spares the listing: when it agrees with
the chunk's offset the conditional write alone decides; the chain is listed when they disagree, when the
key is taken, and once at the end. When the chain reaches the announced size, its chunks are hashed and the
document is written (also conditionally: identical bytes from several devices are kept once); then the
chunks are deleted. Chunks this process wrote are taken from a small cache (by key and ETag) instead of
being read back; the others are read back from the store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from sync.server import keys
from sync.server.errors import HashMismatchError, OffsetMismatchError, TooLargeError

if TYPE_CHECKING:
    from mypy_boto3_s3.client import S3Client

ENV_ENDPOINT = "LOKET_SERVER_S3_ENDPOINT"
SCHEME = "s3://"
_SEAL_OVERHEAD = keys.HEADER_BYTES + keys.TAG_BYTES
_HEX = frozenset("0123456789abcdef")
_OWNER = frozenset("0123456789abcdefABCDEF-")
CACHE_BYTES = 64 * 2**20  # chunks a replica keeps of uploads in progress, to skip reading them back


class StorageConfigError(ValueError):
    """A `--storage s3://...` that names no bucket."""


@dataclass(frozen=True)
class S3Partial:
    """One upload in progress in the object store."""

    owner: str
    sha256: str
    size: int
    modified: float


def parse_url(url: str) -> tuple[str, str]:
    """(bucket, prefix without slashes at its ends) of `s3://bucket/prefix`."""
    if not url.startswith(SCHEME):
        raise StorageConfigError(f"Alamat penyimpanan S3 harus berbentuk s3://bucket/awalan, bukan {url!r}.")
    bucket, _, prefix = url[len(SCHEME) :].partition("/")
    if not bucket:
        raise StorageConfigError(f"Alamat penyimpanan {url!r} tidak menyebut bucket (s3://bucket/awalan).")
    return bucket, prefix.strip("/")


def client_from_env() -> S3Client:
    """A boto3 S3 client: endpoint from LOKET_SERVER_S3_ENDPOINT, the rest from boto3's usual sources."""
    endpoint = os.environ.get(ENV_ENDPOINT) or None
    config = Config(
        retries={"max_attempts": 5, "mode": "standard"},
        max_pool_connections=32,
        # The bytes are AES-GCM sealed (tamper-evident) and hashed before acceptance: no extra CRC pass.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    return boto3.client("s3", endpoint_url=endpoint, config=config)


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _status(error: ClientError) -> int:
    return int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))


def _missing(error: ClientError) -> bool:
    return _code(error) in {"NoSuchKey", "404", "NotFound"} or _status(error) == 404


def _precondition_failed(error: ClientError) -> bool:
    # 412 when the key exists; 409 when another conditional write to it is in flight (AWS, MinIO).
    return _code(error) in {"PreconditionFailed", "ConditionalRequestConflict"} or _status(error) in {409, 412}


class ChunkCache:
    """The plain bytes of chunks this process wrote, by object key and ETag, up to a byte budget (oldest out).

    A chunk object never changes once written (conditional writes), and a key reused after its upload
    was dropped has a new ETag (the sealed body has a fresh nonce): a cached chunk is used only when the
    listed ETag is the one this process wrote, so the cache can miss but never be wrong.
    """

    def __init__(self, budget: int = CACHE_BYTES) -> None:
        self.budget = budget
        self._items: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def put(self, key: str, etag: str, data: bytes) -> None:
        """Remember a chunk just written."""
        if len(data) > self.budget:
            return
        with self._lock:
            self._drop(key)
            self._items[key] = (etag, data)
            self._bytes += len(data)
            while self._bytes > self.budget:
                _, (_, old) = self._items.popitem(last=False)
                self._bytes -= len(old)

    def take(self, key: str, etag: str) -> bytes | None:
        """A chunk's bytes if this process wrote exactly that object (and forget it)."""
        with self._lock:
            found = self._items.get(key)
            self._drop(key)
        return found[1] if found is not None and found[0] == etag else None

    def forget(self, keys_: list[str]) -> None:
        """Forget chunks (their objects are deleted)."""
        with self._lock:
            for key in keys_:
                self._drop(key)

    def _drop(self, key: str) -> None:
        found = self._items.pop(key, None)
        if found is not None:
            self._bytes -= len(found[1])


class S3Storage:
    """Sealed documents and chunked uploads in one bucket below one prefix; shared by any number of replicas."""

    def __init__(self, url: str, keyring: keys.Keyring, client: S3Client | None = None) -> None:
        self.url = url
        self.bucket, prefix = parse_url(url)
        self.prefix = f"{prefix}/" if prefix else ""
        self.client = client or client_from_env()
        self.keyring = keyring
        self.cache = ChunkCache()
        keys.activate(keyring)

    # -- names ----------------------------------------------------------------------------------------
    def key_of(self, sha256: str) -> str:
        """The object key of a verified document."""
        _check_digest(sha256)
        return f"{self.prefix}documents/{sha256[:2]}/{sha256}"

    def _partial_prefix(self, sha256: str, owner: str) -> str:
        _check_digest(sha256)
        if owner and not set(owner) <= _OWNER:
            raise ValueError("not an upload owner id")
        return f"{self.prefix}partial/{owner}.{sha256}/"

    def _put(self, key: str, body: bytes, *, only_new: bool) -> str | None:
        """Write an object; with `only_new`, only when the key is free. Its ETag, or None when not written."""
        try:
            if only_new:
                answer = self.client.put_object(Bucket=self.bucket, Key=key, Body=body, IfNoneMatch="*")
            else:
                answer = self.client.put_object(Bucket=self.bucket, Key=key, Body=body)
        except ClientError as error:
            if only_new and _precondition_failed(error):
                return None
            raise
        return _etag(answer.get("ETag", ""))

    def _get(self, key: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except ClientError as error:
            if _missing(error):
                raise FileNotFoundError(key) from error
            raise

    def _list(self, prefix: str) -> Iterator[tuple[str, int, float]]:
        """(key, size, modified) of every object below a prefix."""
        for key, size, modified, _ in self._list_tagged(prefix):
            yield key, size, modified

    def _list_tagged(self, prefix: str) -> Iterator[tuple[str, int, float, str]]:
        """(key, size, modified, ETag) of every object below a prefix."""
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                modified = item.get("LastModified", dt.datetime.now(dt.UTC))
                yield item["Key"], int(item.get("Size", 0)), modified.timestamp(), _etag(item.get("ETag", ""))

    def _delete_keys(self, keys_: list[str]) -> None:
        self.cache.forget(keys_)
        if not keys_:
            return
        for start in range(0, len(keys_), 1000):
            batch = keys_[start : start + 1000]
            self.client.delete_objects(
                Bucket=self.bucket, Delete={"Objects": [{"Key": key} for key in batch], "Quiet": True}
            )

    # -- verified documents ---------------------------------------------------------------------------
    def complete(self, sha256: str) -> bool:
        """Whether the document is stored and verified."""
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key_of(sha256))
        except ClientError as error:
            if _missing(error):
                return False
            raise
        return True

    def size(self, sha256: str) -> int:
        """The size of a stored document's bytes (FileNotFoundError when it is not stored)."""
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self.key_of(sha256))
        except ClientError as error:
            if _missing(error):
                raise FileNotFoundError(sha256) from error
            raise
        return int(head["ContentLength"]) - _SEAL_OVERHEAD

    def read(self, sha256: str) -> bytes:
        """A stored document's bytes, decrypted (FileNotFoundError when it is not stored)."""
        return self.keyring.open(self._get(self.key_of(sha256)), sha256.encode("ascii"))

    def open(self, sha256: str) -> BinaryIO:
        """Read a verified document."""
        return io.BytesIO(self.read(sha256))

    def verify(self, sha256: str) -> bool:
        """Re-hash a stored document."""
        try:
            return hashlib.sha256(self.read(sha256)).hexdigest() == sha256
        except (FileNotFoundError, keys.KeyProblemError):
            return False

    def stored(self) -> Iterator[str]:
        """Every verified document's hash."""
        for key, _, _ in self._list(f"{self.prefix}documents/"):
            name = key.rsplit("/", 1)[-1]
            if len(name) == 64 and set(name) <= _HEX:
                yield name

    def stored_at(self, sha256: str) -> float:
        """When a stored document was written (seconds since the epoch)."""
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self.key_of(sha256))
        except ClientError as error:
            if _missing(error):
                raise FileNotFoundError(sha256) from error
            raise
        return head["LastModified"].timestamp()

    def delete(self, sha256: str) -> bool:
        """Remove a stored document; whether there was one."""
        if not self.complete(sha256):
            return False
        self.client.delete_object(Bucket=self.bucket, Key=self.key_of(sha256))
        return True

    def free_bytes(self) -> int | None:
        """Object storage has no disk of ours to fill: None (the device quota still applies)."""
        return None

    # -- uploads in progress --------------------------------------------------------------------------
    def _chain(self, sha256: str, owner: str) -> tuple[int, list[tuple[str, str]], list[str]]:
        """(bytes held, (key, ETag) of the chain from offset 0 in order, keys off the chain) of an upload."""
        sizes: dict[int, tuple[str, int, str]] = {}
        for key, stored, _, etag in self._list_tagged(self._partial_prefix(sha256, owner)):
            try:
                start = int(key.rsplit("/", 1)[-1], 16)
            except ValueError:
                continue
            sizes[start] = (key, stored - _SEAL_OVERHEAD, etag)
        held, chain = 0, []
        while held in sizes and sizes[held][1] > 0:
            key, length, etag = sizes.pop(held)
            chain.append((key, etag))
            held += length
        return held, chain, [key for key, _, _ in sizes.values()]

    def partial_offset(self, sha256: str, owner: str = "") -> int:
        """How many bytes of an upload in progress this owner has sent (0 when none)."""
        return self._chain(sha256, owner)[0]

    def offset(self, sha256: str, owner: str = "") -> int:
        """Bytes held: the size of a verified document (without an owner), else of the owner's upload, else 0."""
        if not owner and self.complete(sha256):
            return self.size(sha256)
        return self.partial_offset(sha256, owner)

    def append(self, sha256: str, size: int, offset: int, data: bytes, owner: str = "", held: int | None = None) -> int:
        """Append `data` at `offset` of a document of `size` bytes; return the new offset (see the module).

        `held` is what the database records as received: when it agrees with `offset` (or at offset 0)
        the conditional write alone decides, with no listing; the chain is listed when they disagree,
        when the write finds its key taken, and once when the upload reaches its size.
        """
        prefix = self._partial_prefix(sha256, owner)
        if not owner and self.complete(sha256):
            return self.size(sha256)
        if offset not in {0, held}:
            current = self._chain(sha256, owner)[0]
            if offset != current:
                raise OffsetMismatchError(current)
        end = offset + len(data)
        if end > size:
            raise TooLargeError(
                f"Potongan melewati ukuran dokumen yang diumumkan ({end} > {size} bita).", {"size": size}
            )
        if not data and end < size:
            return offset
        key = f"{prefix}{offset:016x}"
        if data:
            etag = self._put(key, self.keyring.seal(data, _chunk_context(sha256, offset)), only_new=True)
            if etag is None:
                raise OffsetMismatchError(self._chain(sha256, owner)[0])  # another replica took this offset
            if end < size:
                self.cache.put(key, etag, data)
        if end < size:
            return end
        held_now, chain, strays = self._chain(sha256, owner)
        if held_now != size or (data and chain[-1][0] != key):
            # The database's record was ahead of the chunks (they were dropped meanwhile): a chunk off the
            # chain is discarded and the device resumes where the chain ends.
            self._delete_keys(strays)
            raise OffsetMismatchError(self._chain(sha256, owner)[0])
        parts: list[bytes] = []
        done = 0
        for chunk_key, chunk_etag in chain[:-1] if data else chain:  # the chunks before; this one is in memory
            chunk = self.cache.take(chunk_key, chunk_etag)
            if chunk is None:  # written by another replica (or forgotten): read back
                chunk = self.keyring.open(self._get(chunk_key), _chunk_context(sha256, done))
            parts.append(chunk)
            done += len(chunk)
        content = b"".join([*parts, data])
        chain_keys = [chunk_key for chunk_key, _ in chain]
        if hashlib.sha256(content).hexdigest() != sha256 or len(content) != size:
            self._delete_keys([*chain_keys, *strays])
            raise HashMismatchError(
                "Isi dokumen tidak cocok dengan sidik SHA-256-nya; dokumen dibuang dan harus diunggah ulang.",
                {"sha256": sha256},
            )
        self._put(self.key_of(sha256), self.keyring.seal(content, sha256.encode("ascii")), only_new=True)
        self._delete_keys([*chain_keys, *strays])
        return end

    def partials(self) -> Iterator[S3Partial]:
        """Every upload in progress, with its stored bytes and last write (sweeps)."""
        found: dict[tuple[str, str], tuple[int, float]] = {}
        for key, stored, modified in self._list(f"{self.prefix}partial/"):
            folder = key[len(self.prefix) + len("partial/") :].split("/", 1)[0]
            owner, _, sha = folder.rpartition(".")
            total, last = found.get((owner, sha), (0, 0.0))
            found[(owner, sha)] = (total + stored, max(last, modified))
        for (owner, sha), (total, last) in found.items():
            yield S3Partial(owner, sha, total, last)

    def drop_partial(self, sha256: str, owner: str = "") -> int:
        """Discard an upload in progress; the bytes it held."""
        listed = list(self._list(self._partial_prefix(sha256, owner)))
        self._delete_keys([key for key, _, _ in listed])
        return sum(stored for _, stored, _ in listed)


def open_s3(url: str, local_dir: Path) -> S3Storage:
    """The object storage at `url`, sealed with the key beside the local folder (or from the environment)."""
    local_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    return S3Storage(url, keys.load(local_dir))


def _etag(value: str) -> str:
    return value.strip('"')


def _chunk_context(sha256: str, offset: int) -> bytes:
    return f"{sha256}:{offset}".encode("ascii")


def _check_digest(sha256: str) -> None:
    if len(sha256) != 64 or not set(sha256) <= _HEX:
        raise ValueError("not a SHA-256 hex digest")
