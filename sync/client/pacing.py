"""Pacing of the link: full-jitter backoff, a token-bucket bandwidth cap, and chunk sizes from measured throughput."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable

KIB = 1024
MIB = 1024 * KIB
MIN_CHUNK = 64 * KIB
MAX_CHUNK = 4 * MIB
FIRST_CHUNK = 256 * KIB  # before anything is measured: right for EDGE, soon grown on a fast link
CHUNK_SECONDS = 12.0  # a chunk should take about this long: a cut loses little, the round trip costs little
BACKOFF_CAP = 600.0


class Backoff:
    """Full-jitter exponential backoff: the n-th delay is uniform in [0, min(cap, base * 2**n)]."""

    def __init__(self, base: float = 2.0, cap: float = BACKOFF_CAP, rng: random.Random | None = None) -> None:
        self.base = base
        self.cap = cap
        self.rng = rng or random.Random()
        self.failures = 0

    def delay(self, failures: int) -> float:
        """The wait after the n-th consecutive failure (n >= 1), without recording anything."""
        ceiling = min(self.cap, self.base * 2.0 ** min(max(failures - 1, 0), 32))
        return self.rng.uniform(0.0, ceiling)

    def next_delay(self) -> float:
        """Record one more failure and return how long to wait before the next try."""
        self.failures += 1
        return self.delay(self.failures)

    def reset(self) -> None:
        """A success: start again from the base delay."""
        self.failures = 0


class TokenBucket:
    """A bandwidth cap: `take(n)` blocks until n bytes may be sent at `rate` bytes/s (0: no cap)."""

    def __init__(
        self,
        rate: float = 0.0,
        burst: int = 16 * KIB,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._lock = threading.Lock()
        self.clock = clock
        self.sleep = sleep
        self.burst = burst
        self.rate = rate
        self._tokens = float(burst)
        self._stamp = clock()

    def set_rate(self, rate: float) -> None:
        """Change the cap (bytes/s; 0 removes it)."""
        with self._lock:
            self.rate = max(0.0, rate)

    def take(self, amount: int) -> None:
        """Wait until `amount` bytes may go out."""
        while True:
            with self._lock:
                if self.rate <= 0:
                    return
                now = self.clock()
                self._tokens = min(float(max(self.burst, amount)), self._tokens + (now - self._stamp) * self.rate)
                self._stamp = now
                if self._tokens >= amount - 1e-6:  # tolerance: float rounding must not leave a sub-ulp wait
                    self._tokens = max(0.0, self._tokens - amount)
                    return
                wait = (amount - self._tokens) / self.rate
            self.sleep(wait)


class LinkEstimate:
    """The measured upload throughput (exponentially weighted), and the chunk size it calls for."""

    def __init__(
        self, throughput: float = 0.0, weight: float = 0.5, min_chunk: int = MIN_CHUNK, max_chunk: int = MAX_CHUNK
    ) -> None:
        self.throughput = throughput  # bytes per second; 0 = not measured yet
        self.weight = weight
        self.min_chunk = min_chunk
        self.max_chunk = max_chunk
        self._lock = threading.Lock()

    def observe(self, size: int, seconds: float) -> None:
        """One transfer of `size` bytes took `seconds` (request sent to answer read)."""
        if size < 16 * KIB or seconds <= 0:
            return  # too small to say anything about the link
        sample = size / seconds
        with self._lock:
            if self.throughput <= 0:
                self.throughput = sample
            else:
                self.throughput = (1 - self.weight) * self.throughput + self.weight * sample

    def chunk_size(self) -> int:
        """About CHUNK_SECONDS of the link, in 64 KiB steps, between 64 KiB and 4 MiB."""
        with self._lock:
            if self.throughput <= 0:
                return max(self.min_chunk, min(self.max_chunk, FIRST_CHUNK))
            steps = round(self.throughput * CHUNK_SECONDS / MIN_CHUNK)
        return max(self.min_chunk, min(self.max_chunk, steps * MIN_CHUNK))

    def read_timeout(self, size: int, base: float, slowest: float) -> float:
        """How long to wait for the answer to a request carrying `size` bytes.

        Until the link is measured it is assumed as slow as `slowest` bytes/s (a bad GPRS link).
        """
        with self._lock:
            rate = self.throughput if self.throughput > 0 else slowest
        return min(600.0, base + 2.0 * size / rate)
