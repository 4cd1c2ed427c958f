"""What the officer's screens read: the lists and their counts, the sync bar's counts, an amended draft's reasons."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from app.store import applications as apps
from app.store import outbox, status
from app.store.status import DinasChange
from app.store.store import Store
from app.views.editing import load_bundle
from app.views.lists import BarCounts, list_page
from tests.helpers.stores import new_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with closing(new_store(tmp_path)) as opened:
        yield opened


def test_the_bar_counts_every_item_not_acknowledged_and_the_lists_count_their_states(store: Store) -> None:
    apps.create_draft(store, "KTPEL-BARU-WNI", applicant_name="ANI LESTARI")
    first = apps.create_draft(store, "KTPEL-BARU-WNI", applicant_name="BUDI SANTOSO")
    second = apps.create_draft(store, "KTPEL-BARU-WNI", applicant_name="CITRA DEWI")
    third = apps.create_draft(store, "KTPEL-BARU-WNI", applicant_name="DEWI SARTIKA")
    conflict, acknowledged = apps.submit(store, first), apps.submit(store, second)
    apps.submit(store, third)
    outbox.mark_conflict(store, conflict.item_id, "konflik", {"outcome": "conflict"})
    outbox.mark_acknowledged(store, acknowledged.item_id, {"outcome": "accepted"}, None, accepted=True)
    status.apply_changes(store, [DinasChange(1, third.client_id, 1, "returned", reasons=({"message": "KK buram"},))])

    page = list_page("all", "", {"KTPEL-BARU-WNI": "KTP-el baru"})
    assert page.bar == BarCounts(waiting=2, returned=1, ready=0), "the pending conflict and the returned item's"
    assert page.list_counts["draft"] == 1 and page.list_counts["returned"] == 1 and page.list_counts["all"] == 4
    assert {row.applicant for row in page.rows} == {"ANI LESTARI", "BUDI SANTOSO", "CITRA DEWI", "DEWI SARTIKA"}
    assert {row.service_title for row in page.rows} == {"KTP-el baru"}
    assert [row.applicant for row in list_page("all", "citra", {}).rows] == ["CITRA DEWI"]


def test_an_amended_draft_shows_the_reasons_of_its_return(store: Store) -> None:
    draft = apps.create_draft(store, "KTPEL-BARU-WNI")
    assert load_bundle(draft.client_id).reasons == []
    apps.submit(store, draft)
    reasons = ({"requirement": "kk", "message": "KK buram"},)
    status.apply_changes(
        store,
        [
            DinasChange(1, draft.client_id, 1, "received", registration_number="3521-20261122-000007"),
            DinasChange(2, draft.client_id, 1, "returned", reasons=reasons),
        ],
    )
    apps.amend(store, load_bundle(draft.client_id).application)
    bundle = load_bundle(draft.client_id)
    assert (bundle.application.state, bundle.application.revision) == ("draft", 2)
    assert bundle.reasons == list(reasons)
