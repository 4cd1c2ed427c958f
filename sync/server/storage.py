"""Document storage: content-addressed files, resumable appends, SHA-256 verified before acceptance, encrypted.

One interface (`DocumentStorage`), two backends: this folder (the default) and S3-compatible object
storage (`sync.server.s3storage`, `--storage s3://bucket/prefix`); `open_storage` picks one.
On disk: `documents/ab/<sha256>` for verified documents, `partial/<owner>.<sha256>.part` for uploads
in progress, one per uploading device (`owner`), so no device can reset another's upload. A chunk is
appended only at the current end of the partial file, and fsynced before the server answers; when the
upload reaches its announced size it is hashed, and either moved into place (verified) or discarded.

Everything is sealed with the server key (AES-256-GCM, `sync.server.keys`): a stored document as one
sealed blob bound to its hash; a partial upload as a header and one sealed record per chunk (bound to
the document and the chunk's offset). Files are 0600, folders 0700. Documents stored before
encryption (plain files) are still read, and sealed by `loket-server keys rotate`.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import struct
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from app.fileio import fsync_dir
from sync.server import keys
from sync.server.errors import HashMismatchError, OffsetMismatchError, TooLargeError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows servers lock within one process only
    fcntl = None  # type: ignore[assignment]

PARTIAL_MAGIC = b"LKP1"  # a partial upload: magic, then records of (length, sealed chunk)
_RECORD = struct.Struct(">I")
_HEX = frozenset("0123456789abcdef")
_OWNER = frozenset("0123456789abcdefABCDEF-")


class DocumentStorage(Protocol):
    """Where verified documents and partial uploads live."""

    def offset(self, sha256: str, owner: str = "") -> int:
        """How many bytes of this document the server holds (its size once complete)."""

    def complete(self, sha256: str) -> bool:
        """Whether the document is stored and verified."""

    def append(self, sha256: str, size: int, offset: int, data: bytes, owner: str = "", held: int | None = None) -> int:
        """Append a chunk at `offset`; return the new offset. Verify and publish when `size` is reached.

        `held` is what the database records as received for this upload (a hint: a backend may skip
        finding its own end when the hint agrees with `offset`; it never trusts the hint for publishing).
        """

    def open(self, sha256: str) -> BinaryIO:
        """Read a verified document."""

    def verify(self, sha256: str) -> bool:
        """Re-hash a stored document (audits and tests)."""

    def read(self, sha256: str) -> bytes:
        """A stored document's bytes, decrypted (FileNotFoundError when it is not stored)."""

    def size(self, sha256: str) -> int:
        """The size of a stored document's bytes (FileNotFoundError when it is not stored)."""

    def stored(self) -> Iterator[str]:
        """Every verified document's hash."""

    def delete(self, sha256: str) -> bool:
        """Remove a stored document; whether there was one."""

    def partial_offset(self, sha256: str, owner: str = "") -> int:
        """How many bytes of an upload in progress this owner has sent (0 when none)."""

    def drop_partial(self, sha256: str, owner: str = "") -> int:
        """Discard an upload in progress; the bytes it held."""

    def free_bytes(self) -> int | None:
        """Free bytes where the storage writes (the 507 guard); None when it has no disk of ours to fill."""


@dataclass(frozen=True)
class Partial:
    """One upload in progress on disk."""

    path: Path
    owner: str
    sha256: str
    size: int
    modified: float


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def private_folder(path: Path) -> None:
    """Make a folder readable by the server's user only (0700)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name != "nt" and path.stat().st_mode & 0o077:
        path.chmod(0o700)


def write_private(path: Path, data: bytes) -> None:
    """Write a file (0600) durably: a temp file, fsync, rename, fsync of the folder."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, path)
    fsync_dir(path.parent)


