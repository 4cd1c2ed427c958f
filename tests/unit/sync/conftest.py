"""Fixtures for the sync unit tests: a server database and storage in a temporary folder, real packages."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.demo.people import PeopleGenerator
from app.store import applications as apps
from app.store.models import OutboxItem
from sync.client.package import build_package
from sync.protocol import ApplicationPackage, EnrolRequest
from sync.server import auth
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


@dataclass
class Dinas:
    """An in-process server: database, storage, intake, and one enrolled device per outpost."""

    storage: DiskStorage
    intake: Intake
    device: Device
    other: Device

    def store_documents(self, made: Made) -> None:
        for sha, data in made.blobs.items():
            self.storage.append(sha, len(data), 0, data)


def enrolled(code: str, name: str, device_name: str) -> Device:
    outpost = auth.add_outpost(code, name)
    request = EnrolRequest(
        code=auth.new_enrolment_code(outpost),
        device_id=str(uuid.uuid4()),
        device_secret="s" * 40 + device_name.replace(" ", ""),
        device_name=device_name,
    )
    auth.enrol(request)
    device: Device = auth.device_for_token(request.device_secret)
    return device


@pytest.fixture
def dinas(tmp_path: Path, reference: Reference) -> Iterator[Dinas]:
    database = bind(open_database(f"sqlite:///{tmp_path / 'server.db'}"))
    storage = DiskStorage(tmp_path / "documents")
    yield Dinas(
        storage,
        Intake(storage, reference, today=lambda: TODAY),
        enrolled("35.21.01.2001", "Desa Sukamaju", "Laptop A"),
        enrolled("35.21.02.2002", "Desa Karanganyar", "Laptop B"),
    )
    database.close()
