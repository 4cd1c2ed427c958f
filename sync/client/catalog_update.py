"""Catalogue and form-schema versions from the Dinas: download, verify the signature, keep, switch.

The server announces its newest published version (`GET /v1/reference`, `sequence` > 0); when it is
newer than every version this device holds, the bundle is downloaded, checked against the announced
SHA-256 and size (a cut download is fetched again), its signature checked with the Dinas reference
key learnt at enrolment, and installed as its own folder (app/reference/library.py: temp, fsync,
test-load, rename). A bundle that fails any check is refused and the previous version stays in use.
New applications then start on it; drafts, queued and returned applications keep their own.

The officer is told "Katalog diperbarui: versi …" and what changed, from the Setting `sync.reference`
(`notice`), which also holds the reference key (`public_key`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any

from app.reference import BundleError, ReferenceData, describe_changes, library_at
from app.reference.bundle import open_signed
from app.reference.signing import ReferenceKeyError, decode_key
from app.store import settings
from app.store.store import Store
from sync.client.errors import CatalogRefusedError, CatalogUpdateError
from sync.client.transport import Transport
from sync.protocol import DeviceInfo, ReferenceInfo

log = logging.getLogger("loket.sync")
SETTING = "sync.reference"


@dataclass(frozen=True)
class CatalogUpdate:
    """A version installed by this run, and what it changed in words."""

    version: str
    sequence: int
    changes: list[str] = field(default_factory=list)

    def headline(self) -> str:
        """The line the officer reads first: "Katalog diperbarui: versi …"."""
        return f"Katalog diperbarui: versi {self.version}."


def remember_key(public_key: str) -> None:
    """Record the Dinas reference key (from the enrolment answer); an empty one changes nothing."""
    if public_key:
        stored: dict[str, Any] = settings.get(SETTING)
        settings.put(SETTING, {**stored, "public_key": public_key})


def needs_update(store: Store, info: ReferenceInfo) -> bool:
    """Whether the server publishes a signed version newer than every one this device holds."""
    return info.sequence > 0 and info.sequence > library_at(store.paths.reference).newest_sequence()


def reference_key(transport: Transport) -> bytes:
    """The Dinas reference key: the one learnt at enrolment; a device enrolled before keys existed learns
    it once from `GET /v1/device` (authenticated, over the pinned connection) and keeps it."""
    stored: dict[str, Any] = settings.get(SETTING)
    key = str(stored.get("public_key") or "")
    if not key:
        key = transport.get("/v1/device", DeviceInfo).reference_key
        remember_key(key)
    if not key:
        raise CatalogRefusedError("Dinas belum memberi kunci referensi; katalog lama tetap dipakai.")
    try:
        return decode_key(key)
    except ReferenceKeyError as exc:
        raise CatalogRefusedError(exc.message) from exc


def update_reference(store: Store, transport: Transport, info: ReferenceInfo) -> CatalogUpdate:
    """Download, verify and install the announced version; record the notice for the officer."""
    key = reference_key(transport)
    data = transport.get_bytes("/v1/reference/bundle", info.bundle_size)
    if hashlib.sha256(data).hexdigest() != info.bundle_sha256 or len(data) != info.bundle_size:
        raise CatalogUpdateError("Unduhan katalog layanan rusak atau terpotong; akan diunduh ulang.")
    library = library_at(store.paths.reference)
    previous = library.newest()
    try:
        signed = open_signed(data, key)
        if signed.manifest.sequence != info.sequence or signed.manifest.catalog_version != info.catalog_version:
            raise BundleError("Katalog dari Dinas tidak sesuai pengumumannya; katalog lama tetap dipakai.")
        installed = library.install(signed)
    except BundleError as exc:
        log.warning("catalogue version %s refused: %s", info.catalog_version, exc)
        raise CatalogRefusedError(exc.message, exc.detail) from exc
    return record_update(previous, installed)


def record_update(previous: ReferenceData, installed: ReferenceData) -> CatalogUpdate:
    """What an installed version changed, kept as the notice the officer is shown once (Setting)."""
    update = CatalogUpdate(
        installed.version,
        installed.sequence,
        describe_changes(previous.catalog, previous.forms, installed.catalog, installed.forms),
    )
    stored: dict[str, Any] = settings.get(SETTING)
    settings.put(
        SETTING,
        {
            **stored,
            "catalog_version": update.version,
            "sequence": update.sequence,
            "notice": {
                "version": update.version,
                "sequence": update.sequence,
                "previous": previous.version,
                "changes": update.changes,
                "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            },
        },
    )
    log.info("catalogue %s (sequence %d) installed from the Dinas", update.version, update.sequence)
    return update


def unseen_notice() -> dict[str, Any] | None:
    """The last update's notice while the officer has not dismissed it."""
    stored: dict[str, Any] = settings.get(SETTING)
    notice = stored.get("notice")
    if isinstance(notice, dict) and not notice.get("seen"):
        return notice
    return None


def mark_notice_seen() -> None:
    """The officer read the notice."""
    stored: dict[str, Any] = settings.get(SETTING)
    notice = stored.get("notice")
    if isinstance(notice, dict):
        settings.put(SETTING, {**stored, "notice": {**notice, "seen": True}})
