"""The catalogue versions an installation holds: the shipped one and every signed one the Dinas sent.

Each received version lives in its own folder, `<basedir>/reference/v000003/` (manifest.json,
manifest.sig, catalog/, forms/). A folder is written under a temporary name, every file fsynced,
loaded once as a test, then renamed into place: a crash or a bad bundle leaves the versions there
were. The newest (highest sequence) is the one new applications use; an application keeps the
version it was started with (`Application.catalog_version`), found here by its catalogue version.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from app.catalog import Catalog, load_catalog, read_catalog
from app.datafiles import DataFileError
from app.errors import KnownError
from app.fileio import fsync_dir
from app.forms import FormRegistry, default_registry
from app.reference.bundle import MANIFEST, SIGNATURE, BundleError, Manifest, SignedBundle
from app.resources import resources_dir

log = logging.getLogger("loket.reference")

_FOLDER = re.compile(r"^v(\d{6})$")


@dataclass(frozen=True)
class ReferenceData:
    """One catalogue version with its form schemas, loaded and checked."""

    version: str
    sequence: int  # 0: the one shipped with the program
    catalog: Catalog
    forms: FormRegistry
    folder: Path
    published_at: str = ""


@dataclass(frozen=True)
class _Entry:
    sequence: int
    version: str
    folder: Path
    published_at: str


def folder_name(sequence: int) -> str:
    """`v000003`: the folder of a received version."""
    return f"v{sequence:06d}"


def load_folder(folder: Path) -> tuple[Catalog, FormRegistry]:
    """Load and check one version's catalogue and forms; BundleError naming the file when it fails."""
    try:
        forms = FormRegistry(folder / "forms")
        return read_catalog(folder / "catalog", forms), forms
    except (DataFileError, OSError, KeyError, ValueError) as exc:
        raise BundleError(
            "Katalog layanan dari Dinas tidak dapat dimuat; katalog lama tetap dipakai.", str(exc)
        ) from exc


