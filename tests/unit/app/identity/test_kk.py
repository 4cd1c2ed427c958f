"""Tests of check_kk: 16 digits, issuing region prefix, DDMMYY issue date without +40, serial."""

from __future__ import annotations

import datetime
import json

import pytest

from app.identity import IdentifierCheck, check_kk

TODAY = datetime.date(2026, 1, 15)


def _codes(result: IdentifierCheck) -> list[str]:
    return [f.code for f in result.findings]


def test_valid_kk() -> None:
    result = check_kk("3521 0112 0315 0001")
    assert result.ok
    assert result.kind == "kk"
    assert result.findings == []
    assert result.normalized == "3521011203150001"
    assert result.parts["issue_date"] == "2015-03-12"
    assert result.parts["kecamatan_name"] == "Sine"
    assert result.parts["serial"] == "0001"


def test_day_plus_40_is_not_allowed_in_a_kk() -> None:
    result = check_kk("3521015203150001")
    assert _codes(result) == ["kk_date_invalid"]
    assert "tanpa tambahan 40" in result.errors[0].message


@pytest.mark.parametrize("date", ["310415", "001215", "011315", "010015", "290215"])
def test_impossible_issue_date_is_an_error(date: str) -> None:
    assert _codes(check_kk(f"352101{date}0001")) == ["kk_date_invalid"]


def test_29_february_2016_is_real() -> None:
    assert check_kk("3521012902160001").ok


def test_issue_date_in_the_future_is_a_warning() -> None:
    result = check_kk("3521010101270001", today=TODAY)
    assert result.ok
    assert _codes(result) == ["kk_date_future"]


def test_serial_0000_is_an_error() -> None:
    assert _codes(check_kk("3521011203150000")) == ["kk_serial_zero"]


def test_region_prefix_rules() -> None:
    assert _codes(check_kk("1021011203150001")) == ["kk_province_unknown"]
    assert _codes(check_kk("3500011203150001")) == ["kk_kabupaten_zero"]
    assert _codes(check_kk("3521991203150001")) == ["kk_prefix_unknown"]
    historical = check_kk("9101011203150001")
    assert historical.ok
    assert _codes(historical) == ["kk_prefix_historical"]
    assert "Nomor KK" in historical.warnings[0].message


@pytest.mark.parametrize(
    ("value", "codes"),
    [
        ("352101120315001", ["kk_length"]),
        ("35210112031500A1", ["kk_not_digits", "kk_length"]),
        ("0352101200100001", ["kk_temporary"]),
        ("", ["kk_empty"]),
        (None, ["kk_empty"]),
        ([1, 2], ["kk_invalid_type"]),
        (1.5, ["kk_invalid_type"]),
    ],
)
def test_malformed_kk(value: object, codes: list[str]) -> None:
    result = check_kk(value)
    assert _codes(result) == codes
    json.dumps(result.to_dict())
