"""TLS against a real server on 127.0.0.1 (`serve --tls-cert/--tls-key`) with certificates from a trustme test CA.

The CA stands for a Dinas CA installed in the operating system's store: on Linux truststore reads the
store OpenSSL is pointed at, so the tests point SSL_CERT_FILE at the test CA (a Windows laptop gets
the Dinas CA by group policy instead).
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import trustme
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from requests.adapters import BaseAdapter

from app.store import settings
from app.store.store import Store
from sync.client import Credentials, SyncClient, Transport, enrol
from sync.client.tls import InsecureAddressError, ServerKeyChangedError, UntrustedCertificateError
from sync.protocol import Health
from tests.helpers.dinas import SERVER, DinasServer, TlsFiles, start_server, tls_files
from tests.helpers.stores import SUPERVISOR, new_store

OUTPOST = ("35.21.01.2001", "Desa Sukamaju")


def pin_of(cert: Path) -> str:
    """The key pin of a PEM certificate, computed here independently of the code under test."""
    spki = (
        x509.load_pem_x509_certificate(cert.read_bytes())
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return "sha256//" + base64.b64encode(hashlib.sha256(spki).digest()).decode()


@pytest.fixture
def ca(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> trustme.CA:
    """A test CA the 'operating system' trusts (SSL_CERT_FILE, read by truststore on Linux)."""
    authority = trustme.CA()
    path = tmp_path / "os-trust" / "ca.pem"
    path.parent.mkdir()
    authority.cert_pem.write_to_path(str(path))
    monkeypatch.setenv("SSL_CERT_FILE", str(path))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    return authority


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = new_store(tmp_path / "outpost")
    yield opened
    opened.close()


def restart(server: DinasServer, files: TlsFiles, *extra: str) -> None:
    """The same server (port, database, documents) again, with another certificate or other announced pins."""
    server.stop()
    server.tls = files
    server.extra_args = extra
    server.start()


def test_enrolment_over_https_pins_the_key_and_a_different_key_is_refused_afterwards(
    tmp_path: Path, ca: trustme.CA, store: Store
) -> None:
    """The OS store vouches for the first certificate; its key is pinned; a valid certificate for another key is not."""
    first = tls_files(ca, tmp_path / "tls", "first")
    server = start_server(tmp_path / "server", tls=first)
    try:
        assert server.url.startswith("https://")
        info = enrol(store, server.url, server.add_outpost(*OUTPOST), "Laptop Desa")
        assert info.outpost_code == OUTPOST[0]
        credentials = Credentials.load()
        assert credentials.server_url == server.url
        assert credentials.tls_pins == (pin_of(first.cert),)
        SyncClient(store).run_once()  # a run over the pinned connection

        # Same CA, same name, valid: only the key differs (a stolen CA-issued certificate, a proxy inspecting TLS).
        restart(server, tls_files(ca, tmp_path / "tls", "other"))
        with pytest.raises(ServerKeyChangedError) as refused:
            SyncClient(store).run_once()
        assert "Kunci sertifikat server Dinas berbeda" in refused.value.message
        assert not refused.value.transient
        assert Credentials.load().tls_pins == (pin_of(first.cert),), "a refused key is never learnt"
    finally:
        server.stop()


def test_a_key_announced_ahead_is_accepted_after_the_change_and_the_old_one_is_dropped(
    tmp_path: Path, ca: trustme.CA, store: Store
) -> None:
    """Dinas IT announces the next key (serve --tls-pin), outposts sync, then the server switches keys."""
    old = tls_files(ca, tmp_path / "tls", "old")
    new = tls_files(ca, tmp_path / "tls", "new")
    server = start_server(tmp_path / "server", tls=old, extra_args=("--tls-pin", pin_of(new.cert)))
    try:
        enrol(store, server.url, server.add_outpost(*OUTPOST), "Laptop Desa")
        assert set(Credentials.load().tls_pins) == {pin_of(old.cert), pin_of(new.cert)}

        restart(server, new)  # announces only its own key from now on
        SyncClient(store).run_once()
        assert Credentials.load().tls_pins == (pin_of(new.cert),)

        restart(server, old)
        with pytest.raises(ServerKeyChangedError):
            SyncClient(store).run_once()
    finally:
        server.stop()


def test_a_self_signed_server_enrols_with_the_slip_pin_and_not_without_it(
    tmp_path: Path, ca: trustme.CA, store: Store
) -> None:
    """`loket-server tls self-signed` prints the pin; the address with the pin enrols, the bare address is refused."""
    made = subprocess.run(
        [SERVER, "tls", "self-signed", "--host", "127.0.0.1", "--out", str(tmp_path / "self")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    cert, key = tmp_path / "self" / "loket-server.crt", tmp_path / "self" / "loket-server.key"
    pin = pin_of(cert)
    assert pin in made.stdout
    assert key.stat().st_mode & 0o077 == 0, "the private key is readable by its owner only"
    shown = subprocess.run([SERVER, "tls", "pin", str(cert)], capture_output=True, text=True, timeout=60, check=False)
    assert shown.stdout.strip() == pin

    server = start_server(tmp_path / "server", tls=TlsFiles(cert, key, cert))  # the health check trusts the cert
    try:
        code = server.add_outpost(*OUTPOST)
        with pytest.raises(UntrustedCertificateError):
            enrol(store, server.url, code, "Laptop Desa")  # not in the OS store, and no pin given
        assert not Credentials.exists()
        enrol(store, f"{server.url}#{pin}", code, "Laptop Desa")
        assert Credentials.load().tls_pins == (pin,)
        assert Credentials.load().server_url == server.url
        SyncClient(store).run_once()
    finally:
        server.stop()


class Recorder(BaseAdapter):
    """Counts what reaches the connection layer (nothing should)."""

    def __init__(self) -> None:
        super().__init__()
        self.sent = 0

    def send(self, *_args: object, **_kwargs: object) -> requests.Response:
        self.sent += 1
        raise requests.ConnectionError("no network in this test")

    def close(self) -> None:
        pass


def test_plain_http_to_another_host_is_refused_before_any_connection(store: Store) -> None:
    """The token and the device secret never leave in clear: no request reaches the connection layer."""
    recorder = Recorder()
    session = requests.Session()
    session.mount("http://", recorder)
    transport = Transport("http://dinas.example.go.id", "rahasia", session=session)
    with pytest.raises(InsecureAddressError) as refused:
        transport.get("/v1/health", Health)
    assert "https://" in refused.value.message and not refused.value.transient
    with pytest.raises(InsecureAddressError):
        enrol(store, "http://192.168.1.10:8765", "AAAA-BBBB-CCCC", "Laptop Desa", session=session)
    assert recorder.sent == 0
    assert not Credentials.exists() and settings.get("sync.server_url") == ""


def test_loket_admin_enrols_with_the_pin_given_apart(tmp_path: Path) -> None:
    """`loket-admin enrol URL KODE --pin PIN` pins a self-signed server's key, as the slip's printed pin is typed."""
    made = subprocess.run(
        [SERVER, "tls", "self-signed", "--host", "127.0.0.1", "--out", str(tmp_path / "self")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    cert, key = tmp_path / "self" / "loket-server.crt", tmp_path / "self" / "loket-server.key"
    pin = pin_of(cert)
    base = tmp_path / "outpost"
    new_store(base).close()
    username, _, password = SUPERVISOR
    server = start_server(tmp_path / "server", tls=TlsFiles(cert, key, cert))
    try:
        code = server.add_outpost(*OUTPOST)
        admin = [str(Path(sys.executable).parent / "loket-admin"), "--basedir", str(base), "--user", username]
        env = {**os.environ, "LOKET_PASSWORD": password}
        refused = subprocess.run(
            [*admin, "enrol", server.url, code], capture_output=True, text=True, env=env, timeout=120, check=False
        )
        assert refused.returncode == 1 and "Traceback" not in refused.stderr
        enrolled = subprocess.run(
            [*admin, "enrol", server.url, code, "--pin", pin],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert enrolled.returncode == 0, enrolled.stderr
        assert "35.21.01.2001" in enrolled.stdout
    finally:
        server.stop()
