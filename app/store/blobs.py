"""Encrypted, content-addressed blob files (scans): written durably before any row points to them.

A blob is named by the SHA-256 of its plaintext, stored at blobs/ab/abcdef....blob as
nonce || AES-256-GCM(ciphertext + tag), with the hash as associated data (a file renamed to another
hash fails to decrypt). Writes go temp file -> fsync -> rename -> fsync folder.

New blobs are sealed under a key derived from the current database key. After a re-key (an officer
deactivated) older blobs keep the key they were written with: the earlier database keys are kept
inside the encrypted database (Store.previous_keys) and tried in turn when reading.
"""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.fileio import fsync_dir
from app.store.crypto import DecryptionError, derive_subkey, open_sealed, seal
from app.store.errors import BlobError, DiskFullError

SUFFIX = ".blob"


def digest_of(data: bytes) -> str:
    """The content address of some bytes."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class BlobReport:
    """What a full check of the blob folder found."""

    checked: int
    missing: tuple[str, ...]
    corrupt: tuple[str, ...]
    orphaned: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """No referenced blob is missing or damaged (orphans are only reported)."""
        return not self.missing and not self.corrupt


class BlobStore:
    """The blob folder of one installation."""

    def __init__(self, folder: Path, database_key: bytes, previous_keys: Sequence[bytes] = ()) -> None:
        self.folder = folder
        self._key = derive_subkey(database_key, "loket-blobs-v1")
        self._older = [derive_subkey(key, "loket-blobs-v1") for key in reversed(previous_keys)]

    def path_of(self, digest: str) -> Path:
        """Where a blob with this hash lives."""
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ValueError("not a SHA-256 hex digest")
        return self.folder / digest[:2] / f"{digest}{SUFFIX}"

    def put(self, data: bytes) -> str:
        """Store bytes durably (idempotent); return their hash. Raise DiskFullError when the disk is full."""
        digest = digest_of(data)
        target = self.path_of(digest)
        if target.exists():
            return digest
        if not target.parent.is_dir():
            # A new blobs/ab/ folder: its own entry in blobs/ must be durable too, or a power cut
            # loses the folder with every scan in it although each scan file was fsynced.
            target.parent.mkdir(parents=True, exist_ok=True)
            fsync_dir(target.parent.parent)
        tmp = target.with_name(f".{digest}.{os.getpid()}.tmp")
        try:
            with tmp.open("wb") as handle:
                handle.write(seal(self._key, data, digest.encode("ascii")))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
            fsync_dir(target.parent)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            if exc.errno == errno.ENOSPC:
                raise DiskFullError(str(exc)) from exc
            raise
        return digest

    def get(self, digest: str) -> bytes:
        """Read and verify one blob; raise BlobError if it is missing or damaged."""
        path = self.path_of(digest)
        try:
            sealed = path.read_bytes()
        except FileNotFoundError:
            raise BlobError(digest, "tidak ditemukan") from None
        except OSError as exc:
            raise BlobError(digest, f"rusak (tidak dapat dibaca: {exc.strerror})") from None
        for key in (self._key, *self._older):
            try:
                data = open_sealed(key, sealed, digest.encode("ascii"))
                break
            except DecryptionError:
                continue
        else:
            raise BlobError(digest, "rusak (isi berkas berubah)")
        if digest_of(data) != digest:
            raise BlobError(digest, "rusak (isi tidak cocok)")
        return data

    def exists(self, digest: str) -> bool:
        """Whether a blob file is present (not verified)."""
        return self.path_of(digest).exists()

    def stored(self) -> Iterator[str]:
        """Every blob hash on disk."""
        if not self.folder.exists():
            return
        for path in self.folder.glob(f"??/*{SUFFIX}"):
            yield path.name[: -len(SUFFIX)]

    def remove_temporaries(self) -> int:
        """Delete temp files left by a crash mid-write; return how many."""
        count = 0
        for path in self.folder.glob("??/.*.tmp"):
            path.unlink(missing_ok=True)
            count += 1
        return count

    def check(self, referenced: Iterable[str]) -> BlobReport:
        """Verify every referenced blob (present, decrypts, right hash) and list orphans on disk."""
        wanted = set(referenced)
        missing: list[str] = []
        corrupt: list[str] = []
        for digest in sorted(wanted):
            try:
                self.get(digest)
            except BlobError as exc:
                (missing if "tidak ditemukan" in exc.message else corrupt).append(digest)
        orphaned = sorted(set(self.stored()) - wanted)
        return BlobReport(len(wanted), tuple(missing), tuple(corrupt), tuple(orphaned))