class DiskStorage:
    """Documents as sealed files below one folder; safe across threads and (with fcntl) worker processes."""

    def __init__(self, root: Path, keyring: keys.Keyring | None = None) -> None:
        self.root = root
        self.documents = root / "documents"
        self.partial = root / "partial"
        self.locks = root / "locks"
        for folder in (root, self.documents, self.partial, self.locks):
            private_folder(folder)
        self.keyring = keyring or keys.load(root)
        keys.activate(self.keyring)
        self._guard = threading.Lock()
        self._thread_locks: dict[str, threading.Lock] = {}

    def path_of(self, sha256: str) -> Path:
        """Where a verified document lives."""
        _check_digest(sha256)
        return self.documents / sha256[:2] / sha256

    def _partial_of(self, sha256: str, owner: str) -> Path:
        if owner and not set(owner) <= _OWNER:
            raise ValueError("not an upload owner id")
        return self.partial / (f"{owner}.{sha256}.part" if owner else f"{sha256}.part")

    @contextlib.contextmanager
    def _locked(self, sha256: str) -> Iterator[None]:
        with self._guard:
            lock = self._thread_locks.setdefault(sha256, threading.Lock())
        with lock:
            if fcntl is None:  # pragma: no cover
                yield
                return
            with (self.locks / f"{sha256[:2]}.lock").open("a+b") as handle:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    # -- verified documents ---------------------------------------------------------------------------
    def complete(self, sha256: str) -> bool:
        """Whether the document is stored and verified."""
        return self.path_of(sha256).exists()

    def size(self, sha256: str) -> int:
        """The size of a stored document's bytes (FileNotFoundError when it is not stored)."""
        path = self.path_of(sha256)
        with path.open("rb") as handle:
            head = handle.read(len(keys.MAGIC))
        stored = path.stat().st_size
        return stored - keys.HEADER_BYTES - keys.TAG_BYTES if keys.is_sealed(head) else stored

    def read(self, sha256: str) -> bytes:
        """A stored document's bytes, decrypted (FileNotFoundError when it is not stored)."""
        blob = self.path_of(sha256).read_bytes()
        if keys.is_sealed(blob):
            return self.keyring.open(blob, sha256.encode("ascii"))
        return blob  # stored before encryption at rest; sealed by `keys rotate`

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
        for path in self.documents.glob("??/*"):
            if len(path.name) == 64:
                yield path.name

    def stored_at(self, sha256: str) -> float:
        """When a stored document was last written (seconds since the epoch)."""
        return self.path_of(sha256).stat().st_mtime

    def free_bytes(self) -> int | None:
        """Free bytes on the folder's disk."""
        return shutil.disk_usage(self.root).free

    def delete(self, sha256: str) -> bool:
        """Remove a stored document (sweeps, retention, purges); whether there was one."""
        with self._locked(sha256):
            path = self.path_of(sha256)
            try:
                path.unlink()
            except FileNotFoundError:
                return False
            fsync_dir(path.parent)
            return True

    def reseal(self, sha256: str, keyring: keys.Keyring) -> bool:
        """Seal a stored document with the ring's current key (plain or older-key files); whether it changed."""
        with self._locked(sha256):
            path = self.path_of(sha256)
            blob = path.read_bytes()
            if keys.is_sealed(blob) and keyring.is_current(blob):
                return False
            data = keyring.open(blob, sha256.encode("ascii")) if keys.is_sealed(blob) else blob
            if hashlib.sha256(data).hexdigest() != sha256:
                raise keys.KeyProblemError(f"Dokumen {sha256[:12]} tidak cocok dengan sidiknya; tidak diubah.")
            write_private(path, keyring.seal(data, sha256.encode("ascii")))
            return True

    # -- uploads in progress --------------------------------------------------------------------------
    def _records(self, path: Path) -> tuple[int, int]:
        """(plaintext bytes held, file bytes that hold whole records) of a partial file; (0, 0) if unusable."""
        try:
            with path.open("rb") as handle:
                if handle.read(len(PARTIAL_MAGIC)) != PARTIAL_MAGIC:
                    return 0, 0
                held, end = 0, len(PARTIAL_MAGIC)
                total = os.fstat(handle.fileno()).st_size
                while end + _RECORD.size <= total:
                    handle.seek(end)
                    (length,) = _RECORD.unpack(handle.read(_RECORD.size))
                    record_end = end + _RECORD.size + length
                    if record_end > total or length < keys.HEADER_BYTES + keys.TAG_BYTES:
                        break  # a record torn by a crash: ignored, overwritten by the next chunk
                    held += length - keys.HEADER_BYTES - keys.TAG_BYTES
                    end = record_end
                return held, end
        except FileNotFoundError:
            return 0, 0

    def _partial_bytes(self, path: Path, sha256: str, keyring: keys.Keyring | None = None) -> bytes:
        ring = keyring or self.keyring
        parts: list[bytes] = []
        blob = path.read_bytes()
        position, held = len(PARTIAL_MAGIC), 0
        while position + _RECORD.size <= len(blob):
            (length,) = _RECORD.unpack_from(blob, position)
            record = blob[position + _RECORD.size : position + _RECORD.size + length]
            if len(record) < length:
                break
            chunk = ring.open(record, _chunk_context(sha256, held))
            parts.append(chunk)
            held += len(chunk)
            position += _RECORD.size + length
        return b"".join(parts)

    def partial_offset(self, sha256: str, owner: str = "") -> int:
        """How many bytes of an upload in progress this owner has sent (0 when none)."""
        _check_digest(sha256)
        return self._records(self._partial_of(sha256, owner))[0]

    def offset(self, sha256: str, owner: str = "") -> int:
        """Bytes held: the size of a verified document (without an owner), else of the owner's upload, else 0."""
        if not owner and self.complete(sha256):
            return self.size(sha256)
        return self.partial_offset(sha256, owner)

    def append(self, sha256: str, size: int, offset: int, data: bytes, owner: str = "", held: int | None = None) -> int:
        """Append `data` at `offset` of a document of `size` bytes; return the new offset.

        Without an owner a stored document is not touched again. With one (a device), the upload runs
        to its end even when the document is already stored, so a device learns nothing about what
        others uploaded; identical bytes are then kept once. The folder reads its own end (cheap), so
        `held` is not used.
        """
        del held
        _check_digest(sha256)
        with self._locked(sha256):
            final = self.path_of(sha256)
            if not owner and final.exists():
                return self.size(sha256)
            partial = self._partial_of(sha256, owner)
            current, whole = self._records(partial)
            if offset != current:
                raise OffsetMismatchError(current)
            end = offset + len(data)
            if end > size:
                raise TooLargeError(
                    f"Potongan melewati ukuran dokumen yang diumumkan ({end} > {size} bita).", {"size": size}
                )
            sealed = self.keyring.seal(data, _chunk_context(sha256, offset))
            record = _RECORD.pack(len(sealed)) + sealed
            fd = os.open(partial, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                if whole == 0:
                    os.ftruncate(fd, 0)
                    os.write(fd, PARTIAL_MAGIC)
                    whole = len(PARTIAL_MAGIC)
                else:
                    os.ftruncate(fd, whole)  # drop a torn record
                os.lseek(fd, whole, os.SEEK_SET)
                os.write(fd, record)
                os.fsync(fd)
            finally:
                os.close(fd)
            if end < size:
                return end
            content = self._partial_bytes(partial, sha256)
            if hashlib.sha256(content).hexdigest() != sha256 or len(content) != size:
                partial.unlink(missing_ok=True)
                raise HashMismatchError(
                    "Isi dokumen tidak cocok dengan sidik SHA-256-nya; dokumen dibuang dan harus diunggah ulang.",
                    {"sha256": sha256},
                )
            if not final.exists():
                private_folder(final.parent)
                write_private(final, self.keyring.seal(content, sha256.encode("ascii")))
            partial.unlink(missing_ok=True)
            return end

    def partials(self) -> Iterator[Partial]:
        """Every upload in progress (sweeps)."""
        for path in self.partial.glob("*.part"):
            stem = path.name[: -len(".part")]
            owner, _, sha = stem.rpartition(".")
            try:
                info = path.stat()
            except FileNotFoundError:
                continue
            yield Partial(path, owner, sha, info.st_size, info.st_mtime)

    def drop_partial(self, sha256: str, owner: str = "") -> int:
        """Discard an upload in progress; the bytes it held on disk."""
        with self._locked(sha256):
            path = self._partial_of(sha256, owner)
            try:
                size = path.stat().st_size
                path.unlink()
            except FileNotFoundError:
                return 0
            return size

    def reseal_partial(self, item: Partial, keyring: keys.Keyring) -> None:
        """Seal an upload in progress with the ring's current key (rotation); an unreadable one is dropped."""
        with self._locked(item.sha256):
            try:
                data = self._partial_bytes(item.path, item.sha256, keyring)
            except (FileNotFoundError, keys.KeyProblemError):
                item.path.unlink(missing_ok=True)
                return
            sealed = keyring.seal(data, _chunk_context(item.sha256, 0)) if data else b""
            write_private(item.path, PARTIAL_MAGIC + (_RECORD.pack(len(sealed)) + sealed if sealed else b""))


def is_s3(spec: str) -> bool:
    """Whether a `--storage` value names object storage (`s3://bucket/prefix`) rather than a folder."""
    return spec.startswith("s3://")


def open_storage(spec: str, local_dir: Path) -> DocumentStorage:
    """The storage a `--storage` value names: a folder (the default), or `s3://bucket/prefix`.

    `local_dir` is the server's own folder beside it (key file, render cache, reference): the storage
    folder itself for the folder backend.
    """
    if is_s3(spec):
        from sync.server.s3storage import open_s3  # noqa: PLC0415 - boto3 loads only for object storage

        return open_s3(spec, local_dir)
    return DiskStorage(Path(spec))


def _chunk_context(sha256: str, offset: int) -> bytes:
    return f"{sha256}:{offset}".encode("ascii")


def _check_digest(sha256: str) -> None:
    if len(sha256) != 64 or not set(sha256) <= _HEX:
        raise ValueError("not a SHA-256 hex digest")
