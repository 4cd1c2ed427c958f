"""Benchmark: cold load of the service catalogue and every form schema, in a fresh interpreter each run."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

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


def run() -> list[dict[str, object]]:
    """Measure the cold load (imports included) RUNS times; report the median and the worst."""
    samples = []
    info: dict[str, int] = {}
    for _ in range(RUNS):
        out = subprocess.run([sys.executable, "-c", _PROBE], check=True, capture_output=True, text=True)
        data = json.loads(out.stdout)
        samples.append(float(data["ms"]))
        info = {"services": int(data["services"]), "forms": int(data["forms"])}
    median = statistics.median(samples)
    return [
        {
            "measure": f"catalogue ({info['services']} services) + all schemas ({info['forms']}) load, cold, median",
            "budget": f"<= {BUDGET_MS:.0f} ms",
            "measured": f"{median:.0f} ms (worst of {RUNS}: {max(samples):.0f} ms)",
            "ok": median <= BUDGET_MS,
        }
    ]
