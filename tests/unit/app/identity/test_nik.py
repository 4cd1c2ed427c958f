"""Tests of check_nik: structure, region prefix, birth date digits, serial, pending state."""

from __future__ import annotations

import datetime
import json

import pytest

from app.identity import NIK_PENDING, check_nik

# Kecamatan Sine, Kabupaten Ngawi, Jawa Timur (35.21.01), a current kecamatan code.
SINE = "352101"
TODAY = datetime.date(2026, 1, 15)


def _codes(result: object) -> list[str]:
    from app.identity import IdentifierCheck

    assert isinstance(result, IdentifierCheck)
    return [f.code for f in result.findings]


def test_valid_male_nik() -> None:
    result = check_nik(f"{SINE}120390" + "0001")
    assert result.ok
    assert result.kind == "nik"
    assert result.errors == [] and result.warnings == []
    assert result.normalized == "3521011203900001"
    assert result.parts["sex"] == 1
    assert result.parts["birth_date"] == "1990-03-12"
    assert result.parts["province_code"] == "35"
    assert result.parts["province_name"] == "Jawa Timur"
    assert result.parts["kabupaten_code"] == "35.21"
    assert result.parts["kabupaten_name"] == "Kabupaten Ngawi"
    assert result.parts["kecamatan_code"] == "35.21.01"
    assert result.parts["kecamatan_name"] == "Sine"
    assert result.parts["region_status"] == "current"
    assert result.parts["serial"] == "0001"


@pytest.mark.parametrize(
    ("digits", "day", "month"),
    [("520390", 12, 3), ("410190", 1, 1), ("711290", 31, 12)],
)
def test_valid_female_nik_has_day_plus_40(digits: str, day: int, month: int) -> None:
    result = check_nik(f"{SINE}{digits}0002")
    assert result.ok, result.errors
    assert result.parts["sex"] == 2
    assert result.parts["birth_date"] == datetime.date(1990, month, day).isoformat()


def test_29_february_in_leap_years() -> None:
    leap = check_nik(f"{SINE}290204" + "0001")  # 1904 and 2004 are both leap years
    assert leap.ok
    assert leap.parts["birth_date"] is None  # the century is ambiguous
    assert leap.parts["birth_date_candidates"] == ["1904-02-29", "2004-02-29"]
    resolved = check_nik(f"{SINE}290204" + "0001", birth_date=datetime.date(2004, 2, 29))
    assert resolved.parts["birth_date"] == "2004-02-29"
    assert resolved.warnings == []
    woman = check_nik(f"{SINE}690204" + "0001")
    assert woman.ok and woman.parts["sex"] == 2
    year_2000 = check_nik(f"{SINE}290200" + "0001")  # 1900 is not a leap year, 2000 is
    assert year_2000.ok
    assert year_2000.parts["birth_date"] == "2000-02-29"


def test_29_february_in_non_leap_year_is_an_error() -> None:
    result = check_nik(f"{SINE}290201" + "0001")
    assert _codes(result) == ["nik_date_invalid"]
    assert result.errors[0].severity == "error"
    assert "Februari" in result.errors[0].message


@pytest.mark.parametrize("day", ["00", "32", "40", "72", "99"])
def test_impossible_day_is_an_error(day: str) -> None:
    result = check_nik(f"{SINE}{day}0390" + "0001")
    assert _codes(result) == ["nik_date_invalid"]
    assert "41-71" in result.errors[0].message


@pytest.mark.parametrize("month", ["00", "13"])
def test_impossible_month_is_an_error(month: str) -> None:
    result = check_nik(f"{SINE}12{month}90" + "0001")
    assert _codes(result) == ["nik_date_invalid"]
    assert "01-12" in result.errors[0].message


def test_31_april_is_an_error() -> None:
    assert _codes(check_nik(f"{SINE}310490" + "0001")) == ["nik_date_invalid"]


