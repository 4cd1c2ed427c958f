"""Backoff with full jitter, the bandwidth cap, chunk sizes from the measured link, and the wire schemas."""

from __future__ import annotations

import datetime as dt
import random
import uuid

import pytest
from pydantic import ValidationError

from sync.client.pacing import FIRST_CHUNK, KIB, MIB, Backoff, LinkEstimate, TokenBucket
from sync.protocol import ApplicationPackage, FormAnswers, Reason, canonical_json, content_hash, signing_payload


class MaxRandom(random.Random):
    """Always draws the top of the range."""

    def uniform(self, a: float, b: float) -> float:
        return b


def test_backoff_doubles_with_full_jitter_up_to_ten_minutes() -> None:
    backoff = Backoff(base=2.0, rng=MaxRandom())
    ceilings = [backoff.next_delay() for _ in range(12)]
    assert ceilings[:5] == [2, 4, 8, 16, 32]
    assert max(ceilings) == 600 and ceilings[-1] == 600
    backoff.reset()
    assert backoff.next_delay() == 2
    jittered = Backoff(base=2.0, rng=random.Random(1))
    delays = [jittered.next_delay() for _ in range(40)]
    assert all(0 <= d <= 600 for d in delays) and len(set(delays)) == 40


def test_token_bucket_paces_to_the_cap() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    bucket = TokenBucket(rate=25_000, burst=16 * KIB, clock=lambda: now[0], sleep=sleep)
    for _ in range(64):
        bucket.take(16 * KIB)
    # 1 MiB at 25 kB/s, less the first burst.
    assert now[0] == pytest.approx((64 - 1) * 16 * KIB / 25_000, rel=0.01)
    bucket.set_rate(0)
    before = now[0]
    bucket.take(10 * MIB)
    assert now[0] == before


def test_chunks_are_256_kib_on_edge_and_grow_on_4g() -> None:
    link = LinkEstimate()
    assert link.chunk_size() == FIRST_CHUNK == 256 * KIB
    link.observe(256 * KIB, 256 * KIB / 23_000)  # EDGE: 200 kbit/s less the round trip
    assert link.chunk_size() == 256 * KIB
    fast = LinkEstimate()
    fast.observe(4 * MIB, 2.0)  # about 16 Mbit/s
    assert fast.chunk_size() == 4 * MIB
    gprs = LinkEstimate()
    gprs.observe(64 * KIB, 20.0)
    assert gprs.chunk_size() == 64 * KIB
    tiny = LinkEstimate()
    tiny.observe(100, 0.001)  # too small to measure anything
    assert tiny.throughput == 0
    assert LinkEstimate(max_chunk=64 * KIB).chunk_size() == 64 * KIB


def test_read_timeout_covers_the_body_at_the_link_rate() -> None:
    link = LinkEstimate()
    assert link.read_timeout(256 * KIB, 30.0, 2 * KIB) == pytest.approx(30 + 2 * 128)
    link.observe(1 * MIB, 1.0)
    assert link.read_timeout(1 * MIB, 30.0, 2 * KIB) == pytest.approx(32.0)


def package(**changes: object) -> ApplicationPackage:
    base = ApplicationPackage(
        item_id=str(uuid.uuid4()),
        client_id="3f0c1e2a-0b1c-4d2e-8f3a-4b5c6d7e8f90",
        revision=1,
        service_code="KTPEL-BARU-WNI",
        submitted_at=dt.datetime(2026, 11, 22, 3, 4, 5),
        forms=[FormAnswers(form="F-1.02", schema_version="F-1.02@PMDN109-2019", answers={"pemohon": {"nama": "A"}})],
    )
    return base.model_copy(update=changes)


def test_content_hash_ignores_the_item_id_and_signature_only() -> None:
    first, second = package(), package()
    assert first.item_id != second.item_id and content_hash(first) == content_hash(second)
    assert content_hash(package(site="lain")) != content_hash(first)
    assert content_hash(package(signature="A" * 86 + "==")) == content_hash(first)
    roundtrip = ApplicationPackage.model_validate_json(first.model_dump_json())
    assert content_hash(roundtrip) == content_hash(first)
    assert first.item_id.encode() in signing_payload(first)
    assert canonical_json({"b": 1, "a": [1.5, "é"]}) == b'{"a":[1.5,"\\u00e9"],"b":1}'


@pytest.mark.parametrize(
    "answers",
    [{"a": "x\x00y"}, {"a": "\ud800"}, {"a": float("nan")}, {"a": [[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]}],
)
def test_answers_that_no_database_can_store_are_refused(answers: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        FormAnswers(form="F-1.02", schema_version="F-1.02@PMDN109-2019", answers=answers)


def test_wire_texts_are_bounded() -> None:
    with pytest.raises(ValidationError):
        Reason(message="")
    valid = package().model_dump()
    for field, value in (("revision", 0), ("client_id", "not-a-uuid"), ("service_code", "ktp el")):
        with pytest.raises(ValidationError):
            ApplicationPackage.model_validate({**valid, field: value})
