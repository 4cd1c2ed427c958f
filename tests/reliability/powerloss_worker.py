"""One boot of the laptop in the power-loss test: open the store, check it, then work until killed.

1. Open the store (after the previous power cut), run the same full verification `loket-admin verify`
   runs, and check that everything the parent recorded as acknowledged is still there.
   Prints `CHECK ok` or `CHECK FAIL <reason>` (and exits) on that.
2. With SEED >= 0: save answers, attach pages, submit, back up and acknowledge sync items for ever,
   printing `TRY <kind> ...` before and `ACK <kind> ...` after each write returned (= reported saved).

Usage: python -m tests.reliability.powerloss_worker BASEDIR EXPECTED_JSON SEED
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import traceback
from pathlib import Path
from typing import Any

from app.paths import DataPaths
from app.store import Store, outbox
from app.store import applications as apps
from app.store.backup import create_backup, verify_backup
from app.store.models import Application, OutboxItem, Page
from app.store.verify import verify_store
from tests.reliability.writer import fingerprint, say

USER, PASSWORD = "sup", "rahasia-sup-1"


def check(store: Store, expected: dict[str, Any]) -> str | None:
    """What is missing or wrong (None when all the acknowledged writes are there and verify is clean)."""
    report = verify_store(store)
    if not report.ok:
        return "verify: " + json.dumps(report.to_dict(), ensure_ascii=False)
    present = {a.client_id: a for a in Application.select()}
    for client_id in expected["creates"]:
        if client_id not in present:
            return f"created draft {client_id} is gone"
    for client_id, allowed in expected["answers"].items():
        stored = fingerprint(apps.answers_of(present[client_id]).get("F-1.02"))
        if stored not in allowed:
            return f"answers of {client_id}: {stored} is none of the saved {allowed}"
    for client_id, digests in expected["pages"].items():
        stored_pages = {
            p.blob_hash
            for p in Page.select()
            .join_from(Page, Page.document.rel_model)
            .where(Page.document.rel_model.application == present[client_id])
        }
        if not set(digests) <= stored_pages:
            return f"pages of {client_id}: {sorted(set(digests) - stored_pages)} gone"
        for digest in digests:
            store.blobs.get(digest)
    for client_id in expected["submits"]:
        if present[client_id].state not in ("submitted", "received"):
            return f"submitted {client_id} is {present[client_id].state}"
    for client_id, item_id in expected["syncacks"]:
        item = OutboxItem.get_or_none(OutboxItem.item_id == item_id)
        if item is None or item.state != "acknowledged" or present[client_id].state != "received":
            return f"acknowledged item {item_id} of {client_id} is {item and item.state}, {present[client_id].state}"
    for name in expected["backups"]:
        path = store.paths.backups / name
        if not path.exists():
            return f"backup {name} is gone"
        verify_backup(path)
    return None


def work(store: Store, rng: random.Random) -> None:
    """Write for ever."""
    drafts = list(Application.select().where(Application.state == "draft"))
    counter = 0
    while True:
        action = rng.random()
        if action < 0.12 or not drafts:
            say("TRY create")
            application = apps.create_draft(store, "KTPEL-BARU-WNI", applicant_name=f"Pemohon {rng.randint(1, 999)}")
            drafts.append(application)
            say("ACK create", application.client_id)
        elif action < 0.55:
            application = rng.choice(drafts)
            data = {"pemohon": {"nama": f"Nama {rng.randint(1, 10**9)}", "isian": "x" * rng.randint(0, 4000)}}
            say("TRY answer", application.client_id, fingerprint(data))
            apps.save_answers(store, application, "F-1.02@PMDN109-2019", data)
            say("ACK answer", application.client_id, fingerprint(data))
        elif action < 0.77:
            application = rng.choice(drafts)
            page = rng.randbytes(rng.randint(5_000, 120_000))
            digest = hashlib.sha256(page).hexdigest()
            say("TRY page", application.client_id, digest)
            apps.attach_page(store, application, "kk", page, media_type="image/png")
            say("ACK page", application.client_id, digest)
        elif action < 0.87:
            application = drafts.pop(rng.randrange(len(drafts)))
            say("TRY submit", application.client_id)
            apps.submit(store, application)
            say("ACK submit", application.client_id)
        elif action < 0.97:
            waiting = [i for i in outbox.sendable() if i.application.state == "submitted"]
            if not waiting:
                continue
            item = rng.choice(waiting)
            client_id = item.application.client_id
            say("TRY syncack", client_id, item.item_id)
            outbox.mark_sending(store, [item.item_id])
            outbox.mark_acknowledged(store, item.item_id, {"stored": True}, f"REG-{rng.randint(1, 10**6)}", True)
            say("ACK syncack", client_id, item.item_id)
        else:
            counter += 1
            name = f"cadangan-{rng.randint(0, 10**9)}-{counter}.zip"
            say("TRY backup", name)
            create_backup(store, store.paths.backups / name)
            say("ACK backup", name)


def main() -> None:
    basedir, expected_file, seed = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    expected = json.loads(expected_file.read_text())
    try:
        store = Store.unlock(DataPaths.resolve(basedir), USER, PASSWORD)
    except Exception:
        say("CHECK FAIL the store does not open:", traceback.format_exc().replace("\n", " | "))
        sys.exit(3)
    try:
        problem = check(store, expected)
    except Exception:
        problem = traceback.format_exc().replace("\n", " | ")
    if problem:
        say("CHECK FAIL", problem)
        sys.exit(3)
    say("CHECK ok")
    if seed < 0:
        store.close()
        return
    say("READY")
    work(store, random.Random(seed))


if __name__ == "__main__":
    main()
