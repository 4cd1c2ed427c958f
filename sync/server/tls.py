"""The server's TLS: its certificate and key, the pins outposts keep of it, a self-signed pair for a Dinas without a CA.

A pin is `sha256//` + base64 of the SHA-256 of the certificate's SubjectPublicKeyInfo (curl's
`--pinnedpubkey` form). Outposts pin the key at enrolment (the slip prints it); every /v1 answer
announces the pins the server wants trusted (its own key and the next one, during a key change) in
the `Loket-TLS-Pins` header, so Dinas IT can change keys without re-enrolling every laptop.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import ipaddress
import os
import ssl
import sys
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import KnownError
from sync.protocol import TLS_PINS_HEADER

PIN_PREFIX = "sha256//"
PIN_HEADER = TLS_PINS_HEADER
ENV_PINS = "LOKET_SERVER_TLS_PINS"
SELF_SIGNED_DAYS = 5 * 365


class TlsSetupError(KnownError):
    """A certificate, key or pin that cannot be used (told to Dinas IT in Bahasa Indonesia)."""


def pin_of_certificate(certificate: x509.Certificate) -> str:
    """The pin of a certificate's public key."""
    spki = certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return PIN_PREFIX + base64.b64encode(hashlib.sha256(spki).digest()).decode("ascii")


def pin_of_file(path: Path) -> str:
    """The pin of the first certificate in a PEM file (the server's own; a chain's CA certificates follow it)."""
    try:
        certificate = x509.load_pem_x509_certificates(path.read_bytes())[0]
    except OSError as exc:
        raise TlsSetupError(f"Berkas sertifikat {path} tidak dapat dibaca: {exc.strerror or exc}.") from exc
    except ValueError as exc:
        raise TlsSetupError(f"Berkas {path} bukan sertifikat PEM (-----BEGIN CERTIFICATE-----).") from exc
    return pin_of_certificate(certificate)


def check_pin(text: str) -> str:
    """A pin given on the command line, in canonical form."""
    text = text.strip()
    try:
        digest = base64.b64decode(text[len(PIN_PREFIX) :], validate=True) if text.startswith(PIN_PREFIX) else b""
    except ValueError:
        digest = b""
    if len(digest) != 32:
        raise TlsSetupError(f"Pin '{text[:60]}' tidak sah: tulis sha256// diikuti base64 SHA-256 kunci publik.")
    return PIN_PREFIX + base64.b64encode(digest).decode("ascii")


def check_pair(cert: Path, key: Path) -> str:
    """Check that a certificate and its key load together (before uvicorn starts); return the certificate's pin."""
    pin = pin_of_file(cert)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(cert, key)
    except OSError as exc:
        raise TlsSetupError(f"Berkas kunci {key} tidak dapat dibaca: {exc.strerror or exc}.") from exc
    except ssl.SSLError as exc:
        raise TlsSetupError(
            f"Kunci {key} tidak cocok dengan sertifikat {cert}, atau bukan kunci PEM tanpa sandi ({exc.reason})."
        ) from exc
    return pin


@dataclass(frozen=True)
class SelfSigned:
    """A key and a certificate made for a Dinas without a CA."""

    cert_path: Path
    key_path: Path
    pin: str
    not_after: dt.datetime


def make_self_signed(host: str, folder: Path, days: int = SELF_SIGNED_DAYS) -> SelfSigned:
    """Make an ECDSA P-256 key (0600) and a certificate for `host` (a DNS name or an IP address) in `folder`."""
    host = host.strip()
    if not host:
        raise TlsSetupError("Sebutkan nama server dengan --host, mis. loket.dukcapil.example.go.id")
    cert_path, key_path = folder / "loket-server.crt", folder / "loket-server.key"
    for path in (cert_path, key_path):
        if path.exists():
            raise TlsSetupError(f"{path} sudah ada; tidak ditimpa. Pilih folder lain dengan --out.")
    try:
        names: list[x509.GeneralName] = [x509.IPAddress(ipaddress.ip_address(host))]
    except ValueError:
        names = [x509.DNSName(host)]
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host[:64])])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key_pem)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return SelfSigned(cert_path, key_path, pin_of_certificate(certificate), now + dt.timedelta(days=days))


