"""A link emulator on loopback (this kernel has no netem): an asyncio HTTP/1.1 proxy on 127.0.0.1.

Between the sync client and a real server it adds one-way latency, a bandwidth cap shared by all
connections (per direction), and faults drawn per request from a seeded random source:

- ``reset_request``: the connection drops while the request body is in flight (the server gets part
  of it, then the connection closes);
- ``reset_response``: the server did the work, the connection drops before any answer;
- ``truncate``: part of the answer arrives, then the connection drops;
- ``stall``: the answer is held for ``stall_seconds`` (longer than the client's timeout), then dropped;
- ``error_5xx``: the proxy answers 503 itself without forwarding; ``error_5xx_after``: the request is
  forwarded and done, but the client gets a 503;
- ``duplicate``: the request reaches the server twice (one after the other, or both at once), and
  the client gets one of the two answers.

It parses just enough HTTP/1.1 (request heads with Content-Length bodies; answers with
Content-Length, chunked or until-close bodies). Messages are stored and forwarded: a request costs
its bytes at the link rate plus the latency, the answer the same the other way, as on a real link.
``faults`` counts what was injected; ``schedule_cut`` drops the link once after a number of upload
bytes (to measure what a cut in the middle of a document costs).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import socket
import struct
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace

PIECE = 16 * 1024
FAULTS = (
    "reset_request",
    "reset_response",
    "truncate",
    "stall",
    "error_5xx",
    "error_5xx_after",
    "duplicate",
)
CANNED_503 = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 19\r\n"
    b"Connection: close\r\n\r\nlink emulator: 503\n"
)


@dataclass(frozen=True)
class LinkProfile:
    """The link's shape and the probability of each fault per request."""

    latency: float = 0.0  # one-way, seconds
    bandwidth: float = 0.0  # bytes/s per direction, shared by all connections (0: unlimited)
    reset_request: float = 0.0
    reset_response: float = 0.0
    truncate: float = 0.0
    stall: float = 0.0
    error_5xx: float = 0.0
    error_5xx_after: float = 0.0
    duplicate: float = 0.0
    stall_seconds: float = 5.0

    @classmethod
    def edge(cls) -> LinkProfile:
        """An EDGE-like link: 200 kbit/s each way, 840 ms round trip."""
        return cls(latency=0.42, bandwidth=200_000 / 8)

    def with_faults(self, rate: float) -> LinkProfile:
        """The same link with every fault at `rate` (a share of requests each)."""
        return replace(self, **{name: rate for name in FAULTS})


class _Direction:
    """Bytes one way through the link: a shared rate (virtual clock) and a byte counter."""

    def __init__(self) -> None:
        self.bandwidth = 0.0
        self.bytes = 0
        self._free_at = 0.0

    async def pass_bytes(self, amount: int) -> None:
        self.bytes += amount
        if self.bandwidth <= 0:
            return
        now = time.monotonic()
        self._free_at = max(self._free_at, now) + amount / self.bandwidth
        await asyncio.sleep(self._free_at - now)


@dataclass
class _Request:
    head: bytes
    body: bytes = b""
    close: bool = False
    extra: list[bytes] = field(default_factory=list)

    @property
    def raw(self) -> bytes:
        return self.head + self.body


