"""`loket-admin`: the support tool for outpost and Dinas IT staff.

Exit codes: 0 success, 1 a fault was found or the action failed (message on stderr in Bahasa
Indonesia), 2 bad usage.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from app.errors import KnownError
from app.paths import DataPaths
from app.version import version

if TYPE_CHECKING:
    from app.settings import Settings
    from app.settings_registry import SettingSpec
    from app.store import Store

EPILOG = """\
Passwords for scripts (never on the command line):
  LOKET_PASSWORD       the password of the officer given with --user
  LOKET_NEW_PASSWORD   the new officer's password (init, officers add, officers reset-password)
  --password-stdin     read them from standard input instead: first line the --user password,
                       second line the new password (init reads only the new one)
Without either, loket-admin asks on the terminal.

Data folder: --basedir, else LOKET_BASEDIR, else the platform's folder
(Windows: %PROGRAMDATA%\\Loket; Linux: ~/.local/share/loket).
"""


GROUPS = ("officers", "applications", "settings")  # commands with an ACTION

COMMAND_GROUP = "loket.admin_commands"
"""Entry-point group of commands other packages add (sync's `enrol` and `sync`: app imports nothing of sync).

Each entry point is a `register(subcommands)` function that adds its parsers and sets each one's
`handler` default to a Command."""

Command = Callable[[argparse.Namespace, DataPaths, "Passwords"], object]
Registration = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


class UsageError(Exception):
    """Bad usage (exit 2)."""


class Passwords:
    """Where passwords come from: stdin lines, environment variables, or a terminal prompt."""

    def __init__(self, from_stdin: bool, stdin: TextIO) -> None:
        self.lines: list[str] = []
        if from_stdin:
            self.lines = [line.rstrip("\r\n") for line in stdin.readlines()]

    def take(self, env: str, prompt: str) -> str:
        """The next password: stdin line, else environment variable, else an interactive prompt."""
        if self.lines:
            return self.lines.pop(0)
        value = os.environ.get(env)
        if value:
            return value
        if sys.stdin.isatty():
            return getpass.getpass(prompt)
        raise UsageError(f"no password: set {env}, use --password-stdin, or run on a terminal")


def command_providers() -> list[Registration]:
    """The registration functions of the `loket.admin_commands` entry points, by entry-point name."""
    from importlib.metadata import entry_points  # noqa: PLC0415

    found = sorted(entry_points(group=COMMAND_GROUP), key=lambda point: point.name)
    return [point.load() for point in found]


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(
        prog="loket-admin",
        description="Loket support tool for outpost and Dinas IT staff.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"loket-admin {version()}")
    parser.add_argument("--basedir", help="data folder of the installation")
    parser.add_argument("--user", help="officer user name for commands that open the database")
    parser.add_argument("--password-stdin", action="store_true", help="read passwords from standard input")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    init = sub.add_parser("init", help="set up a new installation with its first supervisor")
    init.add_argument("username")
    init.add_argument("full_name")

    officers = sub.add_parser("officers", help="manage officers").add_subparsers(dest="action", metavar="ACTION")
    add = officers.add_parser("add", help="add an officer (needs a supervisor or admin --user)")
    add.add_argument("username")
    add.add_argument("full_name")
    add.add_argument("--role", choices=["operator", "supervisor", "admin"], default="operator")
    officers.add_parser("list", help="list officers")
    reset = officers.add_parser("reset-password", help="set a temporary password the officer must change")
    reset.add_argument("username")
    deactivate = officers.add_parser(
        "deactivate", help="remove an officer's access and re-key the database (needs a supervisor or admin --user)"
    )
    deactivate.add_argument("username")

    backup = sub.add_parser("backup", help="write one verifiable backup file (database, keys and scans)")
    backup.add_argument("file")
    restore = sub.add_parser(
        "restore",
        help="restore a backup file: --user is a supervisor in the backup; it is authenticated, opened and "
        "verified before anything is replaced (current data is kept aside)",
    )
    restore.add_argument("file")
    restore.add_argument(
        "--legacy", action="store_true", help="accept a backup from an older Loket that has no authentication"
    )
    sub.add_parser("verify", help="check database integrity, the audit chain and every scan file")
    sub.add_parser(
        "outbox", help="list the outbox: state, attempts, registration number and the server's answer per item"
    )
    applications = sub.add_parser("applications", help="the applications on this laptop (needs --user)")
    apps_sub = applications.add_subparsers(dest="action", metavar="ACTION")
    apps_list = apps_sub.add_parser(
        "list", help="state, registration number, Dinas reasons, pages, outbox state; most recently changed first"
    )
    apps_list.add_argument("--state", help="only this state (draft, submitted, received, returned, ...)")
    apps_list.add_argument("--limit", type=int, default=50)
    apps_list.add_argument("--offset", type=int, default=0)
    apps_show = apps_sub.add_parser("show", help="one application: history, pages, outbox items and server answers")
    apps_show.add_argument("reference", metavar="REF", help="registration number, or application id (8+ characters)")
    settings_cmd = sub.add_parser(
        "settings", help="this installation's settings (no password needed); see docs/installing.md"
    )
    settings_sub = settings_cmd.add_subparsers(dest="action", metavar="ACTION")
    settings_sub.add_parser("list", help="every setting: value, default, allowed values, who may change it")
    settings_get = settings_sub.add_parser("get", help="one setting's value")
    settings_get.add_argument("key", metavar="KEY")
    settings_set = settings_sub.add_parser("set", help="change a setting (a running Loket applies it at once)")
    settings_set.add_argument("key", metavar="KEY")
    settings_set.add_argument("value", metavar="VALUE")
    settings_reset = settings_sub.add_parser("reset", help="a setting back to its default")
    settings_reset.add_argument("key", metavar="KEY")
    demo = sub.add_parser("demo", help="add realistic synthetic applications (demos and load tests)")
    demo.add_argument("--applications", type=int, default=25)
    demo.add_argument("--residents", type=int, default=0)
    demo.add_argument("--seed", type=int, default=2026)
    sub.add_parser("doctor", help="data folder, free disk space and database state (no password needed)")
    sub.add_parser("data-check", help="validate the shipped catalogue, form schemas and region codes")
    for register in command_providers():
        register(sub)
    return parser


def main(argv: list[str] | None = None, stdin: TextIO | None = None) -> int:
    """Entry point of `loket-admin`."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None or (args.command in GROUPS and args.action is None):
        parser.print_help(sys.stderr)
        return 2
    from app.logs import configure  # noqa: PLC0415 - keep --help fast

    paths = DataPaths.resolve(args.basedir)
    configure(paths.logs if paths.base.exists() else None)
    passwords = Passwords(args.password_stdin, stdin or sys.stdin)
    command: Command = (
        getattr(args, "handler", None)
        or COMMANDS[args.command if args.command not in GROUPS else f"{args.command}-{args.action}"]
    )
    try:
        result = command(args, paths, passwords)
    except UsageError as exc:
        print(f"loket-admin: {exc}", file=sys.stderr)
        return 2
    except KnownError as exc:
        print(f"Gagal: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        known = _known_database_fault(exc)
        if known is None:
            raise
        print(f"Gagal: {known}", file=sys.stderr)
        return 1
    if isinstance(result, Outcome):
        emit(result, args.json)
        return 0 if result.ok else 1
    return 0


def _known_database_fault(exc: Exception) -> KnownError | None:
    """A damaged database or a full disk that escaped a command, as the store's known error."""
    from app.store.db import translate  # noqa: PLC0415 - keep --help fast

    known = translate(exc)
    return known if isinstance(known, KnownError) else None


class Outcome:
    """What a command prints: a JSON-able object and its text form."""

    def __init__(self, data: object, text: str, ok: bool = True) -> None:
        self.data = data
        self.text = text
        self.ok = ok


def emit(outcome: Outcome, as_json: bool) -> None:
    """Print the outcome."""
    print(json.dumps(outcome.data, ensure_ascii=False, indent=1) if as_json else outcome.text)


def open_store(args: argparse.Namespace, paths: DataPaths, passwords: Passwords) -> Store:
    from app.store import Store  # noqa: PLC0415

    if not args.user:
        raise UsageError("this command needs --user USERNAME")
    store = Store.unlock(paths, args.user, passwords.take("LOKET_PASSWORD", f"Kata sandi {args.user}: "))
    if store.password_change_reason == "weak":
        print(
            "Peringatan: kata sandi Anda belum memenuhi aturan baru (minimal 10 karakter, bukan kata sandi umum). "
            "Gantilah saat masuk ke aplikasi Loket berikutnya.",
            file=sys.stderr,
        )
    return store


def cmd_init(args: argparse.Namespace, paths: DataPaths, passwords: Passwords) -> Outcome:
    """Create the installation and its first supervisor."""
    from app.store import Store  # noqa: PLC0415

    password = passwords.take("LOKET_NEW_PASSWORD", f"Kata sandi baru untuk {args.username}: ")
    store = Store.initialise(paths, args.username, args.full_name, password)
    store.close()
    return Outcome(
        {"ok": True, "basedir": str(paths.base), "supervisor": args.username},
        f"Instalasi Loket dibuat di {paths.base}; supervisor pertama: {args.username}.",
    )


def cmd_officers_add(args: argparse.Namespace, paths: DataPaths, passwords: Passwords) -> Outcome:
    """Add an officer."""
    store = open_store(args, paths, passwords)
    try:
        password = passwords.take("LOKET_NEW_PASSWORD", f"Kata sandi untuk {args.username}: ")
        store.add_officer(args.username, args.full_name, args.role, password)
    finally:
        store.close()
    return Outcome(
        {"ok": True, "username": args.username, "role": args.role},
        f"Petugas {args.username} ({args.role}) ditambahkan.",
    )


def cmd_officers_list(args: argparse.Namespace, paths: DataPaths, passwords: Passwords) -> Outcome:
    """List officers."""
    from app.store.models import Officer  # noqa: PLC0415

    store = open_store(args, paths, passwords)
    try:
        rows = [
            {
                "username": o.username,
                "full_name": o.full_name,
                "role": o.role,
                "active": o.active,
                "can_unlock": o.username in store.keyfile.usernames(),
            }
            for o in Officer.select().order_by(Officer.username)
        ]
    finally:
        store.close()
    text = "\n".join(
        f"{r['username']:<20} {r['role']:<10} {'aktif' if r['active'] else 'nonaktif':<9} {r['full_name']}"
        for r in rows
    )
    return Outcome(rows, text)


def cmd_officers_reset(args: argparse.Namespace, paths: DataPaths, passwords: Passwords) -> Outcome:
    """Reset an officer's password to a temporary one."""
    store = open_store(args, paths, passwords)
    try:
        store.reset_password(args.username, passwords.take("LOKET_NEW_PASSWORD", "Kata sandi sementara: "))
    finally:
        store.close()
    return Outcome(
        {"ok": True, "username": args.username},
        f"Kata sandi {args.username} diatur ulang; petugas wajib menggantinya saat masuk.",
    )


def cmd_officers_deactivate(args: argparse.Namespace, paths: DataPaths, passwords: Passwords) -> Outcome:
    """Deactivate an officer and re-key the database."""
    store = open_store(args, paths, passwords)
    try:
        done = store.deactivate_officer(args.username)
    finally:
        store.close()
    data = {"ok": True, "username": done.username, "rekeyed": True, "officers_to_reset": list(done.officers_to_reset)}
    return Outcome(data, done.message)


def cmd_backup(args: argparse.Namespace, paths: DataPaths, passwords: Passwords) -> Outcome:
    """Write and verify a backup file."""
    from app.store.backup import create_backup  # noqa: PLC0415

    store = open_store(args, paths, passwords)
    try:
        info = create_backup(store, Path(args.file))
    finally:
        store.close()
    data = {"ok": True, "file": str(info.path), "files": info.files, "bytes": info.bytes, "created": info.created}
    return Outcome(data, f"Cadangan ditulis dan diperiksa: {info.path} ({info.files} berkas, {info.bytes} bita).")


def cmd_restore(args: argparse.Namespace, paths: DataPaths, passwords: Passwords) -> Outcome:
    """Verify and restore a backup file."""
    from app.store.backup import restore_backup  # noqa: PLC0415

    if not args.user:
        raise UsageError("restore needs --user: a supervisor in the backup (the backup's own passwords)")
    password = passwords.take("LOKET_PASSWORD", f"Kata sandi {args.user} (dari cadangan): ")
    result = restore_backup(Path(args.file), paths, args.user, password, allow_legacy=args.legacy)
    info, aside = result.info, result.previous_data
    text = f"Cadangan {info.path} (dibuat {info.created}) diperiksa dan dipulihkan."
    if aside is not None:
        text += f" Data sebelumnya disimpan di {aside}."
    data = {
        "ok": True,
        "created": info.created,
        "authenticated": info.authenticated,
        "previous_data": str(aside) if aside else None,
    }
    return Outcome(data, text)


def cmd_verify(args: argparse.Namespace, paths: DataPaths, passwords: Passwords) -> Outcome:
    """Run every integrity check."""
    from app.store.verify import verify_store  # noqa: PLC0415

    store = open_store(args, paths, passwords)
    try:
        report = verify_store(store)
    finally:
        store.close()
    return Outcome(report.to_dict(), report.to_text(), report.ok)


def cmd_outbox(args: argparse.Namespace, paths: DataPaths, passwords: Passwords) -> Outcome:
    """List outbox items with the registration number and the server's answer."""
    from app.admin.support import outbox_rows  # noqa: PLC0415

    store = open_store(args, paths, passwords)
    try:
        rows = outbox_rows()
    finally:
        store.close()
    text = (
        "\n".join(
            f"{str(r['item'])[:8]} {r['service']:<24} rev {r['revision']} {r['state']:<12} "
            f"No. {r['registration_number'] or '-':<20} percobaan {r['attempts']}"
            + (f" {r['last_error']}" if r["last_error"] else "")
            + (f" jawaban server: {_answer(r['server_answer'])}" if r["server_answer"] else "")
            for r in rows
        )
        or "Antrean kirim kosong."
    )
    return Outcome(rows, text)


def _answer(answer: object) -> str:
    """The server's answer in one line."""
    if not isinstance(answer, dict):
        return str(answer)
    parts = [str(answer.get(k)) for k in ("status", "code", "message") if answer.get(k)]
    return " · ".join(parts) or json.dumps(answer, ensure_ascii=False)


def cmd_applications_list(args: argparse.Namespace, paths: DataPaths, passwords: Passwords) -> Outcome:
    """A page of applications: state, registration number, reasons, pages, outbox state."""
    from app.admin.support import application_rows  # noqa: PLC0415

    if args.limit < 1 or args.offset < 0:
        raise UsageError("--limit must be at least 1 and --offset at least 0")
    store = open_store(args, paths, passwords)
    try:
        rows, total = application_rows(args.state, args.limit, args.offset)
    finally:
        store.close()
    more = max(0, total - args.offset - len(rows))
    lines = [
        f"{str(r['client_id'])[:8]} {r['registration_number'] or '-':<20} {r['service']:<24} rev {r['revision']} "
        f"{r['state_label']:<18} {r['pages']} hlm"
        + (f" kirim: {r['outbox_state']}" if r["outbox_state"] else "")
        + (f" alasan: {'; '.join(str(x.get('message', '')) for x in r['reasons'])}" if r["reasons"] else "")  # type: ignore[attr-defined]
        for r in rows
    ]
    lines.append(
        f"{total} permohonan; ditampilkan {args.offset + 1 if rows else 0}-{args.offset + len(rows)}"
        + (f"; {more} lagi: --offset {args.offset + len(rows)}" if more else "")
    )
    data = {"applications": rows, "total": total, "offset": args.offset, "limit": args.limit, "more": more}
    return Outcome(data, "\n".join(lines))


def cmd_applications_show(args: argparse.Namespace, paths: DataPaths, passwords: Passwords) -> Outcome:
    """One application in full."""
    from app.admin.support import application_detail, find_application  # noqa: PLC0415
    from app.store import audit  # noqa: PLC0415

    store = open_store(args, paths, passwords)
    try:
        application = find_application(args.reference)
        data = application_detail(application)
        with store.db.atomic():
            audit.append(store.officer.username, "support.view", application.client_id, details={"via": "loket-admin"})
    finally:
        store.close()
    lines = [
        f"Permohonan {data['client_id']} · {data['service']} · revisi {data['revision']}",
        f"Status: {data['state_label']} · No. registrasi: {data['registration_number'] or '-'}",
        f"Pemohon: {data['applicant_name'] or '-'} · lokasi: {data['site'] or '-'} · "
        f"katalog {data['catalog_version'] or '-'}",
        f"Halaman dokumen (revisi ini): {data['pages']}",
    ]
    for reason in data["reasons"]:  # type: ignore[attr-defined]
        lines.append(
            f"  Alasan Dinas: {reason.get('message', '')} ({reason.get('path') or reason.get('requirement', '')})"
        )
    lines.append("Riwayat:")
    for event in data["history"]:  # type: ignore[attr-defined]
        lines.append(
            f"  {event['at']} {event['state']:<12} rev {event['revision']} {event['source']} {event['officer']}"
        )
    lines.append("Antrean kirim:")
    for item in data["outbox"]:  # type: ignore[attr-defined]
        lines.append(
            f"  {str(item['item'])[:8]} rev {item['revision']} {item['state']:<12} percobaan {item['attempts']}"
            + (f" {item['last_error']}" if item["last_error"] else "")
            + (f" jawaban server: {_answer(item['server_answer'])}" if item["server_answer"] else "")
        )
    if not data["outbox"]:
        lines.append("  (tidak ada)")
    return Outcome(data, "\n".join(lines))


def installation_settings(paths: DataPaths) -> Settings:
    from app.settings import Settings  # noqa: PLC0415

    return Settings(paths.settings)


def _setting_row(settings: Settings, key: str) -> dict[str, object]:
    from app.settings_registry import spec  # noqa: PLC0415

    declared = spec(key)
    return {
        "key": key,
        "value": settings.get(key),
        "default": declared.default,
        "changed": not settings.is_default(key),
        "type": declared.type.__name__,
        "allowed": declared.allowed(),
        "changed_by": list(declared.changed_by),
        "label": declared.label,
        "description": declared.description,
    }


def installation_spec(key: str) -> SettingSpec:
    from app.settings import unknown_key  # noqa: PLC0415
    from app.settings_registry import BY_KEY  # noqa: PLC0415

    declared = BY_KEY.get(key)
    if declared is None or declared.scope != "installation" or declared.kept_by_loket:
        if declared is not None and declared.scope == "secure":
            raise unknown_key(key) from None
        raise unknown_key(key)
    return declared


def cmd_settings_list(args: argparse.Namespace, paths: DataPaths, passwords: Passwords) -> Outcome:
    """Every setting support may change, with its value."""
    from app.settings_registry import changeable  # noqa: PLC0415

    settings = installation_settings(paths)
    rows = [_setting_row(settings, s.key) for s in changeable("support")]
    text = "\n".join(
        f"{r['key']:<28} = {json.dumps(r['value'], ensure_ascii=False):<14} "
        f"({'diubah' if r['changed'] else 'bawaan'}; {r['allowed']}; oleh {', '.join(r['changed_by'])})"  # type: ignore[arg-type]
        f"\n{'':<31}{r['description']}"
        for r in rows
    )
    return Outcome(rows, text)


def cmd_settings_get(args: argparse.Namespace, paths: DataPaths, passwords: Passwords) -> Outcome:
    """One setting's value."""
    installation_spec(args.key)
    row = _setting_row(installation_settings(paths), args.key)
    return Outcome(row, json.dumps(row["value"], ensure_ascii=False))


def cmd_settings_set(args: argparse.Namespace, paths: DataPaths, passwords: Passwords) -> Outcome:
    """Change one setting; a bad key lists the keys, a bad value says what is allowed."""
    from app.settings import parse_value  # noqa: PLC0415

    declared = installation_spec(args.key)
    value = parse_value(declared, args.value)
    settings = installation_settings(paths)
    settings.set(args.key, value, by="support")
    row = _setting_row(settings, args.key)
    return Outcome(row, f"{args.key} = {json.dumps(value, ensure_ascii=False)} ({declared.label}).")


def cmd_settings_reset(args: argparse.Namespace, paths: DataPaths, passwords: Passwords) -> Outcome:
    """One setting back to its default."""
    declared = installation_spec(args.key)
    settings = installation_settings(paths)
    settings.reset(args.key, by="support")
    row = _setting_row(settings, args.key)
    return Outcome(row, f"{args.key} kembali ke bawaan: {json.dumps(declared.default, ensure_ascii=False)}.")


def cmd_demo(args: argparse.Namespace, paths: DataPaths, passwords: Passwords) -> Outcome:
    """Add synthetic applications and residents."""
    from app.demo.populate import populate  # noqa: PLC0415

    if args.applications < 0 or args.residents < 0:
        raise UsageError("--applications and --residents must be 0 or more")
    store = open_store(args, paths, passwords)
    started = time.perf_counter()
    try:
        summary = populate(store, args.applications, seed=args.seed, residents=args.residents)
    finally:
        store.close()
    data = {"ok": True, "seconds": round(time.perf_counter() - started, 2), **summary.to_dict()}
    return Outcome(data, f"Data contoh ditambahkan: {args.applications} permohonan, {args.residents} penduduk.")


def cmd_doctor(args: argparse.Namespace, paths: DataPaths, passwords: Passwords) -> Outcome:
    """Report the data folder's state without opening the database."""
    from app.store.keyring import KeyFile  # noqa: PLC0415

    report: dict[str, object] = {"basedir": str(paths.base), "exists": paths.base.exists()}
    problems: list[str] = []
    if paths.base.exists():
        usage = shutil.disk_usage(paths.base)
        report["free_mb"] = usage.free // 2**20
        if usage.free < 500 * 2**20:
            problems.append("Ruang disk kurang dari 500 MB: kosongkan ruang agar data dapat disimpan.")
    db = paths.database
    wal = db.with_name(db.name + "-wal")
    database: dict[str, object] = {
        "exists": db.exists(),
        "size": db.stat().st_size if db.exists() else 0,
        "wal_size": wal.stat().st_size if wal.exists() else 0,
    }
    if db.exists():
        with db.open("rb") as handle:
            encrypted = handle.read(16) != b"SQLite format 3\x00"
        database["encrypted"] = encrypted
        if not encrypted:
            problems.append("Basis data TIDAK terenkripsi.")
    report["database"] = database
    try:
        officers = KeyFile(paths.keyring).usernames() if paths.keyring.exists() else []
        report["officers_with_key"] = len(officers)
    except KnownError as exc:
        problems.append(exc.message)
    if db.exists() != paths.keyring.exists():
        problems.append("Basis data dan berkas kunci tidak lengkap (salah satu hilang). Pulihkan dari cadangan.")
    blobs = list(paths.blobs.glob("??/*.blob")) if paths.blobs.exists() else []
    report["blobs"] = {"count": len(blobs), "bytes": sum(p.stat().st_size for p in blobs)}
    report["problems"] = problems
    lines = [f"Folder data: {paths.base}"]
    lines.append(f"Ruang kosong: {report.get('free_mb', '-')} MB")
    lines.append(
        f"Basis data: {'ada' if db.exists() else 'belum ada'}; petugas yang dapat membuka: "
        f"{report.get('officers_with_key', 0)}; berkas pindaian: {len(blobs)}"
    )
    lines.extend(f"MASALAH: {p}" for p in problems)
    if not problems:
        lines.append("Tidak ada masalah.")
    return Outcome(report, "\n".join(lines), not problems)


def cmd_data_check(args: argparse.Namespace, paths: DataPaths, passwords: Passwords) -> Outcome:
    """Load every shipped data file; a fault names the file and entry."""
    from app.cardread.engine import EngineMissingError, model_path  # noqa: PLC0415
    from app.catalog import load_catalog  # noqa: PLC0415
    from app.datafiles import DataFileError  # noqa: PLC0415
    from app.forms import default_registry  # noqa: PLC0415
    from app.regions import default_index  # noqa: PLC0415

    started = time.perf_counter()
    try:
        forms = default_registry()
        catalog = load_catalog()
        regions = default_index()
    except DataFileError as exc:
        data = {"ok": False, "file": exc.file, "entry": exc.entry, "problem": exc.problem}
        return Outcome(data, f"Data rusak: {exc}", ok=False)
    try:
        ocr_model = model_path()
    except EngineMissingError as exc:
        data = {"ok": False, "file": "", "entry": "ocr", "problem": str(exc)}
        return Outcome(data, f"Model pembaca KK tidak ada: {exc}", ok=False)
    report = {
        "ok": True,
        "catalog_version": catalog.version,
        "services": len(catalog.services),
        "forms": [schema.key for schema in forms],
        "regions": len(regions),
        "ocr_model": ocr_model.name,
        "seconds": round(time.perf_counter() - started, 3),
    }
    return Outcome(report, json.dumps(report, ensure_ascii=False))


COMMANDS: dict[str, Command] = {
    "init": cmd_init,
    "officers-add": cmd_officers_add,
    "officers-list": cmd_officers_list,
    "officers-reset-password": cmd_officers_reset,
    "officers-deactivate": cmd_officers_deactivate,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "verify": cmd_verify,
    "outbox": cmd_outbox,
    "applications-list": cmd_applications_list,
    "applications-show": cmd_applications_show,
    "settings-list": cmd_settings_list,
    "settings-get": cmd_settings_get,
    "settings-set": cmd_settings_set,
    "settings-reset": cmd_settings_reset,
    "demo": cmd_demo,
    "doctor": cmd_doctor,
    "data-check": cmd_data_check,
}


if __name__ == "__main__":
    sys.exit(main())
