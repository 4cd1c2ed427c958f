"""`loket-server updates …`: releases signed on the Dinas' offline machine, rolled out from the server.

Offline machine (holds the keys):   init, publish, refresh
Server (no keys):                   rollout, pause, resume, status

The parsers and command functions live here; `sync/server/cli.py` only wires them in.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

from sync.server import updates

Command = Callable[[argparse.Namespace], tuple[object, str]]


def _repo_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", required=True, metavar="DIR", help="the repository (metadata/ and targets/)")
    parser.add_argument("--keys", required=True, metavar="DIR", help="the key folder (offline machine only)")


def _served(args: argparse.Namespace) -> Path:
    value = args.updates or os.environ.get(updates.ENV_UPDATES)
    if not value:
        from sync.server.cli import UsageError  # noqa: PLC0415

        raise UsageError("--updates DIR is required (the folder `serve --updates` serves)")
    return Path(value)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    """The `updates` sub-commands."""
    served_help = f"the folder `serve --updates` serves (default: ${updates.ENV_UPDATES})"
    group = sub.add_parser("updates", help="Loket releases for the outposts (docs/updates.md)").add_subparsers(
        dest="action", metavar="ACTION"
    )
    init = group.add_parser("init", parents=[common], help="OFFLINE: make the keys and the first signed metadata")
    _repo_args(init)
    publish = group.add_parser("publish", parents=[common], help="OFFLINE: sign a built bundle as a release")
    publish.add_argument("bundle", metavar="BUNDLE_DIR", help="the bundle folder (dist/loket)")
    publish.add_argument("--version", required=True, help="its version (as in pyproject.toml)")
    publish.add_argument("--security", action="store_true", help="a security release: restart forced after notice")
    publish.add_argument("--notes", default="", help="what changes, for the officers (Bahasa Indonesia)")
    _repo_args(publish)
    refresh = group.add_parser("refresh", parents=[common], help="OFFLINE: re-sign before the metadata expires")
    _repo_args(refresh)
    refresh.add_argument("--root", action="store_true", help="re-sign root as well (yearly)")
    rollout = group.add_parser("rollout", parents=[common], help="SERVER: let outposts take a published version")
    rollout.add_argument("version")
    rollout.add_argument("--share", type=int, default=None, metavar="PERCENT", help="share of the outposts, 0-100")
    rollout.add_argument("--outposts", default="", metavar="CODES", help="outpost codes that take it first (a,b)")
    rollout.add_argument("--security", action="store_true", default=None, help="announce it as a security release")
    rollout.add_argument("--notes", default=None, help="what changes, for the officers")
    rollout.add_argument("--updates", default=None, metavar="DIR", help=served_help)
    for name, text in (("pause", "SERVER: stop every rollout"), ("resume", "SERVER: continue the rollouts")):
        group.add_parser(name, parents=[common], help=text).add_argument(
            "--updates", default=None, metavar="DIR", help=served_help
        )
    status = group.add_parser("status", parents=[common], help="SERVER: releases, rollout, each outpost's version")
    status.add_argument("--updates", default=None, metavar="DIR", help=served_help)


def cmd_init(args: argparse.Namespace) -> tuple[object, str]:
    root = updates.init_repository(Path(args.repo), Path(args.keys))
    text = (
        f"Repositori pembaruan dibuat: {args.repo}; kunci di {args.keys} (jangan pernah disalin ke server).\n"
        f"Bangun installer dengan kunci akar ini: LOKET_UPDATES_ROOT={root} make dist"
    )
    return {"root": str(root), "repo": args.repo, "keys": args.keys}, text


def cmd_publish(args: argparse.Namespace) -> tuple[object, str]:
    added = updates.publish(
        Path(args.repo), Path(args.keys), Path(args.bundle), args.version, security=args.security, notes=args.notes
    )
    sizes = updates.published_targets(Path(args.repo))
    lines = [f"  {name}  {sizes[name]['length'] / 2**20:.1f} MB" for name in added]
    text = (
        f"Versi {args.version} ditandatangani:\n"
        + "\n".join(lines)
        + f"\nSalin {args.repo}/metadata dan {args.repo}/targets ke <folder `serve --updates`>/<linux|windows> "
        "di server (platform bundel ini), lalu "
        f"`loket-server updates rollout {args.version} --share 10`."
    )
    return {"version": args.version, "added": {n: sizes[n]["length"] for n in added}}, text


def cmd_refresh(args: argparse.Namespace) -> tuple[object, str]:
    roles = ("root", "targets", "snapshot", "timestamp") if args.root else ("targets", "snapshot", "timestamp")
    updates.refresh(Path(args.repo), Path(args.keys), roles)
    return {"refreshed": list(roles)}, "Ditandatangani ulang: " + ", ".join(roles) + ". Salin metadata/ ke server."


def _policy_text(folder: Path) -> str:
    policy = updates.load_policy(folder)
    lines = ["Penyebaran: DIJEDA" if policy.paused else "Penyebaran: berjalan"]
    for version, release in policy.releases.items():
        named = ", ".join(release.outposts) or "-"
        flag = " (keamanan)" if release.security else ""
        lines.append(f"  {version}{flag}: {release.share}% pos, lebih dulu: {named}")
    return "\n".join(lines)


def cmd_rollout(args: argparse.Namespace) -> tuple[object, str]:
    folder = _served(args)
    outposts = tuple(code.strip() for code in args.outposts.split(",") if code.strip())
    policy = updates.rollout(
        folder, args.version, share=args.share, outposts=outposts, security=args.security, notes=args.notes
    )
    return policy.to_json(), _policy_text(folder)


def cmd_pause(args: argparse.Namespace) -> tuple[object, str]:
    folder = _served(args)
    return updates.set_paused(folder, True).to_json(), _policy_text(folder)


def cmd_resume(args: argparse.Namespace) -> tuple[object, str]:
    folder = _served(args)
    return updates.set_paused(folder, False).to_json(), _policy_text(folder)


def cmd_status(args: argparse.Namespace) -> tuple[object, str]:
    """Published releases, the rollout, and the version every enrolled laptop last reported."""
    from sync.server.cli import _bind  # noqa: PLC0415
    from sync.server.models import Device, Outpost  # noqa: PLC0415

    folder = _served(args)
    _bind(args)
    reported = updates.reports(folder)
    rows = []
    for device in Device.select(Device, Outpost).join(Outpost).where(~Device.revoked).order_by(Outpost.code):
        report = reported.get(device.device_id)
        rows.append(
            {
                "outpost": device.outpost.code,
                "outpost_name": device.outpost.name,
                "device": device.name,
                "version": report.version if report else "",
                "staged": report.staged if report else "",
                "reported_at": report.at if report else "",
            }
        )
    versions = {platform: updates.published_versions(folder / platform) for platform in updates.PLATFORMS}
    lines = [f"Rilis {platform}: " + (", ".join(found) or "belum ada") for platform, found in versions.items()]
    lines += [_policy_text(folder), "Pos pelayanan:"]
    for row in rows:
        version = row["version"] or "belum melapor"
        staged = f" (siap: {row['staged']})" if row["staged"] else ""
        lines.append(f"  {row['outpost']:<12} {row['device']:<24} {version}{staged}  {row['reported_at']}")
    data = {"releases": versions, "policy": updates.load_policy(folder).to_json(), "outposts": rows}
    return data, "\n".join(lines)


def _wrap(command: Command) -> Command:
    def run(args: argparse.Namespace) -> tuple[object, str]:
        from sync.server.cli import UsageError  # noqa: PLC0415

        try:
            return command(args)
        except updates.UpdatesError as exc:
            raise UsageError(str(exc)) from exc

    return run


COMMANDS: dict[str, Command] = {
    f"updates-{name}": _wrap(command)
    for name, command in {
        "init": cmd_init,
        "publish": cmd_publish,
        "refresh": cmd_refresh,
        "rollout": cmd_rollout,
        "pause": cmd_pause,
        "resume": cmd_resume,
        "status": cmd_status,
    }.items()
}