class LinkEmulator:
    """The proxy: start() it, point the client at `url`, read `faults` afterwards."""

    def __init__(self, upstream_port: int, profile: LinkProfile | None = None, seed: int = 0) -> None:
        self.upstream_port = upstream_port
        self.profile = profile or LinkProfile()
        self.rng = random.Random(seed)
        self.faults: Counter[str] = Counter()
        self.requests = 0
        self.up = _Direction()
        self.down = _Direction()
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._cut_at: int | None = None
        self.cut_body_bytes = 0  # body bytes of the request a scheduled cut tore (they crossed the link)
        self._planned: list[tuple[str, str]] = []  # (method and path prefix, fault) for the next matching requests
        self._ready = threading.Event()
        self._apply_profile()

    # -- control (any thread) ----------------------------------------------------------------------------
    @property
    def url(self) -> str:
        """Where the client connects."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def injected(self) -> int:
        """Faults injected so far."""
        return sum(self.faults.values())

    def start(self) -> LinkEmulator:
        """Listen on a free 127.0.0.1 port, in a thread of its own."""
        self._thread = threading.Thread(target=self._run, name="linkemu", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("link emulator did not start")
        return self

    def stop(self) -> None:
        """Close the listener and every connection."""
        loop = self._loop
        if loop is None:
            return
        asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(10)
        self._loop = None

    def set_profile(self, profile: LinkProfile) -> None:
        """Change the link's shape and fault rates from now on."""
        self.profile = profile
        self._apply_profile()

    def cut_all(self) -> None:
        """Drop every open connection at once (the link went down for a moment)."""
        loop = self._loop
        if loop is not None:
            asyncio.run_coroutine_threadsafe(self._cut_all(), loop).result(10)

    def plan_fault(self, request_prefix: str, fault: str, times: int = 1) -> None:
        """Give the next `times` requests whose line starts with `request_prefix` (e.g. "POST /v1/batches")
        this fault instead of a drawn one (e.g. "reset_response": the server does the work, the answer is lost)."""
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}")
        self._planned.extend([(request_prefix, fault)] * times)

    def schedule_cut(self, after_upload_bytes: int) -> None:
        """Drop the connection carrying the upload byte number `after_upload_bytes` (counted from now)."""
        self._cut_at = self.up.bytes + after_upload_bytes

    # -- the loop ----------------------------------------------------------------------------------------
    def _apply_profile(self) -> None:
        self.up.bandwidth = self.profile.bandwidth
        self.down.bandwidth = self.profile.bandwidth

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        self._server = loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0, limit=1 << 20))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        await self._cut_all()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _cut_all(self) -> None:
        for writer in list(self._writers):
            _abort(writer)
        self._writers.clear()

    def _draw(self) -> str:
        roll = self.rng.random()
        for name in FAULTS:
            roll -= getattr(self.profile, name)
            if roll < 0:
                return name
        return ""

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await self._serve(reader, writer)
        except asyncio.CancelledError:
            _abort(writer)  # the emulator is stopping: end quietly

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        try:
            while True:
                request = await self._read_request(reader, writer)
                if request is None:
                    return
                self.requests += 1
                fault = self._draw()
                for position, (prefix, planned) in enumerate(self._planned):
                    if request.head.startswith(prefix.encode("ascii")):
                        fault = planned
                        del self._planned[position]
                        break
                if fault == "reset_request" or request.extra:
                    self.faults["reset_request" if fault == "reset_request" else "cut"] += 1
                    await self._cut_request(request, upstream)
                    _abort(writer)
                    return
                await asyncio.sleep(self.profile.latency)
                if fault == "error_5xx":
                    self.faults[fault] += 1
                    await self._send_down(writer, CANNED_503)
                    _abort(writer)
                    return
                if upstream is None:
                    upstream = await asyncio.open_connection("127.0.0.1", self.upstream_port, limit=1 << 20)
                answer, server_closes = await self._exchange(upstream, request)
                if fault == "duplicate":
                    self.faults[fault] += 1
                    answer = await self._duplicate(request, answer)
                if server_closes:
                    _abort(upstream[1])
                    upstream = None
                if fault in ("reset_response", "stall", "truncate", "error_5xx_after"):
                    self.faults[fault] += 1
                    if fault == "stall":
                        await asyncio.sleep(self.profile.stall_seconds)
                    elif fault == "truncate":
                        await asyncio.sleep(self.profile.latency)
                        await self._send_down(writer, answer[: self.rng.randint(1, max(1, len(answer) - 1))])
                    elif fault == "error_5xx_after":
                        await asyncio.sleep(self.profile.latency)
                        await self._send_down(writer, CANNED_503)
                    _abort(writer)
                    return
                await asyncio.sleep(self.profile.latency)
                await self._send_down(writer, answer)
                if request.close or server_closes:
                    return
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, OSError):
            return
        finally:
            self._writers.discard(writer)
            _abort(writer)
            if upstream is not None:
                _abort(upstream[1])

    async def _read_request(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> _Request | None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError:
            return None
        await self.up.pass_bytes(len(head))
        headers = _headers(head)
        length = int(headers.get("content-length", "0") or 0)
        request = _Request(head, close=headers.get("connection", "").lower() == "close")
        body = bytearray()
        while len(body) < length:
            piece = await reader.readexactly(min(PIECE, length - len(body)))
            body += piece
            await self.up.pass_bytes(len(piece))
            if self._cut_at is not None and self.up.bytes >= self._cut_at:
                self._cut_at = None
                self.cut_body_bytes = len(body)
                request.body = bytes(body)
                request.extra.append(b"cut")
                return request
        request.body = bytes(body)
        return request

    async def _cut_request(
        self, request: _Request, upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None
    ) -> None:
        """Forward the head and part of the body, then drop the connection (the server sees a torn request)."""
        if upstream is None:
            upstream = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        part = request.raw[: len(request.head) + self.rng.randint(0, len(request.body))]
        if request.extra:
            part = request.raw  # a scheduled cut: everything read so far went out
        upstream[1].write(part)
        with contextlib.suppress(ConnectionError, OSError):
            await upstream[1].drain()
        await asyncio.sleep(0.01)
        _abort(upstream[1])

    async def _exchange(
        self, upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter], request: _Request
    ) -> tuple[bytes, bool]:
        reader, writer = upstream
        writer.write(request.raw)
        await writer.drain()
        return await _read_answer(reader)

    async def _duplicate(self, request: _Request, first: bytes) -> bytes:
        """Deliver the request once more on a fresh connection; return one of the two answers."""
        reader, writer = await asyncio.open_connection("127.0.0.1", self.upstream_port, limit=1 << 20)
        try:
            writer.write(request.raw)
            await writer.drain()
            second, _ = await _read_answer(reader)
        finally:
            _abort(writer)
        return second if self.rng.random() < 0.5 else first

    async def _send_down(self, writer: asyncio.StreamWriter, data: bytes) -> None:
        for start in range(0, len(data), PIECE):
            piece = data[start : start + PIECE]
            await self.down.pass_bytes(len(piece))
            writer.write(piece)
            await writer.drain()


