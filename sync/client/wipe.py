"""A device's standing with the Dinas: revoked (stop syncing) or ordered wiped (destroy this installation's keys).

Revoked: the server answers `401 device_revoked`; the device remembers it (Setting `sync.device`,
`standing`) and from then on does not contact the server at all: the sync area says to call Dinas IT.

Wiped: the server answers `401 device_wiped` with a **signed order** (sync.protocol.WipeOrder). The
device obeys only an order signed with the Dinas' order key it learnt at enrolment (or later, over
its authenticated channel, from `GET /v1/device`) and naming its own device id; any other such
answer (forged on the way, another server, a device without the key) is treated as a revocation:
the device stops syncing but keeps its data. An authentic order:

1. a receipt (`wipe-receipt.json`: order id, server, the device's token, which can no longer do
   anything but acknowledge) is written, so a power cut at any later point finishes the wipe at the
   next start;
2. nothing more is sent; the key file (`keys.json`, the database key sealed per officer) is
   overwritten with random bytes, flushed and removed: the SQLCipher database, its backups and the
   AES-GCM scans can no longer be opened with any officer's password;
3. the wipe is acknowledged (`POST /v1/device/wiped`, journaled at the Dinas);
4. once the store is closed, `finish_pending` removes the unreadable files (database, scans,
   backups, catalogue versions, print-outs, settings), so Loket starts as a fresh installation.
   It also runs at every start, to finish a wipe a crash interrupted and to deliver an
   acknowledgement that could not be sent.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import os
import shutil
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import ValidationError

from app.fileio import atomic_write, fsync_dir
from app.paths import DataPaths
from app.store import settings
from app.store.db import guarded
from app.store.store import Store
from sync.client.enrol import Credentials
from sync.client.errors import AuthError, DeviceRevokedError, DeviceWipedError, SyncError
from sync.client.tls import ServerPins
from sync.client.transport import Timeouts, Transport
from sync.protocol import DeviceInfo, Response, WipeAcknowledgement, WipeOrder, wipe_order_payload

log = logging.getLogger("loket.sync")

RECEIPT = "wipe-receipt.json"
# What a wiped installation loses besides the key file: everything but the logs (no personal data).
KEEP = frozenset({"logs"})


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def receipt_path(paths: DataPaths) -> Path:
    """Where the receipt of a wipe under way is kept."""
    return paths.base / RECEIPT


# -- standing ----------------------------------------------------------------------------------------------
def check_standing() -> None:
    """Raise before any contact when the Dinas has revoked this device or ordered it wiped."""
    device: dict[str, Any] = settings.get("sync.device")
    standing = device.get("standing")
    if standing == "wiped":
        raise DeviceWipedError()
    if standing == "revoked":
        raise DeviceRevokedError()


def _remember(store: Store, standing: str) -> None:
    def run() -> None:
        with store.db.atomic():
            device: dict[str, Any] = settings.get("sync.device")
            device["standing"] = standing
            device["standing_at"] = _now().isoformat(timespec="seconds")
            settings.put("sync.device", device)

    try:
        guarded(run)
    except Exception:  # the store may already be unreadable (a wipe): nothing more to remember
        log.warning("could not record the device's standing (%s)", standing)


def learn_order_key(store: Store, order_key: str) -> None:
    """Keep the Dinas' order key (from an authenticated answer) with the credentials."""
    if not order_key:
        return

    def run() -> None:
        with store.db.atomic():
            device: dict[str, Any] = settings.get("sync.device")
            if device.get("order_key") != order_key:
                device["order_key"] = order_key
                settings.put("sync.device", device)

    guarded(run)


def verify_order(detail: object, credentials: Credentials) -> WipeOrder | None:
    """The wipe order in a `device_wiped` answer if the Dinas signed it for this device; else None."""
    order_data = detail.get("order") if isinstance(detail, dict) else None
    if not credentials.order_key or not isinstance(order_data, dict):
        return None
    try:
        order = WipeOrder.model_validate(order_data)
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(credentials.order_key, validate=True))
        key.verify(base64.b64decode(order.signature, validate=True), wipe_order_payload(order))
    except (ValidationError, ValueError, InvalidSignature):
        return None
    return order if order.device_id == credentials.device_id else None


def settle(store: Store, transport: Transport, credentials: Credentials, exc: SyncError) -> SyncError:
    """Turn a revocation or a wipe order the server answered into the device's new standing."""
    if not isinstance(exc, AuthError) or exc.code not in ("device_revoked", "device_wiped"):
        return exc
    order = verify_order(exc.payload, credentials) if exc.code == "device_wiped" else None
    if order is None:
        if exc.code == "device_wiped":
            log.warning("a wipe order that this device cannot verify was treated as a revocation")
        _remember(store, "revoked")
        return DeviceRevokedError(exc.status, exc.code)
    _remember(store, "wiped")
    wipe(store.paths, transport, credentials, order)
    return DeviceWipedError()


