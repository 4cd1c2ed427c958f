"""Schema 4: a store from before cancellation requests gets their table on the next log-in."""

from __future__ import annotations

from pathlib import Path

from app.store import migrations
from app.store.store import Store
from tests.helpers.stores import SUPERVISOR, new_store


def test_an_older_store_gets_the_cancel_request_table(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    store.db.execute_sql("DROP TABLE cancel_request")
    store.db.execute_sql("PRAGMA user_version = 3")
    store.close()
    username, _name, password = SUPERVISOR
    reopened = Store.unlock(store.paths, username, password)
    try:
        assert migrations.schema_version(reopened.db) == 4
        assert reopened.db.table_exists("cancel_request")
    finally:
        reopened.close()