def test_century_never_in_the_future() -> None:
    # 01-01-25 is 1925 or 2025: both past on TODAY; 01-01-27 only 1927.
    assert check_nik(f"{SINE}010127" + "0001", today=TODAY).parts["birth_date"] == "1927-01-01"
    assert check_nik(f"{SINE}010125" + "0001", today=TODAY).parts["birth_date"] is None
    # 29-02-00 was real only in 2000; before that day it cannot be a birth date.
    before = check_nik(f"{SINE}290200" + "0001", today=datetime.date(1999, 12, 31))
    assert _codes(before) == ["nik_date_invalid"]


def test_serial_0000_is_an_error() -> None:
    result = check_nik(f"{SINE}120390" + "0000")
    assert _codes(result) == ["nik_serial_zero"]
    assert result.parts["serial"] == "0000"


def test_letters_are_reported_with_a_hint() -> None:
    result = check_nik("35210112O3900001")  # letter O instead of zero
    assert _codes(result) == ["nik_not_digits", "nik_length"]
    assert "Huruf O" in result.errors[0].message
    assert "15 angka" in result.errors[1].message
    assert result.parts == {}


@pytest.mark.parametrize(("value", "count"), [("352101120390001", 15), ("35210112039000012", 17), ("3", 1)])
def test_wrong_length_says_how_many_digits(value: str, count: int) -> None:
    result = check_nik(value)
    assert _codes(result) == ["nik_length"]
    message = result.errors[0].message
    assert message.startswith("NIK harus 16 angka")
    assert f"yang diisi {count} angka" in message


@pytest.mark.parametrize(
    "value",
    [
        "3521 0112 0390 0001",
        "3521.0112.0390.0001",
        "3521-01-120390-0001",
        "\u200b3521011203900001\ufeff",
        "3521011203900001\t\n",
        "3521\u00a00112\u00a003900001",
        "３５２１０１１２０３９００００１",
        "\u202a3521011203900001\u202c",
        3521011203900001,
    ],
)
def test_separators_and_invisible_characters_are_tolerated(value: object) -> None:
    result = check_nik(value)
    assert result.ok, result.errors
    assert result.normalized == "3521011203900001"


def test_historical_papua_prefix_is_a_warning_naming_the_successor() -> None:
    result = check_nik("9101011203040005")  # issued in Kab. Merauke (91.01) before the 2022 split
    assert result.ok
    assert _codes(result) == ["nik_prefix_historical"]
    warning = result.warnings[0]
    assert warning.severity == "warning"
    assert "Kabupaten Merauke" in warning.message
    assert "93.01" in warning.message
    assert result.parts["region_status"] == "historical"
    assert result.parts["kabupaten_name"] == "KAB. MERAUKE"
    assert result.parts["kecamatan_name"] == "Merauke"


def test_historical_papua_barat_prefix_2023() -> None:
    result = check_nik("9271011203040005")  # Kota Sorong before 2023 (now 96.71)
    assert result.ok
    assert _codes(result) == ["nik_prefix_historical"]
    assert "96.71" in result.warnings[0].message


@pytest.mark.parametrize("province", ["10", "20", "30", "99"])
def test_unknown_province_is_an_error(province: str) -> None:
    result = check_nik(f"{province}2101120390" + "0001")
    assert "nik_province_unknown" in _codes(result)
    assert not result.ok


def test_kabupaten_and_kecamatan_00_are_errors() -> None:
    assert _codes(check_nik("3500011203900001")) == ["nik_kabupaten_zero"]
    assert _codes(check_nik("3521001203900001")) == ["nik_kecamatan_zero"]


def test_unknown_kecamatan_of_a_known_province_is_only_a_warning() -> None:
    result = check_nik("3521991203900001")
    assert result.ok
    assert _codes(result) == ["nik_prefix_unknown"]
    assert result.parts["region_status"] == "unknown"
    assert result.parts["kabupaten_name"] == "Kabupaten Ngawi"


def test_sex_mismatch_is_a_warning() -> None:
    woman = f"{SINE}520390" + "0001"
    result = check_nik(woman, sex=1)
    assert result.ok
    assert _codes(result) == ["nik_sex_mismatch"]
    assert "perempuan" in result.warnings[0].message
    assert check_nik(woman, sex=2).warnings == []
    assert _codes(check_nik(f"{SINE}120390" + "0001", sex=2)) == ["nik_sex_mismatch"]


