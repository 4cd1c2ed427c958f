"""Benchmark: cold load of the service catalogue and every form schema, in a fresh interpreter each run."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile

RUNS = 15
BUDGET_MS = 200.0

_PROBE = """
import json, time
t0 = time.perf_counter()
from app.forms import default_registry
from app.catalog import load_catalog
forms = default_registry()
catalog = load_catalog()
t1 = time.perf_counter()
print(json.dumps({"ms": (t1 - t0) * 1000, "services": len(catalog.services), "forms": len(list(forms))}))
"""


def _probe(cache: str) -> dict[str, float]:
    env = {**os.environ, "LOKET_CACHE_DIR": cache}
    out = subprocess.run([sys.executable, "-c", _PROBE], check=True, capture_output=True, text=True, env=env)
    data: dict[str, float] = json.loads(out.stdout)
    return data


def run() -> list[dict[str, object]]:
    """Measure the load in a fresh interpreter (our imports included): once with an empty parse cache
    (the first start after an install or upgrade), then RUNS times as every later start does."""
    with tempfile.TemporaryDirectory(prefix="loket-bench-cache-") as cache:
        first = _probe(cache)
        samples = [_probe(cache)["ms"] for _ in range(RUNS)]
    median = statistics.median(samples)
    what = f"catalogue ({first['services']:.0f} services) + all schemas ({first['forms']:.0f})"
    return [
        {
            "measure": f"{what} load, fresh process, median",
            "budget": f"<= {BUDGET_MS:.0f} ms",
            "measured": f"{median:.0f} ms (worst of {RUNS}: {max(samples):.0f} ms)",
            "ok": median <= BUDGET_MS,
        },
        {
            "measure": f"{what} load, first start after install (empty parse cache)",
            "budget": "-",
            "measured": f"{first['ms']:.0f} ms",
            "ok": None,
        },
    ]
