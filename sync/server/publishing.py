"""Publishing catalogue versions: the Dinas reference key and `loket-server reference publish DIR`.

The reference key (Ed25519) signs every published version. Its private half is a file kept outside
the database, like the server key (sync/server/keys.py): `LOKET_REFERENCE_KEY_FILE`, else
`loket-reference.key` beside the document folder. Only the machine that publishes needs it; the
public half is stored with each version and given to outposts when they enrol.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import stat
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

import peewee

from app.errors import KnownError
from app.reference import bundle, signing
from app.reference.library import load_folder
from sync.server import audit
from sync.server.db import in_transaction
from sync.server.models import ReferenceVersion
from sync.server.reference import Reference
from sync.server.secretfile import create_secret

ENV_KEY_FILE = "LOKET_REFERENCE_KEY_FILE"
KEY_FILE_NAME = "loket-reference.key"


class PublishError(KnownError):
    """A version that cannot be published (message for Dinas IT)."""


@dataclass(frozen=True)
class Published:
    """One published version, as the commands print it."""

    sequence: int
    catalog_version: str
    bundle_sha256: str
    bundle_size: int
    key_id: str
    published_at: str
    published_by: str
    forms: list[str]
    services: int
    new: bool = True

    def to_dict(self) -> dict[str, object]:
        """JSON form (`--json`)."""
        return asdict(self)


def key_file_for(storage_dir: Path) -> Path:
    """Where the reference key is: `LOKET_REFERENCE_KEY_FILE`, else beside the document folder."""
    named = os.environ.get(ENV_KEY_FILE)
    return Path(named) if named else storage_dir.absolute().parent / KEY_FILE_NAME


def keygen(path: Path) -> str:
    """Make a new reference key file (mode 0600); refuse to replace one. Return the public key (base64)."""
    private = signing.new_private_key()
    text = (
        "# Kunci referensi Dinas (Ed25519): menandatangani katalog layanan untuk pos pelayanan.\n"
        "# Simpan terpisah dari basis data; hilang = pos pelayanan harus didaftarkan ulang untuk kunci baru.\n"
        + signing.encode_key(private)
        + "\n"
    )
    if not create_secret(path, text.encode("ascii")):
        raise PublishError(
            f"Berkas kunci referensi {path} sudah ada; kunci lama tidak ditimpa (pos pelayanan mengenal kunci itu)."
        )
    return signing.encode_key(signing.public_key_of(private))


def load_private_key(path: Path) -> bytes:
    """The private reference key from its file."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        lines = [line.strip() for line in path.read_text(encoding="ascii").splitlines()]
    except (OSError, UnicodeDecodeError):
        raise PublishError(
            f"Berkas kunci referensi {path} tidak ada atau tidak terbaca. Buat dengan `loket-server reference "
            f"keygen`, atau setel {ENV_KEY_FILE}."
        ) from None
    if mode & 0o077:
        path.chmod(0o600)
    keys = [line for line in lines if line and not line.startswith("#")]
    if len(keys) != 1:
        raise PublishError(f"Berkas kunci referensi {path} harus memuat tepat satu kunci.")
    return signing.decode_key(keys[0], "kunci referensi")


def publish(folder: Path, private_key: bytes, base: Reference, actor: str = "sistem") -> Published:
    """Check that `folder` (catalog/ and forms/) loads, sign it as the next version and keep it for good.

    The catalogue's own `version` names the version; publishing the same content again is a no-op,
    a known version with other content is refused (a version, once out, never changes).
    """
    try:
        catalog, forms = load_folder(folder)
    except bundle.BundleError as exc:
        raise PublishError(f"Katalog di {folder} tidak dapat dimuat: {exc.detail}") from exc
    files = bundle.data_files(folder)
    digest = hashlib.sha256(bundle.canonical(sorted((n, hashlib.sha256(d).hexdigest()) for n, d in files.items())))
    version = catalog.version
    public = signing.encode_key(signing.public_key_of(private_key))
    if version == base.catalog.version:
        raise PublishError(
            f"Versi katalog {version} adalah versi bawaan server; ubah `version` di catalog/catalog.yaml."
        )
    form_keys = sorted(schema.key for schema in forms)

    def store() -> Published:
        existing = ReferenceVersion.get_or_none(ReferenceVersion.catalog_version == version)
        if existing is not None:
            signed = bundle.open_signed(bytes(existing.bundle), signing.decode_key(existing.public_key))
            same = bundle.canonical(sorted(signed.manifest.files.items()))
            if hashlib.sha256(same).digest() != digest.digest():
                raise PublishError(
                    f"Versi katalog {version} sudah diterbitkan dengan isi lain; naikkan `version` di catalog.yaml."
                )
            return _published(existing, len(catalog.services), new=False)
        last = ReferenceVersion.select(peewee.fn.MAX(ReferenceVersion.sequence)).scalar() or 0
        data = bundle.build(
            files,
            sequence=int(last) + 1,
            catalog_version=version,
            forms=form_keys,
            private_key=private_key,
            published_at=dt.datetime.now(dt.UTC),
        )
        row = ReferenceVersion.create(
            sequence=int(last) + 1,
            catalog_version=version,
            bundle=data,
            bundle_sha256=hashlib.sha256(data).hexdigest(),
            public_key=public,
            published_by=actor[:64],
        )
        audit.record(actor, "reference.publish", version, {"sequence": row.sequence, "sha256": row.bundle_sha256[:16]})
        return _published(row, len(catalog.services))

    return in_transaction(store)


def published_versions() -> list[Published]:
    """Every published version, oldest first."""
    rows = ReferenceVersion.select().order_by(ReferenceVersion.sequence)
    return [_published(row, None) for row in rows]


def _published(row: ReferenceVersion, services: int | None, *, new: bool = True) -> Published:
    manifest = bundle.Manifest.parse(_manifest_bytes(bytes(row.bundle)))
    return Published(
        sequence=row.sequence,
        catalog_version=row.catalog_version,
        bundle_sha256=row.bundle_sha256,
        bundle_size=len(bytes(row.bundle)),
        key_id=signing.key_id(signing.decode_key(row.public_key)),
        published_at=manifest.published_at,
        published_by=row.published_by,
        forms=list(manifest.forms),
        services=len([f for f in manifest.files if f.startswith("catalog/services/")])
        if services is None
        else services,
        new=new,
    )


def _manifest_bytes(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(bundle.MANIFEST)
