"""Resumable document uploads: ask the offset, append chunks sized to the link, resume at the server's offset."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sync.client.errors import AuthError, DocumentError, RemoteError, SyncError
from sync.client.pacing import Backoff
from sync.client.transport import Transport
from sync.protocol import UploadState

log = logging.getLogger("loket.sync")
T = TypeVar("T")

Progress = Callable[[str, int], None]  # (sha256, bytes the server holds or is receiving)


@dataclass
class UploadStats:
    """Bytes put on the wire for documents, and how many of them had to be sent again."""

    documents: int = 0
    bytes_sent: int = 0
    bytes_accepted: int = 0
    interruptions: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, *, documents: int = 0, sent: int = 0, accepted: int = 0, interruptions: int = 0) -> None:
        """Count (upload threads share one UploadStats)."""
        with self._lock:
            self.documents += documents
            self.bytes_sent += sent
            self.bytes_accepted += accepted
            self.interruptions += interruptions

    @property
    def bytes_resent(self) -> int:
        """Bytes sent that the server did not keep (chunks cut short, lost answers)."""
        return max(0, self.bytes_sent - self.bytes_accepted)


class Retrier:
    """Quick retries of one step inside a run (a cut link resumes at once); then the run gives up."""

    def __init__(
        self,
        attempts: int = 6,
        backoff: Backoff | None = None,
        sleep: Callable[[float], None] = time.sleep,
        check_cancel: Callable[[], None] = lambda: None,
    ) -> None:
        self.attempts = attempts
        self.backoff = backoff or Backoff(base=0.5, cap=8.0)
        self.sleep = sleep
        self.check_cancel = check_cancel

    def failed(self, failures: int, exc: SyncError) -> None:
        """After the n-th consecutive transient failure: wait a little, or re-raise when out of attempts."""
        if not exc.transient or failures >= self.attempts:
            raise exc
        self.check_cancel()
        self.sleep(self.backoff.delay(failures))
        self.check_cancel()

    def call(self, action: Callable[[], T]) -> T:
        """Run an idempotent step, retrying transient failures."""
        failures = 0
        while True:
            try:
                return action()
            except SyncError as exc:
                failures += 1
                self.failed(failures, exc)


class Uploader:
    """Uploads the documents the server lacks."""

    def __init__(
        self,
        transport: Transport,
        read_document: Callable[[str], bytes],
        retrier: Retrier,
        check_cancel: Callable[[], None] = lambda: None,
    ) -> None:
        self.transport = transport
        self.read_document = read_document
        self.retrier = retrier
        self.check_cancel = check_cancel
        self.stats = UploadStats()

    def offset(self, sha256: str, size: int) -> UploadState:
        """Ask the server how much of a document it holds."""
        return self.retrier.call(lambda: self.transport.get(f"/v1/documents/{sha256}", UploadState, {"size": size}))

    def upload(self, sha256: str, size: int, offset: int, progress: Progress | None = None) -> None:
        """Send the document from `offset` until the server holds and has verified all of it."""
        data = self.read_document(sha256)
        if len(data) != size:
            raise DocumentError(f"Ukuran dokumen {sha256[:12]}… berbeda dari catatan; pindai ulang dokumen itu.")
        failures = 0
        restarts = 0
        self.stats.add(documents=1)
        while offset < size:
            self.check_cancel()
            chunk = data[offset : offset + self.transport.link.chunk_size()]
            base = offset
            sent = _ChunkProgress(sha256, base, progress)
            try:
                state = self.transport.put_chunk(sha256, offset, size, chunk, sent)
            except RemoteError as exc:
                self.stats.add(sent=sent.total)
                if exc.code == "offset_mismatch" and isinstance(exc.payload, dict):
                    # An earlier copy of this chunk did arrive (its answer was lost): carry on from there.
                    # This copy was not kept, so it counts as re-sent.
                    offset = _server_offset(exc.payload, offset)
                    continue
                if exc.code == "hash_mismatch" and restarts == 0:
                    restarts += 1
                    offset = 0
                    continue
                if isinstance(exc, AuthError):
                    raise
                if not exc.transient:
                    raise DocumentError(f"Server menolak dokumen {sha256[:12]}…: {exc.message}", exc.code) from exc
                failures += 1
                self._interrupted(failures, exc)
                offset = self.offset(sha256, size).offset
                self.stats.add(accepted=max(0, min(offset, base + len(chunk)) - base))
                continue
            except SyncError as exc:
                self.stats.add(sent=sent.total)
                failures += 1
                self._interrupted(failures, exc)
                offset = self.offset(sha256, size).offset
                self.stats.add(accepted=max(0, min(offset, base + len(chunk)) - base))
                continue
            self.stats.add(sent=sent.total)
            self.stats.add(accepted=max(0, min(state.offset, base + len(chunk)) - base))
            failures = 0
            offset = state.offset
            if progress is not None:
                progress(sha256, offset)
            if state.complete:
                return

    def _interrupted(self, failures: int, exc: SyncError) -> None:
        self.stats.add(interruptions=1)
        log.info("upload interrupted (%s); resuming at the server's offset", exc.detail or exc.message)
        self.retrier.failed(failures, exc)


class _ChunkProgress:
    """Counts one chunk's bytes as they go out and reports the document's position."""

    def __init__(self, sha256: str, base: int, progress: Progress | None) -> None:
        self.sha256 = sha256
        self.base = base
        self.progress = progress
        self.total = 0

    def __call__(self, amount: int) -> None:
        self.total += amount
        if self.progress is not None:
            self.progress(self.sha256, self.base + self.total)


def _server_offset(payload: dict[str, object], fallback: int) -> int:
    value = payload.get("offset")
    return value if isinstance(value, int) and value >= 0 else fallback
