"""The link emulator itself: latency, bandwidth, each fault, the scheduled cut, determinism."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
import requests

from tests.helpers.linkemu import LinkEmulator, LinkProfile


class Upstream(BaseHTTPRequestHandler):
    """GET /size/N answers N bytes; POST answers how many body bytes arrived."""

    protocol_version = "HTTP/1.1"
    seen: ClassVar[list[tuple[str, int]]] = []

    def do_GET(self) -> None:
        size = int(self.path.rsplit("/", 1)[1])
        Upstream.seen.append(("GET", size))
        self._answer(b"x" * size)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        Upstream.seen.append(("POST", len(body)))
        self._answer(str(len(body)).encode())

    def _answer(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class QuietServer(ThreadingHTTPServer):
    """The emulator resets connections on purpose: no tracebacks for those."""

    def handle_error(self, request: object, client_address: object) -> None:
        pass


@pytest.fixture(scope="module")
def upstream() -> Iterator[int]:
    server = QuietServer(("127.0.0.1", 0), Upstream)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def link(upstream: int) -> Iterator[LinkEmulator]:
    Upstream.seen.clear()
    emulator = LinkEmulator(upstream, seed=3).start()
    yield emulator
    emulator.stop()


def test_latency_and_bandwidth_shape_each_exchange(link: LinkEmulator) -> None:
    link.set_profile(LinkProfile(latency=0.1))
    started = time.monotonic()
    assert requests.get(f"{link.url}/size/10", timeout=5).content == b"x" * 10
    assert 0.2 <= time.monotonic() - started < 0.6, "one round trip is twice the one-way latency"
    link.set_profile(LinkProfile(bandwidth=500_000))
    started = time.monotonic()
    assert len(requests.get(f"{link.url}/size/200000", timeout=5).content) == 200_000
    assert time.monotonic() - started >= 0.35
    assert link.injected == 0 and link.down.bytes > 200_000


def test_a_503_from_the_link_never_reaches_the_server(link: LinkEmulator) -> None:
    link.set_profile(LinkProfile(error_5xx=1.0))
    assert requests.get(f"{link.url}/size/1", timeout=5).status_code == 503
    assert Upstream.seen == [] and link.faults["error_5xx"] == 1


def test_a_duplicated_request_reaches_the_server_twice(link: LinkEmulator) -> None:
    link.set_profile(LinkProfile(duplicate=1.0))
    assert requests.post(f"{link.url}/", data=b"abc", timeout=5).content == b"3"
    assert Upstream.seen == [("POST", 3), ("POST", 3)]


@pytest.mark.parametrize("fault", ["reset_request", "reset_response", "truncate", "error_5xx_after"])
def test_faults_break_the_exchange(link: LinkEmulator, fault: str) -> None:
    link.set_profile(LinkProfile(stall_seconds=0.2, **{fault: 1.0}))
    if fault == "error_5xx_after":
        assert requests.post(f"{link.url}/", data=b"x" * 1000, timeout=5).status_code == 503
    else:
        with pytest.raises(requests.RequestException):
            requests.post(f"{link.url}/", data=b"x" * 100_000, timeout=5)
    assert link.faults[fault] == 1
    time.sleep(0.05)
    if fault == "reset_request":
        assert ("POST", 100_000) not in Upstream.seen, "the server never got the whole body"
    else:
        assert Upstream.seen and Upstream.seen[0][0] == "POST", "the server did the work"


def test_a_stall_outlasts_the_client_timeout(link: LinkEmulator) -> None:
    link.set_profile(LinkProfile(stall=1.0, stall_seconds=1.0))
    with pytest.raises(requests.Timeout):
        requests.get(f"{link.url}/size/5", timeout=0.3)


def test_a_scheduled_cut_drops_the_upload_carrying_that_byte(link: LinkEmulator) -> None:
    link.schedule_cut(50_000)
    with pytest.raises(requests.RequestException):
        requests.post(f"{link.url}/", data=b"y" * 200_000, timeout=5)
    assert requests.post(f"{link.url}/", data=b"y" * 200_000, timeout=5).content == b"200000"
    assert link.faults["cut"] == 1


def test_the_same_seed_draws_the_same_faults(upstream: int) -> None:
    draws = []
    for _ in range(2):
        emulator = LinkEmulator(upstream, LinkProfile().with_faults(0.1), seed=42)
        draws.append([emulator._draw() for _ in range(200)])
    assert draws[0] == draws[1] and len(set(draws[0])) == 8
