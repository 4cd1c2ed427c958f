"""Loket releases for the outposts: the signed repository (offline), the rollout policy and the versions reported.

Two machines, two jobs (docs/updates.md):

- the Dinas' OFFLINE machine holds the TUF keys (root, targets, snapshot, timestamp) and the
  repository: `init` makes the keys and the first root metadata, `publish` adds a release (tufup's
  archive, and a binary patch from the release before), `refresh` re-signs before the metadata
  expires. Its `metadata/` and `targets/` folders are copied to the server; the keys never are.
- the SERVER serves those two folders as they are (`serve --updates DIR`), decides who takes which
  release (`rollout`, `pause`, `resume`: DIR/rollout.json) and records the version each outpost
  reports when it checks (DIR/reports/<device>.json, one small file per laptop: replicas sharing DIR
  never write the same file).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.fileio import atomic_write
from app.updates.policy import Policy, Release

APP_NAME = "loket"
PLATFORMS = ("linux", "windows")
"""Each platform's bundle is its own repository (DIR/linux, DIR/windows on the server); the rollout
policy, by version, covers both."""
ENV_UPDATES = "LOKET_SERVER_UPDATES"
POLICY_FILE = "rollout.json"
REPORTS_DIR = "reports"
# Everything is signed offline, so every role must outlive the gap between two visits to the offline
# machine: `refresh` re-signs timestamp and snapshot (monthly), targets (quarterly), root (yearly).
EXPIRATION_DAYS = {"root": 365, "targets": 90, "snapshot": 35, "timestamp": 35}
VERSION_PATTERN = re.compile(r"^\d+(\.\d+){1,3}([ab]|rc)?\d*$")


class UpdatesError(Exception):
    """A usage or state problem of the update tooling, with the message for Dinas IT."""


# -- the repository (offline machine) ---------------------------------------------------------------------


def _repository(repo_dir: Path, keys_dir: Path) -> Any:
    from tufup.repo import Repository  # noqa: PLC0415 - only the offline machine's commands need it

    class Explicit(Repository):  # type: ignore[misc]
        """tufup's repository without its config file in the working folder: every setting is passed here."""

        def save_config(self) -> None:
            pass

        @classmethod
        def load_config(cls) -> dict[str, Any]:
            return {}

        def add_bundle(self, *args: Any, **kwargs: Any) -> Any:
            """tufup's add_bundle with the archive packed canonically (app.updates.archive): a laptop can
            rebuild the archive of its installed version, so even its first update is a patch."""
            import tufup.repo as tufup_repo  # noqa: PLC0415

            original = tufup_repo.make_gztar_archive
            tufup_repo.make_gztar_archive = _canonical_gztar_archive
            try:
                return super().add_bundle(*args, **kwargs)
            finally:
                tufup_repo.make_gztar_archive = original

    return Explicit(
        app_name=APP_NAME,
        repo_dir=repo_dir,
        keys_dir=keys_dir,
        expiration_days=dict(EXPIRATION_DAYS),
    )


def _canonical_gztar_archive(src_dir: Path, dst_dir: Path, app_name: str, version: str, **_: Any) -> Any:
    """tufup's make_gztar_archive, canonically packed (same arguments, same result type)."""
    from tufup.common import TargetMeta  # noqa: PLC0415

    from app.updates.archive import write_archive  # noqa: PLC0415

    path = Path(dst_dir) / TargetMeta.compose_filename(name=app_name, version=version, is_archive=True)
    write_archive(Path(src_dir), path)
    return TargetMeta(target_path=path)


def init_repository(repo_dir: Path, keys_dir: Path) -> Path:
    """Make the four keys and the first signed metadata; return the root.json the bundle must carry."""
    if (repo_dir / "metadata" / "root.json").exists():
        raise UpdatesError(f"{repo_dir} sudah berisi repositori pembaruan; tidak dibuat ulang.")
    repository = _repository(repo_dir, keys_dir)
    repository.initialize()
    return repo_dir / "metadata" / "root.json"


def _loaded(repo_dir: Path, keys_dir: Path) -> Any:
    if not (repo_dir / "metadata" / "root.json").is_file():
        raise UpdatesError(f"{repo_dir} bukan repositori pembaruan: jalankan dulu `loket-server updates init`.")
    if not keys_dir.is_dir():
        raise UpdatesError(f"Folder kunci {keys_dir} tidak ada: kunci ada di mesin luring Dinas.")
    repository = _repository(repo_dir, keys_dir)
    repository._load_keys_and_roles(create_keys=False)  # tufup's loader, without making keys
    return repository


def publish(
    repo_dir: Path, keys_dir: Path, bundle_dir: Path, version: str, *, security: bool = False, notes: str = ""
) -> list[str]:
    """Add a release (archive, and a patch from the newest release before it), sign; the new target names."""
    if not VERSION_PATTERN.match(version):
        raise UpdatesError(f"Versi {version!r} tidak sah: tulis seperti 0.2.0 (PEP 440).")
    if not bundle_dir.is_dir():
        raise UpdatesError(f"Folder bundel {bundle_dir} tidak ada (hasil `make dist`: dist/loket).")
    repository = _loaded(repo_dir, keys_dir)
    before = set(published_targets(repo_dir))
    archive = repo_dir / "targets" / f"{APP_NAME}-{version}.tar.gz"
    if archive.exists() or any(name.startswith(f"{APP_NAME}-{version}.") for name in before):
        raise UpdatesError(f"Versi {version} sudah diterbitkan; terbitkan nomor versi yang lebih baru.")
    latest = repository.roles.get_latest_archive()
    if latest is not None and latest.version >= _parse(version):
        raise UpdatesError(f"Versi {version} tidak lebih baru daripada rilis terakhir {latest.version}.")
    custom = {"security": security, "notes": notes}
    # A security release is `required` for tufup: an outpost behind takes it before any later one.
    repository.add_bundle(new_bundle_dir=bundle_dir, new_version=version, custom_metadata=custom, required=security)
    repository.publish_changes(private_key_dirs=[keys_dir])
    return sorted(set(published_targets(repo_dir)) - before)


