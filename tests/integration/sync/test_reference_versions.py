"""Published reference data (issue 18, item 1): a catalogue version the Dinas publishes reaches the
outposts over the test link, is used for new applications, while drafts keep the version they were
started with and the server validates each package against its own version. Real server, real client."""

from __future__ import annotations

import base64
import json
import random
from pathlib import Path

from app.catalog import load_catalog
from app.demo.people import PeopleGenerator
from app.reference import bundle, library_at, signing
from app.store import applications as apps
from app.store import settings, status
from app.store.models import Application
from sync.client import SyncClient, enrol
from tests.helpers.dinas import DinasServer, start_server
from tests.helpers.linkemu import LinkEmulator, LinkProfile
from tests.helpers.reference import NEW_FORM_VERSION, NEW_REQUIREMENT, catalogue_version
from tests.helpers.stores import new_store
from tests.integration.sync.cases import clean_case, draft_from_case, submit_applications

OUTPOST_A = ("35.21.01.2001", "Desa Sukamaju")
OUTPOST_B = ("35.21.02.2002", "Desa Sidomulyo")
LINK = LinkProfile(latency=0.05, bandwidth=64_000)  # slow enough that the bundle takes a few round trips


def reload(application: Application) -> Application:
    fresh: Application = Application.get_by_id(application.id)
    return fresh


def publish(server: DinasServer, folder: Path) -> dict[str, object]:
    done = server.cli("reference", "publish", str(folder), "--by", "ti-dinas", "--json")
    assert done.returncode == 0, done.stderr
    published: dict[str, object] = json.loads(done.stdout)
    return published


def test_a_published_version_reaches_two_outposts_and_old_drafts_keep_theirs(tmp_path: Path) -> None:
    server = start_server(tmp_path / "server")
    link = LinkEmulator(server.port, LINK, seed=18).start()
    shipped = load_catalog().version
    try:
        keygen = server.cli("reference", "keygen")
        assert keygen.returncode == 0, keygen.stderr

        # Outpost A was enrolled before anything was published: it learns the key on its first update.
        a = new_store(tmp_path / "a")
        try:
            enrol(a, link.url, server.add_outpost(*OUTPOST_A), "Laptop A")
            old_draft = draft_from_case(a, clean_case(PeopleGenerator(7), random.Random(7)), random.Random(7))
            assert old_draft.catalog_version == shipped
            assert not SyncClient(a).run_once().catalog_updated  # nothing published yet

            published = publish(server, catalogue_version(tmp_path / "2027", "2027.01-1"))
            assert published["sequence"] == 1 and published["catalog_version"] == "2027.01-1"

            report = SyncClient(a).run_once()
            assert report.catalog_updated and report.catalog_version == "2027.01-1"
            assert "Katalog diperbarui: versi 2027.01-1." in report.to_text()
            title = load_catalog().service("KTPEL-BARU-WNI").title
            assert f"{title}: persyaratan baru 'Surat Pengantar RT/RW' (wajib)." in report.catalog_changes
            assert any(f"F-1.02 versi baru {NEW_FORM_VERSION}" in line for line in report.catalog_changes)
            assert settings.get("sync.reference")["notice"]["version"] == "2027.01-1"
            library = library_at(a.paths.reference)
            assert library.newest().version == "2027.01-1"
            assert library.get(shipped).sequence == 0  # the old version stays for the drafts on it

            # New applications start on the new version; the old draft keeps its own.
            assert apps.create_draft(a, "KTPEL-BARU-WNI").catalog_version == "2027.01-1"
            assert reload(old_draft).catalog_version == shipped

            # The old draft lacks the Surat Pengantar the new version asks for: sent now, the Dinas checks it
            # against the version it was filled with and accepts it.
            apps.submit(a, reload(old_draft))
            [fresh] = submit_applications(a, 1, seed=5)  # started on the new version, without the new paper
            assert fresh.catalog_version == "2027.01-1"
            report = SyncClient(a).run_once()
            assert (report.accepted, report.invalid) == (1, 1)
            assert reload(old_draft).registration_number
            assert reload(fresh).state == "returned"
            assert NEW_REQUIREMENT in {r.get("requirement") for r in status.reasons_of(reload(fresh))}
        finally:
            a.close()

        # Outpost B enrols after the publication: it learns the key at enrolment, then gets the version.
        b = new_store(tmp_path / "b")
        try:
            enrol(b, link.url, server.add_outpost(*OUTPOST_B), "Laptop B")
            assert settings.get("sync.reference")["public_key"]
            assert library_at(b.paths.reference).newest().version == shipped
            report = SyncClient(b).run_once()
            assert report.catalog_updated
            assert library_at(b.paths.reference).newest().version == "2027.01-1"
            assert apps.create_draft(b, "KTPEL-BARU-WNI").catalog_version == "2027.01-1"
        finally:
            b.close()
    finally:
        link.stop()
        server.stop()


def test_a_tampered_version_is_refused_and_the_outpost_keeps_the_previous(tmp_path: Path) -> None:
    server = start_server(tmp_path / "server")
    try:
        assert server.cli("reference", "keygen").returncode == 0
        publish(server, catalogue_version(tmp_path / "v1", "2027.01-1", new_form_version=False))
        store = new_store(tmp_path / "outpost")
        try:
            enrol(store, server.url, server.add_outpost(*OUTPOST_A), "Laptop A")
            assert SyncClient(store).run_once().catalog_version == "2027.01-1"

            # Version 2 as stored at the server is swapped, key and all, for one signed with another key (a
            # break-in at the database): the server serves it, the outpost knows the Dinas key from enrolment.
            publish(server, catalogue_version(tmp_path / "v2", "2027.02-1", new_form_version=False))
            from sync.server.models import ReferenceVersion

            server.bind()
            other_key = signing.new_private_key()
            forged = bundle.build(
                bundle.data_files(tmp_path / "v2"),
                sequence=2,
                catalog_version="2027.02-1",
                forms=[],
                private_key=other_key,
            )
            ReferenceVersion.update(
                bundle=forged, public_key=base64.b64encode(signing.public_key_of(other_key)).decode("ascii")
            ).where(ReferenceVersion.sequence == 2).execute()
            server.stop()
            server.process = None
            server.start()  # a fresh process: nothing of the honest version 2 left in memory

            report = SyncClient(store).run_once()  # the run itself completes
            assert not report.catalog_updated
            assert "Tanda tangan katalog" in report.catalog_error
            assert library_at(store.paths.reference).newest().version == "2027.01-1"
            assert apps.create_draft(store, "KTPEL-BARU-WNI").catalog_version == "2027.01-1"
        finally:
            store.close()
    finally:
        server.stop()
