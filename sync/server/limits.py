"""Bounded requests: body limits enforced while the body streams in, rates per client address, uvicorn's limits.

- `BodyLimit` refuses a request over its path's limit with 413: at once when Content-Length says so,
  otherwise as soon as the bytes received (a chunked body too) pass the limit. Nothing past the limit
  is read; the connection is closed after the answer.
- `RateLimit` counts enrolments and back-office log-ins per client address in fixed windows kept in
  the database (several server processes share them) and answers 429 with Retry-After.
- `UVICORN_LIMITS`: header size, idle keep-alive, concurrency and shutdown limits for `loket-server serve`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import peewee
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.protocol import MAX_CHUNK_SIZE, MAX_REQUEST_BYTES
from sync.server.db import in_transaction
from sync.server.models import database_proxy

log = logging.getLogger("loket.sync.server")

KIB = 1024
MIB = 1024 * KIB
SMALL_BODY = 64 * KIB  # enrolment, log-in: a few hundred bytes
DEFAULT_BODY = 1 * MIB  # every other JSON or form body (a document query of 1,000 hashes is ~120 KiB)

# uvicorn's own limits (per worker process); slow clients are cut by BodyLimit (a stalled body) and by
# sync/server/slow_heads.py (a request head that takes over 30 s). These keep a greedy client's share small.
DEFAULT_MAX_CONNECTIONS = 800  # below the usual 1,024 open files; idle keep-alive connections count too
UVICORN_LIMITS: dict[str, int] = {
    "h11_max_incomplete_event_size": 16 * KIB,  # request line and headers
    "timeout_keep_alive": 75,  # EDGE links are slow to send the next request
    "timeout_graceful_shutdown": 30,
    "backlog": 512,
}


ENV_BODY_IDLE = "LOKET_SERVER_BODY_IDLE_SECONDS"
BODY_IDLE_SECONDS = 60.0  # an EDGE link that drops for a while still sends within a minute


def body_idle_seconds() -> float:
    """How long the server waits for the next piece of a request body before it gives up (408)."""
    try:
        return max(0.1, float(os.environ.get(ENV_BODY_IDLE, BODY_IDLE_SECONDS)))
    except ValueError:
        return BODY_IDLE_SECONDS


def body_limit(method: str, path: str) -> int:
    """The most bytes a request to `path` may carry."""
    if method == "PUT" and path.startswith("/v1/documents/"):
        return MAX_CHUNK_SIZE
    if path == "/v1/batches":
        return MAX_REQUEST_BYTES
    if path in ("/v1/enrol", "/backoffice/masuk"):
        return SMALL_BODY
    return DEFAULT_BODY


class BodyTooLargeError(HTTPException):
    """Raised from `receive` when a streamed body passes its limit (FastAPI lets HTTPException through)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"Permintaan lebih dari {limit} bita.", headers={"Connection": "close"})


class BodyTooSlowError(HTTPException):
    """Raised from `receive` when a body's next piece does not come in time (a slow client holding a worker)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            408,
            f"Isi permintaan tidak datang dalam {seconds:g} detik; koneksi ditutup. Kirim ulang.",
            headers={"Connection": "close"},
        )


class BodyLimit:
    """Refuse a body over its path's limit, before or while it is read, and one that stalls (plain ASGI)."""

    def __init__(
        self,
        app: ASGIApp,
        limit_for: Callable[[str, str], int],
        respond: Callable[[Scope, Receive, Send, int], Awaitable[None]],
    ) -> None:
        self.app = app
        self.limit_for = limit_for
        self.respond = respond

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["method"], scope["path"])
        for name, value in scope["headers"]:
            if name == b"content-length" and (not value.isdigit() or int(value) > limit):
                await self._refuse(scope, receive, send, limit)
                return
        received = 0
        started = False
        complete = False
        idle = body_idle_seconds()

        async def bounded() -> Message:
            nonlocal received, complete
            if complete:  # after the body, receive() waits for a disconnect: no deadline on that
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), idle)
            except TimeoutError:
                raise BodyTooSlowError(idle) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                complete = not message.get("more_body", False)
                if received > limit:
                    raise BodyTooLargeError(limit)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, bounded, watched)
        except BodyTooSlowError as exc:
            if started:
                raise
            await _plain(send, 408, str(exc.detail))
        except BodyTooLargeError:
            # Raised where no handler turned it into an answer (a middleware reading the body).
            if started:
                raise
            await self._refuse(scope, receive, send, limit)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        await self.respond(scope, receive, send, limit)


