"""The server key: AES-256-GCM over scans and packages at rest, kept apart from the database.

Where the key comes from, first match wins:
  1. `LOKET_SERVER_KEY`: the key itself (base64 of 32 bytes; several separated by commas, newest first);
  2. `LOKET_SERVER_KEY_FILE`: a key file;
  3. `loket-server.key` beside the document folder (made on first start, mode 0600).
A key file holds one base64 key per line, the current one first; older ones follow while
`loket-server keys rotate` re-encrypts what they sealed. Every sealed value names its key by an
8-byte id, so a half-finished rotation still reads. The database never holds a key.

One process uses one key ring: the document storage activates it when it opens, and packages read
from the database (`read_package`) are opened with it.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import logging
import os
import stat
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.errors import KnownError
from sync.server.secretfile import create_secret

log = logging.getLogger("loket.sync.server")

ENV_KEY = "LOKET_SERVER_KEY"
ENV_KEY_FILE = "LOKET_SERVER_KEY_FILE"
KEY_FILE_NAME = "loket-server.key"
KEY_BYTES = 32
KEY_ID_BYTES = 8
NONCE_BYTES = 12
TAG_BYTES = 16
MAGIC = b"LKE1"  # a sealed blob: MAGIC, key id, nonce, ciphertext with its tag
HEADER_BYTES = len(MAGIC) + KEY_ID_BYTES + NONCE_BYTES
PACKAGE_PREFIX = "enc1:"
PACKAGE_CONTEXT = b"loket-package"


class KeyProblemError(KnownError):
    """The server key is missing, unreadable, or does not open what it should (message for Dinas IT)."""


class SealedRow(Protocol):
    """A row holding a package (Submission, Conflict)."""

    package: str


def key_id(key: bytes) -> bytes:
    """A key's short public name (not a secret: a hash of the key with a fixed context)."""
    return hashlib.sha256(b"loket-server-key-id\0" + key).digest()[:KEY_ID_BYTES]


@dataclass(frozen=True)
class Keyring:
    """The current key (seals) and older ones (still open what they sealed)."""

    keys: tuple[bytes, ...]
    source: str = ""

    def __post_init__(self) -> None:
        if not self.keys or any(len(k) != KEY_BYTES for k in self.keys):
            raise KeyProblemError("Kunci server harus 32 bita (base64).")

    @property
    def current(self) -> bytes:
        """The key new data is sealed with."""
        return self.keys[0]

    def seal(self, data: bytes, context: bytes) -> bytes:
        """Encrypt and authenticate `data`, bound to `context` (e.g. the document's hash)."""
        kid = key_id(self.current)
        nonce = os.urandom(NONCE_BYTES)
        return MAGIC + kid + nonce + AESGCM(self.current).encrypt(nonce, data, MAGIC + kid + context)

    def open(self, blob: bytes, context: bytes) -> bytes:
        """Decrypt a sealed blob; KeyProblemError when no key of the ring opens it or it was changed."""
        if not is_sealed(blob) or len(blob) < HEADER_BYTES + TAG_BYTES:
            raise KeyProblemError("Data terenkripsi rusak (kepala berkas tidak dikenal).")
        kid = blob[len(MAGIC) : len(MAGIC) + KEY_ID_BYTES]
        nonce = blob[len(MAGIC) + KEY_ID_BYTES : HEADER_BYTES]
        for key in self.keys:
            if key_id(key) == kid:
                try:
                    return AESGCM(key).decrypt(nonce, blob[HEADER_BYTES:], MAGIC + kid + context)
                except InvalidTag:
                    raise KeyProblemError("Data terenkripsi gagal diautentikasi: berkas rusak atau diubah.") from None
        raise KeyProblemError(
            f"Data dienkripsi dengan kunci {kid.hex()} yang tidak ada pada kunci server ({self.source or '-'}). "
            "Pasang berkas kunci yang benar (lihat docs/security.md)."
        )

    def is_current(self, blob: bytes) -> bool:
        """Whether a sealed blob is sealed with the current key."""
        return blob[len(MAGIC) : len(MAGIC) + KEY_ID_BYTES] == key_id(self.current)


def is_sealed(blob: bytes) -> bool:
    """Whether bytes are a sealed blob (scans are images or PDFs: none begins with the magic)."""
    return blob[: len(MAGIC)] == MAGIC


def new_key() -> bytes:
    """A fresh random AES-256 key."""
    return AESGCM.generate_key(bit_length=256)


def parse_keys(text: str, source: str) -> Keyring:
    """Keys from a key file's text or the environment variable (base64, one per line or comma)."""
    keys = []
    for raw in text.replace(",", "\n").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            keys.append(base64.b64decode(line, validate=True))
        except (binascii.Error, ValueError):
            raise KeyProblemError(f"Kunci server di {source} bukan base64 yang sah.") from None
    if not keys:
        raise KeyProblemError(f"Tidak ada kunci server di {source}.")
    return Keyring(tuple(keys), source)


def key_file_for(storage_dir: Path) -> Path:
    """Where the key file of a document folder is: `LOKET_SERVER_KEY_FILE`, else beside the folder."""
    named = os.environ.get(ENV_KEY_FILE)
    if named:
        return Path(named)
    return storage_dir.absolute().parent / KEY_FILE_NAME


