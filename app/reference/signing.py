"""The Dinas reference key: Ed25519, the private half at the Dinas (a file, never in a database), the
public half given to every outpost at enrolment. Keys travel as base64 of their 32 raw bytes."""

from __future__ import annotations

import base64
import binascii
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.errors import KnownError

KEY_BYTES = 32


class ReferenceKeyError(KnownError):
    """A reference key that is not a base64 Ed25519 key."""


def new_private_key() -> bytes:
    """A fresh Ed25519 private key (32 raw bytes)."""
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def decode_key(text: str, what: str = "kunci referensi") -> bytes:
    """32 raw key bytes from base64 text."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ReferenceKeyError(f"{what.capitalize()} bukan base64 yang sah.") from None
    if len(raw) != KEY_BYTES:
        raise ReferenceKeyError(f"{what.capitalize()} harus 32 bita.")
    return raw


def encode_key(raw: bytes) -> str:
    """Base64 text of 32 raw key bytes."""
    return base64.b64encode(raw).decode("ascii")


def public_key_of(private_key: bytes) -> bytes:
    """The public half (32 raw bytes) of a private key."""
    return (
        Ed25519PrivateKey.from_private_bytes(private_key)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )


def key_id(public_key: bytes) -> str:
    """A short public name of a key, printed by the commands and written into every manifest."""
    return hashlib.sha256(b"loket-reference-key\0" + public_key).hexdigest()[:16]


def sign(private_key: bytes, data: bytes) -> str:
    """The base64 Ed25519 signature of `data`."""
    return base64.b64encode(Ed25519PrivateKey.from_private_bytes(private_key).sign(data)).decode("ascii")


def verify(public_key: bytes, data: bytes, signature: str) -> bool:
    """Whether `signature` (base64) is the key's signature of `data`."""
    try:
        raw = base64.b64decode(signature.strip(), validate=True)
        Ed25519PublicKey.from_public_bytes(public_key).verify(raw, data)
    except (binascii.Error, ValueError, InvalidSignature):
        return False
    return True
