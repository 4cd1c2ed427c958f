"""Tests of normalize_identifier."""

from __future__ import annotations

import pytest

from app.identity import normalize_identifier


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3521011203900001", "3521011203900001"),
        ("3521 0112.0390-0001", "3521011203900001"),
        ("\t3521011203900001\r\n", "3521011203900001"),
        ("\u200b\u200c\u200d\u2060\ufeff35\u00ad21", "3521"),
        ("35\u00a021\u202f01\u2007", "352101"),
        ("35\u201321\u201401\u2212", "352101"),
        ("３５２１", "3521"),
        ("35\u3000２１", "3521"),
        ("3521O1", "3521O1"),
        ("٣٥", "٣٥"),
        (3521011203900001, "3521011203900001"),
        (None, ""),
        (True, ""),
        (3.5, ""),
        (["35"], ""),
        ("\x00\x1f35", "35"),
    ],
)
def test_normalize_identifier(value: object, expected: str) -> None:
    assert normalize_identifier(value) == expected
