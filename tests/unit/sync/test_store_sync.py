"""The outpost side of sync in the store: device settings, the outbox's states, Dinas status changes and notices."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.store import applications as apps
from app.store import outbox, settings, status
from app.store.models import Application, AuditEntry, OutboxItem, StatusEvent
from app.store.status import DinasChange
from app.store.store import Store
from tests.helpers.stores import new_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = new_store(tmp_path)
    yield opened
    opened.close()


def submitted(store: Store) -> tuple[Application, OutboxItem]:
    application = apps.create_draft(store, "KTPEL-BARU-WNI")
    item = apps.submit(store, application)
    return application, item


def test_settings_are_declared_typed_and_defaulted(store: Store) -> None:
    assert settings.get("sync.status_cursor") == 0
    settings.put("sync.status_cursor", 256)
    assert settings.get("sync.status_cursor") == 256
    with pytest.raises(TypeError):
        settings.put("sync.status_cursor", True)
    with pytest.raises(KeyError, match="undeclared"):
        settings.put("sync.bandwidth_cap_kbps", 256)  # an installation setting: app.settings
    with pytest.raises(KeyError, match="undeclared"):
        settings.get("sync.nope")
    settings.put("sync.device", {"device_id": "d"})
    copy = settings.get("sync.device")
    copy["device_id"] = "changed"
    assert settings.get("sync.device") == {"device_id": "d"}


def test_outbox_states_attempts_and_errors(store: Store) -> None:
    _, first = submitted(store)
    _, second = submitted(store)
    assert [i.item_id for i in outbox.sendable()] == [first.item_id, second.item_id]
    outbox.mark_sending(store, [first.item_id])
    outbox.mark_failed(store, [first.item_id], "Tidak dapat terhubung")
    failed = OutboxItem.get(OutboxItem.item_id == first.item_id)
    assert (failed.state, failed.attempts, failed.last_error) == ("failed", 1, "Tidak dapat terhubung")
    assert first.item_id in [i.item_id for i in outbox.sendable()], "a failed item is sent again"
    outbox.mark_conflict(store, second.item_id, "konflik", {"outcome": "conflict"})
    assert second.item_id not in [i.item_id for i in outbox.sendable()]
    assert outbox.counts() == {"failed": 1, "conflict": 1}


def test_an_acknowledged_item_moves_the_application_to_received(store: Store) -> None:
    application, item = submitted(store)
    answer = {"outcome": "accepted", "registration_number": "3521-20261122-000001"}
    outbox.mark_acknowledged(store, item.item_id, answer, "3521-20261122-000001", accepted=True)
    fresh = Application.get_by_id(application.id)
    assert (fresh.state, fresh.registration_number) == ("received", "3521-20261122-000001")
    stored = OutboxItem.get_by_id(item.id)
    assert stored.state == "acknowledged" and json.loads(stored.server_ack) == answer
    assert outbox.sendable() == []
    assert AuditEntry.select().where(AuditEntry.action == "sync.acknowledged").count() == 1


def test_a_cancelled_application_is_never_sent(store: Store) -> None:
    application, item = submitted(store)
    outbox.mark_failed(store, [item.item_id], "putus")
    apps.cancel(store, application, "Pemohon membatalkan")
    assert outbox.sendable() == []


def change(cursor: int, client_id: str, state: str, revision: int = 1, **extra: object) -> DinasChange:
    return DinasChange(cursor=cursor, client_id=client_id, revision=revision, state=state, **extra)  # type: ignore[arg-type]


def test_status_changes_apply_once_in_order(store: Store) -> None:
    application, _ = submitted(store)
    reasons = ({"requirement": "kk", "message": "KK buram"},)
    changes = [
        change(1, application.client_id, "received", registration_number="3521-20261122-000007"),
        change(2, application.client_id, "returned", reasons=reasons),
    ]
    report = status.apply_changes(store, changes)
    assert (report.applied, report.cursor) == (2, 2) and status.cursor() == 2
    again = status.apply_changes(store, changes)
    assert (again.applied, again.skipped) == (0, 0), "applying a page twice is harmless"
    fresh = Application.get_by_id(application.id)
    assert (fresh.state, fresh.registration_number) == ("returned", "3521-20261122-000007")
    assert status.reasons_of(fresh) == list(reasons)
    dinas = StatusEvent.select().where(StatusEvent.source == "dinas").count()
    assert dinas == 2


def test_stale_unknown_and_impossible_changes_are_skipped(store: Store) -> None:
    application, _ = submitted(store)
    report = status.apply_changes(
        store,
        [
            change(1, "00000000-0000-4000-8000-000000000000", "received"),  # another device's application
            change(2, application.client_id, "received", revision=7),
            change(3, application.client_id, "handed_over"),  # submitted -> handed_over is no transition
        ],
    )
    assert (report.applied, report.skipped, report.cursor) == (0, 3, 3)
    assert Application.get_by_id(application.id).state == "submitted"


def test_notices_for_returned_and_ready_until_dismissed(store: Store) -> None:
    application, _ = submitted(store)
    status.apply_changes(store, [change(1, application.client_id, "returned", reasons=({"message": "x"},))])
    [notice] = status.notices()
    assert (notice.state, notice.label, notice.reasons) == ("returned", "Perlu dilengkapi", ({"message": "x"},))
    status.dismiss(store, notice)
    assert status.notices() == []
    application = Application.get_by_id(application.id)  # the sync changed it behind this object
    apps.amend(store, application)
    apps.submit(store, application)
    status.apply_changes(
        store,
        [change(n, application.client_id, s, revision=2) for n, s in enumerate(
            ("received", "verified", "validated", "produced", "signed", "ready"), start=2)],
    )  # fmt: skip
    assert [n.state for n in status.notices()] == ["ready"]
