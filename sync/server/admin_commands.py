"""`loket-server` commands for the server's data at rest: keys, storage sweeps, backup/restore, UU PDP tooling.

The parsers and command functions live here; `sync/server/cli.py` only wires them in.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from app.errors import KnownError

Command = Callable[[argparse.Namespace], tuple[object, str]]


def _storage(args: argparse.Namespace) -> Path:
    from sync.server.cli import default_storage  # noqa: PLC0415

    return Path(args.storage or default_storage())


def _bind(args: argparse.Namespace) -> None:
    from sync.server.cli import _bind as bind  # noqa: PLC0415

    bind(args)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    """The sub-commands of this module."""
    storage_help = "the document folder (default: $LOKET_SERVER_STORAGE, else $LOKET_SERVER_HOME/documents)"
    keys = sub.add_parser("keys", help="the server key (encryption at rest)").add_subparsers(
        dest="action", metavar="ACTION"
    )
    rotate = keys.add_parser(
        "rotate", parents=[common], help="a new key: re-encrypt every document and package (stop the server first)"
    )
    rotate.add_argument("--storage", default=None, help=storage_help)

    storage = sub.add_parser("storage", help="the document storage").add_subparsers(dest="action", metavar="ACTION")
    sweep = storage.add_parser(
        "sweep", parents=[common], help="remove expired partial uploads and documents no package cites"
    )
    sweep.add_argument("--storage", default=None, help=storage_help)
    sweep.add_argument("--partial-days", type=int, default=None, help="expiry of unfinished uploads (default 7)")
    sweep.add_argument("--orphan-days", type=int, default=None, help="grace of uncited documents (default 30)")

    backup = sub.add_parser("backup", parents=[common], help="back up the database and the documents to a folder")
    backup.set_defaults(action="run")
    backup.add_argument("out", metavar="FOLDER", help="a new, empty folder")
    backup.add_argument("--storage", default=None, help=storage_help)
    backup.add_argument("--key-out", default=None, metavar="FILE", help="also write the server key here (keep apart)")

    restore = sub.add_parser("restore", parents=[common], help="restore a backup folder (database and documents)")
    restore.set_defaults(action="run")
    restore.add_argument("source", metavar="FOLDER")
    restore.add_argument("--storage", default=None, help=storage_help)
    restore.add_argument("--key-file", default=None, metavar="FILE", help="the server key saved with --key-out")
    restore.add_argument("--force", action="store_true", help="replace an existing database and documents")

    data = sub.add_parser("data", help="personal data (UU PDP 27/2022)").add_subparsers(dest="action", metavar="ACTION")
    export = data.add_parser("export", parents=[common], help="everything held about one person: JSON and PDF")
    export.add_argument("--nik", required=True)
    export.add_argument("--out", required=True, metavar="FOLDER")
    export.add_argument("--storage", default=None, help=storage_help)
    purge = data.add_parser("purge", parents=[common], help="erase one person's applications, packages and scans")
    purge.add_argument("--nik", required=True)
    purge.add_argument("--reason", required=True, help="why (journaled)")
    purge.add_argument("--yes", action="store_true", help="really erase (without it: only show what would go)")
    purge.add_argument("--storage", default=None, help=storage_help)
    retention = data.add_parser("retention", parents=[common], help="apply the retention policy to scans")
    retention.add_argument(
        "--policy",
        default=None,
        metavar="STATE=DAYS,..",
        help="days after the last change, per state "
        "(default: $LOKET_SERVER_RETENTION, else handed_over=365,rejected=365)",
    )
    retention.add_argument("--yes", action="store_true", help="really delete (without it: only count)")
    retention.add_argument("--storage", default=None, help=storage_help)


def cmd_keys_rotate(args: argparse.Namespace) -> tuple[object, str]:
    """Re-encrypt everything with a new server key."""
    from sync.server import keys  # noqa: PLC0415

    _bind(args)
    report = keys.rotate(_storage(args))
    data = {
        "key_file": report.key_file,
        "key_id": report.key_id,
        "documents": report.documents,
        "partials": report.partials,
        "packages": report.packages,
    }
    return data, (
        f"Kunci server baru {report.key_id} di {report.key_file}: {report.documents} dokumen, {report.packages} "
        f"paket dan {report.partials} unggahan belum selesai dienkripsi ulang; kunci lama dihapus dari berkas.\n"
        "Simpan salinan kunci baru di tempat terpisah dari cadangan basis data dan dokumen."
    )


def cmd_storage_sweep(args: argparse.Namespace) -> tuple[object, str]:
    """Remove expired partial uploads and uncited documents."""
    from sync.server.storage import DiskStorage  # noqa: PLC0415
    from sync.server.sweep import sweep  # noqa: PLC0415

    _bind(args)
    report = sweep(DiskStorage(_storage(args)), partial_days=args.partial_days, orphan_days=args.orphan_days)
    return report.__dict__, report.text()


def cmd_backup(args: argparse.Namespace) -> tuple[object, str]:
    """Back up the database and the documents (and, apart, the key)."""
    from sync.server import backup  # noqa: PLC0415
    from sync.server.cli import default_database  # noqa: PLC0415

    _bind(args)
    report = backup.create(
        args.database or default_database(),
        _storage(args),
        Path(args.out),
        Path(args.key_out) if args.key_out else None,
    )
    return report, backup.describe(report)


def cmd_restore(args: argparse.Namespace) -> tuple[object, str]:
    """Restore a backup folder."""
    from sync.server import backup  # noqa: PLC0415
    from sync.server.cli import default_database  # noqa: PLC0415

    report = backup.restore(
        Path(args.source),
        args.database or default_database(),
        _storage(args),
        Path(args.key_file) if args.key_file else None,
        force=args.force,
    )
    return report, backup.describe_restore(report)


def cmd_data_export(args: argparse.Namespace) -> tuple[object, str]:
    """Everything held about one person."""
    from sync.server import privacy  # noqa: PLC0415
    from sync.server.cli import cli_actor  # noqa: PLC0415
    from sync.server.storage import DiskStorage  # noqa: PLC0415

    _bind(args)
    report = privacy.export(args.nik, Path(args.out), DiskStorage(_storage(args)), cli_actor())
    return report, (
        f"Data tentang NIK {args.nik}: {report['applications']} permohonan, {report['documents']} dokumen.\n"
        f"JSON: {report['json']}\nPDF : {report['pdf']}"
    )


def cmd_data_purge(args: argparse.Namespace) -> tuple[object, str]:
    """Erase one person's applications (journaled)."""
    from sync.server import privacy  # noqa: PLC0415
    from sync.server.cli import cli_actor  # noqa: PLC0415
    from sync.server.storage import DiskStorage  # noqa: PLC0415

    _bind(args)
    report = privacy.purge(args.nik, args.reason, DiskStorage(_storage(args)), cli_actor(), really=args.yes)
    verb = "dihapus" if args.yes else "akan dihapus (jalankan lagi dengan --yes)"
    return report, (
        f"NIK {args.nik}: {report['applications']} permohonan, {report['submissions']} paket dan "
        f"{report['documents']} dokumen {verb}."
    )


