"""Suggestions for a region field: names or codes of any level, narrowed by the regions chosen above."""

from __future__ import annotations

import pytest

from app.regions import RegionIndex, default_index
from app.regions.suggest import suggest


@pytest.fixture(scope="module")
def index() -> RegionIndex:
    """Return the shared index of the shipped data."""
    return default_index()


def _codes(index: RegionIndex, query: str, depth: int, within: str | None = None, limit: int = 15) -> list[str]:
    return [s.region.code for s in suggest(index, query, depth, within, limit)]


def test_a_desa_name_typed_in_provinsi_suggests_the_provinces_that_hold_it(index: RegionIndex) -> None:
    found = suggest(index, "ujong mangki", 1)
    assert [(s.region.code, s.region.name) for s in found] == [("11", "Aceh")]
    via = found[0].via
    assert via is not None and via.code == "11.01.01.2002"
    provinces = _codes(index, "wonosari", 1, limit=40)
    assert "35" in provinces and "33" in provinces
    assert len(provinces) == len(set(provinces))  # each province once, however many villages


def test_a_name_of_the_field_level_is_not_crowded_by_namesakes_below(index: RegionIndex) -> None:
    found = suggest(index, "ngawi", 2)  # also a desa "Ngawis" in Gunungkidul
    assert [(s.region.code, s.via) for s in found] == [("35.21", None)]
    via = suggest(index, "sine", 2)  # no kabupaten named so: the kabupaten of Kecamatan Sine
    assert via[0].region.code == "35.21" and via[0].via is not None and via[0].via.code == "35.21.01"


def test_kecamatan_and_desa_are_narrowed_by_the_regions_chosen_above(index: RegionIndex) -> None:
    everywhere = _codes(index, "wonosari", 4, limit=40)
    assert len({code[:5] for code in everywhere}) > 1
    in_ngawi = _codes(index, "wonosari", 4, within="35.21")
    assert in_ngawi and all(code.startswith("35.21.") for code in in_ngawi)
    assert _codes(index, "wonosari", 4, within="3521") == in_ngawi  # undotted too
    in_jatim = _codes(index, "sine", 3, within="35")
    assert in_jatim[0] == "35.21.01" and all(code.startswith("35.") for code in in_jatim)


def test_when_nothing_below_the_chosen_region_matches_other_regions_are_marked_outside(index: RegionIndex) -> None:
    found = suggest(index, "ujong mangki", 4, within="35.21")
    assert [s.region.code for s in found] == ["11.01.01.2002"]
    assert found[0].outside


def test_a_within_that_is_not_above_the_field_is_ignored(index: RegionIndex) -> None:
    assert _codes(index, "sine", 3, within="35.21.01") == _codes(index, "sine", 3)
    assert _codes(index, "sine", 3, within="99") == _codes(index, "sine", 3)


def test_codes_of_any_level(index: RegionIndex) -> None:
    assert _codes(index, "35.21", 2) == ["35.21"]
    deeper = suggest(index, "3521012001", 1)
    assert [s.region.code for s in deeper] == ["35"]
    assert deeper[0].via is not None and deeper[0].via.code == "35.21.01.2001"
    assert _codes(index, "35.21", 3, limit=3) == ["35.21.01", "35.21.02", "35.21.03"]
    assert _codes(index, "35", 4, limit=2) == ["35.01.01.2001", "35.01.01.2002"]
    assert _codes(index, "35.99", 3) == []  # not a current region


@pytest.mark.parametrize(
    ("query", "depth", "limit"), [("", 1, 5), ("   ", 2, 5), ("sine", 0, 5), ("sine", 5, 5), ("sine", 3, 0)]
)
def test_nothing_for_empty_queries_unknown_depths_or_no_room(
    index: RegionIndex, query: str, depth: int, limit: int
) -> None:
    assert suggest(index, query, depth, limit=limit) == []
