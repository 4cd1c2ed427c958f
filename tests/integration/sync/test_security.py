"""Issue 15, findings 3, 4, 6 and 7 against a real `loket-server` on loopback, as an attacker would try them:
unbounded partial uploads, unsigned devices, documents shared across outposts, plaintext at rest."""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import stat
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from app.demo.people import PeopleGenerator
from app.store import applications as apps
from app.store.models import OutboxItem
from sync.client.package import Signer, build_package
from sync.protocol import ApplicationPackage, BatchRequest
from tests.helpers.dinas import DinasServer, start_server
from tests.helpers.stores import new_store
from tests.integration.sync.cases import clean_case, draft_from_case
from tests.unit.sync.conftest import TODAY, device_key


@dataclass
class Laptop:
    """An outpost device speaking raw HTTP: its token and signing key."""

    server: DinasServer
    token: str
    key: bytes
    device_id: str

    def call(self, method: str, path: str, **kwargs: object) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.token}", "X-Loket-Protocol": "1"}
        return requests.request(method, f"{self.server.url}{path}", headers=headers, timeout=30, **kwargs)  # type: ignore[arg-type]

    def put(self, sha: str, size: int, offset: int, data: bytes) -> requests.Response:
        return self.call("PUT", f"/v1/documents/{sha}", params={"offset": offset, "size": size}, data=data)

    def status(self, sha: str, size: int) -> dict[str, object]:
        answer = self.call("POST", "/v1/documents/status", json={"documents": [{"sha256": sha, "size": size}]})
        assert answer.status_code == 200, answer.text
        state: dict[str, object] = answer.json()["documents"][0]
        return state

    def commit(self, package: ApplicationPackage) -> requests.Response:
        signed = Signer(self.key).sign(package.model_copy(update={"signature": None}))
        body = BatchRequest(batch_id=str(uuid.uuid4()), items=[signed])
        return self.call("POST", "/v1/batches", json=json.loads(body.model_dump_json()))


def enrol(server: DinasServer, code: str, name: str, *, with_key: bool = True) -> Laptop:
    raw, public = device_key()
    secret = "t" * 40 + uuid.uuid4().hex[:8]
    body: dict[str, object] = {
        "code": server.add_outpost(code, name),
        "device_id": str(uuid.uuid4()),
        "device_secret": secret,
        "device_name": name,
    }
    if with_key:
        body["public_key"] = public
    answer = requests.post(f"{server.url}/v1/enrol", json=body, timeout=30)
    if with_key:
        assert answer.status_code == 200, answer.text
    laptop = Laptop(server, secret, raw, str(body["device_id"]))
    laptop.last_answer = answer  # type: ignore[attr-defined]
    return laptop


@dataclass
class Package:
    """A real package and its pages' bytes."""

    package: ApplicationPackage
    blobs: dict[str, bytes]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Package:
    store = new_store(tmp_path_factory.mktemp("outpost") / "outpost")
    try:
        rng = random.Random(15)
        application = draft_from_case(store, clean_case(PeopleGenerator(15, today=TODAY), rng), rng, (2000, 4000))
        apps.submit(store, application)
        made = build_package(OutboxItem.get(OutboxItem.application == application))
        return Package(made, {sha: store.blobs.get(sha) for sha, _ in made.document_refs()})
    finally:
        store.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[DinasServer]:
    running = start_server(tmp_path / "dinas")
    yield running
    running.stop()


def upload_all(laptop: Laptop, blobs: dict[str, bytes]) -> None:
    for sha, data in blobs.items():
        answer = laptop.put(sha, len(data), 0, data)
        assert answer.status_code == 200 and answer.json()["complete"], answer.text


def test_enrolment_needs_a_public_key_and_an_old_unsigned_device_must_enrol_again(
    server: DinasServer, package: Package
) -> None:
    """Finding 4: no key, no enrolment; a device enrolled without one (before) is told to enrol again."""
    keyless = enrol(server, "35.21.01.2001", "Desa Sukamaju", with_key=False)
    refused = keyless.last_answer  # type: ignore[attr-defined]
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "public_key_required"
    assert "kunci publik" in refused.json()["error"]["message"]

    old = enrol(server, "35.21.02.2002", "Desa Lama")
    from sync.server.models import Device

    Device.update(public_key="").where(Device.device_id == old.device_id).execute()  # as enrolled before
    upload = old.put(*next((sha, len(data), 0, data) for sha, data in package.blobs.items()))
    assert upload.status_code == 401 and upload.json()["error"]["code"] == "reenrol_required"
    commit = old.commit(package.package)
    assert commit.status_code == 401 and "daftarkan ulang" in commit.json()["error"]["message"]


