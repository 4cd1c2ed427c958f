"""Packages built from the store are stable and signed; catalogue bundles are unpacked safely."""

from __future__ import annotations

import base64
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.store import applications as apps
from app.store.models import OutboxItem
from sync.client.package import Signer, build_package
from sync.protocol import ApplicationPackage, canonical_json, content_hash, signing_payload
from tests.helpers.stores import new_store


def test_the_same_revision_always_gives_the_same_package(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    try:
        application = apps.create_draft(store, "KTPEL-BARU-WNI", applicant_name="Budi")
        apps.save_answers(store, application, "F-1.02", {"pemohon": {"nama": "Budi"}})
        apps.attach_page(store, application, "kk", b"halaman-2", media_type="image/png")
        apps.attach_page(store, application, "akta", b"halaman-1", media_type="image/png", dpi=0)
        apps.submit(store, application)
        item = OutboxItem.get()
        first, second = build_package(item), build_package(OutboxItem.get_by_id(item.id))
        assert content_hash(first) == content_hash(second) and first == second
        assert first.forms[0].schema_version == "F-1.02@PMDN109-2019", "a bare form id means the local version"
        assert [d.requirement_id for d in first.documents] == ["akta", "kk"]
        assert first.documents[0].pages[0].dpi is None
        key = Ed25519PrivateKey.generate()
        raw = key.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
        signed = build_package(item, Signer(raw))
        assert signed.signature is not None and content_hash(signed) == content_hash(first)
        key.public_key().verify(base64.b64decode(signed.signature), signing_payload(signed))
        assert first.officer == store.officer.full_name
        assert b'"officer"' in signing_payload(signed), "the officer's name is signed with the package"
    finally:
        store.close()


def test_packages_without_an_officer_keep_their_protocol_1_hash_and_signature() -> None:
    """An older outpost sends no officer: its content hash and signed bytes are as before the field existed."""
    package = ApplicationPackage.model_validate(
        {
            "item_id": "5d0c0c3e-8f1a-4b0e-9c55-3a1e9a0b2c11",
            "client_id": "0501a1b2-c3d4-4e5f-8a9b-0c1d2e3f4a5b",
            "revision": 1,
            "service_code": "KTPEL-BARU-WNI",
            "submitted_at": "2026-11-22T07:55:10",
            "forms": [],
        }
    )
    protocol_1 = package.model_dump(mode="json", exclude={"signature", "officer", "catalog_version"})
    assert signing_payload(package) == canonical_json(protocol_1)
    assert b"officer" not in signing_payload(package)
    named = package.model_copy(update={"officer": "Sri Lestari"})
    assert content_hash(named) != content_hash(package), "the officer is part of the content once given"


def test_the_catalogue_version_is_named_in_the_package_and_hashed_only_when_given(tmp_path: Path) -> None:
    """A package names the catalogue version its application was started with (the Dinas validates against
    it); one without a version (an older outpost) keeps the hash and signed bytes it had before the field."""
    store = new_store(tmp_path)
    try:
        application = apps.create_draft(store, "KTPEL-BARU-WNI", applicant_name="Budi", catalog_version="2027.01-1")
        apps.submit(store, application)
        package = build_package(OutboxItem.get())
        assert package.catalog_version == "2027.01-1"
        assert b'"catalog_version":"2027.01-1"' in signing_payload(package)
        unnamed = package.model_copy(update={"catalog_version": ""})
        assert b"catalog_version" not in signing_payload(unnamed)
        assert content_hash(unnamed) != content_hash(package)
    finally:
        store.close()


def test_a_kk_given_only_in_the_form_reaches_the_header(tmp_path: Path) -> None:
    """The applicant page left KK empty, F-1.02 has it: the package's header names it (the Dinas searches by it)."""
    store = new_store(tmp_path)
    try:
        application = apps.create_draft(store, "KTPEL-BARU-WNI", applicant_name="Dewi Lestari")
        apps.save_answers(
            store, application, "F-1.02", {"pemohon": {"nama": "DEWI LESTARI", "no_kk": "3521 0101 0110 0009"}}
        )
        apps.submit(store, application)
        package = build_package(OutboxItem.get())
        assert (package.applicant.name, package.applicant.kk) == ("Dewi Lestari", "3521010101100009")
    finally:
        store.close()
