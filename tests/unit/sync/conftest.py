"""Fixtures for the sync unit tests: a server database and storage in a temporary folder, real packages."""

from __future__ import annotations

import base64
import datetime as dt
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.demo.people import PeopleGenerator
from app.store import applications as apps
from app.store.models import OutboxItem
from sync.client.package import Signer, build_package
from sync.protocol import ApplicationPackage, BatchRequest, BatchResponse, EnrolRequest
from sync.server import auth, uploads
from sync.server.db import bind, open_database
from sync.server.intake import Intake
from sync.server.models import Device
from sync.server.reference import Reference
from sync.server.storage import DiskStorage
from tests.helpers.stores import new_store
from tests.integration.sync.cases import clean_case, draft_from_case

TODAY = dt.date(2026, 11, 22)


@dataclass
class Made:
    """A real package from a real store, with the bytes of its pages."""

    package: ApplicationPackage
    blobs: dict[str, bytes]


@pytest.fixture(scope="session")
def reference() -> Reference:
    return Reference.load()


@pytest.fixture(scope="session")
def made_packages(tmp_path_factory: pytest.TempPathFactory) -> list[Made]:
    """Three valid submitted revisions of three applications, as packages."""
    store = new_store(tmp_path_factory.mktemp("packages") / "outpost")
    rng = random.Random(5)
    people = PeopleGenerator(5, today=TODAY)  # answers dated against the day the server keeps
    made = []
    try:
        for _ in range(3):
            application = draft_from_case(store, clean_case(people, rng), rng, (2000, 4000))
            apps.submit(store, application)
            item = OutboxItem.get(OutboxItem.application == application)
            package = build_package(item)
            blobs = {sha: store.blobs.get(sha) for sha, _ in package.document_refs()}
            made.append(Made(package, blobs))
    finally:
        store.close()
    return made


DEVICE_KEYS: dict[str, bytes] = {}
"""The private signing key of every device the fixtures enrolled, by device id (the laptop's half)."""


class OutpostIntake(Intake):
    """The real intake, reached as an outpost reaches it: an unsigned package is first signed with its
    device's key, as the client's `Signer` does before sending (devices the fixtures did not enrol, or
    packages already signed, go through as they are)."""

    def commit(self, device: Device, request: BatchRequest) -> BatchResponse:
        key = DEVICE_KEYS.get(device.device_id)
        if key is not None:
            signer = Signer(key)
            items = [p if p.signature is not None else signer.sign(p) for p in request.items]
            request = request.model_copy(update={"items": items})
        return super().commit(device, request)


def upload(storage: DiskStorage, device: Device, blobs: dict[str, bytes]) -> None:
    """Upload documents as this device does (its outpost then owns them)."""
    for sha, data in blobs.items():
        uploads.append(storage, device, sha, len(data), 0, data)


@dataclass
class Dinas:
    """An in-process server: database, storage, intake, and one enrolled device per outpost."""

    storage: DiskStorage
    intake: Intake
    device: Device
    other: Device

    def store_documents(self, made: Made, *devices: Device) -> None:
        """Upload a package's pages from these devices (default: both outposts)."""
        for device in devices or (self.device, self.other):
            upload(self.storage, device, made.blobs)


def device_key() -> tuple[bytes, str]:
    """A new Ed25519 key pair: the raw private key and the base64 public key an enrolment sends."""
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw, base64.b64encode(public).decode("ascii")


def enrolled(code: str, name: str, device_name: str) -> Device:
    """Register an outpost and enrol one device with its own signing key (kept in DEVICE_KEYS)."""
    outpost = auth.add_outpost(code, name)
    raw, public = device_key()
    request = EnrolRequest(
        code=auth.new_enrolment_code(outpost),
        device_id=str(uuid.uuid4()),
        device_secret="s" * 40 + device_name.replace(" ", ""),
        device_name=device_name,
        public_key=public,
    )
    auth.enrol(request)
    DEVICE_KEYS[request.device_id] = raw
    device: Device = auth.device_for_token(request.device_secret)
    return device


@pytest.fixture
def dinas(tmp_path: Path, reference: Reference) -> Iterator[Dinas]:
    database = bind(open_database(f"sqlite:///{tmp_path / 'server.db'}"))
    storage = DiskStorage(tmp_path / "documents")
    yield Dinas(
        storage,
        OutpostIntake(storage, reference, today=lambda: TODAY),
        enrolled("35.21.01.2001", "Desa Sukamaju", "Laptop A"),
        enrolled("35.21.02.2002", "Desa Karanganyar", "Laptop B"),
    )
    database.close()
