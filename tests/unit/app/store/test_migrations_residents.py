"""Tests of schema versions (newer databases refused, backup before migrating) and the residents index."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.paths import DataPaths
from app.store import Store, migrations
from app.store.errors import DatabaseTooNewError
from app.store.residents import ResidentRecord, add_residents, find_by_kk, find_by_nik, name_key, search_name
from tests.helpers.stores import SUPERVISOR, new_store


def test_newer_database_is_refused_unchanged(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    store.db.execute_sql(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    store.checkpoint()
    store.close()
    before = (tmp_path / "loket.db").read_bytes()
    with pytest.raises(DatabaseTooNewError, match="lebih baru"):
        Store.unlock(DataPaths(tmp_path), SUPERVISOR[0], SUPERVISOR[2])
    assert (tmp_path / "loket.db").read_bytes() == before


def test_upgrade_takes_a_backup_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    new_store(tmp_path).close()
    ran: list[int] = []
    after = migrations.SCHEMA_VERSION + 1
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", after)
    monkeypatch.setitem(migrations.MIGRATIONS, after, lambda db: ran.append(after))
    import app.store.store as store_module

    monkeypatch.setattr(store_module, "SCHEMA_VERSION", after)
    opened = Store.unlock(DataPaths(tmp_path), SUPERVISOR[0], SUPERVISOR[2])
    assert ran == [after]
    assert migrations.schema_version(opened.db) == after
    backups = list((tmp_path / "backups").glob("loket-before-migration-*.db"))
    assert len(backups) == 1 and backups[0].stat().st_size > 0
    opened.close()


def test_name_key_folds() -> None:
    assert name_key("  Siti  NUR'AINI ") == "siti nur aini"
    assert name_key("Élodie-Marie") == "elodie marie"


def test_residents_lookup(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    count = add_residents(
        store,
        [
            ResidentRecord("Budi Santoso", "3521011705800001", "3521010101100001", dt.date(1980, 5, 17), 1),
            ResidentRecord("Budiman", "3521011705800002", "3521010101100002"),
            ResidentRecord("Ani Lestari", "3521015702850001", "3521010101100001", sex=2),
            ResidentRecord("Bayi Baru", None, "3521010101100001", source="application"),
        ],
        batch=2,
    )
    assert count == 4
    assert [r.name for r in find_by_nik("3521011705800001")] == ["Budi Santoso"]
    assert {r.name for r in find_by_kk("3521010101100001")} == {"Budi Santoso", "Ani Lestari", "Bayi Baru"}
    assert [r.name for r in search_name("bud")] == ["Budi Santoso", "Budiman"]
    assert [r.name for r in search_name("BUDI S")] == ["Budi Santoso"]
    assert search_name("  ") == []
    store.close()
