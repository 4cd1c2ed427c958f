"""What waits in an outpost's outbox reaches the Dinas with its requests (Loket-Outbox) and is recorded."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from app.demo.people import PeopleGenerator
from app.store import applications as apps
from app.store import outbox
from sync.protocol import outbox_header, parse_outbox_header
from sync.server import auth
from sync.server.models import Device
from tests.helpers.stores import new_store
from tests.integration.sync.cases import clean_case, draft_from_case
from tests.unit.sync.conftest import Dinas


def test_waiting_items_and_their_age(tmp_path: Path) -> None:
    """Submitted, unacknowledged items are counted with the oldest one's time; cancelled ones are not."""
    store = new_store(tmp_path)
    try:
        assert outbox.waiting() == (0, None)
        rng, people = random.Random(5), PeopleGenerator(5)
        first = draft_from_case(store, clean_case(people, rng), rng)
        apps.submit(store, first)
        second = draft_from_case(store, clean_case(people, rng), rng)
        apps.submit(store, second)
        count, oldest = outbox.waiting()
        assert count == 2 and oldest is not None
        assert dt.datetime.now(dt.UTC).replace(tzinfo=None) - oldest < dt.timedelta(minutes=5)
        apps.cancel(store, second, "Pemohon membatalkan")
        assert outbox.waiting()[0] == 1
    finally:
        store.close()


def test_the_header_round_trips_and_bad_values_are_ignored() -> None:
    """The header's value reads back as written; anything malformed is ignored, never an error."""
    moment = dt.datetime(2026, 11, 20, 7, 30, 5)
    assert parse_outbox_header(outbox_header(3, moment)) == (3, moment)
    assert parse_outbox_header(outbox_header(0, None)) == (0, None)
    for bad in ("", "x", "-1", "3;kemarin", "9999999999", "2;2026-13-40T00:00:00"):
        assert parse_outbox_header(bad) is None, bad


def test_the_server_records_what_a_device_reports(dinas: Dinas) -> None:
    """A device's report is stored on its row (and replaced by the next one)."""
    token = "s" * 40 + "LaptopA"
    moment = dt.datetime(2026, 11, 20, 7, 30, 5)
    auth.device_for_token(token, (4, moment))
    device = Device.get_by_id(dinas.device.id)
    assert (device.outbox_waiting, device.outbox_oldest_at) == (4, moment)
    assert device.outbox_reported_at is not None
    auth.device_for_token(token, (0, None))
    device = Device.get_by_id(dinas.device.id)
    assert (device.outbox_waiting, device.outbox_oldest_at) == (0, None)
