"""Credentials: outposts, one-time enrolment codes, device and staff bearer tokens (stored as hashes)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import secrets

import peewee
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.store.models import utcnow
from sync.protocol import ApplicationPackage, EnrolRequest, signing_payload
from sync.server import audit
from sync.server.db import in_transaction
from sync.server.errors import ConflictError, ForbiddenError, NotFoundError, ServerError, UnauthorizedError
from sync.server.models import Device, EnrolmentCode, Outpost, Staff
from sync.server.search import kecamatan_of

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U: read aloud over a phone
CODE_GROUPS = 3
CODE_VALIDITY = dt.timedelta(days=7)
_OUTPOST_CODE = re.compile(r"^\d{2}(\.?\d{2})(\.?\d{2})?(\.?\d{4})?$")


def digest(secret: str) -> str:
    """How a token or code is stored: its SHA-256 (tokens are random, so no salt is needed)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def normalise_code(code: str) -> str:
    """An enrolment code as typed (any case, spaces or dashes) in its canonical form."""
    return re.sub(r"[^A-Z0-9]", "", code.upper())


def add_outpost(code: str, name: str) -> Outpost:
    """Register an outpost by its Kemendagri region code (kecamatan or desa), e.g. 35.21.01.2001."""
    code = code.strip()
    if not _OUTPOST_CODE.match(code):
        raise ServerError(f"Kode pos pelayanan '{code}' harus berupa kode wilayah Kemendagri, mis. 35.21.01.2001.")
    if not name.strip():
        raise ServerError("Nama pos pelayanan wajib diisi.")
    if Outpost.get_or_none(Outpost.code == code) is not None:
        raise ServerError(f"Pos pelayanan dengan kode {code} sudah terdaftar.")
    kabupaten = re.sub(r"\D", "", code)[:4]

    def create() -> Outpost:
        outpost = Outpost.create(code=code, name=name.strip(), kabupaten=kabupaten, kecamatan=kecamatan_of(code))
        audit.record("admin", "outpost.add", code, {"name": name.strip()})
        return outpost

    return in_transaction(create)


def new_enrolment_code(outpost: Outpost, now: dt.datetime | None = None) -> str:
    """Issue a one-time code for one device of the outpost (valid 7 days); only its hash is kept."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(4 * CODE_GROUPS))
    created = now or utcnow()

    def create() -> None:
        EnrolmentCode.create(
            outpost=outpost, code_hash=digest(raw), created_at=created, expires_at=created + CODE_VALIDITY
        )
        audit.record("admin", "enrolment_code.issue", outpost.code)

    in_transaction(create)
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


REENROL_MESSAGE = (
    "Perangkat ini terdaftar tanpa kunci tanda tangan, yang kini wajib. Perbarui Loket, minta kode pendaftaran "
    "baru kepada Dinas, lalu daftarkan ulang perangkat (loket-admin enrol)."
)


def _public_key(text: str | None) -> Ed25519PublicKey:
    """The device's Ed25519 public key from its enrolment request; refused when absent or not a key."""
    if not text:
        raise ServerError(
            "Pendaftaran perangkat wajib menyertakan kunci publik untuk tanda tangan paket. Perbarui Loket lalu "
            "daftarkan ulang.",
            code="public_key_required",
        )
    try:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except ValueError:
        raise ServerError("Kunci publik perangkat tidak sah.", code="public_key_required") from None


