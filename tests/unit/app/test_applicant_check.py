"""The header's applicant against each form's `pemohon` section: the one rule of the outpost's review and
the Dinas' intake (app/applicant_check.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from app.applicant_check import (
    ApplicantHeader,
    check_forms,
    header_from_forms,
    mismatched_fields,
    name_key,
    review_findings,
)
from app.forms import default_registry, evaluate
from app.submission import SubmissionCheck

TODAY = dt.date(2026, 11, 22)
HEADER = ApplicantHeader("DEWI LESTARI", "3521015705080001", "3521010101100009")
PEMOHON = {"nama": "DEWI LESTARI", "nik": "3521015705080001", "no_kk": "3521010101100009"}


def _mismatches(pemohon: Mapping[str, object], header: ApplicantHeader = HEADER, form: str = "F-1.02") -> list[str]:
    schema = default_registry().get(form)
    answers: dict[str, object] = {"pemohon": pemohon}
    visible = evaluate(schema, answers, TODAY).visible
    return [field.field_id for field in mismatched_fields(header, schema, answers, visible)]


def test_the_same_applicant_in_other_case_spacing_and_separators_is_the_same() -> None:
    assert _mismatches(PEMOHON) == []
    assert _mismatches({"nama": "  dewi\tlestari ", "nik": "3521 0157 0508 0001", "no_kk": "3521.0101.0110.0009"}) == []
    assert name_key("  siti   aminah ") == "SITI AMINAH"


def test_a_name_nik_or_kk_corrected_in_the_form_only_is_a_mismatch() -> None:
    assert _mismatches({**PEMOHON, "nama": "DEWI LESTARI PUTRI"}) == ["nama"]
    assert _mismatches({**PEMOHON, "nik": "3521015705080002"}) == ["nik"]
    assert _mismatches({**PEMOHON, "no_kk": "3521010101100010"}) == ["no_kk"]
    assert _mismatches({"nama": "DEWI", "nik": "", "no_kk": None}) == ["nama"], "empty is no contradiction"


def test_an_applicant_without_nik_or_kk_matches_empty_fields() -> None:
    header = ApplicantHeader("DEWI LESTARI", "", "")
    assert _mismatches({"nama": "Dewi Lestari"}, header) == []
    assert _mismatches({"nama": "Dewi Lestari", "no_kk": "3521010101100009"}, header) == [], (
        "a KK typed only in the form fills the header's gap (header_from_forms)"
    )


def test_the_header_takes_what_only_the_forms_give() -> None:
    header = header_from_forms(
        ApplicantHeader("Dewi Lestari", "", ""),
        {"F-1.02": {"pemohon": {"nama": "DEWI LESTARI", "nik": "3521 0157 0508 0001", "no_kk": "3521010101100009"}}},
    )
    assert header == ApplicantHeader("Dewi Lestari", "3521015705080001", "3521010101100009")


def test_a_form_without_a_pemohon_section_has_no_applicant_fields() -> None:
    schema = default_registry().get("F-2.01")
    assert schema.section("pemohon") is None
    assert mismatched_fields(HEADER, schema, {"pemohon": {"nama": "X"}}, {"pemohon.nama"}) == []


def test_the_review_finding_names_the_form_and_the_field() -> None:
    schema = default_registry().get("F-1.02")
    answers: dict[str, object] = {"pemohon": {**PEMOHON, "nama": "DEWI LESTARI PUTRI"}}
    [finding] = review_findings("F-1.02", HEADER, schema, answers, evaluate(schema, answers, TODAY).visible)
    assert finding.path == "pemohon.nama" and finding.severity == "error" and finding.code == "applicant_mismatch"
    assert finding.message.startswith("Nama pemohon di formulir F-1.02 berbeda dengan halaman Pemohon")


def test_check_forms_makes_the_mismatch_an_error_that_blocks_submission() -> None:
    registry = default_registry()
    answers = {"F-1.02": {"pemohon": {**PEMOHON, "no_kk": "3521010101100010"}}}
    check = SubmissionCheck(forms={"F-1.02": evaluate(registry.get("F-1.02"), answers["F-1.02"], TODAY)})
    before = len(check.errors)
    check_forms(check, answers, HEADER, registry)
    added = [(form, f.path) for form, f in check.errors[before:]]
    assert added == [("F-1.02", "pemohon.no_kk")]
    assert any(line.startswith("F-1.02: Nomor KK pemohon di formulir F-1.02 berbeda") for line in check.blockers(set()))
