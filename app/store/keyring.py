"""The key file: the database key, sealed once per officer.

It lives beside the database (keys.json) because it must be readable before the database is
open. It holds no citizen data: officer user names, salts, KDF parameters, wrapped keys.
Writes are atomic (temp file, fsync, rename), so a power cut leaves the old or the new file.

Format 2: each officer has an X25519 key pair whose private half is wrapped under the officer's
password (scrypt, AES-GCM); the database key is sealed to the public half. So a supervisor who
deactivates an officer can seal a *new* database key to every remaining officer without knowing
their passwords (see Store.deactivate_officer). While a re-key is under way an entry carries the
next key too ("pending"): a power cut at any point leaves a key file that opens the database.

Format 1 entries (the database key wrapped directly under the password) are still read; the next
correct password upgrades the entry. The failed-log-in counters that format 1 kept here moved to
lockout.json (see lockout.py); format 1's counters carry over once.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path

from app.fileio import atomic_write
from app.store.crypto import (
    SALT_BYTES,
    DecryptionError,
    ScryptParams,
    derive_password_key,
    new_keypair,
    open_sealed,
    open_sealed_to,
    seal,
    seal_to,
)
from app.store.errors import KeyFileError, WrongPasswordError
from app.store.lockout import Attempts, Lockout, lockout_delay

FORMAT = 2
READABLE_FORMATS = (1, 2)

__all__ = ["FORMAT", "KeyFile", "Unwrapped", "WrappedKey", "lockout_delay"]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise ValueError("expected base64 text")
    return base64.b64decode(text, validate=True)


def _aad(username: str) -> bytes:
    return b"loket-database-key:" + username.encode("utf-8")


def _private_aad(username: str) -> bytes:
    return b"loket-officer-key:" + username.encode("utf-8")


@dataclass
class WrappedKey:
    """One officer's copy of the database key.

    `sealed` is the database key sealed to `public` (format 2), or, for an entry without a key pair
    (format 1), wrapped directly under the password key.
    """

    salt: bytes
    params: ScryptParams
    sealed: bytes
    must_change: bool = False
    private: bytes = b""
    public: bytes = b""
    pending: bytes = b""

    @property
    def legacy(self) -> bool:
        """An entry from format 1: it cannot receive a new key without the officer's password."""
        return not self.public

    def to_dict(self) -> dict[str, object]:
        """JSON form."""
        data: dict[str, object] = {
            "salt": _b64(self.salt),
            "kdf": self.params.to_dict(),
            "sealed": _b64(self.sealed),
            "must_change": self.must_change,
        }
        if not self.legacy:
            data.update(scheme="x25519-v1", private=_b64(self.private), public=_b64(self.public))
        if self.pending:
            data["pending"] = _b64(self.pending)
        return data

    @classmethod
    def from_dict(cls, data: object) -> WrappedKey:
        """Read the JSON form; raise ValueError if it is damaged."""
        if not isinstance(data, dict):
            raise ValueError("entry is not an object")
        entry = cls(
            salt=_unb64(data.get("salt")),
            params=ScryptParams.from_dict(data.get("kdf")),
            sealed=_unb64(data.get("sealed")),
            must_change=bool(data.get("must_change", False)),
        )
        if data.get("scheme") == "x25519-v1":
            entry.private, entry.public = _unb64(data.get("private")), _unb64(data.get("public"))
            if len(entry.public) != 32:
                raise ValueError("bad public key")
        elif "scheme" in data:
            raise ValueError(f"unknown scheme {data.get('scheme')!r}")
        if "pending" in data:
            entry.pending = _unb64(data.get("pending"))
        return entry


@dataclass(frozen=True)
class Unwrapped:
    """What an officer's password opens: the database key, and the next one while a re-key is under way."""

    key: bytes
    pending: bytes | None
    must_change: bool


