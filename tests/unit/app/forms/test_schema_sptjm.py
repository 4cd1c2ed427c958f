"""Tests of the SPTJM forms (F-1.05, F-2.03, F-2.04): two witnesses with NIK, and the cross-person rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from app.forms import Evaluation, FormSchema, evaluate, load_form

Answers = dict[str, Any]
TODAY = dt.date.today()


def years_ago(years: int, days: int = 0) -> dt.date:
    """The date `years` whole years (plus `days`) before today; 29 February falls back to the 28th."""
    try:
        anniversary = TODAY.replace(year=TODAY.year - years)
    except ValueError:
        anniversary = TODAY.replace(year=TODAY.year - years, day=28)
    return anniversary - dt.timedelta(days=days)


def years_after(day: dt.date, years: int) -> dt.date:
    """The date `years` whole years after `day`; 29 February falls forward to 1 March."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, month=3, day=1)


def make_nik(born: dt.date, female: bool, serial: int) -> str:
    day = born.day + (40 if female else 0)
    return f"352101{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def identity(name: str, born: dt.date, female: bool, serial: int) -> Answers:
    return {
        "nama": name,
        "nik": make_nik(born, female, serial),
        "tempat_lahir": "NGAWI",
        "tanggal_lahir": born.isoformat(),
        "alamat": "JL MERDEKA NO 5 RT 003 RW 001",
    }


def witnesses() -> Answers:
    return {
        "saksi1": {"nama": "JOKO WIDODO", "nik": make_nik(years_ago(50, 3), False, 41), "alamat": "JL MAWAR 1"},
        "saksi2": {"nama": "SLAMET RIYADI", "nik": make_nik(years_ago(47, 9), False, 42)},
    }


HUSBAND_BORN = years_ago(30, 20)
WIFE_BORN = years_ago(27, 70)


def f203() -> Answers:
    child_born = years_ago(0, 40)
    return {
        "deklarator": {**identity("SITI AMINAH", WIFE_BORN, True, 12), "pekerjaan": 2},
        "anak": {
            "nama": "DEWI LESTARI",
            "jenis_kelamin": 2,
            "tempat_lahir": "NGAWI",
            "tanggal_lahir": child_born.isoformat(),
            "nama_ayah": "BUDI SANTOSO",
            "nama_ibu": "SITI AMINAH",
        },
        **witnesses(),
    }


def f204() -> Answers:
    return {
        "suami": {**identity("BUDI SANTOSO", HUSBAND_BORN, False, 11), "pekerjaan": 9},
        "istri": {**identity("SITI AMINAH", WIFE_BORN, True, 12), "pekerjaan": 2},
        **witnesses(),
    }


def f105() -> Answers:
    return {
        "suami": identity("BUDI SANTOSO", HUSBAND_BORN, False, 11),
        "istri": identity("SITI AMINAH", WIFE_BORN, True, 12),
        "perkawinan": {"jenis": 1, "tanggal": years_ago(3).isoformat(), "tempat": "NGAWI"},
        **witnesses(),
    }


FORMS: dict[str, Callable[[], Answers]] = {"F-2.03": f203, "F-2.04": f204, "F-1.05": f105}
ALIASES = {"F-2.03": "f203", "F-2.04": "f204", "F-1.05": "f105"}


def rule_ids(schema: FormSchema) -> set[str]:
    return {rule.id for rule in schema.rules}


def fired(result: Evaluation, rule_id: str) -> list[tuple[str, str]]:
    return [(f.path, f.severity) for f in result.findings if f.code == rule_id]


@pytest.mark.parametrize("form", sorted(FORMS))
def test_complete_statement_has_no_errors_and_no_rule_findings(form: str) -> None:
    schema = load_form(form)
    result = evaluate(schema, FORMS[form]())
    assert result.errors == []
    assert [f.code for f in result.findings if f.code in rule_ids(schema)] == []


@pytest.mark.parametrize("form", sorted(FORMS))
def test_key_and_alias(form: str) -> None:
    schema = load_form(form)
    assert schema.key == f"{form}@PMDN109-2019"
    assert schema.alias == ALIASES[form]


