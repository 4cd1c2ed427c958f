"""Tests of check_name per Permendagri 73/2022: length, words, letters, digits, punctuation."""

from __future__ import annotations

import pytest

from app.identity import IdentifierCheck, check_name


def _codes(result: IdentifierCheck) -> list[str]:
    return [f.code for f in result.findings]


@pytest.mark.parametrize("value", ["Budi Santoso", "Ma'ruf Amin", "SITI NURHALIZA PUTRI", "Muhammad Syafi'i"])
def test_valid_names(value: str) -> None:
    result = check_name(value)
    assert result.ok
    assert result.findings == []
    assert result.kind == "name"


def test_name_is_normalized() -> None:
    result = check_name("  Ma\u2019ruf    Amin ")
    assert result.normalized == "Ma'ruf Amin"
    assert result.ok
    assert result.parts == {"length": 11, "word_count": 2}


def test_sixty_characters_is_the_limit() -> None:
    sixty = "Aaaaaaaaa " * 5 + "Bbbbbbbbbb"
    assert len(sixty) == 60
    assert check_name(sixty).ok
    too_long = check_name(sixty + "c")
    assert _codes(too_long) == ["name_too_long"]
    assert "61 huruf" in too_long.errors[0].message
    legacy = check_name(sixty + "c", legacy=True)
    assert legacy.ok
    assert _codes(legacy) == ["name_too_long"]
    assert legacy.warnings[0].severity == "warning"


def test_digits_and_punctuation_are_errors_for_new_names() -> None:
    assert _codes(check_name("Budi2 Santoso")) == ["name_has_digits"]
    assert _codes(check_name("Budi Santoso, S.H.")) == ["name_punctuation"]
    assert _codes(check_name("Siti-Aminah Putri")) == ["name_punctuation"]
    assert "(-)" in check_name("Siti-Aminah Putri").errors[0].message


def test_breaches_are_warnings_for_legacy_names() -> None:
    result = check_name("Siti-Aminah Putri 2", legacy=True)
    assert result.ok
    assert set(_codes(result)) == {"name_has_digits", "name_punctuation"}
    assert "sebelum 2022" in result.warnings[0].message


def test_single_word_is_only_a_warning() -> None:
    result = check_name("Sukarno")
    assert result.ok
    assert _codes(result) == ["name_single_word"]


def test_abbreviation_is_a_warning() -> None:
    result = check_name("M Ali Akbar")
    assert result.ok
    assert _codes(result) == ["name_abbreviated"]


def test_non_latin_letters_are_an_error() -> None:
    assert _codes(check_name("Агата Иванова")) == ["name_not_latin"]
    assert _codes(check_name("محمد علي")) == ["name_not_latin"]


def test_accented_latin_letters_are_a_warning() -> None:
    result = check_name("José Santos")
    assert result.ok
    assert _codes(result) == ["name_accented_letter"]


@pytest.mark.parametrize(
    ("value", "code"), [("", "name_empty"), ("   ", "name_empty"), (None, "name_empty"), (12, "name_invalid_type")]
)
def test_empty_and_wrong_types(value: object, code: str) -> None:
    result = check_name(value)
    assert _codes(result) == [code]
    assert not result.ok
