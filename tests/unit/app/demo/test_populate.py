"""populate() on a real encrypted store: the store verifies, counts match, states are ones the API reaches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.demo.populate import populate
from app.paths import DataPaths
from app.store import Store
from app.store import applications as store_applications
from app.store.crypto import ScryptParams
from app.store.models import Application, Resident
from app.store.residents import find_by_kk, find_by_nik
from app.store.verify import verify_store

TODAY = dt.date(2026, 3, 15)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A new installation whose officer is a supervisor."""
    opened = Store.initialise(
        DataPaths(tmp_path / "data"), "sup", "Supervisor", "rahasia123", params=ScryptParams(n=2**10)
    )
    try:
        yield opened
    finally:
        opened.close()


def test_populate_applications_and_residents(store: Store) -> None:
    calls: list[tuple[int, int]] = []
    summary = populate(
        store, 20, seed=7, residents=200, progress=lambda done, total: calls.append((done, total)), today=TODAY
    )

    report = verify_store(store)
    assert report.ok, report.to_dict()
    assert summary.applications == report.applications == 20
    assert sum(summary.by_service.values()) == sum(summary.by_state.values()) == 20
    assert set(summary.by_state) <= {"draft", "submitted", "cancelled"}
    assert report.outbox.get("pending", 0) == summary.by_state.get("submitted", 0)
    rows = list(Application.select())
    assert {row.state for row in rows} == set(summary.by_state)
    for state, count in summary.by_state.items():
        assert sum(row.state == state for row in rows) == count
    for code, count in summary.by_service.items():
        assert sum(row.service_code == code for row in rows) == count

    assert summary.residents == 200 == Resident.select().count()
    sample = Resident.select().order_by(Resident.id).first()
    assert find_by_nik(sample.nik) and find_by_kk(sample.kk)

    assert summary.pages > 0 and summary.bytes > 0
    assert summary.bytes / summary.pages < 60_000
    assert report.blobs_checked > 0 and not report.blobs_missing
    assert calls[0] == (1, 220) and calls[-1] == (220, 220)


def test_submitted_applications_are_complete(store: Store) -> None:
    summary = populate(store, 20, seed=3, today=TODAY)
    submitted = [row for row in Application.select() if row.state == "submitted"]
    assert len(submitted) == summary.by_state.get("submitted", 0) > 0
    for application in submitted:
        assert store_applications.answers_of(application)
        assert store_applications.facts_of(application) is not None
        pages = store_applications.pages_of(application)
        assert pages and all(page_list for _, page_list in pages)
        assert application.applicant_name


def test_same_seed_same_demo(tmp_path: Path) -> None:
    summaries = []
    for name in ("one", "two"):
        opened = Store.initialise(
            DataPaths(tmp_path / name), "sup", "Supervisor", "rahasia123", params=ScryptParams(n=2**10)
        )
        try:
            summaries.append(populate(opened, 12, seed=5, today=TODAY).to_dict())
        finally:
            opened.close()
    first, second = summaries
    for key in ("applications", "by_state", "by_service", "pages", "bytes"):
        assert first[key] == second[key]