def write_key_file(path: Path, keys: tuple[bytes, ...]) -> None:
    """Write a key file (mode 0600) atomically: temp, fsync, rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    text = "# Kunci server Loket: jangan disalin ke cadangan yang sama dengan basis data dan dokumen.\n"
    text += "".join(base64.b64encode(k).decode("ascii") + "\n" for k in keys)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, text.encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, path)
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def load(storage_dir: Path, *, create: bool = True) -> Keyring:
    """The key ring for a document folder: from the environment, else its key file (made when missing)."""
    env = os.environ.get(ENV_KEY)
    if env:
        return parse_keys(env, ENV_KEY)
    path = key_file_for(storage_dir)
    if not path.exists():
        if not create:
            raise KeyProblemError(
                f"Berkas kunci server {path} tidak ada. Pasang kunci dari cadangan kunci, atau setel "
                f"{ENV_KEY_FILE} / {ENV_KEY} (lihat docs/security.md)."
            )
        if create_secret(path, base64.b64encode(new_key()) + b"\n"):  # else another worker just made it
            log.warning("a new server key was made at %s: back it up apart from the database", path)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("the server key file %s was readable by others (mode %o): set to 0600", path, mode)
        path.chmod(0o600)
    return parse_keys(path.read_text(encoding="ascii"), str(path))


_lock = threading.Lock()
_active: Keyring | None = None


def activate(keyring: Keyring) -> None:
    """Make this the process's key ring (the document storage does this when it opens)."""
    global _active  # noqa: PLW0603 - one key ring per process, like the one bound database
    with _lock:
        _active = keyring


def active() -> Keyring:
    """The process's key ring; without one, the key of the default document folder (administration commands)."""
    with _lock:
        if _active is not None:
            return _active
    from sync.server.cli import default_storage  # noqa: PLC0415 - the one place that knows the defaults

    keyring = load(Path(default_storage()), create=False)
    activate(keyring)
    return keyring


@contextlib.contextmanager
def using(keyring: Keyring) -> Iterator[None]:
    """Use a key ring for a block (restores the previous one)."""
    global _active  # noqa: PLW0603
    with _lock:
        previous = _active
        _active = keyring
    try:
        yield
    finally:
        with _lock:
            _active = previous


def seal_package(text: str) -> str:
    """A package's JSON as stored in the database: sealed with the server key, in base64."""
    return PACKAGE_PREFIX + base64.b64encode(active().seal(text.encode("utf-8"), PACKAGE_CONTEXT)).decode("ascii")


def open_package(stored: str, keyring: Keyring | None = None) -> str:
    """The package JSON of a stored value (sealed, or plaintext from before encryption)."""
    if not stored.startswith(PACKAGE_PREFIX):
        return stored
    blob = base64.b64decode(stored[len(PACKAGE_PREFIX) :])
    return (keyring or active()).open(blob, PACKAGE_CONTEXT).decode("utf-8")


def read_package(row: SealedRow) -> str:
    """The package JSON of a Submission or Conflict row: the one way packages are read from the database."""
    return open_package(row.package)


def package_is_current(stored: str, keyring: Keyring) -> bool:
    """Whether a stored package is sealed with the ring's current key (rotation skips those)."""
    if not stored.startswith(PACKAGE_PREFIX):
        return False
    return keyring.is_current(base64.b64decode(stored[len(PACKAGE_PREFIX) : len(PACKAGE_PREFIX) + 32]))


@dataclass(frozen=True)
class RotationReport:
    """What `keys rotate` re-encrypted."""

    key_file: str
    documents: int
    partials: int
    packages: int
    key_id: str


def rotate(storage_dir: Path) -> RotationReport:
    """A new server key: every document, partial upload and package re-sealed with it, then the old key dropped.

    Stop every server process first (they hold the key ring in memory). The key file holds both keys
    until the end, so a rotation cut short is simply run again.
    """
    from sync.server import audit  # noqa: PLC0415 - the models need a bound database, keys do not
    from sync.server.db import in_transaction  # noqa: PLC0415
    from sync.server.models import Conflict, Submission  # noqa: PLC0415
    from sync.server.storage import DiskStorage  # noqa: PLC0415

    if os.environ.get(ENV_KEY):
        raise KeyProblemError(
            f"Kunci server diambil dari {ENV_KEY}: rotasi hanya untuk berkas kunci. Pindahkan kunci ke berkas "
            f"({ENV_KEY_FILE}) lalu jalankan lagi."
        )
    old = load(storage_dir, create=False)
    path = key_file_for(storage_dir)
    ring = Keyring((new_key(), *old.keys), str(path))
    write_key_file(path, ring.keys)
    storage = DiskStorage(storage_dir, ring)
    documents = sum(1 for sha in list(storage.stored()) if storage.reseal(sha, ring))
    partials = 0
    for item in list(storage.partials()):
        storage.reseal_partial(item, ring)
        partials += 1
    packages = 0
    for model in (Submission, Conflict):
        for row in model.select(model.id, model.package).iterator():
            if package_is_current(row.package, ring):
                continue
            text = open_package(row.package, ring)
            sealed = PACKAGE_PREFIX + base64.b64encode(ring.seal(text.encode("utf-8"), PACKAGE_CONTEXT)).decode()
            model.update(package=sealed).where(model.id == row.id).execute()
            packages += 1
    final = Keyring((ring.current,), str(path))
    write_key_file(path, final.keys)
    activate(final)
    kid = key_id(final.current).hex()
    in_transaction(
        lambda: audit.record(
            "sistem", "keys.rotate", kid, {"documents": documents, "packages": packages, "partials": partials}
        )
    )
    return RotationReport(str(path), documents, partials, packages, kid)