def refresh(repo_dir: Path, keys_dir: Path, roles: tuple[str, ...] = ("targets", "snapshot", "timestamp")) -> None:
    """Re-sign the given roles with fresh expiry dates (before they expire on the outposts)."""
    repository = _loaded(repo_dir, keys_dir)
    for role in roles:
        repository.refresh_expiration_date(role)
    repository.publish_changes(private_key_dirs=[keys_dir])


def _parse(version: str) -> Any:
    from packaging.version import Version  # noqa: PLC0415

    return Version(version)


def published_targets(repo_dir: Path) -> dict[str, dict[str, Any]]:
    """The target files the signed targets metadata lists (name -> length, custom), read without verifying."""
    path = repo_dir / "metadata" / "targets.json"
    try:
        targets = json.loads(path.read_text(encoding="utf-8"))["signed"]["targets"]
    except (OSError, ValueError, KeyError):
        return {}
    return {name: {"length": info.get("length", 0), "custom": info.get("custom")} for name, info in targets.items()}


def published_versions(repo_dir: Path) -> list[str]:
    """The released versions (archives), oldest first."""
    names = [n for n in published_targets(repo_dir) if n.startswith(f"{APP_NAME}-") and n.endswith(".tar.gz")]
    versions = [n.removeprefix(f"{APP_NAME}-").removesuffix(".tar.gz") for n in names]
    return sorted(versions, key=_parse)


# -- the rollout policy (server) ---------------------------------------------------------------------------


def load_policy(updates_dir: Path) -> Policy:
    """The rollout policy; none written yet: nothing rolled out."""
    try:
        data = json.loads((updates_dir / POLICY_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Policy()
    except (OSError, ValueError):
        return Policy(paused=True)  # unreadable: take nothing rather than guess
    return Policy.from_json(data)


def save_policy(updates_dir: Path, policy: Policy) -> None:
    atomic_write(updates_dir / POLICY_FILE, json.dumps(policy.to_json(), indent=1, ensure_ascii=False).encode())


def rollout(
    updates_dir: Path,
    version: str,
    *,
    share: int | None = None,
    outposts: tuple[str, ...] = (),
    security: bool | None = None,
    notes: str | None = None,
) -> Policy:
    """Open (or widen) the rollout of a published version: a share of the outposts and named ones first."""
    if not any(version in published_versions(updates_dir / platform) for platform in PLATFORMS):
        raise UpdatesError(
            f"Versi {version} belum ada di {updates_dir}/linux atau /windows: salin dulu metadata/ dan targets/ "
            "repositori platform itu dari mesin luring."
        )
    if share is not None and not 0 <= share <= 100:
        raise UpdatesError("--share harus antara 0 dan 100 (persen pos pelayanan).")
    policy = load_policy(updates_dir)
    before = policy.releases.get(version, Release())
    release = Release(
        share=before.share if share is None else share,
        outposts=tuple(dict.fromkeys([*before.outposts, *outposts])),
        security=before.security if security is None else security,
        notes=before.notes if notes is None else notes,
    )
    policy = Policy(paused=policy.paused, releases={**policy.releases, version: release})
    save_policy(updates_dir, policy)
    return policy


def set_paused(updates_dir: Path, paused: bool) -> Policy:
    """Pause (or resume) every rollout: a paused outpost downloads nothing new; staged versions stay."""
    policy = load_policy(updates_dir)
    policy = Policy(paused=paused, releases=dict(policy.releases))
    save_policy(updates_dir, policy)
    return policy


# -- versions the outposts report (server) -----------------------------------------------------------------


@dataclass(frozen=True)
class VersionReport:
    """What one laptop said at its last check."""

    device_id: str
    outpost: str
    version: str
    staged: str  # a version downloaded and waiting for the next start ("" none)
    at: str  # ISO time (UTC)


def _safe_name(device_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9-]", "_", device_id)[:64]


def record_report(updates_dir: Path, device_id: str, outpost: str, version: str, staged: str = "") -> None:
    """Keep what a laptop reports (written only when it changed, or once an hour for the time)."""
    path = updates_dir / REPORTS_DIR / f"{_safe_name(device_id)}.json"
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    report = {"device_id": device_id, "outpost": outpost, "version": version[:40], "staged": staged[:40]}
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
        same = {k: old.get(k) for k in report} == report
        fresh = now - dt.datetime.fromisoformat(str(old.get("at"))) < dt.timedelta(hours=1)
        if same and fresh:
            return
    except (OSError, ValueError, TypeError):
        pass
    atomic_write(path, json.dumps({**report, "at": now.isoformat()}).encode("utf-8"))


def reports(updates_dir: Path | None) -> dict[str, VersionReport]:
    """Every laptop's last report, by device id (empty when updates are not served)."""
    found: dict[str, VersionReport] = {}
    folder = updates_dir / REPORTS_DIR if updates_dir else None
    if folder is None or not folder.is_dir():
        return found
    for path in folder.glob("*.json"):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            report = VersionReport(
                str(data["device_id"]), str(data["outpost"]), str(data["version"]), str(data["staged"]), str(data["at"])
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue
        found[report.device_id] = report
    return found


def served_dir() -> Path | None:
    """The updates folder this server process serves (`serve --updates`), or None."""
    value = os.environ.get(ENV_UPDATES)
    return Path(value) if value else None
