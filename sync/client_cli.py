"""`loket-admin enrol` and `loket-admin sync`: the sync client's commands, registered from here.

`app` imports nothing of `sync`, so the support tool cannot name these commands itself: pyproject
declares `register` in the `loket.admin_commands` entry-point group, and app.admin.cli adds every
command of that group after its own. This module stays light (argparse only at import): it is
loaded for every `loket-admin` run, `--help` included; sync.client is imported by the commands.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.admin.cli import Outcome, Passwords
    from app.paths import DataPaths


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `enrol` and `sync` to loket-admin's subcommands, each with its handler."""
    enrol = sub.add_parser("enrol", help="register this installation with the Dinas server (one-time code)")
    enrol.add_argument("server_url", metavar="URL", help="the Dinas server, e.g. https://loket.dukcapil.example")
    enrol.add_argument("code", metavar="KODE", help="the one-time enrolment code from the Dinas")
    enrol.add_argument("--name", default="", help="this laptop's name as the Dinas sees it (default: host name)")
    enrol.add_argument(
        "--pin", default="", help="the server key's pin from the enrolment slip (sha256//...), when not in the URL"
    )
    enrol.set_defaults(handler=cmd_enrol)
    sync = sub.add_parser("sync", help="sync state; with --once, send the outbox and pull statuses now")
    sync.add_argument("--once", action="store_true", help="run one sync now and report what it did")
    sync.add_argument(
        "--bandwidth-cap",
        type=int,
        metavar="KBPS",
        help="set sync.bandwidth_cap_kbps, the upload cap in kbit/s (0: none), as 'settings set' does",
    )
    sync.set_defaults(handler=cmd_sync)


def cmd_enrol(args: argparse.Namespace, paths: DataPaths, passwords: Passwords) -> Outcome:
    """Register this installation with the Dinas server."""
    import platform  # noqa: PLC0415

    from app.admin.cli import Outcome, open_store  # noqa: PLC0415
    from app.store.errors import PermissionDeniedError  # noqa: PLC0415
    from sync.client import enrol  # noqa: PLC0415

    store = open_store(args, paths, passwords)
    try:
        if not (store.can("settings") or store.can("manage_officers")):
            raise PermissionDeniedError("mendaftarkan perangkat ke server Dinas")
        info = enrol(store, args.server_url, args.code, args.name or platform.node() or "Loket", pin=args.pin)
    finally:
        store.close()
    data = {"ok": True, "device_id": info.device_id, "outpost_code": info.outpost_code, "outpost": info.outpost_name}
    return Outcome(
        data, f"Perangkat terdaftar pada pos pelayanan {info.outpost_code} ({info.outpost_name}) di server Dinas."
    )


def cmd_sync(args: argparse.Namespace, paths: DataPaths, passwords: Passwords) -> Outcome:
    """Show the sync state, or run one sync and report what it did (also when it failed half-way)."""
    from app.admin.cli import Outcome, installation_settings, installation_spec, open_store  # noqa: PLC0415
    from app.errors import KnownError  # noqa: PLC0415
    from app.store import outbox, settings, status  # noqa: PLC0415
    from sync.client import Credentials, SyncClient  # noqa: PLC0415

    if args.bandwidth_cap is not None:
        from app.settings import parse_value  # noqa: PLC0415

        cap = parse_value(installation_spec("sync.bandwidth_cap_kbps"), str(args.bandwidth_cap))
        installation_settings(paths).set("sync.bandwidth_cap_kbps", cap, by="support")
    installation = installation_settings(paths)
    store = open_store(args, paths, passwords)
    try:
        if args.once:
            client = SyncClient(store)
            client.set_bandwidth_cap(installation.number("sync.bandwidth_cap_kbps"))
            error: KnownError | None = None
            try:
                client.run_once()
            except KnownError as exc:  # the partial report is still told
                error = exc
            report = client.report
            data: dict[str, object] = {"ok": error is None, **report.to_dict(), "outbox": outbox.counts()}
            text = report.to_text()
            if error is not None:
                data["error"] = error.message
                data["error_code"] = type(error).__name__
                text = (
                    f"Sinkronisasi berhenti sebelum selesai: {error.message}\n"
                    f"Yang sudah dikerjakan: {text}\n"
                    "Perintah ini tidak mencoba lagi sendiri; jalankan lagi setelah masalahnya teratasi."
                )
            ok = error is None and report.failed == 0
        else:
            device: dict[str, str] = settings.get("sync.device")
            data = {
                "enrolled": Credentials.exists(),
                "server_url": settings.get("sync.server_url"),
                "outpost_code": device.get("outpost_code", ""),
                "bandwidth_cap_kbps": installation.number("sync.bandwidth_cap_kbps"),
                "interval_seconds": installation.number("sync.interval_seconds"),
                "paused": installation.flag("sync.paused"),
                "status_cursor": status.cursor(),
                "last_success": settings.get("sync.last_success"),
                "outbox": outbox.counts(),
            }
            text = (
                f"Server: {data['server_url'] or '-'} (pos {data['outpost_code'] or '-'}); "
                f"{'terdaftar' if data['enrolled'] else 'BELUM terdaftar'}.\n"
                f"Sinkronisasi otomatis: {'DIJEDA' if data['paused'] else 'aktif'}, "
                f"setiap {data['interval_seconds']} detik; batas kirim "
                f"{data['bandwidth_cap_kbps'] or 'tanpa batas'} kbit/detik.\n"
                f"Antrean kirim: {data['outbox'] or 'kosong'}. "
                f"Sinkron berhasil terakhir: {data['last_success'] or '-'}."
            )
            ok = True
    finally:
        store.close()
    return Outcome(data, text, ok)
