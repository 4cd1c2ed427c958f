"""The client's address rule and pin bookkeeping, and the server's pins computed the same way on both sides."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from sync.client import tls as client_tls
from sync.client.tls import (
    InsecureAddressError,
    InvalidPinError,
    ServerKeyChangedError,
    ServerPins,
    UntrustedCertificateError,
    check_address,
    parse_announcement,
    split_pin,
)
from sync.server import tls as server_tls

A, B, C = ("sha256//" + base64.b64encode(bytes([n]) * 32).decode() for n in (1, 2, 3))


@pytest.mark.parametrize(
    "url",
    ["https://loket.dukcapil.example.go.id", "https://10.0.0.5:8443", "http://127.0.0.1:8765", "http://localhost"],
)
def test_https_anywhere_and_plain_http_to_this_computer_are_allowed(url: str) -> None:
    check_address(url)


@pytest.mark.parametrize(
    "url", ["http://loket.dukcapil.example.go.id", "http://10.0.0.5:8765", "http://127.0.0.1.nip.io", "ftp://x"]
)
def test_anything_else_is_refused_naming_https(url: str) -> None:
    with pytest.raises(InsecureAddressError) as refused:
        check_address(url)
    assert "https://" in refused.value.message


def test_the_slip_address_carries_the_pin() -> None:
    assert split_pin(f"https://dinas.example:8443/#{A}") == ("https://dinas.example:8443", A)
    assert split_pin("https://dinas.example") == ("https://dinas.example", "")
    with pytest.raises(InvalidPinError):
        split_pin("https://dinas.example#sha256//pendek")


def test_a_pinned_key_is_accepted_and_another_refused_even_when_a_ca_vouches_for_it() -> None:
    pins = ServerPins([A])
    pins.check(A, verified_by_ca=False)
    with pytest.raises(ServerKeyChangedError) as refused:
        pins.check(B, verified_by_ca=True)
    assert refused.value.observed == B and not refused.value.transient


def test_without_a_pin_only_a_key_the_os_store_vouched_for_is_accepted_and_then_pinned() -> None:
    saved: list[frozenset[str]] = []
    with pytest.raises(UntrustedCertificateError):
        ServerPins(save=saved.append).check(A, verified_by_ca=False)
    pins = ServerPins(save=saved.append)
    pins.check(A, verified_by_ca=True)
    assert pins.pins == {A} and saved == [frozenset({A})]


def test_an_announcement_is_adopted_with_the_key_in_use_and_replaces_the_rest() -> None:
    saved: list[frozenset[str]] = []
    pins = ServerPins([A, C], save=saved.append)
    pins.announced(frozenset({B}))
    assert pins.pins == {A, C}, "nothing is adopted before a connection passed the check"
    pins.check(A, verified_by_ca=False)
    pins.announced(parse_announcement(f"{A}, {B},rubbish"))
    assert pins.pins == {A, B} and saved == [frozenset({A, B})]
    pins.announced(frozenset({A, B}))
    assert len(saved) == 1, "an unchanged announcement is not stored again"


def test_client_and_server_compute_the_same_pin(tmp_path: Path) -> None:
    made = server_tls.make_self_signed("loket.dukcapil.example.go.id", tmp_path)
    certificate = x509.load_pem_x509_certificate(made.cert_path.read_bytes())
    assert client_tls.pin_of_certificate(certificate.public_bytes(serialization.Encoding.DER)) == made.pin
    assert server_tls.pin_of_file(made.cert_path) == made.pin == server_tls.check_pin(made.pin)
    assert server_tls.check_pair(made.cert_path, made.key_path) == made.pin
    names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["loket.dukcapil.example.go.id"]
    assert certificate.not_valid_after_utc > dt.datetime.now(dt.UTC) + dt.timedelta(days=4 * 365)
    assert client_tls.PIN_HEADER == server_tls.PIN_HEADER
    with pytest.raises(server_tls.TlsSetupError):
        server_tls.make_self_signed("loket.dukcapil.example.go.id", tmp_path)  # never overwrites a key
