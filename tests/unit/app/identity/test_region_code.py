"""Tests of check_region_code: current codes, retired codes, unknown and malformed codes."""

from __future__ import annotations

import pytest

from app.identity import IdentifierCheck, check_region_code


def _codes(result: IdentifierCheck) -> list[str]:
    return [f.code for f in result.findings]


@pytest.mark.parametrize("value", ["35.21.01.2001", "3521012001", " 3521 01 2001 "])
def test_current_desa(value: str) -> None:
    result = check_region_code(value)
    assert result.ok
    assert result.kind == "region"
    assert result.findings == []
    assert result.normalized == "35.21.01.2001"
    assert result.parts["name"] == "Wonosari"
    assert result.parts["level"] == "desa"
    assert result.parts["postal_code"] == "63264"
    assert result.parts["path"] == ["Jawa Timur", "Kabupaten Ngawi", "Sine", "Wonosari"]


@pytest.mark.parametrize(
    ("value", "level", "name"),
    [
        ("35", "provinsi", "Jawa Timur"),
        ("3521", "kabupaten", "Kabupaten Ngawi"),
        ("36.72", "kota", "Kota Cilegon"),
        ("352101", "kecamatan", "Sine"),
        (3521, "kabupaten", "Kabupaten Ngawi"),
    ],
)
def test_current_levels(value: object, level: str, name: str) -> None:
    result = check_region_code(value)
    assert result.ok
    assert result.parts["level"] == level
    assert result.parts["name"] == name
    assert "postal_code" not in result.parts


def test_retired_code_is_a_warning_with_successor() -> None:
    result = check_region_code("91.01")
    assert result.ok
    assert _codes(result) == ["region_historical"]
    assert result.parts["successor_code"] == "93.01"
    assert result.parts["successor_name"] == "Kabupaten Merauke"
    assert result.parts["last_seen_edition"] == "2022"
    assert "93.01" in result.warnings[0].message


def test_unknown_code_is_an_error_naming_the_known_parent() -> None:
    result = check_region_code("35.21.99.9999")
    assert _codes(result) == ["region_unknown"]
    assert "35.21 (Kabupaten Ngawi)" in result.errors[0].message


@pytest.mark.parametrize("value", ["abc", "352", "3521011203900001", "", None, "35.21.01.2001.1", ["35"], 3.5])
def test_malformed_codes(value: object) -> None:
    result = check_region_code(value)
    assert not result.ok
    assert result.errors[0].code in {"region_format", "region_invalid_type"}
