"""The sync worker: runs SyncClient off the GUI thread on a timer, on demand and on connectivity changes.

Failures back off with full jitter (capped at 10 minutes); a success waits the interval
(`sync.interval_seconds`). While paused (`sync.paused`, e.g. on a metered phone hotspot) no run starts
by itself; the officer's "Sinkronkan" still runs one.
Every method is thread-safe and returns at once; state changes reach the listener as SyncState
snapshots from the worker's thread (the UI marshals them to the GUI thread).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable

from app.errors import KnownError
from sync.client.client import SyncClient, SyncReport
from sync.client.errors import SyncError, SyncInterruptedError
from sync.client.pacing import Backoff
from sync.client.state import Listener, SyncState

log = logging.getLogger("loket.sync")
DEFAULT_INTERVAL = 300.0
PAUSED_MESSAGE = (
    "Sinkronisasi dijeda oleh petugas; tekan Lanjutkan untuk menyambung, atau Sinkronkan untuk sekali kirim."
)


def _wall() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class SyncWorker:
    """One background thread that syncs one store."""

    def __init__(
        self,
        client: SyncClient,
        *,
        interval: float = DEFAULT_INTERVAL,
        backoff: Backoff | None = None,
        listener: Listener | None = None,
        paused: bool = False,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], dt.datetime] = _wall,
        after_success: Callable[[], None] | None = None,
    ) -> None:
        """`after_success`: run on this thread after each successful sync (the Loket update check)."""
        self.client = client
        self.after_success = after_success
        self.interval = interval
        self.backoff = backoff or Backoff()
        self.clock = clock
        self.wall = wall
        self.runs = 0
        self.last_report: SyncReport | None = None
        self.last_error: KnownError | None = None
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._paused = paused
        self._triggered = not paused  # the first run starts at once, unless paused
        self._online: bool | None = None
        self._due = clock()
        self._succeeded_at: float | None = None  # clock() at the end of the last successful run
        client.tracker.set_listener(listener)
        client.tracker.update(
            paused=paused, phase="paused" if paused else "idle", message=PAUSED_MESSAGE if paused else ""
        )

    # -- control (any thread) ----------------------------------------------------------------------------
    def start(self) -> None:
        """Start the thread (once)."""
        with self._cond:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._loop, name="loket-sync", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop at the next safe point and wait for the thread to end."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self.client.cancel()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def trigger(self) -> None:
        """Sync now (the officer pressed "Sinkronkan"): also cuts a backoff wait short, and runs once when paused."""
        with self._cond:
            self._triggered = True
            self._cond.notify_all()

    def pause(self) -> None:
        """Stop the current run at the next safe point and start no other by itself until resume()."""
        with self._cond:
            if self._paused:
                return
            self._paused = True
            self._triggered = False
            self._cond.notify_all()
        self.client.cancel()
        self.client.tracker.update(paused=True, phase="paused", message=PAUSED_MESSAGE, next_attempt_at=None)

    def resume(self) -> None:
        """Start syncing again, at once."""
        with self._cond:
            if not self._paused:
                return
            self._paused = False
            self._triggered = True
            self._cond.notify_all()
        self.client.tracker.update(paused=False, phase="idle", message="")

    @property
    def paused(self) -> bool:
        """Whether background runs are paused."""
        return self._paused

    def wake(self) -> None:
        """Look at the timer again now (the clock may have jumped, e.g. after the laptop slept)."""
        with self._cond:
            self._cond.notify_all()

    def next_run_in(self) -> float | None:
        """Seconds (by the worker's clock) until the next run starts by itself; None while paused."""
        with self._cond:
            if self._paused:
                return None
            return 0.0 if self._triggered else max(0.0, self._due - self.clock())

    def connectivity_changed(self, online: bool) -> None:
        """The network came up (sync at once, forget the backoff) or went down (wait for it)."""
        with self._cond:
            self._online = online
            if online:
                self.backoff.reset()
                self._triggered = True
            self._cond.notify_all()
        self.client.tracker.update(online=online)

    def set_interval(self, seconds: float) -> None:
        """Change the timer (seconds between runs after a success); the wait under way is re-timed."""
        with self._cond:
            self.interval = max(1.0, seconds)
            if self._succeeded_at is not None and self.last_error is None:
                self._due = self._succeeded_at + self.interval
            due_in = self._due - self.clock()
            self._cond.notify_all()
        if self._succeeded_at is not None and not self._paused:
            self.client.tracker.update(next_attempt_at=self.wall() + dt.timedelta(seconds=max(0.0, due_in)))

    def set_bandwidth_cap(self, kbps: int) -> None:
        """Cap the upload rate (kbit/s; 0: none), effective at once."""
        self.client.set_bandwidth_cap(kbps)

    def state(self) -> SyncState:
        """The latest snapshot."""
        return self.client.state()

    @property
    def alive(self) -> bool:
        """Whether the thread is running."""
        return self._thread is not None and self._thread.is_alive()

    # -- the thread ----------------------------------------------------------------------------------------
    def _wait_for_turn(self) -> bool:
        """Block until a run is due; False when stopping."""
        with self._cond:
            while True:
                if self._stopping:
                    return False
                if self._paused and not self._triggered:
                    self._cond.wait()
                    continue
                if self._online is False and not self._triggered:
                    self.client.tracker.update(phase="offline", message="Tidak ada koneksi ke server Dinas")
                    self._cond.wait()
                    continue
                if self._triggered:
                    self._triggered = False
                    return True
                remaining = self._due - self.clock()
                if remaining <= 0:
                    return True
                self._cond.wait(remaining)

    def _loop(self) -> None:
        try:
            while self._wait_for_turn():
                self._run()
        finally:
            try:
                self.client.store.db.close()  # this thread's connection only
            except Exception:
                log.debug("closing the sync thread's database connection failed")

    def _run(self) -> None:
        self.runs += 1
        tracker = self.client.tracker
        try:
            self.last_report = self.client.run_once()
        except SyncInterruptedError:
            if self._paused:
                tracker.update(phase="paused", running=False, message="Sinkronisasi dijeda")
            return
        except KnownError as exc:  # SyncError, or the store's (a full disk): told, not a crash
            self.last_error = exc
            transient = exc.transient if isinstance(exc, SyncError) else True
            delay = self.backoff.next_delay() if transient else self.interval
            self._schedule(delay)
            tracker.update(
                # A revoked or wiped device keeps the client's phase: the sync area says to call Dinas IT.
                phase="paused" if self._paused else getattr(exc, "phase", "waiting" if transient else "error"),
                last_error=exc.message,
                next_attempt_at=None if self._paused else self.wall() + dt.timedelta(seconds=delay),
            )
            log.info("sync run failed (%s); next try in %.0f s", type(exc).__name__, delay)
            return
        except Exception:
            log.exception("sync run failed with an unexpected error")
            delay = self.backoff.next_delay()
            self._schedule(delay)
            tracker.update(
                phase="waiting",
                running=False,
                last_error="Terjadi kesalahan tak terduga saat sinkronisasi; akan dicoba lagi.",
                next_attempt_at=self.wall() + dt.timedelta(seconds=delay),
            )
            return
        self.last_error = None
        self.backoff.reset()
        with self._cond:
            self._succeeded_at = self.clock()
        self._schedule(self.interval)
        if self._paused:  # a run the officer asked for while paused
            tracker.update(phase="paused", paused=True, message=PAUSED_MESSAGE, next_attempt_at=None)
        else:
            tracker.update(next_attempt_at=self.wall() + dt.timedelta(seconds=self.interval))
        if self.after_success is not None:
            try:
                self.after_success()
            except Exception:
                log.exception("the step after the sync run (update check) failed")

    def _schedule(self, delay: float) -> None:
        with self._cond:
            self._due = self.clock() + delay
