"""Device enrolment: a one-time code from the Dinas turns this installation into a known device.

The device makes its own credentials (a random secret and an Ed25519 key) and registers them with
the code; sending the same request again is a success, so a lost answer cannot burn the code. The
identity sent is kept (`sync.enrolment_pending`) until the answer arrives: enrolling again with the
same code and server, after a cut or a killed command, sends the same device id, secret and key.
The credentials are stored in the encrypted database (Setting `sync.device`), with the pins of the
server's TLS key (`tls_pins`): the one on the enrolment slip (`https://server#sha256//…`), or else the
key of a certificate the operating system trusts, plus the keys the server announces.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.store import audit, settings
from app.store.store import Store
from sync.client.errors import NotEnrolledError
from sync.client.tls import ServerPins, check_address, normalise_pin, split_pin
from sync.client.transport import Timeouts, Transport
from sync.client.uploads import Retrier
from sync.protocol import DeviceInfo, EnrolRequest


@dataclass(frozen=True)
class Credentials:
    """What the device needs to talk to the server."""

    server_url: str
    device_id: str
    secret: str
    signing_key: bytes | None
    outpost_code: str = ""
    outpost_name: str = ""
    tls_pins: tuple[str, ...] = ()
    order_key: str = ""  # the Dinas' key for orders to this device (a wipe), base64 Ed25519

    @classmethod
    def load(cls) -> Credentials:
        """The stored credentials; NotEnrolledError when there are none."""
        url: str = settings.get("sync.server_url")
        device: dict[str, Any] = settings.get("sync.device")
        if not url or not device.get("device_id") or not device.get("secret"):
            raise NotEnrolledError()
        key = device.get("signing_key")
        return cls(
            server_url=url,
            device_id=device["device_id"],
            secret=device["secret"],
            signing_key=base64.b64decode(key) if key else None,
            outpost_code=device.get("outpost_code", ""),
            outpost_name=device.get("outpost_name", ""),
            tls_pins=tuple(device.get("tls_pins") or ()),
            order_key=str(device.get("order_key") or ""),
        )

    @classmethod
    def exists(cls) -> bool:
        """Whether this installation is enrolled."""
        try:
            cls.load()
        except NotEnrolledError:
            return False
        return True


def enrol(
    store: Store,
    server_url: str,
    code: str,
    device_name: str,
    *,
    session: requests.Session | None = None,
    timeouts: Timeouts | None = None,
    pin: str = "",
) -> DeviceInfo:
    """Register this installation with a one-time code and store the credentials.

    `server_url` may carry the slip's pin as `https://server#sha256//…` (or pass `pin`): then only that
    key is accepted. Without a pin the certificate must be valid in the OS trust store.
    """
    server_url, url_pin = split_pin(server_url)
    check_address(server_url)
    given = normalise_pin(pin) if pin else url_pin
    identity = _pending_identity(store, server_url, code)
    private = base64.b64decode(identity["signing_key"])
    key = Ed25519PrivateKey.from_private_bytes(private)
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    request = EnrolRequest(
        code=code.strip(),
        device_id=identity["device_id"],
        device_secret=identity["secret"],
        device_name=device_name,
        public_key=base64.b64encode(public).decode("ascii"),
    )
    pins = ServerPins([given] if given else [])
    transport = Transport(server_url, session=session, timeouts=timeouts, pins=pins)
    try:
        info = Retrier().call(lambda: transport.post("/v1/enrol", request, DeviceInfo))
    finally:
        transport.close()

    def save() -> None:
        with store.db.atomic():
            settings.put("sync.server_url", server_url.rstrip("/"))
            settings.put(
                "sync.device",
                {
                    "device_id": info.device_id,
                    "secret": request.device_secret,
                    "signing_key": base64.b64encode(private).decode("ascii"),
                    "device_name": info.device_name,
                    "outpost_code": info.outpost_code,
                    "outpost_name": info.outpost_name,
                    "kabupaten_code": info.kabupaten_code,
                    "tls_pins": sorted(pins.pins) if transport.secure else [],
                    "order_key": info.order_key,
                    "enrolled_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                },
            )
            settings.put("sync.status_cursor", 0)
            settings.put("sync.enrolment_pending", {})
            # The key the Dinas signs catalogue versions with (sync/client/catalog_update.py).
            settings.put("sync.reference", {"public_key": info.reference_key} if info.reference_key else {})
            audit.append(store.officer.username, "sync.enrol", details={"outpost": info.outpost_code})

    save()
    return info


def _canonical_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _pending_identity(store: Store, server_url: str, code: str) -> dict[str, str]:
    """The identity to enrol with: the one already sent with this code to this server, else a new one (kept)."""
    wanted = {"server_url": server_url.rstrip("/"), "code": _canonical_code(code)}
    pending: dict[str, str] = settings.get("sync.enrolment_pending")
    if all(pending.get(k) == v for k, v in wanted.items()) and pending.get("device_id") and pending.get("secret"):
        return pending
    private = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    identity = {
        **wanted,
        "device_id": str(uuid.uuid4()),
        "secret": secrets.token_urlsafe(32),
        "signing_key": base64.b64encode(private).decode("ascii"),
    }
    with store.db.atomic():
        settings.put("sync.enrolment_pending", identity)
    return identity