def cmd_data_retention(args: argparse.Namespace) -> tuple[object, str]:
    """Delete the scans the retention policy says are due."""
    from sync.server import privacy  # noqa: PLC0415
    from sync.server.cli import cli_actor  # noqa: PLC0415
    from sync.server.storage import DiskStorage  # noqa: PLC0415

    _bind(args)
    try:
        policy = privacy.parse_policy(args.policy) if args.policy else privacy.policy_from_env()
    except ValueError as exc:
        raise KnownError(str(exc)) from None
    report = privacy.apply_retention(DiskStorage(_storage(args)), policy, cli_actor(), really=args.yes)
    verb = "dihapus" if args.yes else "akan dihapus (jalankan lagi dengan --yes)"
    return report, (
        f"Kebijakan retensi {privacy.policy_text(policy)}: pindaian {report['applications']} permohonan "
        f"({report['documents']} dokumen) {verb}; paket dan jejak audit tetap disimpan."
    )


COMMANDS: dict[str, Command] = {
    "keys-rotate": cmd_keys_rotate,
    "storage-sweep": cmd_storage_sweep,
    "backup-run": cmd_backup,
    "restore-run": cmd_restore,
    "data-export": cmd_data_export,
    "data-purge": cmd_data_purge,
    "data-retention": cmd_data_retention,
}
