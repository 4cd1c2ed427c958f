"""TLS to the Dinas server: https only (plain http to loopback alone), the OS trust store, the server key pinned.

A pin names a server key: `sha256//` + base64 of the SHA-256 of the certificate's SubjectPublicKeyInfo (the
form `curl --pinnedpubkey` takes, so Dinas IT can check a pin with curl). Trust works in two modes:

- no pin yet (enrolment without a pin, or a device enrolled before pinning): the certificate must be
  valid in the operating system's trust store (`truststore`: the Windows store, where a Dinas CA is
  installed by group policy) for the host name; the key it carried becomes the pin;
- pinned: the key must be one of the stored pins, whoever signed the certificate (a self-signed
  Dinas certificate works; a valid certificate for another key is refused).

The server announces the pins it answers with (its key and the next one) in the `Loket-TLS-Pins`
header. Over a connection that passed the check, the client adopts them: Dinas IT rolls a key by
announcing the new pin ahead, and the old one is dropped once the server stops announcing it.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import logging
import socket
import ssl
import threading
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

import truststore
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from requests.adapters import HTTPAdapter

from app.errors import KnownError
from app.store import settings
from sync.client.errors import SyncError
from sync.protocol import TLS_PINS_HEADER

log = logging.getLogger("loket.sync")

PIN_PREFIX = "sha256//"
PIN_HEADER = TLS_PINS_HEADER
MAX_PINS = 8


class InsecureAddressError(SyncError):
    """A plain-http address of a server that is not on this computer: refused before any connection."""

    transient = False

    def __init__(self, url: str) -> None:
        super().__init__(
            "Alamat server Dinas harus memakai https:// (koneksi terenkripsi), misalnya "
            "https://loket.dukcapil.example.go.id. Alamat http:// hanya boleh untuk server di komputer ini sendiri "
            "(127.0.0.1 atau localhost).",
            url,
        )


class ServerKeyChangedError(SyncError):
    """The server presented a key that is not among the pinned ones (another server, or an unannounced change)."""

    transient = False

    def __init__(self, observed: str) -> None:
        super().__init__(
            "Kunci sertifikat server Dinas berbeda dari kunci yang dicatat saat perangkat ini didaftarkan, jadi "
            "koneksi ditolak: bisa jadi ini bukan server Dinas. Jangan lanjutkan; hubungi TI Dinas dan sebutkan "
            "pin berikut. Bila Dinas memang mengganti kuncinya tanpa pemberitahuan, daftarkan ulang perangkat "
            "dengan kode pendaftaran baru.",
            observed,
        )
        self.observed = observed


class UntrustedCertificateError(SyncError):
    """The certificate is not valid in the OS trust store and no pin vouches for the key."""

    transient = False

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Sertifikat server Dinas tidak dipercaya komputer ini (tidak diterbitkan oleh otoritas yang dikenal "
            "Windows, kedaluwarsa, atau untuk nama lain). Bila Dinas memakai sertifikat sendiri, daftarkan dengan "
            'alamat beserta pin dari slip pendaftaran, misalnya "https://server-dinas#sha256//…".',
            detail,
        )


class InvalidPinError(KnownError):
    """A pin that is not `sha256//` + the base64 of 32 bytes."""

    def __init__(self, text: str) -> None:
        super().__init__(
            "Pin kunci server tidak dikenali; salin persis dari slip pendaftaran (diawali sha256//).", text[:80]
        )


# -- addresses and pins -----------------------------------------------------------------------------------
def is_loopback(host: str) -> bool:
    """Whether a host name or address is this computer (127.0.0.0/8, ::1, localhost)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_address(url: str) -> None:
    """Refuse anything but https://, and plain http:// to loopback (before any connection is made)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "https" and parts.hostname:
        return
    if scheme == "http" and parts.hostname and is_loopback(parts.hostname):
        return
    raise InsecureAddressError(url)


def split_pin(url: str) -> tuple[str, str]:
    """`https://host#sha256//…` (the slip's form) -> (`https://host`, the pin); no fragment -> (url, "")."""
    base, sep, fragment = url.strip().partition("#")
    if not sep:
        return base.rstrip("/"), ""
    return base.rstrip("/"), normalise_pin(fragment)


def normalise_pin(text: str) -> str:
    """A pin in its canonical form; InvalidPinError when it is not one."""
    text = text.strip()
    if text.lower().startswith("pin="):
        text = text[4:]
    if not text.startswith(PIN_PREFIX):
        raise InvalidPinError(text)
    try:
        digest = base64.b64decode(text[len(PIN_PREFIX) :], validate=True)
    except ValueError:
        raise InvalidPinError(text) from None
    if len(digest) != 32:
        raise InvalidPinError(text)
    return PIN_PREFIX + base64.b64encode(digest).decode("ascii")


def pin_of_certificate(der: bytes) -> str:
    """The pin of a DER certificate's public key."""
    spki = (
        x509.load_der_x509_certificate(der)
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return PIN_PREFIX + base64.b64encode(hashlib.sha256(spki).digest()).decode("ascii")


def parse_announcement(value: str) -> frozenset[str]:
    """The pins of a `Loket-TLS-Pins` header (comma-separated); malformed entries are ignored."""
    pins = set()
    for part in value.split(","):
        try:
            pins.add(normalise_pin(part))
        except InvalidPinError:
            log.warning("server announced a malformed key pin")
    return frozenset(sorted(pins)[:MAX_PINS])


# -- the trusted keys -------------------------------------------------------------------------------------
class ServerPins:
    """The server keys this device trusts; seen and announced keys update it (thread-safe)."""

    def __init__(self, pins: Iterable[str] = (), save: Callable[[frozenset[str]], None] | None = None) -> None:
        self._pins = frozenset(pins)
        self._last = ""  # the key of the latest connection that passed the check
        self._save = save
        self._lock = threading.Lock()

    @property
    def pins(self) -> frozenset[str]:
        """The keys trusted now."""
        with self._lock:
            return self._pins

    def check(self, observed: str, verified_by_ca: bool) -> None:
        """Accept a handshake's key or raise: pinned keys only, or (no pin yet) a key the OS store vouched for."""
        with self._lock:
            if self._pins and observed not in self._pins:
                raise ServerKeyChangedError(observed)
            if not self._pins and not verified_by_ca:
                raise UntrustedCertificateError("no pin and no valid chain")
            self._last = observed
            if self._pins:
                return
            self._pins = frozenset({observed})
        log.info("server key pinned on first verified connection")
        self._store()

    def announced(self, pins: frozenset[str]) -> None:
        """The server's announcement over a checked connection: trust its keys from now on (and the one in use)."""
        if not pins:
            return
        with self._lock:
            if not self._last:
                return
            updated = frozenset(pins | {self._last})
            if updated == self._pins:
                return
            self._pins = updated
        log.info("server key pins updated from the server's announcement (%d keys)", len(updated))
        self._store()

    def _store(self) -> None:
        if self._save is None:
            return
        try:
            self._save(self.pins)
        except KnownError:  # a full disk: the pins stay in memory for this run and are learnt again
            log.warning("could not store the server key pins")


def stored_pins() -> ServerPins:
    """The pins kept with the enrolled credentials (Setting `sync.device`, key `tls_pins`); changes are saved."""
    device: dict[str, Any] = settings.get("sync.device")
    pins = device.get("tls_pins")
    return ServerPins(pins if isinstance(pins, list) else (), save=_save_pins)


def _save_pins(pins: frozenset[str]) -> None:
    device: dict[str, Any] = settings.get("sync.device")
    if not device:
        return
    device["tls_pins"] = sorted(pins)
    settings.put("sync.device", device)


# -- the TLS layer under requests -------------------------------------------------------------------------
class PinningContext:
    """An SSLContext look-alike for urllib3: the OS trust store, or the pins, decides; nothing else can loosen it.

    urllib3 sets `verify_mode`/`check_hostname` and loads certifi's bundle into the context it is given;
    this one keeps its own settings, so those calls change nothing (like truststore's own context).
    """

    def __init__(self, pins: ServerPins) -> None:
        self.pins = pins
        self._alpn: list[str] = []
        self._contexts: dict[bool, ssl.SSLContext | truststore.SSLContext] = {}  # by "pinned"

    # urllib3 reads and writes these; the checks below are ours and always on.
    @property
    def verify_mode(self) -> ssl.VerifyMode:
        return ssl.CERT_REQUIRED

    @verify_mode.setter
    def verify_mode(self, _value: ssl.VerifyMode) -> None:
        pass

    @property
    def check_hostname(self) -> bool:
        return True

    @check_hostname.setter
    def check_hostname(self, _value: bool) -> None:
        pass

    def load_verify_locations(self, *_args: object, **_kwargs: object) -> None:
        """Ignored: the operating system's store decides (requests would add certifi's bundle)."""

    def load_default_certs(self, *_args: object) -> None:
        """Ignored: the operating system's store is used."""

    def set_alpn_protocols(self, protocols: Iterable[str]) -> None:
        """Remember the ALPN protocols for the next handshakes."""
        self._alpn = list(protocols)

    def wrap_socket(self, sock: socket.socket, server_hostname: str | None = None, **_kwargs: object) -> ssl.SSLSocket:
        """Handshake, then check the key: against the pins, or through the OS trust store when there is none."""
        pinned = bool(self.pins.pins)
        context = self._contexts.get(pinned) or self._contexts.setdefault(pinned, self._context(pinned))
        try:
            wrapped = context.wrap_socket(sock, server_hostname=server_hostname)
        except ssl.SSLCertVerificationError as exc:
            raise CertificateRefused(UntrustedCertificateError(exc.verify_message or str(exc))) from exc
        try:
            der = wrapped.getpeercert(binary_form=True)
            if der is None:
                raise UntrustedCertificateError("no certificate")
            self.pins.check(pin_of_certificate(der), verified_by_ca=not pinned)
        except SyncError as exc:
            wrapped.close()
            raise CertificateRefused(exc) from exc
        return wrapped

    def _context(self, pinned: bool) -> ssl.SSLContext | truststore.SSLContext:
        context: ssl.SSLContext | truststore.SSLContext
        if pinned:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE  # the pin, checked after the handshake, is the trust anchor
        else:
            context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # chain and host name, by the OS
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        if self._alpn:
            context.set_alpn_protocols(self._alpn)
        return context


class CertificateRefused(ssl.SSLError):
    """Carries our known error through urllib3 and requests (which wrap SSL errors) to the transport."""

    def __init__(self, error: SyncError) -> None:
        super().__init__(error.message)
        self.error = error


def refusal(exc: BaseException) -> SyncError | None:
    """The known error a CertificateRefused deep inside a requests exception stands for, if any."""
    pending: list[object] = [exc]
    seen: set[int] = set()
    while pending:
        item = pending.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, CertificateRefused):
            return item.error
        pending.extend([*item.args, item.__cause__, item.__context__, getattr(item, "reason", None)])
    return None


class PinnedAdapter(HTTPAdapter):
    """requests' HTTPS adapter over a PinningContext (also through a proxy's CONNECT tunnel)."""

    def __init__(self, pins: ServerPins) -> None:
        self.context = PinningContext(pins)
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self.context
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        proxy_kwargs["ssl_context"] = self.context
        return super().proxy_manager_for(proxy, **proxy_kwargs)

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        """Keep verification on and certifi's bundle out: the context decides."""
        conn.cert_reqs = "CERT_REQUIRED"
        conn.ca_certs = None
        conn.ca_cert_dir = None
