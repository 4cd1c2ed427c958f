"""Tests of the condition language: parsing, whitelisting, three-valued evaluation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pytest

from app.forms.expr import ExpressionError, Reference, Scope, parse

TODAY = dt.date(2026, 11, 22)


def make_scope(values: Mapping[str, object], rows: Mapping[str, list[dict[str, object]]] | None = None) -> Scope:
    groups = rows or {}

    def resolve(ref: Reference) -> object:
        return values.get(".".join(ref))

    def get_rows(ref: Reference) -> Sequence[Mapping[str, object]] | None:
        return groups.get(".".join(ref))

    def row_scope(_group: Reference, row: Mapping[str, object]) -> Scope:
        return make_scope(dict(row))

    return Scope(resolve, get_rows, row_scope, TODAY)


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ("a == 1", {"a": 1}, True),
        ("a == 1", {"a": 2}, False),
        ("a == 1", {}, None),
        ("a != 1", {}, None),
        ("a in (2, 3)", {"a": 3}, True),
        ("a not in (2, 3)", {"a": 3}, False),
        ("'I.C.1' in jenis", {"jenis": ["I.C.1", "II.A"]}, True),
        ("'I.C.2' in jenis", {"jenis": []}, False),
        ("a == 1 and b == 2", {"a": 1}, None),
        ("a == 1 and b == 2", {"a": 2}, False),
        ("a == 1 or b == 2", {"a": 1}, True),
        ("a == 1 or b == 2", {"a": 3}, None),
        ("not a", {"a": False}, True),
        ("not a", {}, None),
        ("filled(a)", {}, False),
        ("filled(a)", {"a": "x"}, True),
        ("empty(a)", {"a": "  "}, True),
        ("age(lahir) >= 17", {"lahir": "2009-11-22"}, True),
        ("age(lahir) >= 17", {"lahir": "2009-11-23"}, False),
        ("age_at(lahir, kawin) < 19", {"lahir": "2008-01-01", "kawin": "2026-06-01"}, True),
        ("days_between(lahir, lapor) > 60", {"lahir": "2026-01-01", "lapor": "2026-03-15"}, True),
        ("a + 1 == 3", {"a": 2}, True),
        ("a - b >= 0", {"a": 1, "b": 2}, False),
        ("a < 5", {"a": "teks"}, None),
        ("a == 1", {"a": "1"}, None),
        ("h.jenis == 2", {"h.jenis": 2}, True),
        ("x == true", {"x": True}, True),
        ("today() == '2026-11-22'", {}, True),
        ("len(nama) > 3", {"nama": "Budi Santoso"}, True),
    ],
)
def test_evaluation(source: str, values: dict[str, object], expected: object) -> None:
    assert parse(source).holds(make_scope(values)) == expected


def test_row_functions() -> None:
    rows: dict[str, list[dict[str, object]]] = {"anggota": [{"shdk": 1}, {"shdk": 4}, {"shdk": 4}, {}]}
    scope = make_scope({}, rows)
    assert parse("count(anggota, shdk == 1) == 1").holds(scope) is True
    assert parse("count(anggota) == 4").holds(scope) is True
    assert parse("any_row(anggota, shdk == 4)").holds(scope) is True
    assert parse("all_rows(anggota, shdk == 4)").holds(scope) is False
    # The empty row is unknown: all_rows over known-true rows and one unknown row is unknown.
    assert parse("all_rows(anggota, shdk >= 1)").holds(scope) is None
    assert parse("count(missing) == 0").holds(scope) is True


def test_references_are_collected() -> None:
    expr = parse("header.jenis == 1 and count(anggota, shdk == 1) == 1 and filled(nama)")
    assert ("header", "jenis") in expr.references
    assert ("anggota",) in expr.references
    assert ("nama",) in expr.references
    assert (("anggota",), ("shdk",)) in expr.row_references


@pytest.mark.parametrize(
    "source",
    [
        "",
        "   ",
        "a ==",
        "__import__('os')",
        "a.b()",
        "open('x')",
        "a[0]",
        "lambda: 1",
        "a if b else c",
        "a * 2",
        "[x for x in y]",
        "f'{a}'",
        "age(a, b)",
        "count()",
        "count(1, a)",
        "filled(a=1)",
        "(1).real",
    ],
)
def test_rejected(source: str) -> None:
    with pytest.raises(ExpressionError):
        parse(source)


def test_non_string_rejected() -> None:
    with pytest.raises(ExpressionError):
        parse(42)


def test_evaluation_never_raises_on_odd_values() -> None:
    odd: list[object] = [None, [], {}, [1, [2]], {"x": 1}, b"bytes", 1.5, float("nan"), True, "2026-02-30"]
    sources = [
        "a == 1",
        "a < 3",
        "age(a) > 1",
        "a in b",
        "len(a) > 0",
        "a + b > 1",
        "count(a, x == 1) > 0",
        "days_between(a, b) > 1",
        "not a",
        "a - 1 == 0",
    ]
    for value in odd:
        for other in odd:
            for source in sources:
                parse(source).holds(make_scope({"a": value, "b": other}, {"a": []}))


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ("region_at(a, 'kabupaten') == '35.21'", {"a": "3521012001"}, True),
        ("region_at(a, 'kecamatan') == '35.21.01'", {"a": "35.21.01.2001"}, True),
        ("region_at(a, 'desa') == '35.21.01.2001'", {"a": "35.21.01"}, None),
        ("region_at(a, 'kabupaten') == region_at(b, 'kabupaten')", {"a": "35.21.01.2001", "b": "3521022003"}, True),
        ("region_at(a, 'kecamatan') != region_at(b, 'kecamatan')", {"a": "35.21.01.2001", "b": "3521022003"}, True),
        ("region_at(a, 'dusun') == '35'", {"a": "35"}, None),
        ("region_at(a, 'provinsi') == '35'", {"a": "35x"}, None),
        ("nik_sex(n) == 2", {"n": "3521014107900001"}, True),
        ("nik_sex(n) == 1", {"n": "3521011707900001"}, True),
        ("nik_sex(n) == 1", {"n": "3521013507900001"}, None),
        ("nik_sex(n) == 1", {"n": "35210117"}, None),
    ],
)
def test_region_and_nik_functions(source: str, values: dict[str, object], expected: object) -> None:
    assert parse(source).holds(make_scope(values)) == expected
