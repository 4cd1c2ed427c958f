"""The client transport through the requests seam (Session.mount + BaseAdapter): headers, errors, pacing;
and the uploader's resume logic over a scripted server."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from typing import Any

import pytest
import requests
from requests.adapters import BaseAdapter
from requests.models import PreparedRequest, Response

from sync.client.errors import (
    AuthError,
    ConnectionFailedError,
    DocumentError,
    RequestRejectedError,
    ServerUnavailableError,
    SyncError,
)
from sync.client.pacing import KIB, Backoff, LinkEstimate, TokenBucket
from sync.client.transport import Transport
from sync.client.uploads import Retrier, Uploader
from sync.protocol import Health

Handler = Callable[[PreparedRequest, bytes], tuple[int, object]]


class ScriptedAdapter(BaseAdapter):
    """Answers requests with a handler; records what was sent (the body is read like a socket would)."""

    def __init__(self, handler: Handler) -> None:
        super().__init__()
        self.handler = handler
        self.sent: list[tuple[str, str, Mapping[str, str], bytes]] = []

    def send(self, request: PreparedRequest, **kwargs: Any) -> Response:  # type: ignore[override]
        body = request.body
        if hasattr(body, "read"):
            data = b"".join(iter(lambda: body.read(8192), b""))  # type: ignore[union-attr]
        else:
            data = body if isinstance(body, bytes) else (body or "").encode()
        self.sent.append((request.method or "", request.url or "", dict(request.headers), data))
        status, payload = self.handler(request, data)
        if isinstance(payload, Exception):
            raise payload
        response = Response()
        response.status_code = status
        response._content = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        response.request = request
        return response

    def close(self) -> None:
        pass


def transport_with(handler: Handler, **kwargs: Any) -> tuple[Transport, ScriptedAdapter]:
    adapter = ScriptedAdapter(handler)
    session = requests.Session()
    session.mount("http://127.0.0.1:9/", adapter)  # plain http only to loopback
    return Transport("http://127.0.0.1:9", "rahasia", session=session, **kwargs), adapter


def error(code: str, detail: object = None) -> dict[str, object]:
    return {"error": {"code": code, "message": f"pesan {code}", "detail": detail}}


def test_every_request_carries_the_token_and_the_protocol_version() -> None:
    health = {
        "status": "ok",
        "server_version": "1",
        "protocol": 1,
        "supported_protocols": [1],
        "time": "2026-11-22T00:00:00",
    }
    transport, adapter = transport_with(lambda _r, _b: (200, health))
    assert transport.get("/v1/health", Health).protocol == 1
    _, url, headers, _ = adapter.sent[0]
    assert url == "http://127.0.0.1:9/v1/health"
    assert headers["Authorization"] == "Bearer rahasia" and headers["X-Loket-Protocol"] == "1"


@pytest.mark.parametrize(
    ("status", "payload", "kind", "transient"),
    [
        (401, error("unauthorized"), AuthError, False),
        (503, b"link emulator: 503", ServerUnavailableError, True),
        (500, error("internal_error"), ServerUnavailableError, True),
        (409, error("offset_mismatch", {"offset": 5}), RequestRejectedError, False),
        (200, b'{"status": "ok", "serv', ConnectionFailedError, True),  # an answer cut short
        (0, requests.ConnectionError("reset"), ConnectionFailedError, True),
        (0, requests.exceptions.ChunkedEncodingError("IncompleteRead"), ConnectionFailedError, True),
        (0, requests.Timeout("read timed out"), ConnectionFailedError, True),
    ],
)
def test_failures_become_the_known_error_tree(
    status: int, payload: object, kind: type[SyncError], transient: bool
) -> None:
    transport, _ = transport_with(lambda _r, _b: (status, payload))
    with pytest.raises(kind) as raised:
        transport.get("/v1/health", Health)
    assert raised.value.transient is transient
    assert raised.value.message  # always something to tell the officer


def test_bodies_go_out_in_pieces_through_the_bandwidth_cap() -> None:
    clock = [0.0]

    def sleep(seconds: float) -> None:
        clock[0] += seconds

    def answer(request: PreparedRequest, body: bytes) -> tuple[int, object]:
        return 200, {"sha256": "a" * 64, "size": 10, "offset": len(body), "complete": False}

    bucket = TokenBucket(rate=100 * KIB, burst=16 * KIB, clock=lambda: clock[0], sleep=sleep)
    transport, adapter = transport_with(answer, bucket=bucket, clock=lambda: clock[0])
    progress: list[int] = []
    state = transport.put_chunk("a" * 64, 0, 10 * 64 * KIB, os.urandom(256 * KIB), progress.append)
    assert state.offset == 256 * KIB
    assert sum(progress) == 256 * KIB and max(progress) <= 16 * KIB
    assert clock[0] == pytest.approx((256 - 16) / 100, rel=0.01), "256 KiB at 100 KiB/s after one burst"
    assert adapter.sent[0][2]["Content-Length"] == str(256 * KIB)
    assert transport.link.throughput == pytest.approx(256 * KIB / clock[0], rel=0.01)


class FakeServer:
    """A document upload endpoint that loses answers, refuses repeats, and can drop a chunk."""

    def __init__(self, data: bytes, script: list[str]) -> None:
        self.data = data
        self.sha = hashlib.sha256(data).hexdigest()
        self.held = 0
        self.script = script

    def __call__(self, request: PreparedRequest, body: bytes) -> tuple[int, object]:
        assert request.url is not None
        if request.method == "GET":
            return 200, self.state()
        offset = int(request.url.split("offset=")[1].split("&")[0])
        step = self.script.pop(0) if self.script else "ok"
        if step == "cut":  # the connection dropped mid-body: nothing kept
            return 0, requests.ConnectionError("reset by peer")
        if offset != self.held:
            return 409, error("offset_mismatch", {"offset": self.held})
        self.held += len(body)
        if step == "lost":  # kept, but the answer never arrived
            return 0, requests.ConnectionError("reset after the work")
        return 200, self.state()

    def state(self) -> dict[str, object]:
        complete = self.held == len(self.data)
        return {"sha256": self.sha, "size": len(self.data), "offset": self.held, "complete": complete}


def uploader_for(server: FakeServer) -> tuple[Uploader, ScriptedAdapter]:
    transport, adapter = transport_with(server, link=LinkEstimate(max_chunk=64 * KIB))
    retrier = Retrier(attempts=4, backoff=Backoff(base=0.0), sleep=lambda _s: None)
    return Uploader(transport, lambda _sha: server.data, retrier), adapter


def test_uploads_resume_at_the_server_offset_and_resend_at_most_the_cut_chunk() -> None:
    data = os.urandom(5 * 64 * KIB)
    server = FakeServer(data, ["ok", "cut", "lost", "ok", "ok", "ok"])
    uploader, adapter = uploader_for(server)
    positions: list[int] = []
    uploader.upload(server.sha, len(data), 0, lambda _sha, pos: positions.append(pos))
    assert server.held == len(data)
    assert uploader.stats.bytes_resent <= 64 * KIB, "only the chunk cut short goes twice"
    assert uploader.stats.interruptions == 2
    assert positions[-1] == len(data)
    puts = [s for s in adapter.sent if s[0] == "PUT"]
    assert len(puts) == 6


def test_a_repeated_chunk_after_a_lost_answer_is_skipped() -> None:
    data = os.urandom(2 * 64 * KIB)
    server = FakeServer(data, [])
    server.held = 64 * KIB  # an earlier run's chunk arrived; its answer did not
    uploader, _ = uploader_for(server)
    uploader.upload(server.sha, len(data), 0)
    assert server.held == len(data) and uploader.stats.bytes_resent == 64 * KIB


def test_a_link_that_stays_down_gives_up_and_a_wrong_size_is_refused() -> None:
    data = os.urandom(64 * KIB)
    server = FakeServer(data, ["cut"] * 10)
    uploader, _ = uploader_for(server)
    with pytest.raises(ConnectionFailedError):
        uploader.upload(server.sha, len(data), 0)
    with pytest.raises(DocumentError):
        uploader.upload(server.sha, len(data) + 1, 0)
