"""Check, download and stage a Loket update: TUF-verified (tufup's client), patch or full archive.

    updater = Updater(home, base_url, current="0.2.0", session=session, backoff=backoff, outpost="3521012001")
    offer = updater.check(policy)      # None: nothing for this outpost now
    updater.download(offer)            # resumable; every file verified against the signed metadata
    updater.stage(offer)               # patched/unpacked into versions/<v>; state.pending = v

Nothing here touches the running program: the next start gives the staged version its trial
(app.updates.launch). Every failure is an UpdateError with the officer's message; the laptop keeps
the version it runs.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import sys
import tarfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from tuf.api import exceptions as tuf_errors
from tufup.client import SUFFIX_FAILED
from tufup.client import Client as TufupClient
from tufup.common import Patcher, TargetMeta

from app.updates import errors
from app.updates.archive import write_archive
from app.updates.download import (
    Backoff,
    Bucket,
    Downloader,
    LinkError,
    MetadataFetcher,
    StoppedError,
    TooLongError,
    WriteError,
)
from app.updates.policy import Policy
from app.updates.state import APP_NAME, UpdateHome

log = logging.getLogger("loket.updates")
PLATFORM = "windows" if sys.platform == "win32" else "linux"
"""Each platform's bundle is its own release line: the server serves /updates/<platform>/… ."""
METADATA_PATH = f"/updates/{PLATFORM}/metadata/"
TARGETS_PATH = f"/updates/{PLATFORM}/targets/"
ROOT_RESOURCE = ("updates", "root.json")


@dataclass(frozen=True)
class Offer:
    """An update this outpost may take: what it costs to download and what it is."""

    version: str
    download_bytes: int  # the patches' or the full archive's size
    full_bytes: int  # the full archive's size (what a patch spares)
    patch: bool
    security: bool
    notes: str
    files: tuple[str, ...]  # the target files to download, in order


class _Client(TufupClient):  # type: ignore[misc]
    """tufup's client, refreshed once on purpose (its own check swallows some verification errors)."""

    refreshed = False
    ceiling: Any = None  # the newest version this outpost may take (packaging Version); None: no limit

    def refresh(self) -> None:
        if not self.refreshed:
            super().refresh()
            self.refreshed = True

    @property
    def trusted_target_metas(self) -> list[TargetMeta]:
        """tufup's targets up to the ceiling: a newer release not rolled out here is not seen."""
        metas: list[TargetMeta] = super().trusted_target_metas
        if self.ceiling is None:
            return metas
        return [meta for meta in metas if meta.version is not None and meta.version <= self.ceiling]


def extract_archive(archive: Path, folder: Path) -> None:
    """Unpack a release archive (tar.gz) into a folder, refusing members that would leave it."""
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(folder, filter="data")


def bundled_root() -> Path | None:
    """The Dinas' root.json shipped with the installed bundle (installers/loket.spec), if any."""
    from app.resources import resource_path  # noqa: PLC0415

    try:
        path = Path(resource_path(*ROOT_RESOURCE))
    except (FileNotFoundError, KeyError, OSError):
        return None
    return path if path.is_file() else None


