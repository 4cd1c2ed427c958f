"""The failed-log-in counters: a growing wait after wrong passwords that editing the file does not undo.

The counters live in lockout.json beside the key file, with an HMAC-SHA256 under a random device
secret (device.secret, made at first run). A counter file that is missing, unreadable, or whose
HMAC does not match counts as the maximum lockout for every officer, anchored at the moment it was
found: deleting or editing the file never shortens a wait, it starts the longest one. A correct
password then writes a fresh, authenticated record.

Why not more: log-in happens before any officer secret is known, so the only key available to check
the counters is one the laptop's users can read too (Windows gives every user of the laptop write
access to %PROGRAMDATA%\\Loket). Someone who reads Loket's source and the device secret can forge a
record, and a saved copy of an older record can be put back. Neither this counter nor any other helps
against a copy of keys.json taken to another machine; what holds there is scrypt's cost (about half a
second and 128 MiB per guess) and the password rules (at least 10 characters, no common passwords).
The counter stops guessing at the keyboard and casual edits; docs/installing.md says so.
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from app.fileio import atomic_write
from app.store.crypto import KEY_BYTES, mac, mac_matches
from app.store.errors import LockedOutError

log = logging.getLogger("loket.store")

FORMAT = 1
FILE_NAME = "lockout.json"
SECRET_NAME = "device.secret"
FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 300.0


def lockout_delay(failures: int) -> float:
    """Seconds an officer must wait after `failures` wrong passwords in a row (doubling, capped)."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return min(MAX_DELAY_SECONDS, 2.0 ** (failures - FREE_ATTEMPTS + 1))


def _max_failures() -> int:
    failures = FREE_ATTEMPTS
    while lockout_delay(failures) < MAX_DELAY_SECONDS:
        failures += 1
    return failures


# What a missing or changed counter file counts as: the longest wait.
MAX_FAILURES = _max_failures()


@dataclass
class Attempts:
    """One officer's wrong passwords in a row and when the last one was typed."""

    failures: int = 0
    last_failure: float = 0.0

    def wait(self, now: float) -> float:
        """Seconds left before the next attempt is allowed."""
        return max(0.0, self.last_failure + lockout_delay(self.failures) - now)


class Lockout:
    """Reads, checks and writes lockout.json for one installation folder."""

    def __init__(self, folder: Path, legacy: dict[str, Attempts] | None = None) -> None:
        self.path = folder / FILE_NAME
        self.secret_path = folder / SECRET_NAME
        self.legacy = legacy
        # Officers without a record of their own take `default` (a fresh file: no failures; a
        # missing or changed one: the maximum, from the moment it was found).
        self.default = Attempts()
        self.officers: dict[str, Attempts] = {}
        self.tampered = False

    # -- state on disk ----------------------------------------------------------------------------
    def _secret(self, create: bool) -> bytes | None:
        try:
            secret = self.secret_path.read_bytes()
            if len(secret) == KEY_BYTES:
                return secret
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.warning("device secret unreadable: %s", exc.strerror)
            return None
        if not create:
            return None
        secret = os.urandom(KEY_BYTES)
        try:
            atomic_write(self.secret_path, secret)
            os.chmod(self.secret_path, 0o600)
        except OSError as exc:
            log.warning("device secret could not be written: %s", exc.strerror)
        return secret

    @staticmethod
    def _body(default: Attempts, officers: dict[str, Attempts]) -> bytes:
        state = {
            "default": [default.failures, default.last_failure],
            "officers": {name: [a.failures, a.last_failure] for name, a in sorted(officers.items())},
        }
        return json.dumps(state, sort_keys=True, separators=(",", ":")).encode("utf-8")

    def load(self, now: float) -> None:
        """Read the counters; a missing or changed file starts the maximum lockout (and is rewritten)."""
        secret = self._secret(create=False)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            state = data["state"]
            body = json.dumps(state, sort_keys=True, separators=(",", ":")).encode("utf-8")
            if data.get("format") != FORMAT or secret is None or not mac_matches(secret, body, data.get("mac")):
                raise ValueError("counter file changed or its device secret is gone")
            failures, last = state["default"]
            self.default = Attempts(int(failures), float(last))
            self.officers = {str(k): Attempts(int(v[0]), float(v[1])) for k, v in state["officers"].items()}
            self.tampered = False
            return
        except FileNotFoundError:
            if self.legacy is not None:
                # A key file from before this file existed: its counters carry over once.
                self.default, self.officers, self.tampered = Attempts(), dict(self.legacy), False
                self.save()
                return
            problem = "missing"
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            problem = str(exc) or type(exc).__name__
        log.warning("failed-log-in counters %s: every officer waits the maximum", problem)
        self.default, self.officers, self.tampered = Attempts(MAX_FAILURES, now), {}, True
        self.save()

    def save(self) -> None:
        """Write the counters with their HMAC (atomic; a failure to write is logged, not raised)."""
        secret = self._secret(create=True)
        if secret is None:
            return
        body = self._body(self.default, self.officers)
        payload = {"format": FORMAT, "state": json.loads(body), "mac": mac(secret, body)}
        try:
            atomic_write(self.path, json.dumps(payload, indent=1).encode("utf-8"))
        except OSError as exc:
            log.warning("failed-log-in counters could not be written: %s", exc.strerror)

    def reset(self) -> None:
        """A fresh record with no failures (first run, and after a verified restore)."""
        self.default, self.officers, self.tampered = Attempts(), {}, False
        self.save()

    # -- attempts ---------------------------------------------------------------------------------
    def attempts(self, username: str) -> Attempts:
        """The officer's current record."""
        return self.officers.get(username, Attempts(self.default.failures, self.default.last_failure))

    def check(self, username: str, now: float | None = None) -> None:
        """Raise LockedOutError while the officer must still wait."""
        now = time.time() if now is None else now
        self.load(now)
        wait = self.attempts(username).wait(now)
        if wait > 0:
            raise LockedOutError(wait, tampered=self.tampered)

    def failed(self, username: str, now: float | None = None) -> float:
        """Count a wrong password; return the wait before the next attempt."""
        now = time.time() if now is None else now
        record = self.attempts(username)
        self.officers[username] = Attempts(record.failures + 1, now)
        self.save()
        return lockout_delay(record.failures + 1)

    def succeeded(self, username: str) -> None:
        """A correct password clears the officer's counter."""
        record = self.attempts(username)
        if record.failures or username not in self.officers:
            self.officers[username] = Attempts()
            self.save()
