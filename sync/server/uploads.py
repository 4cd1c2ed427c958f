"""Uploads as a device sees them: documents per outpost, a quota of unfinished bytes, a free-space guard.

- A device is told a document is complete only when its own outpost uploaded it (or cited it before
  schema 2); otherwise it uploads the bytes itself, into its own partial file. Identical bytes from
  several outposts are stored once, and no answer tells a device that another outpost has them.
- The unfinished bytes of one device are capped (`LOKET_SERVER_UPLOAD_QUOTA_MB`, default 512 MiB),
  and partial uploads idle longer than `LOKET_SERVER_PARTIAL_DAYS` (default 7) are swept.
- A chunk is refused with 507 before it would leave less than `LOKET_SERVER_MIN_FREE_MB` (default
  1024 MiB) free on the storage's disk: what was accepted before stays safe, the device retries later.
  Object storage has no such disk (the quota still applies).
- The upload state is in the database (`Upload`) and the storage (folder or object store), never in a
  process: any replica can take any chunk.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import cast

import peewee

from app.store.models import utcnow
from sync.protocol import UploadState
from sync.server.db import in_transaction
from sync.server.errors import HashMismatchError, ServerError
from sync.server.models import Device, DocumentOwner, Upload
from sync.server.storage import DocumentStorage

ENV_QUOTA = "LOKET_SERVER_UPLOAD_QUOTA_MB"
ENV_MIN_FREE = "LOKET_SERVER_MIN_FREE_MB"
DEFAULT_QUOTA_MB = 512
DEFAULT_MIN_FREE_MB = 1024
MIB = 2**20


class StorageFullError(ServerError):
    """The server refuses to take more bytes now (disk nearly full, or the device's quota used up)."""

    status = 507
    code = "storage_full"


def _env_mib(name: str, default: int) -> int:
    try:
        return max(0, int(os.environ.get(name, default))) * MIB
    except ValueError:
        return default * MIB


def quota_bytes() -> int:
    """A device's allowance of unfinished upload bytes."""
    return _env_mib(ENV_QUOTA, DEFAULT_QUOTA_MB)


def min_free_bytes() -> int:
    """The free space the server keeps on the storage's disk."""
    return _env_mib(ENV_MIN_FREE, DEFAULT_MIN_FREE_MB)


def owned(outpost_id: int, hashes: Iterable[str]) -> dict[str, int]:
    """The documents among `hashes` this outpost uploaded, with their sizes."""
    wanted = sorted(set(hashes))
    if not wanted:
        return {}
    rows = DocumentOwner.select(DocumentOwner.sha256, DocumentOwner.size).where(
        (DocumentOwner.outpost == outpost_id) & DocumentOwner.sha256.in_(wanted)
    )
    return {row.sha256: int(row.size) for row in rows}


def state(storage: DocumentStorage, device: Device, sha256: str, size: int) -> UploadState:
    """How much of a document the server holds for this device (complete only for its outpost's documents)."""
    mine = owned(device.outpost_id, [sha256])
    if sha256 in mine and storage.complete(sha256):
        return UploadState(sha256=sha256, size=mine[sha256], offset=mine[sha256], complete=True)
    offset = storage.partial_offset(sha256, device.device_id)
    return UploadState(sha256=sha256, size=size, offset=offset, complete=False)


def states(storage: DocumentStorage, device: Device, documents: Iterable[tuple[str, int]]) -> list[UploadState]:
    """`state` of several documents, in order, with one ownership query."""
    documents = list(documents)
    mine = owned(device.outpost_id, [sha for sha, _ in documents])
    out = []
    for sha, size in documents:
        if sha in mine and storage.complete(sha):
            out.append(UploadState(sha256=sha, size=mine[sha], offset=mine[sha], complete=True))
        else:
            out.append(
                UploadState(sha256=sha, size=size, offset=storage.partial_offset(sha, device.device_id), complete=False)
            )
    return out


def _check_room(storage: DocumentStorage, device: Device, sha256: str, offset: int, length: int) -> int | None:
    """Refuse a chunk that would leave too little disk or pass the device's quota; return what the
    database records as received of this upload (None when it has no row), from the same query."""
    free = storage.free_bytes()  # None for object storage: no disk of ours to fill
    # Room for the chunk, then for the sealed document when it completes.
    if free is not None and free - 2 * length < min_free_bytes():
        raise StorageFullError(
            "Ruang penyimpanan server Dinas hampir penuh; unggahan ditunda. Data yang sudah diterima aman. "
            "Loket akan mencoba lagi nanti; hubungi TI Dinas bila berlanjut.",
            code="storage_full",
        )
    mine = Upload.sha256 == sha256
    others, held = cast(
        "tuple[int | None, int | None]",
        Upload.select(
            peewee.fn.COALESCE(peewee.fn.SUM(peewee.Case(None, [(~mine, Upload.received)], 0)), 0),
            peewee.fn.MAX(peewee.Case(None, [(mine, Upload.received)], None)),
        )
        .where(Upload.device == device.id)
        .tuples()
        .get(),
    )
    if int(others or 0) + offset + length > quota_bytes():
        raise StorageFullError(
            "Perangkat ini mempunyai terlalu banyak unggahan dokumen yang belum selesai di server Dinas. "
            "Selesaikan unggahan yang berjalan; unggahan yang terbengkalai dihapus otomatis setelah 7 hari.",
            {"quota": quota_bytes()},
            code="upload_quota",
        )
    return None if held is None else int(held)


def append(storage: DocumentStorage, device: Device, sha256: str, size: int, offset: int, data: bytes) -> UploadState:
    """Append a device's chunk (its own partial upload); record its outpost as owner once verified."""
    mine = owned(device.outpost_id, [sha256])
    if sha256 in mine and storage.complete(sha256):
        return UploadState(sha256=sha256, size=mine[sha256], offset=mine[sha256], complete=True)
    # What this database recorded as received: object storage then needs no listing to find the end.
    held = _check_room(storage, device, sha256, offset, len(data))
    try:
        end = storage.append(sha256, size, offset, data, owner=device.device_id, held=held)
    except HashMismatchError:
        Upload.delete().where((Upload.device == device.id) & (Upload.sha256 == sha256)).execute()
        raise
    now = utcnow()
    if end >= size:

        def publish() -> int | None:
            DocumentOwner.insert(outpost=device.outpost_id, sha256=sha256, size=size, first_at=now).on_conflict(
                conflict_target=[DocumentOwner.outpost, DocumentOwner.sha256], update={DocumentOwner.size: size}
            ).execute()
            recorded = Upload.select(Upload.received).where(this_upload).scalar()
            Upload.delete().where(this_upload).execute()
            return None if recorded is None else int(recorded)

        this_upload = (Upload.device == device.id) & (Upload.sha256 == sha256)
        recorded = in_transaction(publish)
        if recorded is not None and recorded != offset:
            # A chunk of this device taken at the same time by another request (another replica) began a
            # new partial upload after the document was published: it is not needed.
            storage.drop_partial(sha256, device.device_id)
        return UploadState(sha256=sha256, size=size, offset=size, complete=True)
    Upload.insert(device=device.id, sha256=sha256, size=size, received=end, started_at=now, updated_at=now).on_conflict(
        conflict_target=[Upload.device, Upload.sha256],
        update={Upload.size: size, Upload.received: end, Upload.updated_at: now},
    ).execute()
    if sha256 in owned(device.outpost_id, [sha256]) and storage.complete(sha256):
        # Published meanwhile by this outpost's request on another replica (whose partial this chunk
        # restarted after it was removed): the upload is complete, the new partial is not needed.
        storage.drop_partial(sha256, device.device_id)
        Upload.delete().where((Upload.device == device.id) & (Upload.sha256 == sha256)).execute()
        return UploadState(sha256=sha256, size=size, offset=size, complete=True)
    return UploadState(sha256=sha256, size=size, offset=end, complete=False)
