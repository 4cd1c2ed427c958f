"""Tests of applications in the store: autosave, pages, submit, amend, cancel, and their audit entries."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.paths import DataPaths
from app.store import Store
from app.store import applications as apps
from app.store.errors import PermissionDeniedError, StateError
from app.store.models import Application, AuditEntry, OutboxItem, StatusEvent
from tests.helpers.stores import OPERATOR, new_store, with_operator


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = new_store(tmp_path)
    yield opened
    opened.close()


def test_draft_answers_are_saved_and_replaced(store: Store) -> None:
    application = apps.create_draft(store, "KTPEL-BARU-WNI", applicant_name="Budi Santoso")
    apps.save_answers(store, application, "F-1.02@PMDN109-2019", {"pemohon": {"nama": "Budi"}})
    apps.save_answers(store, application, "F-1.02@PMDN109-2019", {"pemohon": {"nama": "Budi Santoso"}})
    assert apps.answers_of(application) == {"F-1.02": {"pemohon": {"nama": "Budi Santoso"}}}
    assert apps.schema_versions_of(application) == {"F-1.02": "F-1.02@PMDN109-2019"}
    apps.save_facts(store, application, {"surat_lahir_ada": False})
    assert apps.facts_of(application) == {"surat_lahir_ada": False}
    reloaded = Application.get(Application.client_id == application.client_id)
    assert reloaded.current_form == "F-1.02"


def test_pages_are_stored_encrypted_and_in_order(store: Store) -> None:
    application = apps.create_draft(store, "KK-HILANG-RUSAK")
    first = apps.attach_page(store, application, "laporan_hilang", b"halaman-1", media_type="image/png", dpi=200)
    second = apps.attach_page(store, application, "laporan_hilang", b"halaman-2", media_type="image/png")
    [(document, pages)] = apps.pages_of(application)
    assert document.requirement_id == "laporan_hilang"
    assert [p.position for p in pages] == [1, 2]
    assert store.blobs.get(first.blob_hash) == b"halaman-1"
    assert store.blobs.get(second.blob_hash) == b"halaman-2"


def test_submit_freezes_and_queues(store: Store) -> None:
    application = apps.create_draft(store, "KTPEL-BARU-WNI")
    item = apps.submit(store, application, acknowledged_warnings=["pemohon.nik:nik_sex_mismatch"])
    assert item.state == "pending" and item.revision == 1
    assert Application.get_by_id(application.id).state == "submitted"
    with pytest.raises(StateError, match="sudah dikirim"):
        apps.save_answers(store, application, "F-1.02", {})
    with pytest.raises(StateError):
        apps.submit(store, application)
    entry = AuditEntry.select().where(AuditEntry.action == "application.submit").get()
    assert "nik_sex_mismatch" in entry.details


def test_amend_returned_application_copies_revision(store: Store) -> None:
    application = apps.create_draft(store, "KTPEL-BARU-WNI")
    apps.save_answers(store, application, "F-1.02@PMDN109-2019", {"pemohon": {"nama": "Ani"}})
    apps.attach_page(store, application, "kk", b"kk-page", media_type="image/png")
    apps.submit(store, application)
    Application.update(state="returned").where(Application.id == application.id).execute()
    application = Application.get_by_id(application.id)
    apps.amend(store, application)
    assert (application.state, application.revision) == ("draft", 2)
    assert apps.answers_of(application) == {"F-1.02": {"pemohon": {"nama": "Ani"}}}
    assert apps.answers_of(application, revision=1) == {"F-1.02": {"pemohon": {"nama": "Ani"}}}
    [(_, pages)] = apps.pages_of(application)
    assert store.blobs.get(pages[0].blob_hash) == b"kk-page"
    apps.save_answers(store, application, "F-1.02@PMDN109-2019", {"pemohon": {"nama": "Ani Lestari"}})
    assert apps.answers_of(application, revision=1) == {"F-1.02": {"pemohon": {"nama": "Ani"}}}


def test_amend_only_returned(store: Store) -> None:
    application = apps.create_draft(store, "KTPEL-BARU-WNI")
    with pytest.raises(StateError, match="tidak dapat diubah"):
        apps.amend(store, application)


def test_cancel_needs_reason_and_supervisor_after_submit(store: Store, tmp_path: Path) -> None:
    with_operator(store)
    draft = apps.create_draft(store, "KTPEL-BARU-WNI")
    with pytest.raises(StateError, match="Alasan"):
        apps.cancel(store, draft, " ")
    submitted = apps.create_draft(store, "KTPEL-BARU-WNI")
    apps.submit(store, submitted)
    store.close()
    operator = Store.unlock(DataPaths(tmp_path), OPERATOR[0], OPERATOR[2])
    with pytest.raises(PermissionDeniedError):
        apps.cancel(operator, Application.get_by_id(submitted.id), "pemohon membatalkan")
    apps.cancel(operator, Application.get_by_id(draft.id), "salah layanan")
    operator.close()
    supervisor = Store.unlock(DataPaths(tmp_path), "sup", "rahasia-sup-1")
    apps.cancel(supervisor, Application.get_by_id(submitted.id), "pemohon membatalkan")
    assert OutboxItem.select().where(OutboxItem.application == submitted.id).count() == 0
    event = StatusEvent.select().where(StatusEvent.state == "cancelled").order_by(StatusEvent.id.desc()).get()
    assert "pemohon membatalkan" in event.reasons
    entry = AuditEntry.select().where(AuditEntry.action == "application.cancel").order_by(AuditEntry.seq.desc()).get()
    assert entry.officer == "sup" and "pemohon membatalkan" in entry.details
    supervisor.close()