class KeyFile:
    """Reads and writes keys.json; counts wrong passwords in lockout.json beside it."""

    def __init__(self, path: Path, params: ScryptParams | None = None, *, count_failures: bool = True) -> None:
        self.path = path
        self.params = params or ScryptParams()
        self.entries: dict[str, WrappedKey] = {}
        legacy: dict[str, Attempts] = {}
        if path.exists():
            legacy = self._read()
        # A backup's key file (restore) is checked without a counter: whoever holds the file can
        # try passwords offline anyway.
        self.lockout: Lockout | None = Lockout(path.parent, legacy or None) if count_failures else None

    def _read(self) -> dict[str, Attempts]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("format") not in READABLE_FORMATS:
                raise ValueError("unknown key file format")
            officers = data.get("officers")
            if not isinstance(officers, dict):
                raise ValueError("no officers")
            self.entries = {str(name): WrappedKey.from_dict(entry) for name, entry in officers.items()}
            if data.get("format") == 1:
                return {
                    str(name): Attempts(int(entry.get("failures", 0)), float(entry.get("last_failure", 0.0)))
                    for name, entry in officers.items()
                }
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            raise KeyFileError(str(self.path), str(exc)) from None
        return {}

    def save(self) -> None:
        """Write the file atomically."""
        payload = {"format": FORMAT, "officers": {name: entry.to_dict() for name, entry in self.entries.items()}}
        atomic_write(self.path, json.dumps(payload, indent=1).encode("utf-8"))

    def usernames(self) -> list[str]:
        """Officers who can unlock this installation."""
        return sorted(self.entries)

    # -- one officer ------------------------------------------------------------------------------
    def _entry(self, username: str, kek: bytes, salt: bytes, params: ScryptParams, database_key: bytes) -> WrappedKey:
        private, public = new_keypair()
        return WrappedKey(
            salt=salt,
            params=params,
            sealed=seal_to(public, database_key, _aad(username)),
            private=seal(kek, private, _private_aad(username)),
            public=public,
        )

    def wrap(self, username: str, password: str, database_key: bytes, *, must_change: bool = False) -> None:
        """Store (or replace) the officer's copy of the database key under a new password."""
        salt = os.urandom(SALT_BYTES)
        entry = self._entry(username, derive_password_key(password, salt, self.params), salt, self.params, database_key)
        entry.must_change = must_change
        self.entries[username] = entry
        self.save()

    def remove(self, username: str) -> None:
        """Forget an officer's copy (a deactivated officer can no longer unlock)."""
        if self.entries.pop(username, None) is not None:
            self.save()

    def unwrap(self, username: str, password: str, now: float | None = None) -> Unwrapped:
        """Open the officer's copy of the key; count failures and enforce the growing delay."""
        if self.lockout is not None:
            self.lockout.check(username, now)
        entry = self.entries.get(username)
        if entry is None:
            raise WrongPasswordError(0.0)
        kek = derive_password_key(password, entry.salt, entry.params)
        pending: bytes | None = None
        try:
            if entry.legacy:
                key = open_sealed(kek, entry.sealed, _aad(username))
            else:
                private = open_sealed(kek, entry.private, _private_aad(username))
                key = open_sealed_to(private, entry.sealed, _aad(username))
                if entry.pending:
                    pending = open_sealed_to(private, entry.pending, _aad(username))
        except DecryptionError:
            delay = self.lockout.failed(username, now) if self.lockout is not None else 0.0
            raise WrongPasswordError(delay) from None
        if self.lockout is not None:
            self.lockout.succeeded(username)
        if entry.legacy:
            upgraded = self._entry(username, kek, entry.salt, entry.params, key)
            upgraded.must_change = entry.must_change
            self.entries[username] = upgraded
            self.save()
        return Unwrapped(key, pending, entry.must_change)

    # -- re-keying --------------------------------------------------------------------------------
    @property
    def rekey_pending(self) -> bool:
        """Whether a re-key was started and not finished (the next key is sealed beside the current one)."""
        return any(entry.pending for entry in self.entries.values())

    def begin_rekey(self, next_key: bytes, remove: list[str]) -> list[str]:
        """Drop `remove`, seal the next key to every other officer; return those who need a new password.

        Officers whose entry has no key pair yet (format 1, not logged in since the upgrade) cannot
        receive the next key without their password: their entry is dropped and a supervisor gives
        them a temporary password.
        """
        for username in remove:
            self.entries.pop(username, None)
        dropped = sorted(name for name, entry in self.entries.items() if entry.legacy)
        for name in dropped:
            del self.entries[name]
        for name, entry in self.entries.items():
            entry.pending = seal_to(entry.public, next_key, _aad(name))
        self.save()
        return dropped

    def finish_rekey(self) -> None:
        """The database now uses the next key: it becomes every officer's current key."""
        for entry in self.entries.values():
            if entry.pending:
                entry.sealed, entry.pending = entry.pending, b""
        self.save()
