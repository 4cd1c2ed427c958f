"""The signed reference bundle: one catalogue version and its form schemas, as the Dinas publishes it.

A bundle is a zip with `catalog/catalog.yaml`, `catalog/services/*.yaml`, `forms/*.yaml`, and

- `manifest.json`: `{"format": 1, "sequence": 3, "catalog_version": "2027.01-1", "published_at": ISO,
  "key_id": "…", "forms": ["F-1.01@…", …], "files": {"catalog/catalog.yaml": "<sha256>", …}}`
  (canonical JSON: sorted keys, no spaces);
- `manifest.sig`: the base64 Ed25519 signature of manifest.json's bytes with the Dinas reference key.

The signature covers the manifest and the manifest names the SHA-256 of every data file, so one
check covers the whole bundle; a file not named, a hash that differs, or a path outside catalog/
and forms/ is refused. docs/data-formats.md §8 describes the format.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from app.errors import KnownError
from app.reference import signing

FORMAT = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
DATA_ROOTS = ("catalog", "forms")
MAX_FILES = 500
MAX_UNPACKED = 32 * 2**20
_EPOCH = (2020, 1, 1, 0, 0, 0)
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


class BundleError(KnownError):
    """A reference bundle that is damaged, tampered with, or not signed by the Dinas key."""


@dataclass(frozen=True)
class Manifest:
    """What a bundle says about itself (signed)."""

    sequence: int
    catalog_version: str
    published_at: str
    key_id: str
    forms: tuple[str, ...]
    files: dict[str, str]

    def to_bytes(self) -> bytes:
        """The canonical manifest.json bytes the signature covers."""
        return canonical(
            {
                "format": FORMAT,
                "sequence": self.sequence,
                "catalog_version": self.catalog_version,
                "published_at": self.published_at,
                "key_id": self.key_id,
                "forms": list(self.forms),
                "files": self.files,
            }
        )

    @classmethod
    def parse(cls, raw: bytes) -> Manifest:
        """Read manifest.json; BundleError when a field is missing or of the wrong kind."""
        try:
            data: Any = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise ValueError("unknown manifest format")
            sequence, version = data["sequence"], data["catalog_version"]
            files, forms = data["files"], data["forms"]
            if not isinstance(sequence, int) or isinstance(sequence, bool) or sequence < 1:
                raise ValueError("sequence")
            if not isinstance(version, str) or not _VERSION.match(version):
                raise ValueError("catalog_version")
            if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
                raise ValueError("files")
            if not isinstance(forms, list) or not all(isinstance(f, str) for f in forms):
                raise ValueError("forms")
            return cls(sequence, version, str(data["published_at"]), str(data["key_id"]), tuple(forms), dict(files))
        except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
            raise BundleError("Daftar isi katalog dari Dinas tidak terbaca.", str(exc)) from None


@dataclass(frozen=True)
class SignedBundle:
    """A bundle whose signature and file hashes were checked: its manifest and data files."""

    manifest: Manifest
    signature: str
    files: dict[str, bytes]


def canonical(value: object) -> bytes:
    """Sorted-key, space-free JSON (what the signature is computed over)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def data_files(folder: Path) -> dict[str, bytes]:
    """The catalogue and form files of a folder (catalog/ and forms/), by bundle path."""
    found: dict[str, bytes] = {}
    for root in DATA_ROOTS:
        for path in sorted((folder / root).rglob("*.yaml")):
            found[path.relative_to(folder).as_posix()] = path.read_bytes()
    return found


def build(
    files: dict[str, bytes],
    *,
    sequence: int,
    catalog_version: str,
    forms: list[str],
    private_key: bytes,
    published_at: dt.datetime | None = None,
) -> bytes:
    """A signed bundle of `files` (bundle path → bytes); deterministic for the same inputs."""
    if not _VERSION.match(catalog_version):
        raise BundleError(f"Versi katalog {catalog_version!r} tidak sah (huruf, angka, titik, garis; ≤ 40).")
    moment = (published_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    manifest = Manifest(
        sequence=sequence,
        catalog_version=catalog_version,
        published_at=moment.isoformat(),
        key_id=signing.key_id(signing.public_key_of(private_key)),
        forms=tuple(sorted(forms)),
        files={name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
    )
    raw = manifest.to_bytes()
    entries = {**files, MANIFEST: raw, SIGNATURE: signing.sign(private_key, raw).encode("ascii")}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name])
    return buffer.getvalue()


def open_signed(data: bytes, public_key: bytes) -> SignedBundle:
    """Check a bundle's signature and every file's hash; BundleError (previous version stays) otherwise."""
    entries = _read_zip(data)
    raw, signature = entries.pop(MANIFEST, None), entries.pop(SIGNATURE, None)
    if raw is None or signature is None:
        raise BundleError("Katalog dari Dinas tidak bertanda tangan; katalog lama tetap dipakai.")
    if not signing.verify(public_key, raw, signature.decode("ascii", "replace")):
        raise BundleError(
            "Tanda tangan katalog dari Dinas tidak sah; katalog lama tetap dipakai. Hubungi TI Dinas.",
            f"key {signing.key_id(public_key)}",
        )
    manifest = Manifest.parse(raw)
    if set(entries) != set(manifest.files):
        raise BundleError("Isi katalog dari Dinas tidak sesuai daftar isinya; katalog lama tetap dipakai.")
    for name, content in entries.items():
        if hashlib.sha256(content).hexdigest() != manifest.files[name]:
            raise BundleError("Berkas katalog dari Dinas rusak atau diubah; katalog lama tetap dipakai.", name)
    return SignedBundle(manifest, signature.decode("ascii"), entries)


def _read_zip(data: bytes) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise BundleError("Berkas katalog dari Dinas tidak terbaca.", str(exc)) from None
    entries: dict[str, bytes] = {}
    total = 0
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > MAX_FILES:
            raise BundleError("Berkas katalog dari Dinas memuat terlalu banyak berkas.")
        for info in infos:
            name = PurePosixPath(info.filename)
            top_level = info.filename in (MANIFEST, SIGNATURE)
            if not top_level and (
                name.is_absolute() or ".." in name.parts or name.parts[0] not in DATA_ROOTS or name.suffix != ".yaml"
            ):
                raise BundleError("Berkas katalog dari Dinas memuat isi yang tidak diharapkan.", info.filename)
            if info.filename in entries:
                raise BundleError("Berkas katalog dari Dinas memuat berkas yang sama dua kali.", info.filename)
            total += info.file_size
            if total > MAX_UNPACKED:
                raise BundleError("Berkas katalog dari Dinas terlalu besar.")
            try:
                entries[info.filename] = archive.read(info)
            except (zipfile.BadZipFile, OSError, ValueError) as exc:  # a CRC error: damaged in transit
                raise BundleError("Berkas katalog dari Dinas rusak.", str(exc)) from None
    return entries