@pytest.mark.parametrize("form", sorted(FORMS))
@pytest.mark.parametrize("saksi", ["saksi1", "saksi2"])
@pytest.mark.parametrize("field_id", ["nama", "nik"])
def test_both_witnesses_with_nik_are_required(form: str, saksi: str, field_id: str) -> None:
    answers = FORMS[form]()
    del answers[saksi][field_id]
    result = evaluate(load_form(form), answers)
    assert [(f.code, f.severity) for f in result.at(f"{saksi}.{field_id}")] == [("required", "error")]


@pytest.mark.parametrize("form", sorted(FORMS))
def test_missing_second_witness_block_is_an_error(form: str) -> None:
    answers = FORMS[form]()
    del answers["saksi2"]
    result = evaluate(load_form(form), answers)
    assert {f.path for f in result.errors} == {"saksi2.nama", "saksi2.nik"}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_witness_nik_may_not_be_pending(form: str) -> None:
    answers = FORMS[form]()
    answers["saksi1"]["nik"] = "belum-punya-nik"
    assert evaluate(load_form(form), answers).at("saksi1.nik") != []


@pytest.mark.parametrize("form", sorted(FORMS))
def test_same_witness_twice_is_an_error(form: str) -> None:
    answers = FORMS[form]()
    answers["saksi2"]["nik"] = answers["saksi1"]["nik"]
    assert fired(evaluate(load_form(form), answers), "saksi_sama") == [("saksi2.nik", "error")]


# --------------------------------------------------------------------------- per-form rules
def _copy_nik(source: str, target: str) -> Callable[[Answers], None]:
    def mutate(answers: Answers) -> None:
        answers[target]["nik"] = answers[source]["nik"]

    return mutate


def _put(section: str, **changes: Any) -> Callable[[Answers], None]:
    def mutate(answers: Answers) -> None:
        answers[section].update(changes)

    return mutate


RULE_CASES: list[tuple[str, str, Callable[[Answers], None], str, str, str]] = [
    (
        "f203_saksi1_deklarator",
        "F-2.03",
        _copy_nik("deklarator", "saksi1"),
        "saksi_adalah_deklarator",
        "deklarator.nik",
        "error",
    ),
    (
        "f203_saksi2_deklarator",
        "F-2.03",
        _copy_nik("deklarator", "saksi2"),
        "saksi_adalah_deklarator",
        "deklarator.nik",
        "error",
    ),
    (
        "f203_anak_lebih_tua",
        "F-2.03",
        _put("anak", tanggal_lahir=years_ago(40).isoformat()),
        "deklarator_lahir_setelah_anak",
        "deklarator.tanggal_lahir",
        "error",
    ),
    ("f203_saksi_sama", "F-2.03", _copy_nik("saksi1", "saksi2"), "saksi_sama", "saksi2.nik", "error"),
    ("f204_nik_sama", "F-2.04", _copy_nik("suami", "istri"), "suami_istri_nik_sama", "istri.nik", "error"),
    ("f204_saksi_suami", "F-2.04", _copy_nik("suami", "saksi1"), "saksi_adalah_pasangan", "saksi1.nik", "error"),
    ("f204_saksi_istri", "F-2.04", _copy_nik("istri", "saksi2"), "saksi_adalah_pasangan", "saksi1.nik", "error"),
    ("f204_saksi_sama", "F-2.04", _copy_nik("saksi1", "saksi2"), "saksi_sama", "saksi2.nik", "error"),
    ("f105_nik_sama", "F-1.05", _copy_nik("suami", "istri"), "suami_istri_nik_sama", "istri.nik", "error"),
    ("f105_saksi_istri", "F-1.05", _copy_nik("istri", "saksi1"), "saksi_adalah_pasangan", "saksi1.nik", "error"),
    ("f105_saksi_sama", "F-1.05", _copy_nik("saksi1", "saksi2"), "saksi_sama", "saksi2.nik", "error"),
    (
        "f204_nik_suami_perempuan",
        "F-2.04",
        _put("suami", nik=make_nik(HUSBAND_BORN, True, 11)),
        "nik_suami_bukan_laki_laki",
        "suami.nik",
        "warning",
    ),
    (
        "f204_nik_istri_laki_laki",
        "F-2.04",
        _put("istri", nik=make_nik(WIFE_BORN, False, 12)),
        "nik_istri_bukan_perempuan",
        "istri.nik",
        "warning",
    ),
    (
        "f105_nik_suami_perempuan",
        "F-1.05",
        _put("suami", nik=make_nik(HUSBAND_BORN, True, 11)),
        "nik_suami_bukan_laki_laki",
        "suami.nik",
        "warning",
    ),
    (
        "f105_nik_istri_laki_laki",
        "F-1.05",
        _put("istri", nik=make_nik(WIFE_BORN, False, 12)),
        "nik_istri_bukan_perempuan",
        "istri.nik",
        "warning",
    ),
    (
        "f105_kawin_sebelum_lahir",
        "F-1.05",
        _put("perkawinan", tanggal=years_ago(28).isoformat()),
        "perkawinan_sebelum_lahir",
        "perkawinan.tanggal",
        "error",
    ),
    (
        "f105_kawin_umur_18",
        "F-1.05",
        _put("perkawinan", tanggal=years_after(WIFE_BORN, 18).isoformat()),
        "kawin_di_bawah_umur",
        "perkawinan.tanggal",
        "warning",
    ),
]


