"""`loket-server`: run the Dinas intake server and administer it (outposts, devices, staff, workflow).

Exit codes: 0 success, 1 the action failed (message on stderr in Bahasa Indonesia), 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from app.errors import KnownError
from app.version import version

ENV_HOME = "LOKET_SERVER_HOME"
EPILOG = """\
Data: --database (default: $LOKET_SERVER_DATABASE, else sqlite:///$LOKET_SERVER_HOME/loket-server.db) and
--storage (default: $LOKET_SERVER_STORAGE, else $LOKET_SERVER_HOME/documents). LOKET_SERVER_HOME defaults to
~/.local/share/loket-server. PostgreSQL: --database postgresql://user:password@host:5432/loket

Examples:
  loket-server serve --host 127.0.0.1 --port 8765
  loket-server outposts add 35.21.01.2001 "Desa Sukamaju"      (prints a one-time enrolment code)
  loket-server staff add rina "Rina Verifikator"               (prints the API token)
  loket-server workflow return 3521-20261122-000001 --reason "persyaratan:kk=KK buram, pindai ulang"
  loket-server applications list --state received
"""


def _home() -> Path:
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "loket-server"


def default_database() -> str:
    """The database URL when --database is not given."""
    return os.environ.get("LOKET_SERVER_DATABASE") or f"sqlite:///{_home() / 'loket-server.db'}"


def default_storage() -> str:
    """The document folder when --storage is not given."""
    return os.environ.get("LOKET_SERVER_STORAGE") or str(_home() / "documents")


class UsageError(Exception):
    """Bad usage (exit 2)."""


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--database", default=None, help="sqlite:///PATH or postgresql://... (see below)")
    common.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser = argparse.ArgumentParser(
        prog="loket-server",
        description="Loket intake server for the Dinas Dukcapil: outposts sync their applications to it.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"loket-server {version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = sub.add_parser("serve", parents=[common], help="run the HTTP server")
    serve.add_argument("--storage", default=None, help="folder for documents (content-addressed)")
    serve.add_argument("--reference", default=None, help="folder with catalog/ and forms/ (default: shipped)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--workers", type=int, default=1, help="worker processes (PostgreSQL for more than 1)")
    serve.add_argument("--access-log", action="store_true", help="log every request")

    outposts = sub.add_parser("outposts", help="outposts and enrolment codes").add_subparsers(
        dest="action", metavar="ACTION"
    )
    add = outposts.add_parser("add", parents=[common], help="register an outpost and print a one-time code")
    add.add_argument("code", metavar="KODE", help="Kemendagri region code, e.g. 35.21.01.2001")
    add.add_argument("name", metavar="NAMA")
    code = outposts.add_parser("code", parents=[common], help="print a new one-time enrolment code")
    code.add_argument("code", metavar="KODE")
    outposts.add_parser("list", parents=[common], help="list outposts and their devices")

    devices = sub.add_parser("devices", help="enrolled devices").add_subparsers(dest="action", metavar="ACTION")
    devices.add_parser("list", parents=[common], help="list devices")
    revoke = devices.add_parser("revoke", parents=[common], help="remove a device's access")
    revoke.add_argument("device_id")

    staff = sub.add_parser("staff", help="back-office users").add_subparsers(dest="action", metavar="ACTION")
    staff_add = staff.add_parser("add", parents=[common], help="add a staff user and print their API token")
    staff_add.add_argument("username")
    staff_add.add_argument("full_name")

    flow = sub.add_parser("workflow", parents=[common], help="move an application through the Dinas workflow")
    flow.add_argument(
        "step", choices=["verify", "validate", "return", "reject", "produce", "sign", "ready", "handed-over"]
    )
    flow.add_argument("registration", metavar="REGISTRATION", help="registration number (or client id)")
    flow.add_argument(
        "--reason",
        action="append",
        default=[],
        metavar="PATH=MESSAGE",
        help="a reason: 'persyaratan:ID=message' for a requirement, 'F-1.01:header.nama=message' for a field",
    )
    flow.add_argument("--note", default="")
    flow.add_argument("--staff", default=os.environ.get("USER", "admin"), help="who takes the step (audit)")

    apps = sub.add_parser("applications", help="applications received").add_subparsers(dest="action", metavar="ACTION")
    app_list = apps.add_parser("list", parents=[common], help="list applications, newest first")
    app_list.add_argument("--state")
    app_list.add_argument("--outpost")
    app_list.add_argument("--limit", type=int, default=100)

    conflicts = sub.add_parser("conflicts", help="parked conflicts").add_subparsers(dest="action", metavar="ACTION")
    conflicts.add_parser("list", parents=[common], help="list parked conflicts")
    return parser


def parse_reason(text: str) -> dict[str, str]:
    """`persyaratan:kk=KK buram` -> a requirement reason; `F-1.01:header.nama=...` -> a field reason."""
    key, sep, message = text.partition("=")
    if not sep:
        return {"message": text.strip()}
    key = key.strip()
    for prefix in ("persyaratan:", "requirement:", "req:"):
        if key.startswith(prefix):
            return {"requirement": key[len(prefix) :], "message": message.strip()}
    return {"path": key, "message": message.strip()}


def _bind(args: argparse.Namespace) -> None:
    from sync.server.db import bind, open_database  # noqa: PLC0415 - keep --help fast

    bind(open_database(args.database or default_database()))


def cmd_serve(args: argparse.Namespace) -> int:
    """Run uvicorn with the API (the factory reads its configuration from the environment)."""
    import uvicorn  # noqa: PLC0415

    from sync.server.api import ENV_DATABASE, ENV_REFERENCE, ENV_STORAGE  # noqa: PLC0415
    from sync.server.db import DatabaseUrlError, open_database  # noqa: PLC0415

    database = args.database or default_database()
    try:
        open_database(database)
    except DatabaseUrlError as exc:
        raise UsageError(str(exc)) from exc
    os.environ[ENV_DATABASE] = database
    os.environ[ENV_STORAGE] = args.storage or default_storage()
    if args.reference:
        os.environ[ENV_REFERENCE] = args.reference
    if args.workers > 1 and database.startswith("sqlite"):
        print("loket-server: beberapa worker dengan SQLite saling menunggu; gunakan PostgreSQL.", file=sys.stderr)
    uvicorn.run(
        "sync.server.api:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=args.access_log,
        log_level="info" if args.access_log else "warning",
        timeout_keep_alive=75,  # EDGE links are slow to send the next request
    )
    return 0


def cmd_outposts_add(args: argparse.Namespace) -> tuple[object, str]:
    """Register an outpost and issue its first enrolment code."""
    from sync.server import auth  # noqa: PLC0415

    _bind(args)
    outpost = auth.add_outpost(args.code, args.name)
    code = auth.new_enrolment_code(outpost)
    return (
        {"outpost": outpost.code, "name": outpost.name, "kabupaten": outpost.kabupaten, "enrolment_code": code},
        f"Pos pelayanan {outpost.code} ({outpost.name}) terdaftar.\nKode pendaftaran sekali pakai (berlaku 7 hari): "
        f"{code}",
    )


def cmd_outposts_code(args: argparse.Namespace) -> tuple[object, str]:
    """Issue another one-time enrolment code."""
    from sync.server import auth  # noqa: PLC0415
    from sync.server.models import Outpost  # noqa: PLC0415

    _bind(args)
    outpost = Outpost.get_or_none(Outpost.code == args.code)
    if outpost is None:
        raise KnownError(f"Pos pelayanan {args.code} tidak terdaftar.")
    code = auth.new_enrolment_code(outpost)
    return {"outpost": outpost.code, "enrolment_code": code}, f"Kode pendaftaran sekali pakai: {code}"


def cmd_outposts_list(args: argparse.Namespace) -> tuple[object, str]:
    """List outposts."""
    from sync.server.models import Device, Outpost  # noqa: PLC0415

    _bind(args)
    rows = [
        {
            "code": o.code,
            "name": o.name,
            "kabupaten": o.kabupaten,
            "devices": Device.select().where((Device.outpost == o) & ~Device.revoked).count(),
        }
        for o in Outpost.select().order_by(Outpost.code)
    ]
    text = "\n".join(f"{r['code']:<16} {r['name']:<40} perangkat {r['devices']}" for r in rows) or "Belum ada."
    return rows, text


def cmd_devices_list(args: argparse.Namespace) -> tuple[object, str]:
    """List devices."""
    from sync.server.models import Device, Outpost  # noqa: PLC0415

    _bind(args)
    rows = [
        {
            "device_id": d.device_id,
            "name": d.name,
            "outpost": d.outpost.code,
            "enrolled_at": d.enrolled_at.isoformat(timespec="seconds"),
            "last_seen_at": d.last_seen_at.isoformat(timespec="seconds"),
            "revoked": d.revoked,
            "signs_packages": bool(d.public_key),
        }
        for d in Device.select(Device, Outpost).join(Outpost).order_by(Device.id)
    ]
    text = "\n".join(
        f"{r['device_id']} {r['outpost']:<16} {r['name']:<30} {'DICABUT' if r['revoked'] else 'aktif'}" for r in rows
    )
    return rows, text or "Belum ada perangkat."


def cmd_devices_revoke(args: argparse.Namespace) -> tuple[object, str]:
    """Revoke a device."""
    from sync.server import auth  # noqa: PLC0415

    _bind(args)
    auth.revoke_device(args.device_id)
    return {"ok": True, "device_id": args.device_id}, f"Akses perangkat {args.device_id} dicabut."


def cmd_staff_add(args: argparse.Namespace) -> tuple[object, str]:
    """Add a back-office user."""
    from sync.server import auth  # noqa: PLC0415

    _bind(args)
    token = auth.add_staff(args.username, args.full_name)
    return (
        {"username": args.username, "token": token},
        f"Staf {args.username} ditambahkan. Token API (simpan, hanya ditampilkan sekali):\n{token}",
    )


def cmd_workflow(args: argparse.Namespace) -> tuple[object, str]:
    """Apply one workflow step."""
    from sync.protocol import Reason  # noqa: PLC0415
    from sync.server import workflow  # noqa: PLC0415

    _bind(args)
    try:
        reasons = [Reason.model_validate(parse_reason(text)) for text in args.reason]
    except ValueError as exc:
        raise UsageError(f"bad --reason: {exc}") from exc
    event = workflow.act(args.registration, args.step.replace("-", "_"), f"staf:{args.staff}", reasons, args.note)
    return (
        {"registration_number": event.registration_number, "client_id": event.client_id, "state": event.state},
        f"Permohonan {event.registration_number or event.client_id}: status sekarang '{event.state}'.",
    )


def cmd_applications_list(args: argparse.Namespace) -> tuple[object, str]:
    """List applications."""
    from sync.server.api import applications_page  # noqa: PLC0415

    _bind(args)
    rows = [a.model_dump(mode="json") for a in applications_page(args.state, args.outpost, args.limit, 0)]
    text = "\n".join(
        f"{r['registration_number'] or '-':<22} {r['outpost_code']:<16} {r['service_code']:<22} rev {r['revision']} "
        f"{r['state']}"
        for r in rows
    )
    return rows, text or "Belum ada permohonan."


def cmd_conflicts_list(args: argparse.Namespace) -> tuple[object, str]:
    """List parked conflicts."""
    from sync.server.api import conflicts_page  # noqa: PLC0415

    _bind(args)
    rows = [c.model_dump(mode="json") for c in conflicts_page(1000)]
    text = "\n".join(
        f"{r['id']:>5} {r['outpost_code']:<16} {r['client_id']} rev {r['revision']}: {r['reason']}" for r in rows
    )
    return rows, text or "Tidak ada konflik."


COMMANDS: dict[str, Callable[[argparse.Namespace], tuple[object, str]]] = {
    "outposts-add": cmd_outposts_add,
    "outposts-code": cmd_outposts_code,
    "outposts-list": cmd_outposts_list,
    "devices-list": cmd_devices_list,
    "devices-revoke": cmd_devices_revoke,
    "staff-add": cmd_staff_add,
    "workflow": cmd_workflow,
    "applications-list": cmd_applications_list,
    "conflicts-list": cmd_conflicts_list,
}


def main(argv: list[str] | None = None) -> int:
    """Entry point of `loket-server`: with no command, print the help and exit 2."""
    parser = build_parser()
    args = parser.parse_args(argv)
    action = getattr(args, "action", None)
    if args.command is None or (args.command not in ("serve", "workflow") and action is None):
        parser.print_help(sys.stderr)
        return 2
    try:
        if args.command == "serve":
            return cmd_serve(args)
        key = args.command if args.command == "workflow" else f"{args.command}-{action}"
        data, text = COMMANDS[key](args)
    except UsageError as exc:
        print(f"loket-server: {exc}", file=sys.stderr)
        return 2
    except KnownError as exc:
        print(f"Gagal: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(data, ensure_ascii=False, indent=1) if args.json else text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
