"""Issue 15, finding 3 (storage side): unfinished uploads expire and are swept, documents no package cites go after
a grace period, what a package cites stays (real files, SQLite; time passes through `now`, never by waiting)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid

from app.store.models import utcnow
from sync.protocol import BatchRequest
from sync.server import uploads
from sync.server.models import AuditLog, DocumentOwner, Upload
from sync.server.sweep import sweep
from tests.unit.sync.conftest import Dinas, Made


def test_expired_partial_uploads_and_uncited_documents_are_swept_cited_ones_stay(
    dinas: Dinas, made_packages: list[Made]
) -> None:
    made = made_packages[0]
    dinas.store_documents(made, dinas.device)
    dinas.intake.commit(dinas.device, BatchRequest(batch_id=str(uuid.uuid4()), items=[made.package]))
    junk = os.urandom(4000)
    junk_sha = hashlib.sha256(junk).hexdigest()
    uploads.append(dinas.storage, dinas.device, junk_sha, 10_000, 0, junk)  # a made-up, never finished upload
    lonely = os.urandom(3000)
    lonely_sha = hashlib.sha256(lonely).hexdigest()
    uploads.append(dinas.storage, dinas.other, lonely_sha, len(lonely), 0, lonely)  # uploaded, never cited
    assert Upload.select().count() == 1

    today = sweep(dinas.storage, now=utcnow())
    assert (today.partials, today.documents) == (0, 0), "nothing is young enough to go"

    later = sweep(dinas.storage, now=utcnow() + dt.timedelta(days=8), orphan_days=30)
    assert later.partials == 1 and later.partial_bytes > 4000 and later.documents == 0
    assert dinas.storage.partial_offset(junk_sha, dinas.device.device_id) == 0 and Upload.select().count() == 0

    much_later = sweep(dinas.storage, now=utcnow() + dt.timedelta(days=31))
    assert much_later.documents == 1 and not dinas.storage.complete(lonely_sha)
    assert not DocumentOwner.select().where(DocumentOwner.sha256 == lonely_sha).exists()
    assert all(dinas.storage.verify(sha) for sha in made.blobs), "a cited document was swept"
    assert AuditLog.select().where(AuditLog.action == "storage.sweep").count() == 2