def enrol(request: EnrolRequest) -> Device:
    """Use a one-time code to register a device; the same request again (same device and secret) is a success.

    A device must bring its Ed25519 public key: every package it sends is signed with the private half.
    """
    _public_key(request.public_key)
    code_hash = digest(normalise_code(request.code))
    token_hash = digest(request.device_secret)

    def run() -> Device:
        entry = EnrolmentCode.get_or_none(EnrolmentCode.code_hash == code_hash)
        if entry is None:
            raise UnauthorizedError("Kode pendaftaran tidak dikenal. Periksa kode dari Dinas lalu coba lagi.")
        if entry.used_at is not None:
            device = Device.get_or_none(Device.device_id == request.device_id)
            if (
                entry.device_id == request.device_id
                and device is not None
                and device.token_hash == token_hash
                and device.public_key == request.public_key
            ):
                return device
            raise UnauthorizedError("Kode pendaftaran sudah dipakai. Minta kode baru kepada Dinas.", code="code_used")
        if entry.expires_at < utcnow():
            raise UnauthorizedError(
                "Kode pendaftaran sudah kedaluwarsa. Minta kode baru kepada Dinas.", code="code_expired"
            )
        if Device.get_or_none(Device.device_id == request.device_id) is not None:
            raise ConflictError("Perangkat ini sudah terdaftar.", code="device_exists")
        claimed = (
            EnrolmentCode.update(used_at=utcnow(), device_id=request.device_id)
            .where((EnrolmentCode.id == entry.id) & (EnrolmentCode.used_at.is_null()))
            .execute()
        )
        if claimed != 1:
            raise UnauthorizedError("Kode pendaftaran sudah dipakai. Minta kode baru kepada Dinas.", code="code_used")
        device = Device.create(
            device_id=request.device_id,
            outpost=entry.outpost_id,
            name=request.device_name,
            token_hash=token_hash,
            public_key=request.public_key,
        )
        audit.record(f"device:{request.device_id}", "device.enrol", entry.outpost.code, {"name": request.device_name})
        return device

    return in_transaction(run)


def device_for_token(
    token: str, outbox: tuple[int, dt.datetime | None] | None = None, *, wiped_ok: bool = False
) -> Device:
    """The active device a bearer token belongs to; records what it reports waiting in its outbox.

    A device ordered to wipe itself gets `401 device_wiped` with the signed order (sync.server.orders)
    on every request but its acknowledgement (`wiped_ok`).
    """
    device: Device | None = (
        Device.select(Device, Outpost).join(Outpost).where(Device.token_hash == digest(token)).first()
        if token
        else None
    )
    if device is None:
        raise UnauthorizedError("Perangkat belum terdaftar atau kredensialnya salah. Daftarkan ulang perangkat.")
    if device.wipe_order:
        if wiped_ok:
            return device
        raise UnauthorizedError(
            "Dinas memerintahkan agar data di perangkat ini dihapus.",
            {"order": json.loads(device.wipe_order)},
            code="device_wiped",
        )
    if device.revoked or not device.outpost.active:
        raise UnauthorizedError("Perangkat ini sudah dicabut aksesnya oleh Dinas.", code="device_revoked")
    if not device.public_key:
        raise UnauthorizedError(REENROL_MESSAGE, code="reenrol_required")
    now = utcnow()
    changes: dict[peewee.Field, object] = {}
    if now - device.last_seen_at > dt.timedelta(minutes=5):
        changes[Device.last_seen_at] = now
    if outbox is not None and (outbox[0], outbox[1]) != (device.outbox_waiting, device.outbox_oldest_at):
        changes.update(
            {Device.outbox_waiting: outbox[0], Device.outbox_oldest_at: outbox[1], Device.outbox_reported_at: now}
        )
    if changes:
        Device.update(changes).where(Device.id == device.id).execute()
    return device


def add_staff(username: str, full_name: str) -> str:
    """Create a back-office user with every workflow role; return their API token (shown once)."""
    from sync.server.staff import add_staff as create  # noqa: PLC0415 - staff imports this module's neighbours

    return create(username, full_name).token


def staff_for_token(token: str) -> Staff:
    """The active staff user an API bearer token belongs to."""
    from sync.server.staff import staff_for_token as find  # noqa: PLC0415

    return find(token)


def revoke_device(device_id: str, actor: str = "admin") -> None:
    """Remove a device's access (its submissions stay)."""

    def run() -> None:
        if Device.update(revoked=True).where(Device.device_id == device_id).execute() != 1:
            raise NotFoundError(f"Perangkat {device_id} tidak ada.")
        audit.record(actor, "device.revoke", device_id)

    in_transaction(run)


def check_signature(device: Device, package: ApplicationPackage) -> None:
    """Verify the device's Ed25519 signature of a package: mandatory, a device without a key must re-enrol."""
    if not device.public_key:
        raise UnauthorizedError(REENROL_MESSAGE, code="reenrol_required")
    if package.signature is None:
        raise ForbiddenError("Paket permohonan tidak ditandatangani perangkat.", code="signature_missing")
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(device.public_key))
    try:
        key.verify(base64.b64decode(package.signature), signing_payload(package))
    except (InvalidSignature, ValueError):
        raise ForbiddenError(
            "Tanda tangan paket permohonan tidak cocok dengan kunci perangkat.", code="bad_signature"
        ) from None
