"""`loket-server`: run the Dinas intake server and administer it (outposts, devices, staff, workflow, audit).

Exit codes: 0 success, 1 the action failed (message on stderr in Bahasa Indonesia), 2 bad usage.
Every change to staff accounts is journaled in the audit as `cli:<OS user>`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from app.errors import KnownError
from app.version import version
from sync.server import admin_commands, dbcommands, reference_commands, updates_commands
from sync.server.roles import ALL_BUT_ADMIN, ROLES

if TYPE_CHECKING:
    from sync.server.models import Staff

ENV_HOME = "LOKET_SERVER_HOME"
EPILOG = """\
Data: --database (default: $LOKET_SERVER_DATABASE, else sqlite:///$LOKET_SERVER_HOME/loket-server.db) and
--storage (default: $LOKET_SERVER_STORAGE, else $LOKET_SERVER_HOME/documents). LOKET_SERVER_HOME defaults to
~/.local/share/loket-server. PostgreSQL: --database postgresql://user:password@host:5432/loket

Examples:
  loket-server serve --host 127.0.0.1 --port 8765
  loket-server tls self-signed --host loket.dukcapil.example.go.id    (a key and certificate; prints the pin)
  loket-server serve --host 0.0.0.0 --port 8443 --tls-cert loket-server.crt --tls-key loket-server.key
  loket-server outposts add 35.21.01.2001 "Desa Sukamaju"      (prints a one-time enrolment code)
  loket-server staff add rina "Rina Kusumawati" --role verifikator --kecamatan 35.21.01
                                      (prints a one-time password, changed at first log-in, and the API token)
  loket-server staff add hendra "Hendra Gunawan" --admin
  loket-server staff roles rina verifikator,validator
  loket-server staff token rotate rina
  loket-server workflow return 3521-20261122-000001 --staff rina --reason "persyaratan:kk=KK buram, pindai ulang"
  loket-server applications list --state received --limit 50 --offset 50
  loket-server applications show 3521-20261122-000001
  loket-server audit verify
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


class CheckFailedError(KnownError):
    """A check that ran and found a fault (exit 1); its report is still printed with --json."""

    def __init__(self, message: str, data: object) -> None:
        super().__init__(message)
        self.data = data


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
    # Also accepted before the command, as the help reads. Its own dest: a subcommand's default (None)
    # would otherwise overwrite what was given here.
    parser.add_argument(
        "--database", dest="global_database", default=None, metavar="URL", help="as --database after the command"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = sub.add_parser("serve", parents=[common], help="run the HTTP server")
    serve.add_argument(
        "--storage",
        default=None,
        help="folder for documents (content-addressed), or s3://bucket/prefix for S3-compatible object storage "
        "(endpoint: LOKET_SERVER_S3_ENDPOINT; credentials: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)",
    )
    serve.add_argument("--reference", default=None, help="folder with catalog/ and forms/ (default: shipped)")
    serve.add_argument(
        "--updates", default=None, metavar="DIR", help="serve DIR/metadata and DIR/targets of signed Loket releases"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--workers", type=int, default=1, help="worker processes (PostgreSQL for more than 1)")
    serve.add_argument("--access-log", action="store_true", help="log every request")
    serve.add_argument("--tls-cert", default=None, metavar="PEM", help="serve HTTPS: the certificate (chain after it)")
    serve.add_argument("--tls-key", default=None, metavar="PEM", help="the certificate's private key")
    serve.add_argument(
        "--tls-pin",
        action="append",
        default=[],
        metavar="sha256//…",
        help="announce another key pin to outposts: the next key before a change, or a reverse proxy's key",
    )
    serve.add_argument("--api-docs", action="store_true", help="serve /docs, /redoc and /openapi.json (off by default)")
    serve.add_argument(
        "--max-connections", type=int, default=None, metavar="N", help="open connections per worker before 503"
    )

    tls_commands = sub.add_parser("tls", help="the server's TLS key and certificate").add_subparsers(
        dest="action", metavar="ACTION"
    )
    self_signed = tls_commands.add_parser(
        "self-signed", parents=[common], help="make a key and a self-signed certificate (no CA); print the key pin"
    )
    self_signed.add_argument("--host", required=True, help="the name (or IP address) outposts use for the server")
    self_signed.add_argument("--out", default=None, help="folder for both files (default: $LOKET_SERVER_HOME/tls)")
    self_signed.add_argument("--days", type=int, default=5 * 365, help="validity in days")
    tls_commands.add_parser("pin", parents=[common], help="print a certificate's key pin").add_argument(
        "cert", metavar="CERT.pem"
    )

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
    wipe = devices.add_parser(
        "wipe", parents=[common], help="revoke a device and order it to destroy its data at its next contact"
    )
    wipe.add_argument("device_id")

    staff = sub.add_parser("staff", help="back-office users").add_subparsers(dest="action", metavar="ACTION")
    staff_add = staff.add_parser(
        "add", parents=[common], help="add a staff user; print a one-time password and their API token"
    )
    staff_add.add_argument("username")
    staff_add.add_argument("full_name")
    staff_add.add_argument(
        "--role",
        action="append",
        default=[],
        metavar="ROLE",
        help=f"a role (repeat, or ROLE1,ROLE2): {', '.join(ROLES)}; default: every workflow role",
    )
    staff_add.add_argument("--admin", action="store_true", help="give the admin role")
    staff_add.add_argument(
        "--kecamatan", default="", metavar="35.21.01[,..]", help="kecamatan the user is posted to (default: all)"
    )
    staff.add_parser("list", parents=[common], help="list staff users, their roles, scope and token expiry")
    staff_roles = staff.add_parser("roles", parents=[common], help="replace a staff user's roles (and scope)")
    staff_roles.add_argument("username")
    staff_roles.add_argument("roles", metavar="ROLE1,ROLE2")
    staff_roles.add_argument(
        "--kecamatan", default=None, metavar="35.21.01[,..]", help="new kecamatan scope ('' for all)"
    )
    for name, text in (("disable", "disable a staff user (ends their sessions)"), ("enable", "enable again")):
        staff.add_parser(name, parents=[common], help=text).add_argument("username")
    token = staff.add_parser("token", help="a staff user's API token").add_subparsers(
        dest="token_action", metavar="ACTION"
    )
    token.add_parser("rotate", parents=[common], help="issue a new token (the old one stops working)").add_argument(
        "username"
    )
    token.add_parser("revoke", parents=[common], help="make the token unusable").add_argument("username")
    staff.add_parser(
        "reset-password", parents=[common], help="print a new one-time password (changed at the next log-in)"
    ).add_argument("username")
    demo = staff.add_parser("demo", parents=[common], help="create one demo staff user per role (trials only)")
    demo.add_argument("--password", default=None, help="their password (default: the documented demo password)")

    audit = sub.add_parser("audit", help="the hash-chained audit").add_subparsers(dest="action", metavar="ACTION")
    audit.add_parser("verify", parents=[common], help="check the whole chain (exit 1 at the first broken entry)")
    audit_list = audit.add_parser("list", parents=[common], help="list audit entries, newest first")
    audit_list.add_argument("--limit", type=int, default=50)
    audit_list.add_argument("--subject", default=None, help="only entries about this (registration number, user...)")

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
    flow.add_argument(
        "--staff", required=True, metavar="USERNAME", help="the staff user taking the step (their roles apply)"
    )

    apps = sub.add_parser("applications", help="applications received").add_subparsers(dest="action", metavar="ACTION")
    app_list = apps.add_parser("list", parents=[common], help="list applications, newest first")
    app_list.add_argument("--state")
    app_list.add_argument("--outpost")
    app_list.add_argument("--limit", type=int, default=100)
    app_list.add_argument("--offset", type=int, default=0)
    app_show = apps.add_parser("show", parents=[common], help="one application: state, history and pages")
    app_show.add_argument("registration", metavar="REGISTRATION", help="registration number (or client id)")

    conflicts = sub.add_parser("conflicts", help="parked conflicts").add_subparsers(dest="action", metavar="ACTION")
    conflicts.add_parser("list", parents=[common], help="list parked conflicts")
    admin_commands.add_parsers(sub, common)  # keys, storage, backup, restore, data
    reference_commands.add_parsers(sub, common)  # reference keygen, publish, list
    dbcommands.add_parsers(sub, common)  # db status, db upgrade
    updates_commands.add_parsers(sub, common)  # updates init, publish, refresh, rollout, pause, resume, status
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
    if args.updates:
        from sync.server.updates import ENV_UPDATES  # noqa: PLC0415

        os.environ[ENV_UPDATES] = str(Path(args.updates).resolve())
    from sync.server import limits, tls  # noqa: PLC0415
    from sync.server.api import ENV_API_DOCS  # noqa: PLC0415

    if args.max_connections is not None and args.max_connections < 1:
        raise UsageError("--max-connections must be at least 1")
    ssl_options = tls.serve_options(args.tls_cert, args.tls_key, args.tls_pin, args.host)
    os.environ[ENV_API_DOCS] = "1" if args.api_docs else "0"
    if args.workers > 1 and database.startswith("sqlite"):
        print("loket-server: beberapa worker dengan SQLite saling menunggu; gunakan PostgreSQL.", file=sys.stderr)
    from sync.server.slow_heads import HeadTimeoutProtocol  # noqa: PLC0415

    uvicorn.run(
        "sync.server.api:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=args.access_log,
        log_level="info" if args.access_log else "warning",
        limit_concurrency=args.max_connections or limits.DEFAULT_MAX_CONNECTIONS,
        http=HeadTimeoutProtocol,  # a request head must arrive within 30 s (slow clients)
        **limits.UVICORN_LIMITS,  # type: ignore[arg-type]
        **ssl_options,  # type: ignore[arg-type]
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
            "wipe_ordered": bool(d.wipe_order),
            "wiped_at": d.wiped_at.isoformat(timespec="seconds") if d.wiped_at else None,
            "signs_packages": bool(d.public_key),
        }
        for d in Device.select(Device, Outpost).join(Outpost).order_by(Device.id)
    ]
    text = "\n".join(f"{r['device_id']} {r['outpost']:<16} {r['name']:<30} {_device_standing(r)}" for r in rows)
    return rows, text or "Belum ada perangkat."


def _device_standing(row: Mapping[str, object]) -> str:
    if row["wiped_at"]:
        return f"DIHAPUS {row['wiped_at']}"
    if row["wipe_ordered"]:
        return "DICABUT, perintah hapus menunggu"
    return "DICABUT" if row["revoked"] else "aktif"


def cmd_devices_revoke(args: argparse.Namespace) -> tuple[object, str]:
    """Revoke a device."""
    from sync.server import auth  # noqa: PLC0415

    _bind(args)
    auth.revoke_device(args.device_id)
    return {"ok": True, "device_id": args.device_id}, f"Akses perangkat {args.device_id} dicabut."


def cmd_devices_wipe(args: argparse.Namespace) -> tuple[object, str]:
    """Revoke a device and order it to wipe itself (signed with the order key beside the storage)."""
    from sync.server import orders  # noqa: PLC0415

    _bind(args)
    order = orders.order_wipe(args.device_id, cli_actor())
    return (
        {"ok": True, "device_id": args.device_id, "order_id": order.order_id},
        f"Perangkat {args.device_id} dicabut; perintah hapus {order.order_id} dikirim saat perangkat menghubungi "
        "server berikutnya.",
    )


def cli_actor() -> str:
    """Who the audit names for an administration command: `cli:<OS user>`."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a bare container)
        user = f"uid{os.getuid()}" if hasattr(os, "getuid") else "unknown"
    return f"cli:{user}"


def _when(moment: dt.datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment is not None else "-"


class StaffRow(TypedDict):
    """A staff user as the CLI lists them (never a password or token hash)."""

    username: str
    full_name: str
    roles: list[str]
    kecamatan: list[str]
    active: bool
    must_change_password: bool
    token_expires_at: str | None
    token_expired: bool


def _staff_row(member: Staff) -> StaffRow:
    from app.store.models import utcnow  # noqa: PLC0415
    from sync.server.staff import roles_of, scope_of  # noqa: PLC0415

    expires: dt.datetime | None = member.token_expires_at
    return StaffRow(
        username=member.username,
        full_name=member.full_name,
        roles=sorted(roles_of(member)),
        kecamatan=list(scope_of(member)),
        active=bool(member.active),
        must_change_password=bool(member.must_change_password),
        token_expires_at=expires.isoformat(timespec="seconds") if expires is not None else None,
        token_expired=expires is not None and expires < utcnow(),
    )


def _scope_text(codes: list[str]) -> str:
    return ",".join(codes) if codes else "semua kecamatan"


def _role_labels(roles: list[str]) -> str:
    return ", ".join(ROLES.get(r, r) for r in roles)


def cmd_staff_add(args: argparse.Namespace) -> tuple[object, str]:
    """Add a back-office user: print the one-time password (changed at first log-in) and the API token."""
    from sync.server import staff  # noqa: PLC0415

    _bind(args)
    chosen = {name.strip() for text in args.role for name in text.split(",") if name.strip()}
    if args.admin:
        chosen.add("admin")
    new = staff.add_staff(
        args.username,
        args.full_name,
        ",".join(sorted(chosen)) if chosen else ALL_BUT_ADMIN,
        kecamatan=args.kecamatan,
        actor=cli_actor(),
    )
    row = _staff_row(new.staff)
    data = {**row, "password": new.password, "token": new.token}
    text = (
        f"Staf {new.staff.username} ({new.staff.full_name}) ditambahkan.\n"
        f"Peran: {_role_labels(row['roles'])}\n"
        f"Wilayah tugas: {_scope_text(row['kecamatan'])}\n"
        f"Kata sandi sekali pakai (serahkan kepada staf; wajib diganti saat pertama masuk): {new.password}\n"
        f"Token API (simpan, hanya ditampilkan sekali; berlaku s.d. {row['token_expires_at']}):\n{new.token}"
    )
    return data, text


def cmd_staff_list(args: argparse.Namespace) -> tuple[object, str]:
    """List staff users."""
    from sync.server.models import Staff  # noqa: PLC0415

    _bind(args)
    rows = [_staff_row(m) for m in Staff.select().order_by(Staff.username)]
    lines = []
    for r in rows:
        expires = str(r["token_expires_at"] or "-")[:10]
        token = f"token kedaluwarsa {expires}" if r["token_expired"] else f"token s.d. {expires}"
        lines.append(
            f"{r['username']:<16} {r['full_name']:<30} {','.join(r['roles']):<40} "
            f"{_scope_text(r['kecamatan']):<18} {'aktif' if r['active'] else 'NONAKTIF':<8} {token}"
        )
    return rows, "\n".join(lines) or "Belum ada staf."


def cmd_staff_roles(args: argparse.Namespace) -> tuple[object, str]:
    """Replace a staff user's roles (and, with --kecamatan, their scope)."""
    from sync.server import staff  # noqa: PLC0415

    _bind(args)
    row = _staff_row(staff.set_roles(args.username, args.roles, cli_actor(), args.kecamatan))
    return row, (
        f"Peran staf {args.username} sekarang: {_role_labels(row['roles'])}; "
        f"wilayah tugas: {_scope_text(row['kecamatan'])}."
    )


def cmd_staff_disable(args: argparse.Namespace) -> tuple[object, str]:
    """Disable a staff user (their sessions end; token and password stop working)."""
    from sync.server import staff  # noqa: PLC0415

    _bind(args)
    staff.set_active(args.username, False, cli_actor())
    return {"username": args.username, "active": False}, f"Akun staf {args.username} dinonaktifkan."


def cmd_staff_enable(args: argparse.Namespace) -> tuple[object, str]:
    """Enable a staff user again."""
    from sync.server import staff  # noqa: PLC0415

    _bind(args)
    staff.set_active(args.username, True, cli_actor())
    return {"username": args.username, "active": True}, f"Akun staf {args.username} diaktifkan kembali."


def cmd_staff_token_rotate(args: argparse.Namespace) -> tuple[object, str]:
    """Issue a new API token (the old one stops working at once)."""
    from sync.server import staff  # noqa: PLC0415

    _bind(args)
    token = staff.rotate_token(args.username, cli_actor())
    row = _staff_row(staff.get_staff(args.username))
    return (
        {"username": args.username, "token": token, "token_expires_at": row["token_expires_at"]},
        f"Token API baru untuk {args.username} (token lama tidak berlaku lagi; berlaku s.d. "
        f"{row['token_expires_at']}):\n{token}",
    )


def cmd_staff_token_revoke(args: argparse.Namespace) -> tuple[object, str]:
    """Make a staff user's API token unusable."""
    from sync.server import staff  # noqa: PLC0415

    _bind(args)
    staff.revoke_token(args.username, cli_actor())
    return {"username": args.username, "revoked": True}, f"Token API staf {args.username} dicabut."


def cmd_staff_reset_password(args: argparse.Namespace) -> tuple[object, str]:
    """Give a staff user a new one-time password (their sessions end)."""
    from sync.server import staff  # noqa: PLC0415

    _bind(args)
    password = staff.reset_password(args.username, cli_actor())
    return (
        {"username": args.username, "password": password, "must_change_password": True},
        f"Kata sandi sekali pakai baru untuk {args.username} (wajib diganti saat masuk): {password}",
    )


def cmd_staff_demo(args: argparse.Namespace) -> tuple[object, str]:
    """Create the demo staff (one per role) and print their log-ins."""
    from sync.server.demo_staff import DEMO_PASSWORD, create_demo_staff  # noqa: PLC0415

    _bind(args)
    password = args.password or DEMO_PASSWORD
    members = create_demo_staff(password, actor=cli_actor())
    rows = [{"username": u, "full_name": n, "role": r, "password": password} for u, n, r in members]
    lines = [f"Staf contoh untuk uji coba (kata sandi semuanya: {password}); masuk di /backoffice/:"]
    lines += [f"  {u:<16} {n:<30} {ROLES[r]}" for u, n, r in members]
    return rows, "\n".join(lines)


def cmd_audit_verify(args: argparse.Namespace) -> tuple[object, str]:
    """Walk the audit's hash chain; a broken chain is a failure (exit 1) naming the first broken entry."""
    from sync.server import audit  # noqa: PLC0415

    _bind(args)
    report = audit.verify()
    data = {
        "ok": report.ok,
        "checked": report.checked,
        "legacy": report.legacy,
        "broken_at": report.broken_at,
        "problem": report.problem,
    }
    if not report.ok:
        raise CheckFailedError(
            f"Rantai audit rusak pada catatan #{report.broken_at}: {report.problem} "
            f"({report.checked} catatan sebelumnya utuh).",
            data,
        )
    return data, (
        f"Rantai audit utuh: {report.checked} catatan diperiksa ({report.legacy} catatan lama sebelum rantai)"
    )


def cmd_audit_list(args: argparse.Namespace) -> tuple[object, str]:
    """List audit entries, newest first."""
    from sync.server.models import AuditLog  # noqa: PLC0415

    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    _bind(args)
    query = AuditLog.select().order_by(AuditLog.id.desc()).limit(args.limit)
    if args.subject:
        query = query.where(AuditLog.subject == args.subject)
    rows = [
        {
            "id": e.id,
            "at": e.at.isoformat(timespec="seconds"),
            "actor": e.actor,
            "action": e.action,
            "subject": e.subject,
            "details": json.loads(e.details or "{}"),
        }
        for e in query
    ]
    text = "\n".join(
        f"{r['id']:>6} {str(r['at'])[:19].replace('T', ' ')} {r['actor']:<24} {r['action']:<22} {r['subject']:<24} "
        f"{json.dumps(r['details'], ensure_ascii=False) if r['details'] else ''}".rstrip()
        for r in rows
    )
    return rows, text or "Belum ada catatan audit."


def _staff_member(username: str) -> Staff:
    from sync.server.models import Staff  # noqa: PLC0415

    member = Staff.get_or_none(Staff.username == username)
    if member is None:
        raise KnownError(
            f"Staf '{username}' tidak dikenal. Tambahkan dulu: loket-server staff add {username} \"NAMA LENGKAP\" "
            "--role PERAN"
        )
    if not member.active:
        raise KnownError(
            f"Akun staf '{username}' sudah dinonaktifkan; aktifkan lagi dengan: loket-server staff enable {username}"
        )
    return member


def cmd_workflow(args: argparse.Namespace) -> tuple[object, str]:
    """Apply one workflow step as a staff member (their roles and scope apply)."""
    from sync.protocol import Reason  # noqa: PLC0415
    from sync.server import workflow  # noqa: PLC0415

    _bind(args)
    try:
        reasons = [Reason.model_validate(parse_reason(text)) for text in args.reason]
    except ValueError as exc:
        raise UsageError(f"bad --reason: {exc}") from exc
    member = _staff_member(args.staff)
    event = workflow.act(
        args.registration,
        args.step.replace("-", "_"),
        f"staf:{args.staff}",
        reasons,
        args.note,
        staff=member,
    )
    return (
        {"registration_number": event.registration_number, "client_id": event.client_id, "state": event.state},
        f"Permohonan {event.registration_number or event.client_id}: status sekarang '{event.state}'.",
    )


def cmd_applications_list(args: argparse.Namespace) -> tuple[object, str]:
    """List applications, a page at a time; say how many more there are."""
    from sync.server.api import applications_page  # noqa: PLC0415
    from sync.server.models import Application, Outpost  # noqa: PLC0415

    if args.limit < 1 or args.offset < 0:
        raise UsageError("--limit must be at least 1 and --offset at least 0")
    _bind(args)
    rows = [a.model_dump(mode="json") for a in applications_page(args.state, args.outpost, args.limit, args.offset)]
    query = Application.select().join(Outpost)
    if args.state:
        query = query.where(Application.state == args.state)
    if args.outpost:
        query = query.where(Outpost.code == args.outpost)
    total = query.count()
    more = max(0, total - args.offset - len(rows))
    lines = [
        f"{r['registration_number'] or '-':<22} {r['outpost_code']:<16} {r['service_code']:<22} rev {r['revision']} "
        f"{r['state']}"
        for r in rows
    ]
    if more:
        lines.append(f"… {more} permohonan lain; gunakan --limit/--offset")
    data = {"applications": rows, "total": total, "offset": args.offset, "limit": args.limit, "more": more}
    if not rows and not more:
        return data, "Belum ada permohonan." if total == 0 else f"Tidak ada permohonan setelah {args.offset}."
    return data, "\n".join(lines)


def _pages(package: dict[str, object]) -> list[dict[str, object]]:
    pages: list[dict[str, object]] = []
    documents = package.get("documents")
    for document in documents if isinstance(documents, list) else []:
        for page in document.get("pages", []):
            pages.append(
                {
                    "requirement_id": document.get("requirement_id", ""),
                    "substitute_id": document.get("substitute_id", ""),
                    "position": page.get("position"),
                    "media_type": page.get("media_type", ""),
                    "size": page.get("size"),
                    "dpi": page.get("dpi"),
                    "sha256": page.get("sha256", ""),
                }
            )
    return pages


def cmd_applications_show(args: argparse.Namespace) -> tuple[object, str]:
    """One application: where it stands, its history and the pages of its latest revision (the view is audited)."""
    from app.store.lifecycle import STATE_LABELS  # noqa: PLC0415
    from sync.server import audit, workflow  # noqa: PLC0415
    from sync.server.db import in_transaction  # noqa: PLC0415
    from sync.server.keys import read_package  # noqa: PLC0415
    from sync.server.models import Event, Submission  # noqa: PLC0415

    _bind(args)
    application = workflow.find_application(args.registration)
    outpost = application.outpost
    latest = (
        Submission.select().where(Submission.application == application).order_by(Submission.revision.desc()).first()
    )
    package = json.loads(read_package(latest)) if latest is not None else {}
    history = [
        {
            "at": e.at.isoformat(timespec="seconds"),
            "state": e.state,
            "revision": e.revision,
            "actor": e.actor,
            "note": e.note,
            "reasons": json.loads(e.reasons or "[]"),
        }
        for e in Event.select().where(Event.application == application).order_by(Event.seq)
    ]
    pages = _pages(package)
    key = application.registration_number or application.client_id
    in_transaction(lambda: audit.record(cli_actor(), "application.view", key, {"revision": application.revision}))
    data = {
        "registration_number": application.registration_number,
        "client_id": application.client_id,
        "state": application.state,
        "revision": application.revision,
        "outpost_code": outpost.code,
        "outpost_name": outpost.name,
        "service_code": application.service_code,
        "applicant_name": application.applicant_name,
        "received_at": application.received_at.isoformat(timespec="seconds"),
        "updated_at": application.updated_at.isoformat(timespec="seconds"),
        "due_date": application.due_date.isoformat() if application.due_date else None,
        "submitted_revision": latest.revision if latest is not None else None,
        "history": history,
        "pages": pages,
    }
    lines = [
        f"Permohonan {key} (id klien {application.client_id})",
        f"  Status      : {STATE_LABELS.get(application.state, application.state)} ({application.state}), "
        f"revisi {application.revision}",
        f"  Pos         : {outpost.code} {outpost.name}",
        f"  Layanan     : {application.service_code}",
        f"  Pemohon     : {application.applicant_name or '-'}",
        f"  Tenggat     : {data['due_date'] or '-'}",
        f"  Diterima    : {_when(application.received_at)}",
        "Riwayat:",
    ]
    for h in history:
        note = f" — {h['note']}" if h["note"] else ""
        lines.append(
            f"  {str(h['at']).replace('T', ' ')}  {h['state']:<12} rev {h['revision']}  oleh {h['actor']}{note}"
        )
        for reason in h["reasons"]:
            target = reason.get("requirement") or reason.get("path") or ""
            lines.append(f"      - {target + ': ' if target else ''}{reason.get('message', '')}")
    if not history:
        lines.append("  (belum ada)")
    lines.append(f"Halaman (revisi {data['submitted_revision'] or '-'}):")
    for p in pages:
        size = f"{int(str(p['size'])) / 1024:.1f} KB" if p["size"] is not None else "-"
        substitute = f" (pengganti {p['substitute_id']})" if p["substitute_id"] else ""
        lines.append(
            f"  {p['requirement_id']}{substitute} hal. {p['position']}  {p['media_type']}  {size}  "
            f"{str(p['sha256'])[:16]}"
        )
    if not pages:
        lines.append("  (tidak ada halaman)")
    return data, "\n".join(lines)


def cmd_tls(args: argparse.Namespace) -> tuple[object, str]:
    """`tls self-signed` and `tls pin` (sync/server/tls.py)."""
    from sync.server import tls  # noqa: PLC0415

    return tls.command(
        args.action, getattr(args, "host", ""), getattr(args, "out", None), getattr(args, "days", 1),
        getattr(args, "cert", ""), _home(),
    )  # fmt: skip


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
    "devices-wipe": cmd_devices_wipe,
    "staff-add": cmd_staff_add,
    "staff-list": cmd_staff_list,
    "staff-roles": cmd_staff_roles,
    "staff-disable": cmd_staff_disable,
    "staff-enable": cmd_staff_enable,
    "staff-token-rotate": cmd_staff_token_rotate,
    "staff-token-revoke": cmd_staff_token_revoke,
    "staff-reset-password": cmd_staff_reset_password,
    "staff-demo": cmd_staff_demo,
    "audit-verify": cmd_audit_verify,
    "audit-list": cmd_audit_list,
    "workflow": cmd_workflow,
    "applications-list": cmd_applications_list,
    "applications-show": cmd_applications_show,
    "conflicts-list": cmd_conflicts_list,
    "tls-self-signed": cmd_tls,
    "tls-pin": cmd_tls,
    **admin_commands.COMMANDS,
    **reference_commands.COMMANDS,
    **dbcommands.COMMANDS,
    **updates_commands.COMMANDS,
}


def _command_key(args: argparse.Namespace) -> str | None:
    """The COMMANDS key the parsed arguments name, or None when a sub-command is missing."""
    if args.command == "workflow":
        return "workflow"
    action = getattr(args, "action", None)
    if action is None:
        return None
    if args.command == "staff" and action == "token":
        token_action = getattr(args, "token_action", None)
        return f"staff-token-{token_action}" if token_action else None
    return f"{args.command}-{action}"


def main(argv: list[str] | None = None) -> int:
    """Entry point of `loket-server`: with no command, print the help and exit 2."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "database", None) is None:
        args.database = args.global_database  # after the command wins when both are given
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    key = None if args.command == "serve" else _command_key(args)
    if args.command != "serve" and key not in COMMANDS:
        parser.print_help(sys.stderr)
        return 2
    try:
        if args.command == "serve":
            return cmd_serve(args)
        assert key is not None
        data, text = COMMANDS[key](args)
    except UsageError as exc:
        print(f"loket-server: {exc}", file=sys.stderr)
        return 2
    except CheckFailedError as exc:
        if args.json:
            print(json.dumps(exc.data, ensure_ascii=False, indent=1))
        print(f"Gagal: {exc}", file=sys.stderr)
        return 1
    except KnownError as exc:
        print(f"Gagal: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(data, ensure_ascii=False, indent=1) if args.json else text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
