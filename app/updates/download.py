"""Downloads of update files over a slow, cut-prone link: resumed where they stopped, paced, backed off.

A file grows in <home>/partial/<name>; each try asks for the rest with an HTTP Range request, so a cut
(or a laptop switched off) costs only the bytes in flight. Between failed tries the caller's backoff
decides the wait (the sync client's full-jitter backoff); after `max_failures` tries in a row without
progress the download stops with a link error and resumes at the next check. Integrity is not judged
here: the caller verifies the finished file against the signed TUF metadata.

`MetadataFetcher` is the TUF client's fetcher for the small metadata files, over the same session
(the sync transport's, with its pinned TLS).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

import requests
from tuf.api import exceptions as tuf_errors
from tuf.ngclient.fetcher import FetcherInterface

CHUNK = 16 * 1024
SYNC_EVERY = 256 * 1024


class Backoff(Protocol):
    """The wait after the n-th failure in a row (sync.client.pacing.Backoff fits)."""

    def delay(self, failures: int) -> float: ...


class Bucket(Protocol):
    """A bandwidth cap: take(n) blocks until n bytes may pass (sync.client.pacing.TokenBucket fits)."""

    def take(self, amount: int) -> None: ...


class LinkError(Exception):
    """The download could not make progress (the link, or the server's answers)."""


class StoppedError(Exception):
    """The caller asked to stop (its time is up, or the sync was cancelled): the partial file stays."""


class WriteError(Exception):
    """The partial file could not be written (e.g. the disk is full); `cause` is the OSError."""

    def __init__(self, cause: OSError) -> None:
        super().__init__(str(cause))
        self.cause = cause


class TooLongError(Exception):
    """The server sent more bytes than the signed length: the partial file is dropped."""


Opener = Callable[[Path, str], BinaryIO]


def _open(path: Path, mode: str) -> BinaryIO:
    return path.open(mode)  # type: ignore[return-value]


class Downloader:
    """Fills partial files from URLs with Range requests, pacing and backoff."""

    def __init__(
        self,
        session: requests.Session,
        backoff: Backoff,
        *,
        max_failures: int = 6,
        timeout: tuple[float, float] = (15.0, 60.0),
        bucket: Bucket | None = None,
        sleep: Callable[[float], None] = time.sleep,
        opener: Opener = _open,
        cancelled: Callable[[], bool] = lambda: False,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.session = session
        self.backoff = backoff
        self.max_failures = max_failures
        self.timeout = timeout
        self.bucket = bucket
        self.sleep = sleep
        self.opener = opener
        self.cancelled = cancelled
        self.on_progress = on_progress
        self.bytes_received = 0  # over the network, this object's lifetime (goodput counts these)
        self.requests = 0

    def fetch(self, url: str, partial: Path, length: int) -> Path:
        """Make `partial` hold the `length` bytes at `url` (resuming what it holds); return it."""
        partial.parent.mkdir(parents=True, exist_ok=True)
        failures = 0
        while True:
            have = partial.stat().st_size if partial.exists() else 0
            if have > length:
                partial.unlink()
                have = 0
            if have == length:
                return partial
            if self.cancelled():
                raise StoppedError(f"{have} of {length} bytes")
            try:
                progressed = self._one_try(url, partial, have, length)
            except (requests.RequestException, LinkError) as exc:
                progressed = partial.exists() and partial.stat().st_size > have
                if progressed:
                    failures = 0
                failures += 1
                if failures > self.max_failures:
                    raise LinkError(f"{type(exc).__name__}: {exc}") from exc
                self.sleep(self.backoff.delay(failures))
                continue
            if progressed:
                failures = 0

    def _one_try(self, url: str, partial: Path, have: int, length: int) -> bool:
        headers = {"Range": f"bytes={have}-"} if have else {}
        self.requests += 1
        with self.session.get(url, headers=headers, stream=True, timeout=self.timeout) as response:
            if response.status_code == 416:  # what we hold is not a prefix the server knows: start again
                partial.unlink(missing_ok=True)
                raise LinkError("range not satisfiable")
            if response.status_code >= 400:
                raise LinkError(f"HTTP {response.status_code}")
            start = 0
            if response.status_code == 206:
                match = re.match(r"bytes (\d+)-", response.headers.get("Content-Range", ""))
                start = int(match.group(1)) if match else -1
                if start != have:
                    partial.unlink(missing_ok=True)
                    raise LinkError("unexpected Content-Range")
            position = start
            try:
                handle = self.opener(partial, "ab" if start else "wb")
            except OSError as exc:
                raise WriteError(exc) from exc
            unsynced = 0
            with handle:
                for piece in response.iter_content(CHUNK):
                    if not piece:
                        continue
                    if position + len(piece) > length:
                        handle.close()
                        partial.unlink(missing_ok=True)
                        raise TooLongError(f"more than {length} bytes")
                    if self.bucket is not None:
                        self.bucket.take(len(piece))
                    try:
                        handle.write(piece)
                        if unsynced + len(piece) >= SYNC_EVERY:
                            _sync(handle)
                            unsynced = -len(piece)
                    except OSError as exc:
                        raise WriteError(exc) from exc
                    position += len(piece)
                    unsynced += len(piece)
                    self.bytes_received += len(piece)
                    if self.on_progress is not None:
                        self.on_progress(position, length)
                    if self.cancelled():
                        break
                try:
                    _sync(handle)
                except OSError as exc:
                    raise WriteError(exc) from exc
            if position < length and not self.cancelled():
                raise LinkError(f"cut after {position} of {length} bytes")
            return position > have


def _sync(handle: BinaryIO) -> None:
    """Flush to the disk (a full disk may only say so here); a stand-in writer without a descriptor flushes only."""
    handle.flush()
    try:
        descriptor = handle.fileno()
    except (OSError, ValueError, AttributeError):
        return
    os.fsync(descriptor)


class MetadataFetcher(FetcherInterface):
    """TUF's fetcher over the given session (the sync transport's: pinned TLS, the same proxy settings)."""

    def __init__(self, session: requests.Session, timeout: tuple[float, float] = (15.0, 60.0)) -> None:
        self.session = session
        self.timeout = timeout

    def _fetch(self, url: str) -> Iterator[bytes]:
        try:
            response = self.session.get(url, stream=True, timeout=self.timeout)
        except requests.RequestException as exc:
            raise tuf_errors.DownloadError(f"{type(exc).__name__}: {exc}") from exc
        if response.status_code >= 400:
            response.close()
            raise tuf_errors.DownloadHTTPError(f"HTTP {response.status_code} for {url}", response.status_code)
        return self._chunks(response)

    @staticmethod
    def _chunks(response: requests.Response) -> Iterator[bytes]:
        try:
            yield from response.iter_content(CHUNK)
        except requests.RequestException as exc:
            raise tuf_errors.DownloadError(f"{type(exc).__name__}: {exc}") from exc
        finally:
            response.close()