def _headers(head: bytes) -> dict[str, str]:
    lines = head.decode("latin-1").split("\r\n")[1:]
    result: dict[str, str] = {}
    for line in lines:
        name, sep, value = line.partition(":")
        if sep:
            result[name.strip().lower()] = value.strip()
    return result


async def _read_answer(reader: asyncio.StreamReader) -> tuple[bytes, bool]:
    """One HTTP/1.1 answer, raw, and whether the server closes the connection after it."""
    head = await reader.readuntil(b"\r\n\r\n")
    headers = _headers(head)
    status = int(head.split(b" ", 2)[1])
    closes = headers.get("connection", "").lower() == "close"
    if "content-length" in headers:
        return head + await reader.readexactly(int(headers["content-length"])), closes
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = bytearray()
        while True:
            line = await reader.readuntil(b"\r\n")
            body += line
            size = int(line.split(b";")[0].strip(), 16)
            if size == 0:
                while True:
                    trailer = await reader.readuntil(b"\r\n")
                    body += trailer
                    if trailer == b"\r\n":
                        return head + bytes(body), closes
            body += await reader.readexactly(size + 2)
    if status in (204, 304) or 100 <= status < 200:
        return head, closes
    return head + await reader.read(), True


def _abort(writer: asyncio.StreamWriter) -> None:
    """Close with a reset (SO_LINGER 0), as a dropped link looks to the other side."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()
