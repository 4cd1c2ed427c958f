"""Orders to devices: revoke-and-wipe a stolen or retired laptop, signed with the Dinas' order key.

A wipe order is a small JSON document (order id, device id, time) signed with an Ed25519 key that
only the Dinas holds (`loket-server-orders.key` beside the server key, made on first use, 0600; or
`LOKET_SERVER_ORDER_KEY_FILE`). Its public half is given to every device at enrolment
(`DeviceInfo.order_key`), so a device obeys only an order the Dinas signed for *it*: an answer
forged on the way (or by another server) cannot wipe a laptop. The order is signed when it is
issued (back office or `loket-server devices wipe`), stored with the device, and handed to the
device in the `401 device_wiped` answer to its own token; the device acknowledges over
`POST /v1/device/wiped` once its keys are destroyed, which is journaled.

Back the order key up with the server key: without it, devices enrolled before a new key was made
can only be revoked (they refuse orders signed with another key).
"""

from __future__ import annotations

import base64
import json
import os
import threading
import uuid
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.store.models import utcnow
from sync.protocol import WipeAcknowledgement, WipeOrder, wipe_order_payload
from sync.server import audit
from sync.server.db import in_transaction
from sync.server.errors import NotFoundError, ServerError
from sync.server.models import Device
from sync.server.secretfile import create_secret

ENV_ORDER_KEY_FILE = "LOKET_SERVER_ORDER_KEY_FILE"
ORDER_KEY_FILE_NAME = "loket-server-orders.key"

_lock = threading.Lock()
_keys: dict[Path, Ed25519PrivateKey] = {}
_storage: list[Path] = []  # the serving process's document folder (configure)


def configure(storage_dir: Path) -> None:
    """The document folder of this server process: its order key is beside it."""
    with _lock:
        _storage[:] = [storage_dir]


def order_key_file(storage_dir: Path | None = None) -> Path:
    """Where the order key is: `LOKET_SERVER_ORDER_KEY_FILE`, else beside the document folder."""
    named = os.environ.get(ENV_ORDER_KEY_FILE)
    if named:
        return Path(named)
    if storage_dir is None and _storage:
        storage_dir = _storage[0]
    if storage_dir is None:
        from sync.server.cli import default_storage  # noqa: PLC0415 - the one place that knows the defaults

        storage_dir = Path(default_storage())
    return storage_dir.absolute().parent / ORDER_KEY_FILE_NAME


def signing_key(storage_dir: Path | None = None) -> Ed25519PrivateKey:
    """The Dinas' order key (made once, mode 0600, when it does not exist yet)."""
    path = order_key_file(storage_dir)
    with _lock:
        cached = _keys.get(path)
        if cached is not None:
            return cached
        if not path.exists():
            raw = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
            )
            create_secret(path, base64.b64encode(raw) + b"\n")  # False: another worker just made it
        try:
            key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(path.read_text("ascii").strip(), validate=True))
        except ValueError:
            raise ServerError(f"Berkas kunci perintah perangkat {path} rusak. Pasang dari cadangan.") from None
        _keys[path] = key
        return key


def public_key(storage_dir: Path | None = None) -> str:
    """The order key's public half as devices learn it (base64 of 32 bytes)."""
    raw = signing_key(storage_dir).public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def sign_wipe(device_id: str, storage_dir: Path | None = None) -> WipeOrder:
    """A new wipe order for one device, signed with the order key."""
    unsigned = WipeOrder(order_id=str(uuid.uuid4()), device_id=device_id, issued_at=utcnow(), signature="")
    signature = signing_key(storage_dir).sign(wipe_order_payload(unsigned))
    return unsigned.model_copy(update={"signature": base64.b64encode(signature).decode("ascii")})


def order_wipe(device_id: str, actor: str, storage_dir: Path | None = None) -> WipeOrder:
    """Revoke a device and order it to wipe itself at its next contact (journaled). Again: the same order."""
    order = sign_wipe(device_id, storage_dir)

    def run() -> WipeOrder:
        device = Device.get_or_none(Device.device_id == device_id)
        if device is None:
            raise NotFoundError(f"Perangkat {device_id} tidak ada.")
        if device.wipe_order:
            return WipeOrder.model_validate_json(device.wipe_order)
        Device.update(revoked=True, wipe_order=order.model_dump_json()).where(Device.id == device.id).execute()
        audit.record(actor, "device.wipe_order", device_id, {"order": order.order_id})
        return order

    return in_transaction(run)


def pending_order(device: Device) -> dict[str, object] | None:
    """The order a device is to receive (the JSON of its WipeOrder), or None."""
    if not device.wipe_order:
        return None
    order: dict[str, object] = json.loads(device.wipe_order)
    return order


def acknowledge(device: Device, acknowledgement: WipeAcknowledgement) -> None:
    """The device says it destroyed its keys: journal it once (a repeat changes nothing)."""
    order = pending_order(device)
    if order is None or order.get("order_id") != acknowledgement.order_id:
        raise NotFoundError("Tidak ada perintah hapus dengan nomor ini untuk perangkat ini.")

    def run() -> None:
        fresh = Device.get_by_id(device.id)
        if fresh.wiped_at is not None:
            return
        Device.update(wiped_at=utcnow()).where(Device.id == device.id).execute()
        audit.record(
            f"device:{device.device_id}",
            "device.wiped",
            device.device_id,
            {"order": acknowledgement.order_id, "device_time": acknowledgement.wiped_at.isoformat(timespec="seconds")},
        )

    in_transaction(run)
