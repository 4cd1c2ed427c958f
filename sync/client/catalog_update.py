"""Catalogue and form-schema updates from the Dinas: download, verify, check that it loads, then switch.

The bundle is unpacked to `<basedir>/reference/<sha256 prefix>/` (catalog/ and forms/) through a
temporary folder and a rename; the Setting `sync.reference` names the folder only after the new
catalogue has loaded cleanly, so a cut download or a bad bundle leaves the previous one in use.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import shutil
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from app.catalog import load_catalog, read_catalog
from app.datafiles import DataFileError
from app.forms import FormRegistry, default_registry
from app.store import settings
from app.store.store import Store
from sync.client.errors import CatalogUpdateError
from sync.client.transport import Transport
from sync.protocol import ReferenceInfo

log = logging.getLogger("loket.sync")
SETTING = "sync.reference"
ALLOWED_ROOTS = ("catalog", "forms")


def current_reference() -> dict[str, Any]:
    """The reference in use: the last downloaded one, else the shipped one."""
    stored: dict[str, Any] = settings.get(SETTING)
    if stored.get("bundle_sha256"):
        return stored
    return {
        "catalog_version": load_catalog().version,
        "forms": sorted(schema.key for schema in default_registry()),
        "bundle_sha256": "",
        "folder": "",
    }


def needs_update(info: ReferenceInfo) -> bool:
    """Whether the server validates against another catalogue or other form versions than this device has."""
    current = current_reference()
    if current.get("bundle_sha256"):
        return bool(current["bundle_sha256"] != info.bundle_sha256)
    return bool(current["catalog_version"] != info.catalog_version or current["forms"] != sorted(info.forms))


def update_reference(store: Store, transport: Transport, info: ReferenceInfo) -> Path:
    """Download, verify, unpack and test-load the server's bundle; record it as the reference in use."""
    data = transport.get_bytes("/v1/reference/bundle", info.bundle_size)
    if hashlib.sha256(data).hexdigest() != info.bundle_sha256 or len(data) != info.bundle_size:
        raise CatalogUpdateError("Unduhan katalog layanan rusak atau terpotong; akan diunduh ulang.")
    root = store.paths.base / "reference"
    target = root / info.bundle_sha256[:16]
    if not target.exists():
        temporary = root / f".{info.bundle_sha256[:16]}.{os.getpid()}.tmp"
        shutil.rmtree(temporary, ignore_errors=True)
        try:
            _unpack(data, temporary)
            _check_loads(temporary)
            os.replace(temporary, target)
        finally:
            shutil.rmtree(temporary, ignore_errors=True)
    settings.put(
        SETTING,
        {
            "catalog_version": info.catalog_version,
            "forms": sorted(info.forms),
            "bundle_sha256": info.bundle_sha256,
            "folder": str(target),
        },
    )
    log.info("catalogue %s downloaded from the Dinas", info.catalog_version)
    return target


def _unpack(data: bytes, folder: Path) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise CatalogUpdateError("Berkas katalog dari Dinas tidak terbaca.", str(exc)) from exc
    with archive:
        for entry in archive.infolist():
            name = PurePosixPath(entry.filename)
            if entry.is_dir():
                continue
            if name.is_absolute() or ".." in name.parts or name.parts[0] not in ALLOWED_ROOTS or name.suffix != ".yaml":
                raise CatalogUpdateError("Berkas katalog dari Dinas memuat isi yang tidak diharapkan.", entry.filename)
            path = folder.joinpath(*name.parts)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(archive.read(entry))


def _check_loads(folder: Path) -> None:
    try:
        read_catalog(folder / "catalog", FormRegistry(folder / "forms"))
    except (DataFileError, OSError, KeyError, ValueError) as exc:
        raise CatalogUpdateError(
            "Katalog layanan dari Dinas tidak dapat dimuat; katalog lama tetap dipakai.", str(exc)
        ) from exc
