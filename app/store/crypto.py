"""Key derivation and authenticated encryption used by the local store (cryptography's primitives only).

- An officer's password becomes a key-encryption key with scrypt. Parameters: N = 2**17, r = 8,
  p = 1 (128 MiB, about half a second on an outpost laptop; OWASP's recommended minimum). They are
  stored beside every wrapped key, so they can be raised later without locking anyone out.
- The random 256-bit database key is wrapped with AES-256-GCM under that key, once per officer.
- Since key-file format 2 each officer also has an X25519 key pair: the private key is wrapped under
  the password key, and the database key is sealed to the public key (ephemeral X25519, HKDF, AES-GCM).
  A supervisor can so hand a new database key to every remaining officer without their passwords.
- Blob files are encrypted with AES-256-GCM under a key derived from the database key with HKDF.
- Backups carry an HMAC-SHA256 under another key derived from the database key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 16


class DecryptionError(Exception):
    """The key is wrong or the data was changed (AES-GCM authentication failed)."""


@dataclass(frozen=True)
class ScryptParams:
    """scrypt cost parameters (stored with every wrapped key)."""

    n: int = 2**17
    r: int = 8
    p: int = 1

    def to_dict(self) -> dict[str, int | str]:
        """JSON form."""
        return {"name": "scrypt", "n": self.n, "r": self.r, "p": self.p}

    @classmethod
    def from_dict(cls, data: object) -> ScryptParams:
        """Read the JSON form; reject anything that is not scrypt with sane numbers."""
        if not isinstance(data, dict) or data.get("name") != "scrypt":
            raise ValueError("unsupported key derivation")
        n, r, p = data.get("n"), data.get("r"), data.get("p")
        if not all(isinstance(v, int) and v > 0 for v in (n, r, p)):
            raise ValueError("bad scrypt parameters")
        return cls(int(str(n)), int(str(r)), int(str(p)))


def new_key() -> bytes:
    """A fresh random 256-bit key."""
    return os.urandom(KEY_BYTES)


def derive_password_key(password: str, salt: bytes, params: ScryptParams) -> bytes:
    """The key-encryption key for one officer's password.

    hashlib's scrypt (OpenSSL) releases the GIL while it works, so a log-in on the worker thread
    does not freeze the window for the half second it takes.
    """
    memory = 128 * params.r * params.n * params.p + 2**20
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=params.n, r=params.r, p=params.p, maxmem=memory * 2, dklen=KEY_BYTES
    )


def derive_subkey(master: bytes, purpose: str) -> bytes:
    """A key for one purpose (e.g. blobs) derived from the database key."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=purpose.encode()).derive(master)


def seal(key: bytes, plaintext: bytes, associated: bytes = b"") -> bytes:
    """Encrypt and authenticate: nonce || ciphertext+tag."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, associated)


def open_sealed(key: bytes, sealed: bytes, associated: bytes = b"") -> bytes:
    """Decrypt what seal() produced; raise DecryptionError on a wrong key or changed data."""
    if len(sealed) < NONCE_BYTES + 16:
        raise DecryptionError("data too short")
    try:
        return AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], associated)
    except InvalidTag:
        raise DecryptionError("authentication failed") from None


def new_keypair() -> tuple[bytes, bytes]:
    """A fresh X25519 key pair as raw bytes: (private, public)."""
    private = X25519PrivateKey.generate()
    return private.private_bytes_raw(), private.public_key().public_bytes_raw()


def _sealing_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    info = b"loket-seal-to-v1" + ephemeral + recipient
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=info).derive(shared)


def seal_to(public: bytes, plaintext: bytes, associated: bytes = b"") -> bytes:
    """Encrypt for the holder of an X25519 private key: ephemeral public key || seal()."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    return ephemeral_public + seal(_sealing_key(shared, ephemeral_public, public), plaintext, associated)


def open_sealed_to(private: bytes, sealed: bytes, associated: bytes = b"") -> bytes:
    """Decrypt what seal_to() produced; raise DecryptionError on a wrong key or changed data."""
    if len(sealed) < 32 + NONCE_BYTES + 16:
        raise DecryptionError("data too short")
    key = X25519PrivateKey.from_private_bytes(private)
    public = key.public_key().public_bytes_raw()
    try:
        shared = key.exchange(X25519PublicKey.from_public_bytes(sealed[:32]))
    except ValueError:
        raise DecryptionError("bad ephemeral key") from None
    return open_sealed(_sealing_key(shared, sealed[:32], public), sealed[32:], associated)


def mac(key: bytes, data: bytes) -> str:
    """HMAC-SHA256 of some bytes, as hex."""
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def mac_matches(key: bytes, data: bytes, expected: object) -> bool:
    """Whether `expected` is the HMAC of the data (constant-time compare)."""
    return isinstance(expected, str) and hmac.compare_digest(mac(key, data), expected)