# -- rate limits ------------------------------------------------------------------------------------------
class RateWindow(peewee.Model):
    """How many requests one client address made to one rule's paths in one fixed window."""

    key = peewee.CharField(max_length=120)  # rule:address
    start = peewee.BigIntegerField()  # the window's start, seconds since the epoch
    expires = peewee.BigIntegerField(index=True)
    hits = peewee.IntegerField(default=0)

    class Meta:
        database = database_proxy
        table_name = "rate_window"
        primary_key = peewee.CompositeKey("key", "start")


@dataclass(frozen=True)
class Rule:
    """At most `limit` requests per `seconds` per client address."""

    name: str
    limit: int
    seconds: int


RULES: dict[tuple[str, str], Rule] = {
    ("POST", "/v1/enrol"): Rule("enrol", 20, 600),
    ("POST", "/backoffice/masuk"): Rule("login", 30, 300),
}


def count(rule: Rule, address: str, now: float | None = None) -> int:
    """Count one request; 0 when allowed, else the seconds until the window ends (Retry-After)."""
    moment = int(time.time() if now is None else now)
    start = moment - moment % rule.seconds
    key = f"{rule.name}:{address}"[:120]

    def run() -> int:
        RateWindow.insert(key=key, start=start, expires=start + rule.seconds, hits=1).on_conflict(
            conflict_target=[RateWindow.key, RateWindow.start], update={RateWindow.hits: RateWindow.hits + 1}
        ).execute()
        hits: int = RateWindow.get((RateWindow.key == key) & (RateWindow.start == start)).hits
        RateWindow.delete().where(RateWindow.expires < moment).execute()
        return hits

    hits = in_transaction(run)
    return 0 if hits <= rule.limit else max(1, start + rule.seconds - moment)


def create_table() -> None:
    """Create the rate table (the server's start does this, like its other tables)."""
    database_proxy.obj.create_tables([RateWindow], safe=True)


class RateLimit:
    """Answer 429 to a client address over a rule's limit (plain ASGI; the count lives in the database)."""

    def __init__(
        self,
        app: ASGIApp,
        respond: Callable[[Scope, Receive, Send, Rule, int], Awaitable[None]],
        rules: dict[tuple[str, str], Rule] | None = None,
    ) -> None:
        self.app = app
        self.rules = RULES if rules is None else rules
        self.respond = respond

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        rule = self.rules.get((scope.get("method", ""), scope.get("path", ""))) if scope["type"] == "http" else None
        if rule is not None:
            client = scope.get("client")
            address = str(client[0]) if client else "unknown"
            try:
                retry_after = await run_in_threadpool(count, rule, address)
            except peewee.PeeweeException:
                # The database is down: the request itself will say so (503); not counting it is harmless.
                log.warning("rate limit not counted: database unavailable")
                retry_after = 0
            if retry_after:
                log.info("rate limit %s reached by a client", rule.name)
                await self.respond(scope, receive, send, rule, retry_after)
                return
        await self.app(scope, receive, send)


async def _plain(send: Send, status: int, message: str) -> None:
    """A small JSON error answer sent straight through ASGI, closing the connection."""
    body = json.dumps({"error": {"code": f"http_{status}", "message": message, "detail": None}}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": body})
