"""Tests of the audit hash chain: any edited, reordered or deleted entry is found."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.store import Store, audit
from app.store.models import AuditEntry
from tests.helpers.stores import new_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = new_store(tmp_path)
    with opened.db.atomic():
        for i in range(5):
            audit.append("sup", "test.action", f"app-{i}", {"n": i})
    yield opened
    opened.close()


def test_intact_chain_verifies(store: Store) -> None:
    report = audit.verify()
    assert report.ok and report.entries == 6


def test_edited_entry_is_found(store: Store) -> None:
    AuditEntry.update(action="test.other").where(AuditEntry.seq == 3).execute()
    report = audit.verify()
    assert not report.ok
    assert any("entri 3" in fault and "diubah" in fault for fault in report.faults)


def test_deleted_middle_entry_is_found(store: Store) -> None:
    AuditEntry.delete().where(AuditEntry.seq == 4).execute()
    faults = audit.verify().faults
    assert any("hilang" in fault for fault in faults)


def test_reordered_entries_are_found(store: Store) -> None:
    first = AuditEntry.get(AuditEntry.seq == 2)
    second = AuditEntry.get(AuditEntry.seq == 5)
    fields = ("officer", "action", "application", "device_time", "details", "prev_hash", "hash")
    a = {f: getattr(first, f) for f in fields}
    b = {f: getattr(second, f) for f in fields}
    AuditEntry.update(**b).where(AuditEntry.seq == 2).execute()
    AuditEntry.update(**a).where(AuditEntry.seq == 5).execute()
    assert not audit.verify().ok


def test_deleted_tail_is_found(store: Store) -> None:
    AuditEntry.delete().where(AuditEntry.seq >= 5).execute()
    faults = audit.verify().faults
    assert any("entri akhir dihapus" in fault for fault in faults)