def announced_pins(cert: Path | None, extra: list[str]) -> list[str]:
    """The pins to announce: the certificate's own first, then the extra ones (next key, reverse proxy's key)."""
    pins = [pin_of_file(cert)] if cert is not None else []
    for text in extra:
        pin = check_pin(text)
        if pin not in pins:
            pins.append(pin)
    return pins


def pins_from_env() -> tuple[str, ...]:
    """The pins `loket-server serve` hands its workers."""
    return tuple(p for p in os.environ.get(ENV_PINS, "").split(",") if p)


class AnnouncePins:
    """Add `Loket-TLS-Pins` to every /v1 answer (plain ASGI), so outposts learn a key before it is used."""

    def __init__(self, app: ASGIApp, pins: tuple[str, ...]) -> None:
        self.app = app
        self.value = ",".join(pins).encode("ascii")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.value or not str(scope.get("path", "")).startswith("/v1/"):
            await self.app(scope, receive, send)
            return

        async def announcing(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (PIN_HEADER.lower().encode(), self.value)]
            await send(message)

        await self.app(scope, receive, announcing)


# -- loket-server serve / tls (wired in cli.py) ----------------------------------------------------------
def serve_options(cert: str | None, key: str | None, extra_pins: list[str], host: str) -> dict[str, str]:
    """uvicorn's TLS arguments for `serve`; hands the pins to the workers. TlsSetupError when unusable."""
    if bool(cert) != bool(key):
        raise TlsSetupError("--tls-cert dan --tls-key harus diberikan bersama.")
    options: dict[str, str] = {}
    if cert and key:
        check_pair(Path(cert), Path(key))
        options = {"ssl_certfile": cert, "ssl_keyfile": key}
    pins = announced_pins(Path(cert) if cert else None, extra_pins)
    os.environ[ENV_PINS] = ",".join(pins)
    if not cert and not _loopback(host):
        print(
            f"loket-server: melayani HTTP tanpa TLS di {host}. Laptop pos pelayanan hanya mau tersambung lewat "
            "https://: pakai --tls-cert/--tls-key, atau taruh server ini di belakang reverse proxy HTTPS "
            "(lihat docs/tls.md).",
            file=sys.stderr,
        )
    return options


def _loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def command(action: str, host: str, out: str | None, days: int, cert: str, home: Path) -> tuple[object, str]:
    """`loket-server tls self-signed --host NAME` and `loket-server tls pin CERT`: data and the text for Dinas IT."""
    if action == "pin":
        pin = pin_of_file(Path(cert))
        return {"certificate": cert, "pin": pin}, pin
    if days < 1:
        raise TlsSetupError("--days paling sedikit 1.")
    made = make_self_signed(host, Path(out) if out else home / "tls", days)
    data = {
        "certificate": str(made.cert_path),
        "key": str(made.key_path),
        "pin": made.pin,
        "not_after": made.not_after.isoformat(timespec="seconds"),
    }
    text = (
        f"Kunci dan sertifikat swa-tanda untuk {host} dibuat (berlaku s.d. {made.not_after:%Y-%m-%d}):\n"
        f"  sertifikat : {made.cert_path}\n"
        f"  kunci      : {made.key_path} (hanya dapat dibaca pemiliknya; jangan disalin ke tempat lain)\n"
        f"Pin kunci server (dicetak juga pada slip pendaftaran): {made.pin}\n"
        f"Jalankan: loket-server serve --host 0.0.0.0 --port 8443 --tls-cert {made.cert_path} "
        f"--tls-key {made.key_path}\n"
        f'Di laptop pos: loket-admin --user SUPERVISOR enrol "https://{host}:8443#{made.pin}" KODE'
    )
    return data, text
