"""A writer process for the crash-consistency test: saves, attaches and submits until it is killed.

Before each write it prints `TRY ...`, after the write returns (committed) it prints `ACK ...`.
Usage: python -m tests.reliability.writer BASEDIR SEED
"""

from __future__ import annotations

import hashlib
import json
import random
import sys

from app.paths import DataPaths
from app.store import Store
from app.store import applications as apps
from app.store.models import Application


def say(*parts: object) -> None:
    """One protocol line, flushed at once."""
    sys.stdout.write(" ".join(str(p) for p in parts) + "\n")
    sys.stdout.flush()


def fingerprint(data: object) -> str:
    """The hash the parent compares with the stored answers."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def main() -> None:
    """Write forever (until SIGKILL)."""
    basedir, seed = sys.argv[1], int(sys.argv[2])
    rng = random.Random(seed)
    store = Store.unlock(DataPaths.resolve(basedir), "sup", "rahasia-sup-1")
    drafts = [a for a in Application.select().where(Application.state == "draft")]
    say("READY")
    while True:
        action = rng.random()
        if action < 0.15 or not drafts:
            say("TRY create")
            application = apps.create_draft(store, "KTPEL-BARU-WNI", applicant_name=f"Pemohon {rng.randint(1, 999)}")
            drafts.append(application)
            say("ACK create", application.client_id)
        elif action < 0.70:
            application = rng.choice(drafts)
            data = {"pemohon": {"nama": f"Nama {rng.randint(1, 10**9)}", "isian": "x" * rng.randint(0, 4000)}}
            say("TRY answer", application.client_id, fingerprint(data))
            apps.save_answers(store, application, "F-1.02@PMDN109-2019", data)
            say("ACK answer", application.client_id, fingerprint(data))
        elif action < 0.90:
            application = rng.choice(drafts)
            page = rng.randbytes(rng.randint(10_000, 300_000))
            digest = hashlib.sha256(page).hexdigest()
            say("TRY page", application.client_id, digest)
            apps.attach_page(store, application, "kk", page, media_type="image/png")
            say("ACK page", application.client_id, digest)
        else:
            application = drafts.pop(rng.randrange(len(drafts)))
            say("TRY submit", application.client_id)
            apps.submit(store, application)
            say("ACK submit", application.client_id)


if __name__ == "__main__":
    main()
