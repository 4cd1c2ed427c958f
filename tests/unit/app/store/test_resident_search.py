"""Residents by any word of the name (surname search), the biodata a member row is filled from, and the
upgrade of a version-1 database that already holds residents."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.paths import DataPaths
from app.store import Store, migrations
from app.store.residents import (
    ResidentRecord,
    add_residents,
    find_by_nik,
    resident_facts,
    search_name,
    typed_full_name,
)
from tests.helpers.stores import SUPERVISOR, new_store

PEOPLE = [
    ResidentRecord("Budi Santoso", "3521011705800001", "3521010101100001", dt.date(1980, 5, 17), 1),
    ResidentRecord("Budiman", "3521011705800002", "3521010101100002"),
    ResidentRecord("Ani Lestari Santoso", "3521015702850001", "3521010101100001", sex=2),
    ResidentRecord("Santi Wulandari", "3521015702850002", "3521010101100003", sex=2),
    ResidentRecord("Siti Nur'aini", "3521015702850003", "3521010101100004", sex=2),
]


def names(query: str, limit: int = 20) -> list[str]:
    return [r.name for r in search_name(query, limit)]


def test_a_surname_or_any_word_finds_the_resident(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    add_residents(store, PEOPLE)
    assert names("santoso") == ["Ani Lestari Santoso", "Budi Santoso"]
    assert names("lestari") == ["Ani Lestari Santoso"]
    assert names("AINI") == ["Siti Nur'aini"]  # punctuation splits words as the folding does
    assert names("sant bud") == ["Budi Santoso"]  # every word of the query, in any order
    store.close()


def test_whole_name_prefixes_come_first_and_are_not_repeated(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    add_residents(store, PEOPLE)
    # "santi wulandari" starts with "sant"; the Santosos have it as a later word.
    assert names("sant") == ["Santi Wulandari", "Ani Lestari Santoso", "Budi Santoso"]
    assert names("budi") == ["Budi Santoso", "Budiman"]
    assert names("sant", limit=2) == ["Santi Wulandari", "Ani Lestari Santoso"]
    assert names("wati") == []
    store.close()


def test_residents_added_one_by_one_are_found_by_word_too(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    add_residents(store, PEOPLE[:1])
    add_residents(store, PEOPLE[1:2])
    assert names("santoso") == ["Budi Santoso"]
    store.db.execute_sql(
        "UPDATE resident SET name = 'Budi Prasetyo', name_key = 'budi prasetyo' WHERE nik = ?", (PEOPLE[0].nik,)
    )
    assert names("santoso") == []
    assert names("pras") == ["Budi Prasetyo"]
    store.db.execute_sql("DELETE FROM resident WHERE nik = ?", (PEOPLE[0].nik,))
    assert names("pras") == []
    store.close()


def test_the_biodata_of_a_resident(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    record = ResidentRecord(
        "Budi Santoso",
        "3521011705800001",
        "3521010101100001",
        dt.date(1980, 5, 17),
        1,
        address="JL. MELATI 3",
        details={"tempat_lahir": "NGAWI", "agama": 1, "pekerjaan": 15, "nama_ibu": "SUMIATI"},
    )
    add_residents(store, [record])
    facts = resident_facts(find_by_nik(record.nik or "")[0])
    assert facts == {
        "name": "Budi Santoso",
        "nik": "3521011705800001",
        "kk": "3521010101100001",
        "birth_date": dt.date(1980, 5, 17),
        "sex": 1,
        "address": "JL. MELATI 3",
        "tempat_lahir": "NGAWI",
        "agama": 1,
        "pekerjaan": 15,
        "nama_ibu": "SUMIATI",
    }
    store.close()


def test_a_version_1_database_with_residents_is_upgraded(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    add_residents(store, PEOPLE)
    # Back to what version 1 had: no name index, no biodata column.
    for trigger in ("resident_name_insert", "resident_name_delete", "resident_name_update"):
        store.db.execute_sql(f"DROP TRIGGER {trigger}")
    store.db.execute_sql("DROP TABLE resident_name")
    store.db.execute_sql("ALTER TABLE resident DROP COLUMN details")
    store.db.execute_sql("PRAGMA user_version = 1")
    store.checkpoint()
    store.close()
    opened = Store.unlock(DataPaths(tmp_path), SUPERVISOR[0], SUPERVISOR[2])
    assert migrations.schema_version(opened.db) == migrations.SCHEMA_VERSION
    assert names("santoso") == ["Ani Lestari Santoso", "Budi Santoso"]
    assert resident_facts(find_by_nik(PEOPLE[1].nik or "")[0])["name"] == "Budiman"
    assert list((tmp_path / "backups").glob("loket-before-migration-*.db"))
    opened.close()


def test_only_a_whole_name_is_taken_for_nama_lengkap_when_nobody_is_found() -> None:
    assert typed_full_name("  sri   wahyuni ") == "SRI WAHYUNI"
    assert typed_full_name("Siti Nur'aini") == "SITI NUR'AINI"
    assert typed_full_name("santoso") == ""  # a surname search
    assert typed_full_name("budi s") == ""  # a prefix
    assert typed_full_name("budi 3") == ""
    assert typed_full_name("") == ""