# -- wiping ------------------------------------------------------------------------------------------------
def wipe(paths: DataPaths, transport: Transport, credentials: Credentials, order: WipeOrder) -> None:
    """Destroy the keys of this installation, then acknowledge (the rest: finish_pending, once closed)."""
    log.warning("the Dinas ordered this device wiped (order %s): destroying the keys", order.order_id)
    receipt = {
        "order_id": order.order_id,
        "device_id": credentials.device_id,
        "server_url": credentials.server_url,
        "token": credentials.secret,
        "tls_pins": list(credentials.tls_pins),
        "wiped_at": _now().isoformat(timespec="seconds"),
        "erased": False,
        "acknowledged": False,
    }
    _write_receipt(paths, receipt)
    destroy_keys(paths)
    if _acknowledge(receipt, transport):
        receipt.update(acknowledged=True, token="")
        _write_receipt(paths, receipt)


def destroy_keys(paths: DataPaths) -> None:
    """Overwrite the key file with random bytes, flush, and remove it (and the failed-log-in counters)."""
    for path in (paths.keyring, paths.base / "lockout.json"):
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            continue
        with path.open("r+b") as handle:
            handle.write(os.urandom(max(size, 4096)))
            handle.flush()
            os.fsync(handle.fileno())
        path.unlink()
    if paths.base.exists():
        fsync_dir(paths.base)


def finish_pending(paths: DataPaths, *, timeouts: Timeouts | None = None) -> bool:
    """Finish a wipe under way (with the store closed): destroy what is left, acknowledge. True if there was one.

    Blocking (it may contact the server): call it off the GUI thread.
    """
    path = receipt_path(paths)
    if not path.exists():
        return False
    try:
        receipt: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        receipt = {"erased": False, "acknowledged": True}  # damaged: still make sure nothing stays readable
    if not receipt.get("erased"):
        destroy_keys(paths)
        erase_data(paths)
        receipt["erased"] = True
        _write_receipt(paths, receipt)
    if not receipt.get("acknowledged"):
        transport = _receipt_transport(receipt, timeouts)
        try:
            acknowledged = _acknowledge(receipt, transport)
        finally:
            transport.close()
        if not acknowledged:
            return True
    path.unlink(missing_ok=True)
    log.warning("wipe finished: this installation starts afresh")
    return True


def erase_data(paths: DataPaths) -> None:
    """Remove everything of the installation but its logs (the files are unreadable once the keys are gone)."""
    if not paths.base.exists():
        return
    for entry in paths.base.iterdir():
        if entry.name in KEEP or entry.name == RECEIPT:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    fsync_dir(paths.base)


def _write_receipt(paths: DataPaths, receipt: dict[str, Any]) -> None:
    atomic_write(receipt_path(paths), json.dumps(receipt, indent=1).encode("utf-8"))


def _receipt_transport(receipt: dict[str, Any], timeouts: Timeouts | None) -> Transport:
    url = str(receipt.get("server_url", ""))
    pins = ServerPins([str(p) for p in receipt.get("tls_pins") or []])
    return Transport(url, str(receipt.get("token", "")), timeouts=timeouts, pins=pins)


def _acknowledge(receipt: dict[str, Any], transport: Transport) -> bool:
    """Tell the Dinas the keys are destroyed; False when it could not be told now (tried again later)."""
    if not receipt.get("token") or not receipt.get("server_url"):
        return True  # nothing to tell it with
    body = WipeAcknowledgement(
        order_id=str(receipt["order_id"]), wiped_at=dt.datetime.fromisoformat(str(receipt["wiped_at"]))
    )
    transport.token = str(receipt["token"])
    try:
        transport.post("/v1/device/wiped", body, _Ok)
    except SyncError as exc:
        log.warning("the wipe could not be acknowledged yet (%s)", type(exc).__name__)
        return False
    log.info("wipe acknowledged to the Dinas")
    return True


class _Ok(Response):
    """The acknowledgement's answer: {"ok": true}."""

    ok: bool


def ensure_order_key(store: Store, transport: Transport, credentials: Credentials) -> Credentials:
    """A device enrolled before order keys existed learns the Dinas' key from its authenticated channel."""
    if credentials.order_key:
        return credentials
    info = transport.get("/v1/device", DeviceInfo)
    if not info.order_key:
        return credentials  # a server without order keys: a wipe order there can only revoke
    learn_order_key(store, info.order_key)
    return Credentials.load()
