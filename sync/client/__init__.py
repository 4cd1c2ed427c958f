"""Outpost side of sync: outbox, uploads, status pull. Qt-free; the UI uses this public API.

    client = SyncClient(store)                   # reads server URL and credentials from the store
    worker = SyncWorker(client, listener=on_state)  # on_state(SyncState) is called on the worker thread
    worker.start(); worker.trigger(); worker.pause(); worker.resume(); worker.stop()

See docs/sync-protocol.md, "Client API".
"""

from sync.client.client import SyncClient, SyncReport
from sync.client.enrol import Credentials, enrol
from sync.client.errors import (
    AuthError,
    ConnectionFailedError,
    NotEnrolledError,
    RemoteError,
    ServerUnavailableError,
    SyncError,
    SyncInterruptedError,
)
from sync.client.pacing import Backoff, LinkEstimate, TokenBucket
from sync.client.state import ItemProgress, SyncState
from sync.client.transport import Timeouts, Transport
from sync.client.worker import SyncWorker

__all__ = [
    "AuthError",
    "Backoff",
    "ConnectionFailedError",
    "Credentials",
    "ItemProgress",
    "LinkEstimate",
    "NotEnrolledError",
    "RemoteError",
    "ServerUnavailableError",
    "SyncClient",
    "SyncError",
    "SyncInterruptedError",
    "SyncReport",
    "SyncState",
    "SyncWorker",
    "Timeouts",
    "TokenBucket",
    "Transport",
    "enrol",
]
