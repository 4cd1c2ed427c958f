"""`loket-server db status` and `loket-server db upgrade`: the server database's schema, upgraded on purpose.

`db upgrade` backs up first (the `loket-server backup` folder format: database and documents), then
runs the versioned steps of `sync.server.migrations`, each in its own transaction; `--dry-run` only
prints the steps. A database newer than this program is refused: there are no downgrades (restore
the backup taken before the upgrade instead). The parsers and commands live here; cli.py wires them in.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path

Command = Callable[[argparse.Namespace], tuple[object, str]]


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    """`db status` and `db upgrade`."""
    db = sub.add_parser("db", help="the server database's schema").add_subparsers(dest="action", metavar="ACTION")
    db.add_parser("status", parents=[common], help="the schema version of the database and of this program")
    upgrade = db.add_parser(
        "upgrade", parents=[common], help="back up, then upgrade the database to this program's schema"
    )
    upgrade.add_argument("--dry-run", action="store_true", help="only print the steps; change nothing")
    upgrade.add_argument(
        "--backup",
        default=None,
        metavar="FOLDER",
        help="where the backup goes (a new folder; default: $LOKET_SERVER_HOME/backups/before-schema-N-TIME)",
    )
    upgrade.add_argument("--no-backup", action="store_true", help="skip the backup (only if you made one yourself)")
    upgrade.add_argument(
        "--storage",
        default=None,
        help="the document folder, backed up with the database (default: $LOKET_SERVER_STORAGE)",
    )


def _database_url(args: argparse.Namespace) -> str:
    from sync.server.cli import default_database  # noqa: PLC0415

    return str(args.database or default_database())


def _versions(url: str) -> tuple[int | None, int]:
    from sync.server.db import SCHEMA_VERSION, open_database, schema_version  # noqa: PLC0415

    database = open_database(url)
    try:
        with database.connection_context():
            return schema_version(database), SCHEMA_VERSION
    finally:
        database.close()


def cmd_db_status(args: argparse.Namespace) -> tuple[object, str]:
    """Where the database's schema stands, and which steps an upgrade would run."""
    from sync.server.migrations import describe  # noqa: PLC0415

    found, ours = _versions(_database_url(args))
    pending = describe(found, ours) if found is not None and found < ours else []
    if found is None:
        text = f"Basis data masih kosong; server akan membuat skema {ours} saat pertama dijalankan."
    elif found > ours:
        from sync.server.db import newer_message  # noqa: PLC0415

        text = newer_message(found)
    elif pending:
        text = (
            f"Skema basis data {found}, program ini {ours}: perlu `loket-server db upgrade` ({len(pending)} langkah)."
        )
    else:
        text = f"Skema basis data {found}: sudah sesuai dengan program ini."
    data = {"database_schema": found, "program_schema": ours, "pending": [v for v, _ in pending]}
    return data, text


def cmd_db_upgrade(args: argparse.Namespace) -> tuple[object, str]:
    """Back up, then run every step from the database's schema to this program's, in order."""
    from sync.server import backup  # noqa: PLC0415
    from sync.server.admin_commands import _storage  # noqa: PLC0415
    from sync.server.db import SchemaError, bind, newer_message, open_database  # noqa: PLC0415
    from sync.server.migrations import describe  # noqa: PLC0415

    url = _database_url(args)
    found, ours = _versions(url)
    if found is not None and found > ours:
        raise SchemaError(newer_message(found))
    if found is None or found == ours:
        text = "Basis data masih kosong; tidak ada yang ditingkatkan." if found is None else ""
        return (
            {"from": found, "to": found, "steps": [], "backup": None, "dry_run": bool(args.dry_run)},
            text or f"Skema basis data {found} sudah sesuai; tidak ada yang ditingkatkan.",
        )
    steps = describe(found, ours)
    lines = [f"  {version}. {what}" for version, what in steps]
    data: dict[str, object] = {"from": found, "to": ours, "steps": [v for v, _ in steps], "dry_run": bool(args.dry_run)}
    if args.dry_run:
        data["backup"] = None
        head = f"Uji coba (tidak ada yang diubah): skema {found} -> {ours}, langkah:"
        tail = "Tanpa --no-backup, cadangan dibuat lebih dulu."
        return data, "\n".join([head, *lines, tail])
    where: Path | None = None
    if not args.no_backup:
        from sync.server.cli import _home  # noqa: PLC0415

        stamp = dt.datetime.now(tz=dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        where = Path(args.backup) if args.backup else _home() / "backups" / f"before-schema-{ours}-{stamp}"
        try:
            backup.create(url, _storage(args), where, None)
        except (OSError, RuntimeError) as exc:
            raise SchemaError(f"Cadangan sebelum peningkatan gagal ({exc}); basis data tidak diubah.") from exc
    database = bind(open_database(url), upgrade=True)
    database.close()
    data["backup"] = str(where) if where else None
    saved = f"Cadangan: {where}" if where else "Tanpa cadangan (--no-backup)."
    return data, "\n".join([f"Skema basis data ditingkatkan {found} -> {ours}:", *lines, saved])


COMMANDS: dict[str, Command] = {"db-status": cmd_db_status, "db-upgrade": cmd_db_upgrade}