@pytest.mark.parametrize(
    ("form", "mutate", "rule_id", "path", "severity"),
    [case[1:] for case in RULE_CASES],
    ids=[case[0] for case in RULE_CASES],
)
def test_rule_fires_with_its_code_path_and_severity(
    form: str, mutate: Callable[[Answers], None], rule_id: str, path: str, severity: str
) -> None:
    answers = FORMS[form]()
    mutate(answers)
    assert fired(evaluate(load_form(form), answers), rule_id) == [(path, severity)]


@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_rule_has_a_firing_case(form: str) -> None:
    assert {case[3] for case in RULE_CASES if case[1] == form} == rule_ids(load_form(form))


def test_underage_warning_only_for_a_marriage_statement() -> None:
    answers = f105()
    answers["perkawinan"].update(jenis=2, tanggal=years_after(WIFE_BORN, 18).isoformat())
    assert fired(evaluate(load_form("F-1.05"), answers), "kawin_di_bawah_umur") == []


def test_f105_statement_kind_is_a_required_choice() -> None:
    answers = f105()
    answers["perkawinan"]["jenis"] = 3
    result = evaluate(load_form("F-1.05"), answers)
    assert [f.code for f in result.at("perkawinan.jenis")] == ["unknown_code"]
    del answers["perkawinan"]["jenis"]
    assert [f.code for f in evaluate(load_form("F-1.05"), answers).at("perkawinan.jenis")] == ["required"]


@pytest.mark.parametrize("form", ["F-2.04", "F-1.05"])
@pytest.mark.parametrize(
    ("spouse", "rule_id"), [("suami", "nik_suami_bukan_laki_laki"), ("istri", "nik_istri_bukan_perempuan")]
)
def test_spouse_nik_sex_rule_waits_for_the_nik(form: str, spouse: str, rule_id: str) -> None:
    answers = FORMS[form]()
    del answers[spouse]["nik"]
    result = evaluate(load_form(form), answers)
    assert fired(result, rule_id) == []
    assert [f.code for f in result.at(f"{spouse}.nik")] == ["required"]


@pytest.mark.parametrize("form", ["F-2.04", "F-1.05"])
def test_swapped_spouse_niks_warn_on_both(form: str) -> None:
    answers = FORMS[form]()
    answers["suami"]["nik"], answers["istri"]["nik"] = answers["istri"]["nik"], answers["suami"]["nik"]
    result = evaluate(load_form(form), answers)
    assert fired(result, "nik_suami_bukan_laki_laki") == [("suami.nik", "warning")]
    assert fired(result, "nik_istri_bukan_perempuan") == [("istri.nik", "warning")]
    assert result.errors == []
