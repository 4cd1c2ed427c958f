"""The reference data the server validates against (catalogue + form schemas) and its download bundle."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from app.catalog import Catalog, read_catalog
from app.forms import FormRegistry
from app.resources import resources_dir

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