class Updater:
    """One laptop's update client over one session to the Dinas server."""

    def __init__(
        self,
        home: UpdateHome,
        base_url: str,
        current: str,
        *,
        session: requests.Session,
        backoff: Backoff,
        outpost: str,
        root_json: Path | None = None,
        bucket: Bucket | None = None,
        sleep: Callable[[float], None] = time.sleep,
        extract: Callable[[Path, Path], None] = extract_archive,
        disk_free: Callable[[Path], int] = lambda path: shutil.disk_usage(path).free,
        on_progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        max_failures: int = 6,
        installed: Path | None = None,
    ) -> None:
        """`installed`: the installed bundle of the running version (default: the frozen program's folder),
        from which the archive a first patch applies to is rebuilt (app.updates.archive)."""
        self.home = home
        self.installed = installed if installed is not None else installed_bundle()
        self.base_url = base_url.rstrip("/")
        self.current = current
        self.session = session
        self.outpost = outpost
        self.root_json = root_json
        self.extract = extract
        self.disk_free = disk_free
        self.downloader = Downloader(
            session,
            backoff,
            bucket=bucket,
            sleep=sleep,
            on_progress=on_progress,
            cancelled=cancelled,
            max_failures=max_failures,
        )
        self.backoff = backoff
        self.sleep = sleep
        self.max_failures = max_failures
        self._client: _Client | None = None
        self._infos: dict[str, Any] = {}

    # -- check -----------------------------------------------------------------------------------------
    def _open_client(self) -> _Client:
        self.home.ensure()
        root = self.home.metadata / "root.json"
        if not root.is_file():
            source = self.root_json or bundled_root()
            if source is None:
                raise errors.not_configured()
            shutil.copyfile(source, root)
        client = _Client(
            app_name=APP_NAME,
            app_install_dir=self.home.versions,
            current_version=self.current,
            metadata_dir=self.home.metadata,
            metadata_base_url=self.base_url + METADATA_PATH,
            target_dir=self.home.targets,
            target_base_url=self.base_url + TARGETS_PATH,
            extract_dir=None,
        )
        client._fetcher = MetadataFetcher(self.session)
        return client

    def refresh(self) -> _Client:
        """Fetch and verify the TUF metadata (root, timestamp, snapshot, targets) once."""
        if self._client is not None:
            return self._client
        failures = 0
        while True:
            try:
                client = self._refreshed_client()
                break
            except errors.UpdateError as exc:
                failures += 1
                if exc.kind != "link" or failures > self.max_failures:
                    raise
                self.sleep(self.backoff.delay(failures))  # a cut link: the sync's backoff, then a fresh client
        self._client = client
        return client

    def _refreshed_client(self) -> _Client:
        try:
            client = self._open_client()
            client.refresh()
        except errors.UpdateError:
            raise
        except tuf_errors.ExpiredMetadataError as exc:
            raise errors.expired(self.current, str(exc)) from exc
        except tuf_errors.BadVersionNumberError as exc:
            raise errors.rolled_back(self.current, str(exc)) from exc
        except (tuf_errors.RepositoryError, ValueError) as exc:  # signatures, hashes, lengths, malformed JSON
            raise errors.unsigned(self.current, f"{type(exc).__name__}: {exc}") from exc
        except tuf_errors.DownloadError as exc:
            raise errors.link_failed(self.current, f"{type(exc).__name__}: {exc}") from exc
        except OSError as exc:
            raise _write_error(exc, self.current, "", 0) from exc
        return client

    def check(self, policy: Policy) -> Offer | None:
        """The newest signed release this outpost may take now (its patches when smaller), or None."""
        client = self.refresh()
        state = self.home.load()
        if state.pending:
            return None  # one staged version at a time: it gets its trial at the next start
        current = TargetMeta(name=APP_NAME, version=self.current).version
        allowed = [
            meta.version
            for meta in TufupClient.trusted_target_metas.fget(client)
            if meta.is_archive
            and meta.name == APP_NAME
            and meta.version is not None
            and (current is None or meta.version > current)
            and str(meta.version) not in state.failed
            and policy.allows(str(meta.version), self.outpost)
        ]
        if not allowed:
            return None
        client.ceiling = max(allowed)  # newer releases not rolled out here stay out of tufup's choice
        self._seed_current_archive()
        newest = client.check_for_updates(pre=None, patch=True)
        if newest is None:
            return None
        version = str(newest.version)
        if version in state.failed or not policy.allows(version, self.outpost):
            return None  # tufup chose a required (security) release that is not rolled out here yet
        targets: dict[TargetMeta, Any] = client.new_targets or {}
        files = tuple(info.path for _, info in sorted(targets.items(), key=lambda item: item[0]))
        self._infos = {info.path: info for info in targets.values()}
        release = policy.releases[version]
        archive_info = client.new_archive_info
        user: dict[str, Any] = newest.custom or {}
        return Offer(
            version=version,
            download_bytes=sum(info.length for info in targets.values()),
            full_bytes=archive_info.length if archive_info is not None else 0,
            patch=all(meta.is_patch for meta in targets),
            security=release.security or user.get("security") is True,
            notes=release.notes or str(user.get("notes", "")),
            files=files,
        )

    def _seed_current_archive(self) -> None:
        """Rebuild the running version's archive from its installed bundle, once, so that a patch applies."""
        archive = self.home.targets / TargetMeta.compose_filename(APP_NAME, self.current, is_archive=True)
        if archive.exists() or self.installed is None or not self.installed.is_dir():
            return
        seeded = archive.with_name(archive.name + ".seeded")
        if seeded.exists():
            return  # a seed already failed its patch: the full archive is taken (see _patch)
        try:
            write_archive(self.installed, archive, level=1)  # only the tar inside counts for a patch
            seeded.touch()
        except OSError as exc:
            archive.unlink(missing_ok=True)
            log.warning("the installed bundle could not be packed for patching: %s", exc)

    # -- download --------------------------------------------------------------------------------------
    def download(self, offer: Offer) -> None:
        """Download the offer's files (resuming partial ones) and keep those that match the signed metadata."""
        client = self.refresh()
        for name in offer.files:
            info = self._infos[name]
            if client.find_cached_target(info):
                continue
            partial = self.home.partial / name
            try:
                self.downloader.fetch(f"{self.base_url}{TARGETS_PATH}{name}", partial, info.length)
            except LinkError as exc:
                raise errors.link_failed(self.current, str(exc)) from exc
            except StoppedError as exc:
                raise errors.download_paused(self.current, offer.version, str(exc)) from exc
            except TooLongError as exc:
                raise errors.bad_target(self.current, name, str(exc)) from exc
            except WriteError as exc:
                raise _write_error(exc.cause, self.current, offer.version, info.length) from exc
            try:
                with partial.open("rb") as handle:
                    info.verify_length_and_hashes(handle)
            except tuf_errors.LengthOrHashMismatchError as exc:
                partial.unlink(missing_ok=True)
                raise errors.bad_target(self.current, name, str(exc)) from exc
            os.replace(partial, self.home.targets / name)

    # -- stage -----------------------------------------------------------------------------------------
    def stage(self, offer: Offer) -> Path:
        """Build the new archive (patching the current one) and unpack it into versions/<v>; mark it pending."""
        archive = self.home.targets / TargetMeta.compose_filename(APP_NAME, offer.version, is_archive=True)
        try:
            if offer.patch:
                self._patch(offer, archive)
            needed = _unpacked_size(archive)
            if self.disk_free(self.home.root) < needed:
                raise errors.disk_full(self.current, offer.version, needed, "before unpacking")
            staging = self.home.staging_dir(offer.version)
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir(parents=True)
            self.extract(archive, staging)
            if hasattr(os, "sync"):
                os.sync()  # the unpacked files reach the disk before the rename makes them a version
            final = self.home.version_dir(offer.version)
            shutil.rmtree(final, ignore_errors=True)
            os.replace(staging, final)
        except OSError as exc:
            shutil.rmtree(self.home.staging_dir(offer.version), ignore_errors=True)
            raise _write_error(exc, self.current, offer.version, offer.full_bytes * 3) from exc
        state = self.home.load()
        state.pending = offer.version
        state.attempts = 0
        state.security = offer.security
        self.home.save(state)
        return final

    def _patch(self, offer: Offer, archive: Path) -> None:
        """Rebuild the new archive from the running version's archive and the patches; check the signed hash."""
        source = self.home.targets / TargetMeta.compose_filename(APP_NAME, self.current, is_archive=True)
        patches = {
            TargetMeta(target_path=name, custom=self._infos[name].custom): (self.home.targets / name)
            for name in offer.files
        }
        temporary = archive.with_name(f".{archive.name}.tmp")
        try:
            Patcher.patch_and_verify(src_path=source, dst_path=temporary, patch_targets=patches)
        except OSError:
            temporary.unlink(missing_ok=True)
            raise
        except Exception as exc:  # tufup raises a bare Exception for a size or hash mismatch
            temporary.unlink(missing_ok=True)
            for path in patches.values():  # tufup's mark: the next check takes the full archive
                path.replace(path.with_name(path.name + SUFFIX_FAILED))
            if source.with_name(source.name + ".seeded").exists():
                source.unlink(missing_ok=True)  # the rebuilt archive differs from the release: not used again
            raise errors.bad_patch(self.current, offer.version, str(exc)) from exc
        os.replace(temporary, archive)


def installed_bundle() -> Path | None:
    """The folder of the running frozen bundle (None when Loket runs from a checkout)."""
    return Path(sys.executable).resolve().parent if getattr(sys, "frozen", False) else None


def _unpacked_size(archive: Path) -> int:
    """The bytes an archive unpacks to (its members' sizes), read without unpacking."""
    total = 0
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar:
            total += member.size
    return total


def _write_error(exc: OSError, current: str, version: str, needed: int) -> errors.UpdateError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return errors.disk_full(current, version or "baru", needed, str(exc))
    return errors.write_failed(current, f"{type(exc).__name__}: {exc}")
