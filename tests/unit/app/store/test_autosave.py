"""Tests of draft autosave: debounced writes, snapshots, failures keep changes, reopening the last draft."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from app.store import applications as apps
from app.store.autosave import Autosaver
from app.store.errors import DiskFullError
from tests.helpers.stores import new_store


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_changes_are_coalesced_and_written_when_due() -> None:
    clock = Clock()
    saved: list[tuple[str, Mapping[str, object]]] = []
    saver = Autosaver(lambda key, data: saved.append((key, data)), interval=0.5, clock=clock)
    answers: dict[str, object] = {"nama": "B"}
    saver.changed("F-1.02", answers)
    answers["nama"] = "Bu"
    saver.changed("F-1.02", answers)
    answers["nama"] = "Budi"  # not noted yet: the snapshot must not change
    clock.now += 0.3
    assert saver.flush_if_due() == 0 and saver.pending
    clock.now += 0.3
    assert saver.flush_if_due() == 1
    assert saved == [("F-1.02", {"nama": "Bu"})]
    assert not saver.pending and not saver.due()


def test_failed_save_keeps_changes_pending() -> None:
    calls = {"n": 0}

    def flaky(key: str, data: Mapping[str, object]) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise DiskFullError()

    saver = Autosaver(flaky, clock=Clock())
    saver.changed("F-1.01", {"x": 1})
    with pytest.raises(DiskFullError):
        saver.flush()
    assert saver.pending
    assert saver.flush() == 1 and not saver.pending


def test_last_draft_reopens_where_it_was(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    first = apps.create_draft(store, "KTPEL-BARU-WNI")
    second = apps.create_draft(store, "KK-HILANG-RUSAK")
    apps.save_answers(store, first, "F-1.02@PMDN109-2019", {"pemohon": {"nama": "Ani"}})
    found = apps.last_draft(store)
    assert found is not None and found.client_id == first.client_id and found.current_form == "F-1.02"
    apps.submit(store, first)
    found = apps.last_draft(store)
    assert found is not None and found.client_id == second.client_id
    store.close()
