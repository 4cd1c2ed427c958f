"""The audit trail: append-only entries chained by SHA-256, so an edit, reorder or deletion is found.

Each entry's hash covers its own fields and the previous entry's hash. Entries hold the officer's
user name, the action, the application's client id and non-personal details: never a citizen's
name, NIK or KK.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

from app.store.models import AuditEntry, Setting

GENESIS = "0" * 64
HEAD_KEY = "audit.head"  # the last entry's seq and hash: removing entries at the end shows too


def _entry_hash(prev_hash: str, officer: str, action: str, application: str, device_time: str, details: str) -> str:
    payload = json.dumps([prev_hash, officer, action, application, device_time, details], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(officer: str, action: str, application: str = "", details: Mapping[str, object] | None = None) -> AuditEntry:
    """Add one entry after the last one; call inside the transaction of the change it records."""
    last = AuditEntry.select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1).first()
    prev_hash = last.hash if last is not None else GENESIS
    device_time = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    text = json.dumps(dict(details or {}), ensure_ascii=False, sort_keys=True)
    digest = _entry_hash(prev_hash, officer, action, application, device_time, text)
    entry = AuditEntry.create(
        officer=officer,
        action=action,
        application=application,
        device_time=device_time,
        details=text,
        prev_hash=prev_hash,
        hash=digest,
    )
    head = json.dumps({"seq": entry.seq, "hash": digest})
    Setting.insert(key=HEAD_KEY, value=head).on_conflict_replace().execute()
    return entry


@dataclass(frozen=True)
class ChainReport:
    """The result of verifying the chain."""

    entries: int
    faults: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """No entry was edited, reordered or removed."""
        return not self.faults


def verify() -> ChainReport:
    """Walk the chain in order and report every break (numbers are the entries' sequence numbers)."""
    faults: list[str] = []
    prev_hash = GENESIS
    prev_seq = 0
    count = 0
    query = AuditEntry.select().order_by(AuditEntry.seq)
    for entry in query.iterator():
        count += 1
        if entry.seq != prev_seq + 1:
            faults.append(f"entri {prev_seq + 1}–{entry.seq - 1} hilang (urutan terputus sebelum entri {entry.seq})")
        if entry.prev_hash != prev_hash:
            faults.append(f"entri {entry.seq}: tidak tersambung ke entri sebelumnya (dihapus atau diubah urutannya)")
        expected = _entry_hash(
            entry.prev_hash, entry.officer, entry.action, entry.application, entry.device_time, entry.details
        )
        if entry.hash != expected:
            faults.append(f"entri {entry.seq}: isinya diubah setelah dicatat")
        prev_hash = entry.hash
        prev_seq = entry.seq
    row = Setting.get_or_none(Setting.key == HEAD_KEY)
    head = json.loads(row.value) if row is not None else {"seq": 0, "hash": GENESIS}
    if head.get("seq") != prev_seq or head.get("hash") != prev_hash:
        faults.append(f"entri terakhir tercatat {head.get('seq')}, yang ada sampai {prev_seq}: entri akhir dihapus")
    return ChainReport(count, tuple(faults))
