"""`loket-server db upgrade` on a database the previous release made (schema 1, with data), SQLite and PostgreSQL.

The fixtures under tests/data/server-schema1/ were made once by commit 7840f67's own code (a real server,
a real outpost syncing three applications, one verified and one returned by staff) and dumped as SQL.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.helpers.dinas import SERVER, start_server
from tests.helpers.pg import PG_BIN, Postgres

DATA = Path(__file__).parents[2] / "data" / "server-schema1"


def load_schema_1(kind: str, tmp_path: Path, postgres: Postgres | None) -> str:
    """A schema-1 database with the fixture's data; return its URL."""
    if kind == "sqlite":
        path = tmp_path / "server.db"
        connection = sqlite3.connect(path)
        connection.executescript((DATA / "server-schema1.sqlite.sql").read_text())
        connection.close()
        return f"sqlite:///{path}"
    assert postgres is not None
    url = postgres.create_database()
    loaded = subprocess.run(
        [str(PG_BIN / "psql"), "-v", "ON_ERROR_STOP=1", "-q", "-f", str(DATA / "server-schema1.postgres.sql"), url],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert loaded.returncode == 0, loaded.stderr
    return url


def cli(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LOKET_SERVER_STORAGE": str(tmp_path / "documents"), "LOKET_SERVER_HOME": str(tmp_path)}
    return subprocess.run(
        [SERVER, *args, "--database", url], capture_output=True, text=True, timeout=120, check=False, env=env
    )


def schema_of(url: str) -> int | None:
    from sync.server.db import open_database, schema_version

    database = open_database(url)
    with database.connection_context():
        found = schema_version(database)
    database.close()
    return found


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_schema_1_database_with_data_is_backed_up_and_upgraded(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    postgres = request.getfixturevalue("postgres") if kind == "postgres" else None
    url = load_schema_1(kind, tmp_path, postgres)
    assert schema_of(url) == 1

    status = cli(tmp_path, url, "db", "status", "--json")
    assert status.returncode == 0, status.stderr
    assert '"database_schema": 1' in status.stdout and '"pending": [\n  2\n ]' in status.stdout

    dry = cli(tmp_path, url, "db", "upgrade", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Uji coba" in dry.stdout and "2. Schema 2" in dry.stdout, dry.stdout
    assert schema_of(url) == 1 and not (tmp_path / "backups").exists(), "a dry run changes nothing"

    if kind == "postgres":
        # Replicas share PostgreSQL: a server never upgrades it by itself, it says what to run.
        refused = cli(tmp_path, url, "applications", "list")
        assert refused.returncode == 1 and "loket-server db upgrade" in refused.stderr, refused.stderr
        assert schema_of(url) == 1

    upgraded = cli(tmp_path, url, "db", "upgrade", "--backup", str(tmp_path / "before"))
    assert upgraded.returncode == 0, upgraded.stderr
    assert "ditingkatkan 1 -> 2" in upgraded.stdout and str(tmp_path / "before") in upgraded.stdout
    assert (tmp_path / "before" / "manifest.json").exists()
    assert schema_of(url) == 2

    listed = cli(tmp_path, url, "applications", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.count("3521-20261206-00000") == 3
    assert '"verified"' in listed.stdout and '"returned"' in listed.stdout and '"received"' in listed.stdout

    from sync.server import audit
    from sync.server.db import bind, open_database
    from sync.server.models import Application, DocumentOwner, Outpost

    database = bind(open_database(url))
    try:
        rows = list(Application.select().order_by(Application.id))
        assert len(rows) == 3 and all(len(row.applicant_nik) == 16 and row.name_key for row in rows)
        assert all(row.due_date is not None for row in rows if row.state in ("received", "verified"))
        assert Outpost.get().kecamatan == "35.21.01"
        assert DocumentOwner.select().count() > 0, "each outpost owns the documents its packages cite"
        report = audit.verify()
        assert report.ok and report.checked >= 1
    finally:
        database.close()

    again = cli(tmp_path, url, "db", "upgrade")
    assert again.returncode == 0 and "sudah sesuai" in again.stdout

    server = start_server(tmp_path / "served", url)  # the upgraded database serves
    server.stop()


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_newer_schema_is_refused_and_never_downgraded(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    postgres = request.getfixturevalue("postgres") if kind == "postgres" else None
    url = load_schema_1(kind, tmp_path, postgres)
    assert cli(tmp_path, url, "db", "upgrade", "--no-backup").returncode == 0
    from sync.server.db import SCHEMA_VERSION, SchemaError, bind, open_database

    database = open_database(url)
    with database.connection_context():
        database.execute_sql(f"UPDATE server_meta SET value = '{SCHEMA_VERSION + 1}' WHERE key = 'schema_version'")
    database.close()
    status = cli(tmp_path, url, "db", "status")
    assert status.returncode == 0 and "Penurunan versi tidak didukung" in status.stdout, status.stdout
    for args in (("db", "upgrade"), ("applications", "list")):
        refused = cli(tmp_path, url, *args)
        assert refused.returncode == 1, (args, refused.stdout)
        assert "lebih baru" in refused.stderr and "Penurunan versi tidak didukung" in refused.stderr, refused.stderr
    with pytest.raises(SchemaError, match="Penurunan versi tidak didukung"):
        bind(open_database(url))
    assert schema_of(url) == SCHEMA_VERSION + 1, "nothing was changed"
