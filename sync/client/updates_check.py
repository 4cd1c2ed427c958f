"""Loket updates on the sync worker's thread: after a successful sync, check, download and stage.

    checker = UpdateCheck(client, listener=on_status)   # on_status(UpdateStatus) from the sync thread
    worker = SyncWorker(client, after_success=checker.after_sync)

Each check asks the Dinas for its rollout policy (reporting this laptop's version), verifies the
signed metadata, then downloads the patch (or the full archive) over the sync transport: the same
pinned TLS session, bandwidth cap and full-jitter backoff. A download gets at most `budget` seconds
per sync cycle and resumes at the next one, so the outbox is never held up behind an update.
What the officer needs to know arrives as an UpdateStatus (ui/updates.py shows it).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from app.errors import KnownError
from app.updates.errors import UpdateError
from app.updates.policy import Policy
from app.updates.state import UpdateHome
from app.updates.updater import Offer, Updater
from app.version import version
from sync.client.client import SyncClient
from sync.client.enrol import Credentials
from sync.client.pacing import Backoff

log = logging.getLogger("loket.updates")
CHECK_EVERY = 30 * 60.0  # seconds between checks (a sync runs every few minutes)
DOWNLOAD_BUDGET = 10 * 60.0  # seconds of downloading per sync cycle

Phase = Literal["idle", "downloading", "ready", "failed"]


class PolicyAnswer(BaseModel):
    """GET /v1/updates/policy."""

    policy: dict[str, Any]


@dataclass(frozen=True)
class UpdateStatus:
    """What the officer is shown about updates."""

    phase: Phase = "idle"
    version: str = ""  # the version offered, downloading or staged
    download_bytes: int = 0  # what the update costs to download (patch or full archive)
    received_bytes: int = 0
    security: bool = False
    notes: str = ""
    message: str = ""  # a failure's message (Bahasa Indonesia)


class UpdateCheck:
    """The update step of the sync worker (thread-safe status; the work runs on the caller's thread)."""

    def __init__(
        self,
        client: SyncClient,
        *,
        home: UpdateHome | None = None,
        current: str | None = None,
        root_json: Path | None = None,
        listener: Callable[[UpdateStatus], None] | None = None,
        every: float = CHECK_EVERY,
        budget: float = DOWNLOAD_BUDGET,
        backoff: Backoff | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.home = home or UpdateHome.resolve()
        self.current = current or version()
        self.root_json = root_json
        self.listener = listener
        self.every = every
        self.budget = budget
        self.backoff = backoff or Backoff()
        self.clock = clock
        self.sleep = sleep
        self._lock = threading.Lock()
        self._checked_at: float | None = None
        self._status = UpdateStatus()
        staged = self.home.load()
        if staged.pending:
            self._status = UpdateStatus(phase="ready", version=staged.pending, security=staged.security)

    @property
    def status(self) -> UpdateStatus:
        with self._lock:
            return self._status

    def _set(self, status: UpdateStatus) -> None:
        with self._lock:
            self._status = status
        if self.listener is not None:
            self.listener(status)

    def after_sync(self) -> None:
        """Called after each successful sync run: check when due (or while a download is unfinished)."""
        now = self.clock()
        due = self._checked_at is None or now - self._checked_at >= self.every
        if not due and self.status.phase != "downloading":
            return
        self._checked_at = now
        self.check_now()

    def check_now(self) -> UpdateStatus:
        """One check (and download and staging, when an update is offered); returns the new status."""
        transport = self.client.transport
        if transport is None:
            return self.status
        started = self.clock()
        try:
            credentials = Credentials.load()
            staged = self.home.load().pending or ""
            answer = self.client.retrier.call(
                lambda: transport.get("/v1/updates/policy", PolicyAnswer, params={"staged": staged})
            )
            if staged:
                return self.status  # waits for the next start (ui/updates.py asks the officer)
            updater = Updater(
                self.home,
                transport.base_url,
                self.current,
                session=transport.session,
                backoff=self.backoff,
                outpost=credentials.outpost_code,
                root_json=self.root_json,
                bucket=transport.bucket,
                sleep=self.sleep,
                on_progress=lambda done, total: self._progress(done),
                cancelled=lambda: self.client.cancel_event.is_set() or self.clock() - started > self.budget,
            )
            offer = updater.check(Policy.from_json(answer.policy))
            if offer is None:
                self._set(UpdateStatus())
                return self.status
            self._set(_status("downloading", offer))
            updater.download(offer)
            updater.stage(offer)
        except UpdateError as exc:
            if exc.kind == "paused":
                return self.status  # still "downloading": resumes after the next sync
            log.warning("update failed (%s): %s", exc.kind, exc.detail)
            self._set(replace(self.status, phase="failed", message=exc.message))
            return self.status
        except KnownError as exc:  # the policy request failed like any sync request: try again later
            log.info("update check not done: %s (%s %s)", exc.message, exc.detail, getattr(exc, "payload", ""))
            return self.status
        self._set(_status("ready", offer))
        return self.status

    def _progress(self, received: int) -> None:
        with self._lock:
            self._status = replace(self._status, received_bytes=received)
            status = self._status
        if self.listener is not None:
            self.listener(status)


def _status(phase: Phase, offer: Offer) -> UpdateStatus:
    return UpdateStatus(
        phase=phase,
        version=offer.version,
        download_bytes=offer.download_bytes,
        received_bytes=offer.download_bytes if phase == "ready" else 0,
        security=offer.security,
        notes=offer.notes,
    )
