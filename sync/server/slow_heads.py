"""A time limit on a request's head: uvicorn waits for headers forever, so a client sending them a byte a
minute (slowloris) holds a connection slot. This protocol closes a connection whose request head is not
complete within `head_seconds()` of its first byte (or of the connection's start)."""

from __future__ import annotations

import asyncio
import os

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

ENV_HEAD = "LOKET_SERVER_HEAD_SECONDS"
HEAD_SECONDS = 30.0


def head_seconds() -> float:
    """How long a request's line and headers may take to arrive."""
    try:
        return max(0.1, float(os.environ.get(ENV_HEAD, HEAD_SECONDS)))
    except ValueError:
        return HEAD_SECONDS


class HeadTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request head."""

    head_task: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock for the first request's head."""
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        """Keep the clock while a head is incomplete; stop it once the head has arrived."""
        super().data_received(data)
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            if self.head_task is None:
                self._arm()
        else:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        """No clock for a closed connection."""
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self.head_task = self.loop.call_later(head_seconds(), self._expired)

    def _disarm(self) -> None:
        if self.head_task is not None:
            self.head_task.cancel()
            self.head_task = None

    def _expired(self) -> None:
        self.head_task = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.logger.info("closed a connection whose request head took over %.0f s", head_seconds())
            self.transport.close()