def test_a_document_of_one_outpost_is_invisible_to_another_which_cannot_cite_it_nor_reset_its_upload(
    server: DinasServer, package: Package
) -> None:
    """Finding 6: outpost B learns nothing of A's document, may not cite it, and cannot reset A's upload."""
    a = enrol(server, "35.21.01.2001", "Desa Sukamaju")
    b = enrol(server, "35.21.02.2002", "Desa Karanganyar")
    upload_all(a, package.blobs)
    assert a.commit(package.package).json()["results"][0]["outcome"] == "accepted"
    sha, data = next(iter(package.blobs.items()))
    assert a.status(sha, len(data))["complete"] is True
    assert b.status(sha, len(data)) == {"sha256": sha, "size": len(data), "offset": 0, "complete": False}
    theirs = package.package.model_copy(update={"item_id": str(uuid.uuid4()), "client_id": str(uuid.uuid4())})
    cited = b.commit(theirs)
    assert cited.status_code == 409 and cited.json()["error"]["code"] == "documents_missing"
    assert sha in cited.json()["error"]["detail"]["missing"]

    secret = os.urandom(5000)
    digest = hashlib.sha256(secret).hexdigest()
    assert a.put(digest, len(secret), 0, secret[:2000]).json()["offset"] == 2000
    assert b.status(digest, len(secret))["offset"] == 0, "A's partial upload is not B's to see"
    reset = b.put(digest, 2001, 0, os.urandom(2001))  # an announced size that ends B's own attempt
    assert reset.status_code == 422 and reset.json()["error"]["code"] == "hash_mismatch"
    assert a.status(digest, len(secret))["offset"] == 2000, "A's upload is untouched"
    assert a.put(digest, len(secret), 2000, secret[2000:]).json()["complete"] is True

    # B uploads the same bytes itself: then it may cite them, and they are stored once.
    upload_all(b, package.blobs)
    assert b.commit(theirs).json()["results"][0]["outcome"] in ("accepted", "invalid")
    assert len(list((server.storage / "documents").glob(f"??/{sha}"))) == 1


def test_scans_and_packages_are_sealed_at_rest_in_private_files_and_a_new_key_re_seals_them(
    server: DinasServer, package: Package
) -> None:
    """Finding 7: no scan byte and no NIK in plaintext on the Dinas' disk; files 0600, folders 0700."""
    a = enrol(server, "35.21.01.2001", "Desa Sukamaju")
    upload_all(a, package.blobs)
    assert a.commit(package.package).json()["results"][0]["outcome"] == "accepted"
    nik = package.package.applicant.nik.encode()
    assert nik
    for sha, data in package.blobs.items():
        stored = next((server.storage / "documents").glob(f"??/{sha}"))
        raw = stored.read_bytes()
        assert data[:64] not in raw and data[-64:] not in raw, "a scan is stored in plaintext"
        assert stat.S_IMODE(stored.stat().st_mode) == 0o600
        assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o700
    for folder in (server.storage, server.storage / "documents", server.storage / "partial"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    key_file = server.storage.parent / "loket-server.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    database = Path(server.database_url.removeprefix("sqlite:///"))
    with sqlite3.connect(database) as connection:
        [(stored_package,)] = connection.execute("SELECT package FROM submission").fetchall()
    connection.close()
    assert nik.decode() not in stored_package and stored_package.startswith("enc1:")

    # The back office still reads it, through the API (the same read_package).
    shown = server.cli("applications", "show", package.package.client_id, "--json")
    assert shown.returncode == 0, shown.stderr
    assert len(json.loads(shown.stdout)["pages"]) == len(package.blobs)

    server.stop()
    before = key_file.read_text()
    rotated = server.cli("keys", "rotate", "--storage", str(server.storage), "--json")
    assert rotated.returncode == 0, rotated.stderr
    report = json.loads(rotated.stdout)
    assert report["documents"] == len(package.blobs) and report["packages"] == 1
    assert key_file.read_text() != before and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    server.start()
    sha, data = next(iter(package.blobs.items()))
    staff = server.add_staff("rina")
    page = requests.get(
        f"{server.url}/v1/backoffice/documents/{sha}", headers={"Authorization": f"Bearer {staff}"}, timeout=30
    )
    assert page.status_code == 200 and page.content == data


def test_a_device_cannot_fill_the_disk_with_partial_uploads(tmp_path: Path) -> None:
    """Finding 3: a quota of unfinished bytes per device, and a free-space guard answering 507 in Indonesian."""
    os.environ["LOKET_SERVER_UPLOAD_QUOTA_MB"] = "1"
    try:
        server = start_server(tmp_path / "dinas")
    finally:
        del os.environ["LOKET_SERVER_UPLOAD_QUOTA_MB"]
    try:
        attacker = enrol(server, "35.21.01.2001", "Desa Sukamaju")
        made_up = [hashlib.sha256(str(n).encode()).hexdigest() for n in range(3)]
        first = attacker.put(made_up[0], 10 * 2**20, 0, os.urandom(600_000))
        assert first.status_code == 200
        refused = attacker.put(made_up[1], 10 * 2**20, 0, os.urandom(600_000))
        assert refused.status_code == 507 and refused.json()["error"]["code"] == "upload_quota"
        assert "belum selesai" in refused.json()["error"]["message"]
        other = enrol(server, "35.21.02.2002", "Desa Karanganyar")
        assert other.put(made_up[2], 1000, 0, os.urandom(500)).status_code == 200, "the quota is per device"
    finally:
        server.stop()

    os.environ["LOKET_SERVER_MIN_FREE_MB"] = str(2**40)  # more than any disk has free
    try:
        full = start_server(tmp_path / "penuh")
    finally:
        del os.environ["LOKET_SERVER_MIN_FREE_MB"]
    try:
        laptop = enrol(full, "35.21.01.2001", "Desa Sukamaju")
        data = os.urandom(1000)
        answer = laptop.put(hashlib.sha256(data).hexdigest(), len(data), 0, data)
        assert answer.status_code == 507 and answer.json()["error"]["code"] == "storage_full"
        assert "hampir penuh" in answer.json()["error"]["message"]
        assert not list((full.storage / "partial").iterdir()), "nothing was written"
    finally:
        full.stop()
