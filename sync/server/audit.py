"""The server's audit: who did or saw what, when, as a hash chain (call inside the transaction of the change).

Each entry's hash covers the previous entry's hash and its own fields, so removing, reordering or
editing an entry breaks every hash after it; `verify` walks the chain. The head hash lives in one
row of `server_meta` that each writer locks (PostgreSQL) or that the single SQLite writer owns, so
concurrent server processes append in one order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.store.models import utcnow
from sync.server.db import is_postgres
from sync.server.models import AuditLog, ServerMeta, database_proxy

HEAD_KEY = "audit_head"


def entry_hash(prev: str, at: dt.datetime, actor: str, action: str, subject: str, details: str) -> str:
    """The hash of one entry, chained to the previous entry's hash."""
    text = "\x1f".join((prev, at.isoformat(timespec="microseconds"), actor, action, subject, details))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _head() -> str:
    query = ServerMeta.select(ServerMeta.value).where(ServerMeta.key == HEAD_KEY)
    if is_postgres(database_proxy.obj):
        query = query.for_update()
    row = query.first()
    if row is None:
        ServerMeta.insert(key=HEAD_KEY, value="").on_conflict_ignore().execute()
        return _head() if is_postgres(database_proxy.obj) else ""
    return str(row.value)


def record(actor: str, action: str, subject: str = "", details: Mapping[str, object] | None = None) -> None:
    """Append one audit entry (no personal data: ids, codes and counts only)."""
    record_many([(actor, action, subject, details)])


def record_many(entries: Iterable[tuple[str, str, str, Mapping[str, object] | None]]) -> None:
    """Append several entries in order, chained, with one lock of the head."""
    rows = list(entries)
    if not rows:
        return
    prev = _head()
    now = utcnow()
    values = []
    for actor, action, subject, details in rows:
        fields = (
            actor[:64],
            action[:40],
            subject[:64],
            json.dumps(dict(details or {}), ensure_ascii=True, sort_keys=True),
        )
        digest = entry_hash(prev, now, *fields)
        values.append(
            {
                "at": now,
                "actor": fields[0],
                "action": fields[1],
                "subject": fields[2],
                "details": fields[3],
                "prev_hash": prev,
                "entry_hash": digest,
            }
        )
        prev = digest
    AuditLog.insert_many(values).execute()
    ServerMeta.update(value=prev).where(ServerMeta.key == HEAD_KEY).execute()


@dataclass(frozen=True)
class ChainReport:
    """What `verify` found: how many entries it checked and the first broken one (if any)."""

    checked: int
    legacy: int
    broken_at: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        """The chain is whole."""
        return self.broken_at is None


def verify(batch: int = 5000) -> ChainReport:
    """Walk the whole chain in id order; entries from before the chain (schema 1) are counted, not checked."""
    prev = ""
    checked = legacy = 0
    last_id = 0
    started = False
    while True:
        rows = list(AuditLog.select().where(AuditLog.id > last_id).order_by(AuditLog.id).limit(batch))
        if not rows:
            break
        for row in rows:
            last_id = row.id
            if not row.entry_hash and not started:
                legacy += 1
                continue
            started = True
            if row.prev_hash != prev:
                return ChainReport(checked, legacy, row.id, "rantai terputus: hash sebelumnya tidak cocok")
            expected = entry_hash(prev, row.at, row.actor, row.action, row.subject, row.details)
            if row.entry_hash != expected:
                return ChainReport(checked, legacy, row.id, "isi catatan berubah setelah ditulis")
            prev = row.entry_hash
            checked += 1
    head = ServerMeta.get_or_none(ServerMeta.key == HEAD_KEY)
    if head is not None and head.value != prev:
        return ChainReport(checked, legacy, last_id, "catatan terakhir hilang: kepala rantai tidak cocok")
    return ChainReport(checked, legacy)
