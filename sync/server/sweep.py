"""Bounded storage: uploads left unfinished expire, documents no package cites go after a grace period.

`loket-server storage sweep` runs it (daily, from cron or a systemd timer). Nothing a package cites
is ever removed here: a document is "cited" once a batch naming it was committed (the Document table),
and uploads in progress are touched only when idle longer than the expiry.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass

from app.store.models import utcnow
from sync.server import audit
from sync.server.db import in_transaction
from sync.server.models import Device, Document, DocumentOwner, Upload
from sync.server.storage import DiskStorage

log = logging.getLogger("loket.sync.server")

ENV_PARTIAL_DAYS = "LOKET_SERVER_PARTIAL_DAYS"
ENV_ORPHAN_DAYS = "LOKET_SERVER_ORPHAN_DAYS"
DEFAULT_PARTIAL_DAYS = 7
DEFAULT_ORPHAN_DAYS = 30


def _days(name: str, default: int) -> int:
    try:
        return max(0, int(os.environ.get(name, default)))
    except ValueError:
        return default


@dataclass(frozen=True)
class SweepReport:
    """What a sweep removed."""

    partials: int
    partial_bytes: int
    documents: int
    document_bytes: int

    def text(self) -> str:
        """The report for Dinas IT, in Bahasa Indonesia."""
        return (
            f"Unggahan belum selesai yang kedaluwarsa dihapus: {self.partials} ({self.partial_bytes} bita).\n"
            f"Dokumen yang tidak dirujuk permohonan mana pun dihapus: {self.documents} ({self.document_bytes} bita)."
        )


def sweep(
    storage: DiskStorage,
    *,
    now: dt.datetime | None = None,
    partial_days: int | None = None,
    orphan_days: int | None = None,
) -> SweepReport:
    """Remove expired partial uploads and documents no package cites after the grace period."""
    now = now or utcnow()
    partial_cutoff = now - dt.timedelta(
        days=_days(ENV_PARTIAL_DAYS, DEFAULT_PARTIAL_DAYS) if partial_days is None else partial_days
    )
    orphan_cutoff = now - dt.timedelta(
        days=_days(ENV_ORPHAN_DAYS, DEFAULT_ORPHAN_DAYS) if orphan_days is None else orphan_days
    )
    devices = {d.device_id: d.id for d in Device.select(Device.id, Device.device_id)}
    partials = partial_bytes = 0
    for item in list(storage.partials()):
        # The file's time is the last chunk's; a row whose time is older says the same from the database.
        if dt.datetime.fromtimestamp(item.modified, dt.UTC).replace(tzinfo=None) >= partial_cutoff:
            continue
        partial_bytes += storage.drop_partial(item.sha256, item.owner)
        partials += 1
        device = devices.get(item.owner)
        if device is not None:
            Upload.delete().where((Upload.device == device) & (Upload.sha256 == item.sha256)).execute()
    Upload.delete().where(Upload.updated_at < partial_cutoff).execute()  # rows whose file is already gone
    cited = {row.sha256 for row in Document.select(Document.sha256)}
    documents = document_bytes = 0
    for sha in list(storage.stored()):
        if sha in cited:
            continue
        if dt.datetime.fromtimestamp(storage.stored_at(sha), dt.UTC).replace(tzinfo=None) >= orphan_cutoff:
            continue
        size = storage.size(sha)
        if storage.delete(sha):
            documents += 1
            document_bytes += size
            DocumentOwner.delete().where(DocumentOwner.sha256 == sha).execute()
    report = SweepReport(partials, partial_bytes, documents, document_bytes)
    if partials or documents:
        in_transaction(
            lambda: audit.record(
                "sistem",
                "storage.sweep",
                "",
                {"partials": partials, "partial_bytes": partial_bytes, "documents": documents},
            )
        )
    log.info("storage sweep: %d partial uploads, %d unreferenced documents removed", partials, documents)
    return report
