"""Document storage: content-addressed files, resumable appends, SHA-256 verified before acceptance.

One interface (`DocumentStorage`) so another backend (object storage) can replace the disk one.
On disk: `documents/ab/<sha256>` for verified documents, `partial/<sha256>.part` for uploads in
progress. A chunk is appended only at the current end of the partial file, and fsynced before the
server answers; when the file reaches its announced size it is hashed, and either renamed into
place (verified) or discarded.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from sync.server.errors import HashMismatchError, OffsetMismatchError, TooLargeError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows servers lock within one process only
    fcntl = None  # type: ignore[assignment]


class DocumentStorage(Protocol):
    """Where verified documents and partial uploads live."""

    def offset(self, sha256: str) -> int:
        """How many bytes of this document the server holds (its size once complete)."""

    def complete(self, sha256: str) -> bool:
        """Whether the document is stored and verified."""

    def append(self, sha256: str, size: int, offset: int, data: bytes) -> int:
        """Append a chunk at `offset`; return the new offset. Verify and publish when `size` is reached."""

    def open(self, sha256: str) -> BinaryIO:
        """Read a verified document."""

    def verify(self, sha256: str) -> bool:
        """Re-hash a stored document (audits and tests)."""


def _fsync_dir(path: Path) -> None:
    if os.name == "nt":  # pragma: no cover
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class DiskStorage:
    """Documents as files below one folder; safe across threads and (with fcntl) worker processes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.documents = root / "documents"
        self.partial = root / "partial"
        self.locks = root / "locks"
        for folder in (self.documents, self.partial, self.locks):
            folder.mkdir(parents=True, exist_ok=True)
        self._guard = threading.Lock()
        self._thread_locks: dict[str, threading.Lock] = {}

    def path_of(self, sha256: str) -> Path:
        """Where a verified document lives."""
        _check_digest(sha256)
        return self.documents / sha256[:2] / sha256

    def _partial_of(self, sha256: str) -> Path:
        return self.partial / f"{sha256}.part"

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

    def complete(self, sha256: str) -> bool:
        """Whether the document is stored and verified."""
        return self.path_of(sha256).exists()

    def offset(self, sha256: str) -> int:
        """Bytes held: the size of a verified document, else of its partial upload, else 0."""
        final = self.path_of(sha256)
        if final.exists():
            return final.stat().st_size
        try:
            return self._partial_of(sha256).stat().st_size
        except FileNotFoundError:
            return 0

    def append(self, sha256: str, size: int, offset: int, data: bytes) -> int:
        """Append `data` at `offset` of a document of `size` bytes; return the new offset."""
        _check_digest(sha256)
        with self._locked(sha256):
            final = self.path_of(sha256)
            if final.exists():
                return final.stat().st_size
            partial = self._partial_of(sha256)
            current = partial.stat().st_size if partial.exists() else 0
            if offset != current:
                raise OffsetMismatchError(current)
            end = offset + len(data)
            if end > size:
                raise TooLargeError(
                    f"Potongan melewati ukuran dokumen yang diumumkan ({end} > {size} bita).", {"size": size}
                )
            with partial.open("ab") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            if end < size:
                return end
            if file_sha256(partial) != sha256:
                partial.unlink(missing_ok=True)
                raise HashMismatchError(
                    "Isi dokumen tidak cocok dengan sidik SHA-256-nya; dokumen dibuang dan harus diunggah ulang.",
                    {"sha256": sha256},
                )
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(partial, final)
            _fsync_dir(final.parent)
            return end

    def open(self, sha256: str) -> BinaryIO:
        """Read a verified document."""
        return self.path_of(sha256).open("rb")

    def verify(self, sha256: str) -> bool:
        """Re-hash a stored document."""
        path = self.path_of(sha256)
        return path.exists() and file_sha256(path) == sha256

    def stored(self) -> Iterator[str]:
        """Every verified document's hash."""
        for path in self.documents.glob("??/*"):
            if len(path.name) == 64:
                yield path.name


def _check_digest(sha256: str) -> None:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a SHA-256 hex digest")
