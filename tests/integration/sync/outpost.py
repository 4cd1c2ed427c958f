"""An outpost laptop for the fault-injection test: unlock the store, sync with a SyncWorker until the outbox is empty.

    python -m tests.integration.sync.outpost BASEDIR

Prints READY once syncing, `UP <sha256> <position>` while a document uploads, `RUN ok|failed` after
each run, and DONE when every item is acknowledged. The test SIGKILLs it at random moments.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from app.paths import DataPaths
from app.store import Store, outbox
from sync.client import Backoff, Credentials, LinkEstimate, SyncClient, SyncState, SyncWorker, Timeouts, Transport
from sync.client.pacing import KIB
from sync.client.uploads import Retrier
from tests.helpers.stores import SUPERVISOR

TIMEOUTS = Timeouts(connect=2.0, read=1.5, slowest_rate=1024 * KIB)


def main() -> int:
    """Sync until done."""
    base = Path(sys.argv[1])
    username, _, password = SUPERVISOR
    store = Store.unlock(DataPaths(base), username, password)
    credentials = Credentials.load()
    transport = Transport(
        credentials.server_url,
        credentials.secret,
        timeouts=TIMEOUTS,
        link=LinkEstimate(max_chunk=64 * KIB),  # several chunks per page: resumes get exercised
    )
    client = SyncClient(
        store, transport, batch_size=4, retrier=Retrier(attempts=4, backoff=Backoff(base=0.05, cap=0.4))
    )
    lock = threading.Lock()
    last: dict[str, int] = {}

    def listen(state: SyncState) -> None:
        with lock:
            for item in state.items:
                if item.phase == "uploading" and last.get(item.item_id) != item.bytes_done:
                    last[item.item_id] = item.bytes_done
                    print(f"UP {item.item_id} {item.bytes_done}", flush=True)

    worker = SyncWorker(client, interval=0.3, backoff=Backoff(base=0.05, cap=0.5), listener=listen)
    worker.start()
    print("READY", flush=True)
    runs = 0
    while True:
        time.sleep(0.1)
        if worker.runs != runs:
            runs = worker.runs
            print(f"RUN {'failed' if worker.last_error else 'ok'}", flush=True)
        if worker.last_report is not None and worker.last_error is None and not outbox.sendable():
            worker.stop()
            print("DONE", flush=True)
            store.close()
            return 0


if __name__ == "__main__":
    sys.exit(main())