class ReferenceLibrary:
    """The versions kept in one folder, plus the shipped one."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.RLock()
        self._scanned: tuple[int, list[_Entry]] | None = None
        self._loaded: dict[int, ReferenceData] = {}

    # -- reading -------------------------------------------------------------------------------------
    def newest(self) -> ReferenceData:
        """The version new applications use: the received one with the highest sequence, else the shipped."""
        entries = self._entries()
        for entry in reversed(entries):
            data = self._load(entry)
            if data is not None:
                return data
        return self.shipped()

    def get(self, version: str) -> ReferenceData:
        """The version an application was started with ("" or unknown here: the shipped one / the newest)."""
        if not version:
            return self.shipped()
        for entry in reversed(self._entries()):
            if entry.version == version:
                data = self._load(entry)
                if data is not None:
                    return data
        shipped = self.shipped()
        if shipped.version == version:
            return shipped
        log.warning("catalogue version %s is not on this device; the newest is used to show it", version)
        return self.newest()

    def shipped(self) -> ReferenceData:
        """The catalogue and forms shipped with the program."""
        catalog = load_catalog()
        return ReferenceData(catalog.version, 0, catalog, default_registry(), resources_dir())

    def versions(self) -> list[tuple[int, str, str]]:
        """(sequence, catalogue version, published at) of every received version, oldest first."""
        return [(e.sequence, e.version, e.published_at) for e in self._entries()]

    def newest_sequence(self) -> int:
        """The sequence of the newest received version (0: none)."""
        entries = self._entries()
        return entries[-1].sequence if entries else 0

    # -- receiving -----------------------------------------------------------------------------------
    def install(self, bundle: SignedBundle) -> ReferenceData:
        """Write a verified bundle as its own version folder (temp → fsync → test-load → rename)."""
        manifest = bundle.manifest
        target = self.folder / folder_name(manifest.sequence)
        with self._lock:
            if not target.exists():
                self.folder.mkdir(parents=True, exist_ok=True)
                temporary = self.folder / f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp"
                shutil.rmtree(temporary, ignore_errors=True)
                try:
                    self._write(temporary, bundle)
                    load_folder(temporary)
                    try:
                        os.replace(temporary, target)
                    except OSError:
                        if not target.exists():  # another process renamed the same version a moment ago
                            raise
                    fsync_dir(self.folder)
                except OSError as exc:
                    raise KnownError(
                        "Katalog baru dari Dinas tidak dapat disimpan (disk penuh?); katalog lama tetap dipakai.",
                        exc.strerror or str(exc),
                    ) from exc
                finally:
                    shutil.rmtree(temporary, ignore_errors=True)
            self._scanned = None
            self._loaded.pop(manifest.sequence, None)
            for entry in self._entries():
                if entry.sequence == manifest.sequence:
                    data = self._load(entry)
                    if data is not None:
                        return data
        raise BundleError("Katalog dari Dinas tidak dapat dipasang; katalog lama tetap dipakai.")

    @staticmethod
    def _write(folder: Path, bundle: SignedBundle) -> None:
        files = {**bundle.files, MANIFEST: bundle.manifest.to_bytes(), SIGNATURE: bundle.signature.encode("ascii")}
        written: set[Path] = set()
        for name, data in files.items():
            path = folder.joinpath(*name.split("/"))
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            written.add(path.parent)
        for parent in sorted(written, key=lambda p: len(p.parts), reverse=True):
            fsync_dir(parent)
        fsync_dir(folder)

    # -- the folder ----------------------------------------------------------------------------------
    def _entries(self) -> list[_Entry]:
        """The complete, intact version folders, oldest first (re-read when the folder changes)."""
        try:
            stamp = self.folder.stat().st_mtime_ns
        except OSError:
            return []
        with self._lock:
            if self._scanned is not None and self._scanned[0] == stamp:
                return self._scanned[1]
            entries = []
            for child in sorted(self.folder.iterdir()):
                match = _FOLDER.match(child.name)
                if match is None or not child.is_dir():
                    continue
                entry = _intact(child, int(match.group(1)))
                if entry is not None:
                    entries.append(entry)
            self._scanned = (stamp, entries)
            return entries

    def _load(self, entry: _Entry) -> ReferenceData | None:
        with self._lock:
            data = self._loaded.get(entry.sequence)
            if data is None:
                try:
                    catalog, forms = load_folder(entry.folder)
                except BundleError as exc:
                    log.warning("catalogue version %s does not load: %s", entry.version, exc.detail)
                    return None
                data = ReferenceData(entry.version, entry.sequence, catalog, forms, entry.folder, entry.published_at)
                self._loaded[entry.sequence] = data
            return data


def _intact(folder: Path, sequence: int) -> _Entry | None:
    """A version folder whose manifest reads and whose files all match their hashes."""
    try:
        manifest = Manifest.parse((folder / MANIFEST).read_bytes())
        if manifest.sequence != sequence:
            raise BundleError("sequence does not match the folder")
        for name, digest in manifest.files.items():
            if hashlib.sha256(folder.joinpath(*name.split("/")).read_bytes()).hexdigest() != digest:
                raise BundleError("file changed", name)
    except (OSError, BundleError) as exc:
        log.warning("catalogue folder %s is damaged and not used: %s", folder.name, exc)
        return None
    return _Entry(sequence, manifest.catalog_version, folder, manifest.published_at)


_libraries: dict[Path, ReferenceLibrary] = {}
_libraries_lock = threading.Lock()


def library_at(folder: Path) -> ReferenceLibrary:
    """The one library of a folder in this process (the app and its sync share what was loaded)."""
    key = folder.absolute()
    with _libraries_lock:
        library = _libraries.get(key)
        if library is None:
            library = _libraries[key] = ReferenceLibrary(key)
        return library


_active: ReferenceLibrary | None = None


def activate(folder: Path) -> ReferenceLibrary:
    """Make the library of this installation's folder the one `newest_catalog` reads (the app, at start)."""
    global _active  # noqa: PLW0603 - one installation per process, like the one bound database
    library = library_at(folder)
    with _libraries_lock:
        _active = library
    return library


def newest_catalog() -> Catalog:
    """The catalogue new applications use: the active library's newest, else the shipped one."""
    with _libraries_lock:
        library = _active
    return library.newest().catalog if library is not None else load_catalog()
