"""The reference data the server validates against (catalogue + form schemas) and its download bundle.

`Reference` is one version: the server's own folder (`serve --reference`, default the shipped
resources; unsigned, sequence 0) or one published with `loket-server reference publish` (signed,
kept in the database for good). `ReferenceShelf` holds them all: each package is validated against
the version it names (`catalog_version`), and outposts download the newest published one.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

from app.catalog import Catalog, read_catalog
from app.forms import FormRegistry
from app.reference.bundle import open_signed
from app.reference.library import ReferenceLibrary
from app.resources import resources_dir

log = logging.getLogger("loket.sync.server")

BUNDLE_FOLDERS = ("catalog", "forms")
_EPOCH = (2020, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Reference:
    """One version of the catalogue and form schemas, and the zip an outpost downloads to get it."""

    root: Path
    forms: FormRegistry
    catalog: Catalog
    bundle: bytes
    bundle_sha256: str
    sequence: int = 0  # 0: the server's own unsigned folder; else the published version's number
    published_at: str = ""

    @classmethod
    def load(cls, root: Path | None = None) -> Reference:
        """Load `root` (a folder with catalog/ and forms/; default: the shipped resources)."""
        base = root or resources_dir()
        forms = FormRegistry(base / "forms")
        catalog = read_catalog(base / "catalog", forms)
        bundle = build_bundle(base)
        return cls(base, forms, catalog, bundle, hashlib.sha256(bundle).hexdigest())

    @property
    def form_keys(self) -> list[str]:
        """Every form schema version, sorted."""
        return sorted(schema.key for schema in self.forms)

    def for_version(self, version: str) -> Reference:
        """The version a package names: a single reference is every version."""
        return self


class ReferenceShelf:
    """Every version the server validates against: its own (`base`) and each published one.

    Published versions are read from the database on demand (another server process may have
    published one a moment ago) and unpacked once below `folder`.
    """

    def __init__(self, base: Reference, folder: Path) -> None:
        self.base = base
        self.library = ReferenceLibrary(folder)
        self._lock = threading.Lock()
        self._loaded: dict[int, Reference] = {}

    def newest(self) -> Reference:
        """The version outposts should use for new applications: the newest published, else the base."""
        from sync.server.models import ReferenceVersion  # noqa: PLC0415 - the models need a bound database

        row = ReferenceVersion.select(ReferenceVersion.sequence).order_by(ReferenceVersion.sequence.desc()).first()
        return self.base if row is None else self._published(row.sequence)

    def for_version(self, version: str) -> Reference:
        """The version a package was filled with ("" and the base's own: the base; unknown: the newest)."""
        from sync.server.models import ReferenceVersion  # noqa: PLC0415

        if not version or version == self.base.catalog.version:
            return self.base
        row = ReferenceVersion.get_or_none(ReferenceVersion.catalog_version == version)
        if row is None:
            log.warning("a package names catalogue version %s, which was never published here", version)
            return self.newest()
        return self._published(row.sequence)

    def _published(self, sequence: int) -> Reference:
        from sync.server.models import ReferenceVersion  # noqa: PLC0415

        with self._lock:
            found = self._loaded.get(sequence)
            if found is not None:
                return found
            row = ReferenceVersion.get(ReferenceVersion.sequence == sequence)
            bundle = bytes(row.bundle)
            signed = open_signed(bundle, base64.b64decode(row.public_key))
            data = self.library.install(signed)
            found = Reference(
                data.folder,
                data.forms,
                data.catalog,
                bundle,
                hashlib.sha256(bundle).hexdigest(),
                sequence,
                signed.manifest.published_at,
            )
            self._loaded[sequence] = found
            return found


def build_bundle(base: Path) -> bytes:
    """A deterministic zip of catalog/ and forms/ (sorted entries, fixed timestamps): same data, same hash."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for folder in BUNDLE_FOLDERS:
            for path in sorted((base / folder).rglob("*.yaml")):
                info = zipfile.ZipInfo(path.relative_to(base).as_posix(), date_time=_EPOCH)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def published_key() -> str:
    """The reference key of the newest published version (base64), "" before the first one: the key an
    outpost learns when it enrols."""
    from sync.server.models import ReferenceVersion  # noqa: PLC0415 - the models need a bound database

    row = ReferenceVersion.select(ReferenceVersion.public_key).order_by(ReferenceVersion.sequence.desc()).first()
    return str(row.public_key) if row is not None else ""