@pytest.mark.parametrize("odd_sex", [0, 3, True, "1", 1.0, [1]])
def test_unusable_sex_values_are_ignored(odd_sex: object) -> None:
    result = check_nik(f"{SINE}520390" + "0001", sex=odd_sex)  # type: ignore[arg-type]
    assert result.findings == []


def test_birth_date_mismatch_is_a_warning_only() -> None:
    nik = f"{SINE}120390" + "0001"
    result = check_nik(nik, birth_date=datetime.date(1990, 3, 13))
    assert result.ok
    assert _codes(result) == ["nik_birth_date_mismatch"]
    assert "dibetulkan" in result.warnings[0].message
    assert check_nik(nik, birth_date=datetime.date(1990, 3, 12)).warnings == []
    assert check_nik(nik, birth_date=datetime.datetime(1990, 3, 12, 8, 0)).warnings == []
    assert _codes(check_nik(nik, birth_date=datetime.date(1991, 3, 12))) == ["nik_birth_date_mismatch"]
    assert check_nik(nik, birth_date="1990-03-12").warnings == []  # type: ignore[arg-type]


def test_birth_date_century_resolves_ambiguous_years() -> None:
    nik = f"{SINE}120305" + "0001"
    assert check_nik(nik).parts["birth_date"] is None
    assert check_nik(nik, birth_date=datetime.date(2005, 3, 12)).parts["birth_date"] == "2005-03-12"
    assert check_nik(nik, birth_date=datetime.date(1905, 3, 12)).parts["birth_date"] == "1905-03-12"


def test_pending_is_an_explicit_state() -> None:
    allowed = check_nik(NIK_PENDING, allow_pending=True)
    assert allowed.kind == "nik_pending"
    assert allowed.ok
    assert allowed.findings == []
    assert allowed.normalized == NIK_PENDING
    assert check_nik(" Belum-Punya-NIK ", allow_pending=True).kind == "nik_pending"
    refused = check_nik(NIK_PENDING)
    assert refused.kind == "nik_pending"
    assert _codes(refused) == ["nik_pending_not_allowed"]
    assert "NIK yang sebenarnya" in refused.errors[0].message


def test_temporary_opensid_number_is_refused() -> None:
    result = check_nik("0352101200100001")
    assert _codes(result) == ["nik_temporary"]
    assert result.errors[0].message.startswith("NIK sementara tidak diterima")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (None, "nik_empty"),
        ("", "nik_empty"),
        ("   ", "nik_empty"),
        (3.521011203900001e15, "nik_invalid_type"),
        (["3521011203900001"], "nik_invalid_type"),
        ({"nik": 1}, "nik_invalid_type"),
        (True, "nik_invalid_type"),
        (b"3521011203900001", "nik_invalid_type"),
        (object(), "nik_invalid_type"),
        ("abc", "nik_not_digits"),
    ],
)
def test_malformed_values_give_findings_not_exceptions(value: object, code: str) -> None:
    result = check_nik(value)
    assert not result.ok
    assert result.errors[0].code == code
    json.dumps(result.to_dict())


def test_empty_mentions_pending_only_when_allowed() -> None:
    assert "belum punya NIK" in check_nik("", allow_pending=True).errors[0].message
    assert "belum punya NIK" not in check_nik("").errors[0].message


def test_path_is_carried_into_findings() -> None:
    result = check_nik("1001011203900000", path="anggota[2].nik")
    assert result.findings
    assert {f.path for f in result.findings} == {"anggota[2].nik"}


def test_to_dict_flattens_parts() -> None:
    out = check_nik(" 3521011203900001 ").to_dict()
    assert out["input"] == " 3521011203900001 "
    assert out["kind"] == "nik"
    assert out["normalized"] == "3521011203900001"
    assert out["errors"] == [] and out["warnings"] == []
    assert out["kecamatan_name"] == "Sine"
    assert out["birth_date"] == "1990-03-12"
    assert "parts" not in out
    json.dumps(out)
