"""HTTP to the Dinas server over one requests.Session: bearer token, protocol header, paced bodies, timeouts.

The session is the seam (STYLE.md): tests and tools mount their own adapter with
`transport.session.mount(prefix, adapter)`. Every failure leaves as a SyncError subclass.
Only https:// leaves this computer (plain http:// to loopback alone), through the pinning adapter
of `sync.client.tls`: the OS trust store, the server key pinned at enrolment.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

import requests
from pydantic import BaseModel, ValidationError

from app.version import version
from sync.client.errors import (
    AuthError,
    ConnectionFailedError,
    RemoteError,
    RequestRejectedError,
    ServerUnavailableError,
)
from sync.client.pacing import KIB, LinkEstimate, TokenBucket
from sync.client.tls import (
    PIN_HEADER,
    PinnedAdapter,
    ServerPins,
    check_address,
    parse_announcement,
    refusal,
    stored_pins,
)
from sync.protocol import APP_VERSION_HEADER, PROTOCOL_HEADER, PROTOCOL_VERSION, ErrorResponse, UploadState

M = TypeVar("M", bound=BaseModel)
PIECE = 16 * KIB


@dataclass(frozen=True)
class Timeouts:
    """How long to wait: to connect, for an answer (plus the time the body needs at the link's rate)."""

    connect: float = 15.0
    read: float = 30.0
    slowest_rate: float = 2 * KIB  # bytes/s assumed before the link is measured


class PacedBody:
    """A request body handed to the socket in 16 KiB pieces, through the bandwidth cap, counting progress."""

    def __init__(self, data: bytes, bucket: TokenBucket | None, on_sent: Callable[[int], None] | None) -> None:
        self._view = memoryview(data)
        self._position = 0
        self._bucket = bucket
        self._on_sent = on_sent

    def __len__(self) -> int:
        return len(self._view)

    def __iter__(self) -> Iterator[bytes]:
        while piece := self.read(PIECE):
            yield piece

    def read(self, size: int = -1) -> bytes:
        """The next piece (at most 16 KiB, whatever is asked: progress stays smooth)."""
        remaining = len(self._view) - self._position
        size = remaining if size is None or size < 0 else size
        size = min(size, PIECE, remaining)
        if size <= 0:
            return b""
        if self._bucket is not None:
            self._bucket.take(size)
        piece = bytes(self._view[self._position : self._position + size])
        self._position += size
        if self._on_sent is not None:
            self._on_sent(size)
        return piece


class Transport:
    """The client's HTTP face of the server: typed requests, typed answers, known errors."""

    def __init__(
        self,
        base_url: str,
        token: str = "",
        *,
        session: requests.Session | None = None,
        timeouts: Timeouts | None = None,
        bucket: TokenBucket | None = None,
        link: LinkEstimate | None = None,
        clock: Callable[[], float] = time.monotonic,
        pins: ServerPins | None = None,
    ) -> None:
        """`pins`: the server keys to trust over https (default: the ones stored with the credentials)."""
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.session = session or requests.Session()
        self.timeouts = timeouts or Timeouts()
        self.bucket = bucket or TokenBucket()
        self.link = link or LinkEstimate()
        self.clock = clock
        self.body_bytes_sent = 0
        self.report_headers: dict[str, str] = {}  # facts the outpost reports with every request (its outbox)
        self.secure = self.base_url.lower().startswith("https://")
        self.pins = pins if pins is not None else (stored_pins() if self.secure else ServerPins())
        self.session.mount("https://", PinnedAdapter(self.pins))

    def close(self) -> None:
        """Close pooled connections."""
        self.session.close()

    # -- typed calls -----------------------------------------------------------------------------------
    def get(self, path: str, model: type[M], params: Mapping[str, str | int] | None = None) -> M:
        """GET a JSON answer."""
        return _parse(self._send("GET", path, params=params), model)

    def post(self, path: str, body: BaseModel, model: type[M]) -> M:
        """POST a JSON body, read a JSON answer."""
        data = body.model_dump_json(exclude_none=False).encode("utf-8")
        return _parse(self._send("POST", path, body=data, content_type="application/json"), model)

    def put_chunk(
        self, sha256: str, offset: int, size: int, data: bytes, on_sent: Callable[[int], None] | None = None
    ) -> UploadState:
        """Append one chunk of a document at `offset`; the link's throughput is measured on the way."""
        started = self.clock()
        response = self._send(
            "PUT",
            f"/v1/documents/{sha256}",
            params={"offset": offset, "size": size},
            body=data,
            content_type="application/octet-stream",
            on_sent=on_sent,
        )
        self.link.observe(len(data), self.clock() - started)
        return _parse(response, UploadState)

    def get_bytes(self, path: str, expected_size: int = 0) -> bytes:
        """GET a binary answer (e.g. the catalogue bundle)."""
        timeout = self.link.read_timeout(expected_size, self.timeouts.read, self.timeouts.slowest_rate)
        return self._send("GET", path, read_timeout=timeout).content

    # -- the one way out -----------------------------------------------------------------------------------
    def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        body: bytes | None = None,
        content_type: str = "",
        on_sent: Callable[[int], None] | None = None,
        read_timeout: float | None = None,
    ) -> requests.Response:
        check_address(self.base_url)  # before any connection: the token never goes out in clear
        headers = {
            PROTOCOL_HEADER: str(PROTOCOL_VERSION),
            APP_VERSION_HEADER: version(),
            "User-Agent": f"loket/{version()}",
            **self.report_headers,
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if content_type:
            headers["Content-Type"] = content_type
        size = len(body) if body else 0
        timeout = read_timeout or self.link.read_timeout(size, self.timeouts.read, self.timeouts.slowest_rate)

        def counted(amount: int) -> None:
            self.body_bytes_sent += amount
            if on_sent is not None:
                on_sent(amount)

        try:
            response = self.session.request(
                method,
                self.base_url + path,
                params=dict(params) if params else None,
                data=PacedBody(body, self.bucket, counted) if body else None,
                headers=headers,
                timeout=(self.timeouts.connect, timeout),
            )
        except requests.RequestException as exc:
            known = refusal(exc)  # the server's certificate or key refused: a person must look
            if known is not None:
                raise known from exc
            raise ConnectionFailedError(type(exc).__name__) from exc
        if self.secure and PIN_HEADER in response.headers:
            self.pins.announced(parse_announcement(response.headers[PIN_HEADER]))
        if response.status_code >= 400:
            raise _error(response)
        return response


def _parse(response: requests.Response, model: type[M]) -> M:
    try:
        return model.model_validate_json(response.content)
    except ValidationError as exc:
        # A 2xx whose body is not what the protocol says: cut short on the way, or a different server.
        raise ConnectionFailedError(f"unreadable answer ({exc.error_count()} problems)") from exc


def _error(response: requests.Response) -> RemoteError:
    status = response.status_code
    code, message, detail = f"http_{status}", "", None
    try:
        body = ErrorResponse.model_validate_json(response.content)
        code, message, detail = body.error.code, body.error.message, body.error.detail
    except ValidationError:
        pass
    if status in (401, 403):
        return AuthError(status, code, message, detail)
    if status >= 500 or status in (408, 429):
        return ServerUnavailableError(status, code, message or "Server Dinas sedang sibuk atau gangguan.", detail)
    return RequestRejectedError(status, code, message, detail)
