"""The key file: the database key wrapped once per officer, and the failed-login counters.

It lives beside the database (keys.json) because it must be readable before the database is
open. It holds no citizen data: officer user names, salts, KDF parameters, wrapped keys.
Writes are atomic (temp file, fsync, rename), so a power cut leaves the old or the new file.
"""

from __future__ import annotations

import base64
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from app.fileio import atomic_write
from app.store.crypto import (
    SALT_BYTES,
    DecryptionError,
    ScryptParams,
    derive_password_key,
    open_sealed,
    seal,
)
from app.store.errors import KeyFileError, LockedOutError, WrongPasswordError

FORMAT = 1
FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 300.0


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise ValueError("expected base64 text")
    return base64.b64decode(text, validate=True)


def lockout_delay(failures: int) -> float:
    """Seconds an officer must wait after `failures` wrong passwords in a row (doubling, capped)."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return min(MAX_DELAY_SECONDS, 2.0 ** (failures - FREE_ATTEMPTS + 1))


@dataclass
class WrappedKey:
    """One officer's copy of the database key."""

    salt: bytes
    params: ScryptParams
    sealed: bytes
    must_change: bool = False
    failures: int = 0
    last_failure: float = 0.0

    def to_dict(self) -> dict[str, object]:
        """JSON form."""
        return {
            "salt": _b64(self.salt),
            "kdf": self.params.to_dict(),
            "sealed": _b64(self.sealed),
            "must_change": self.must_change,
            "failures": self.failures,
            "last_failure": self.last_failure,
        }

    @classmethod
    def from_dict(cls, data: object) -> WrappedKey:
        """Read the JSON form; raise ValueError if it is damaged."""
        if not isinstance(data, dict):
            raise ValueError("entry is not an object")
        return cls(
            salt=_unb64(data.get("salt")),
            params=ScryptParams.from_dict(data.get("kdf")),
            sealed=_unb64(data.get("sealed")),
            must_change=bool(data.get("must_change", False)),
            failures=int(data.get("failures", 0)),
            last_failure=float(data.get("last_failure", 0.0)),
        )


def _aad(username: str) -> bytes:
    return b"loket-database-key:" + username.encode("utf-8")


class KeyFile:
    """Reads and writes keys.json."""

    def __init__(self, path: Path, params: ScryptParams | None = None) -> None:
        self.path = path
        self.params = params or ScryptParams()
        self.entries: dict[str, WrappedKey] = {}
        if path.exists():
            self._read()

    def _read(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise ValueError("unknown key file format")
            officers = data.get("officers")
            if not isinstance(officers, dict):
                raise ValueError("no officers")
            self.entries = {str(name): WrappedKey.from_dict(entry) for name, entry in officers.items()}
        except (OSError, ValueError, TypeError) as exc:
            raise KeyFileError(str(self.path), str(exc)) from None

    def save(self) -> None:
        """Write the file atomically."""
        payload = {"format": FORMAT, "officers": {name: entry.to_dict() for name, entry in self.entries.items()}}
        atomic_write(self.path, json.dumps(payload, indent=1).encode("utf-8"))

    def usernames(self) -> list[str]:
        """Officers who can unlock this installation."""
        return sorted(self.entries)

    def wrap(self, username: str, password: str, database_key: bytes, *, must_change: bool = False) -> None:
        """Store (or replace) the officer's copy of the database key under a new password."""
        salt = os.urandom(SALT_BYTES)
        kek = derive_password_key(password, salt, self.params)
        self.entries[username] = WrappedKey(salt, self.params, seal(kek, database_key, _aad(username)), must_change)
        self.save()

    def remove(self, username: str) -> None:
        """Forget an officer's copy (a deactivated officer can no longer unlock)."""
        if self.entries.pop(username, None) is not None:
            self.save()

    def unwrap(self, username: str, password: str, now: float | None = None) -> tuple[bytes, bool]:
        """Return (database key, must change password); count failures and enforce the growing delay."""
        now = time.time() if now is None else now
        entry = self.entries.get(username)
        if entry is None:
            raise WrongPasswordError(0.0)
        wait = entry.last_failure + lockout_delay(entry.failures) - now
        if wait > 0:
            raise LockedOutError(wait)
        try:
            key = open_sealed(derive_password_key(password, entry.salt, entry.params), entry.sealed, _aad(username))
        except DecryptionError:
            entry.failures += 1
            entry.last_failure = now
            self.save()
            raise WrongPasswordError(lockout_delay(entry.failures)) from None
        if entry.failures:
            entry.failures = 0
            entry.last_failure = 0.0
            self.save()
        return key, entry.must_change
