"""Tests of the F-1.02 Pendaftaran Peristiwa Kependudukan schema: request types, age rules, attachments."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app.forms import Evaluation, FormSchema, evaluate, load_form

Answers = dict[str, Any]
TODAY = dt.date.today()

KTP_EL = ["II.A", "II.B", "II.C.1", "II.C.2", "II.D", "II.E", "II.F", "II.G", "IV.B"]
KIA = ["III.A", "III.B.1", "III.B.2", "III.C", "III.D", "IV.C"]


def years_ago(years: int, days: int = 0) -> dt.date:
    """The date `years` whole years (plus `days`) before today; 29 February falls back to the 28th."""
    try:
        anniversary = TODAY.replace(year=TODAY.year - years)
    except ValueError:
        anniversary = TODAY.replace(year=TODAY.year - years, day=28)
    return anniversary - dt.timedelta(days=days)


def make_nik(born: dt.date, female: bool = False, serial: int = 1) -> str:
    day = born.day + (40 if female else 0)
    return f"352101{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


@pytest.fixture(scope="module")
def schema() -> FormSchema:
    return load_form("F-1.02")


def rule_ids(schema: FormSchema) -> set[str]:
    return {rule.id for rule in schema.rules}


def fired(result: Evaluation, rule_id: str) -> list[tuple[str, str]]:
    return [(f.path, f.severity) for f in result.findings if f.code == rule_id]


def application(
    jenis: list[str],
    age: int = 30,
    status_kawin: int = 2,
    kewarganegaraan: int = 1,
    dilampirkan: list[int] | None = None,
    f106: bool | None = None,
) -> Answers:
    """A complete application by one applicant; `age` in whole years, birthday 40 days ago."""
    born = years_ago(age, 40)
    answers: Answers = {
        "pemohon": {
            "nama": "BUDI SANTOSO",
            "nik": make_nik(born),
            "no_kk": "3521011503100001",
            "tanggal_lahir": born.isoformat(),
            "status_kawin": status_kawin,
            "kewarganegaraan": kewarganegaraan,
        },
        "permohonan": {"jenis": jenis},
        "persyaratan": {},
    }
    if dilampirkan is not None:
        answers["persyaratan"]["dilampirkan"] = dilampirkan
    if f106 is not None:
        answers["persyaratan"]["f106_dilampirkan"] = f106
    return answers


VALID_APPLICATIONS: dict[str, Answers] = {
    "ktp_baru_dewasa": application(["II.A"], age=17, status_kawin=1, dilampirkan=[1]),
    "ktp_baru_menikah_16": application(["II.A"], age=16, status_kawin=2, dilampirkan=[1, 3]),
    "kia_anak": application(["III.A"], age=10, status_kawin=1, dilampirkan=[1]),
    "kk_keluarga_baru": application(["I.A.1"], dilampirkan=[1, 3]),
    "kk_keluarga_baru_sptjm": application(["I.A.1"], status_kawin=3, dilampirkan=[4]),
    "pisah_kk": application(["I.A.3", "II.A"], age=25, dilampirkan=[1, 3]),
    "pindah_datang": application(["I.A.4", "II.B"], dilampirkan=[7]),
    "dari_luar_negeri": application(["I.A.5"], dilampirkan=[10, 11]),
    "kk_hilang": application(["I.C.1"], dilampirkan=[13]),
    "kk_rusak": application(["I.C.2"], dilampirkan=[1]),
    "ktp_hilang": application(["II.C.1"], dilampirkan=[13]),
    "itap_wna": application(["II.D"], kewarganegaraan=2, dilampirkan=[11, 14]),
    "perubahan_data_ktp": application(["IV.B", "IV.A"], dilampirkan=[1, 2], f106=True),
    "rentan_adminduk_tanpa_kk": application(["I.A.6"], dilampirkan=[]),
}
del VALID_APPLICATIONS["rentan_adminduk_tanpa_kk"]["pemohon"]["no_kk"]


@pytest.mark.parametrize("case", sorted(VALID_APPLICATIONS))
def test_complete_application_has_no_errors_and_no_rule_findings(schema: FormSchema, case: str) -> None:
    result = evaluate(schema, VALID_APPLICATIONS[case])
    assert result.errors == []
    assert [f.code for f in result.findings if f.code in rule_ids(schema)] == []


def test_schema_key_alias_and_contract_fields(schema: FormSchema) -> None:
    assert schema.key == "F-1.02@PMDN109-2019"
    assert schema.alias == "f102"
    pemohon = schema.section("pemohon")
    assert pemohon is not None
    assert [f.id for f in pemohon.fields] == [
        "nama",
        "nik",
        "no_kk",
        "tanggal_lahir",
        "status_kawin",
        "kewarganegaraan",
    ]
    for field_id in ("tanggal_lahir", "status_kawin", "kewarganegaraan"):
        spec = pemohon.field(field_id)
        assert spec is not None and spec.app_only and spec.help
    jenis = schema.section("permohonan").field("jenis")  # type: ignore[union-attr]
    assert jenis is not None and jenis.type == "multichoice" and jenis.required is True
    assert jenis.codes is not None and jenis.codes.id == "f102_jenis_permohonan"
    dilampirkan = schema.section("persyaratan").field("dilampirkan")  # type: ignore[union-attr]
    assert dilampirkan is not None and dilampirkan.codes is not None
    assert dilampirkan.codes.id == "f102_persyaratan"


@pytest.mark.parametrize("jenis", [[], None])
def test_at_least_one_request_must_be_ticked(schema: FormSchema, jenis: list[str] | None) -> None:
    answers = application(["II.A"], dilampirkan=[1])
    answers["permohonan"]["jenis"] = jenis
    assert [(f.code, f.severity) for f in evaluate(schema, answers).at("permohonan.jenis")] == [("required", "error")]


def test_unknown_request_code_is_rejected(schema: FormSchema) -> None:
    answers = application(["II.A", "V.A"], dilampirkan=[1])
    assert "unknown_code" in {f.code for f in evaluate(schema, answers).at("permohonan.jenis")}


@pytest.mark.parametrize(("jenis", "required"), [("II.A", True), ("I.A.5", False), ("I.A.6", False)])
def test_kk_number_required_unless_the_applicant_has_none(schema: FormSchema, jenis: str, required: bool) -> None:
    answers = application([jenis], dilampirkan=[1, 9, 10, 11, 13])
    del answers["pemohon"]["no_kk"]
    codes = [f.code for f in evaluate(schema, answers).at("pemohon.no_kk")]
    assert codes == (["required"] if required else [])


@pytest.mark.parametrize("field_id", ["nama", "nik", "tanggal_lahir", "status_kawin", "kewarganegaraan"])
def test_applicant_fields_are_required(schema: FormSchema, field_id: str) -> None:
    answers = application(["I.B.1"], dilampirkan=[1])
    del answers["pemohon"][field_id]
    assert [f.code for f in evaluate(schema, answers).at(f"pemohon.{field_id}")] == ["required"]


def test_pending_nik_is_accepted(schema: FormSchema) -> None:
    answers = application(["I.A.6"], dilampirkan=[])
    answers["pemohon"]["nik"] = "belum-punya-nik"
    assert evaluate(schema, answers).at("pemohon.nik") == []


def test_birth_date_may_not_be_in_the_future(schema: FormSchema) -> None:
    answers = application(["I.B.1"], dilampirkan=[1])
    answers["pemohon"]["tanggal_lahir"] = (TODAY + dt.timedelta(days=1)).isoformat()
    assert "future_date" in {f.code for f in evaluate(schema, answers).at("pemohon.tanggal_lahir")}


@pytest.mark.parametrize(("jenis", "shown"), [("IV.A", True), ("IV.B", True), ("IV.C", True), ("II.A", False)])
def test_f106_question_only_for_data_changes(schema: FormSchema, jenis: str, shown: bool) -> None:
    visible = evaluate(schema, application([jenis], dilampirkan=[1])).visible
    assert ("persyaratan.f106_dilampirkan" in visible) is shown


# --------------------------------------------------------------------------- age rules
@pytest.mark.parametrize("jenis", KTP_EL)
def test_ktp_el_needs_age_17_or_marriage(schema: FormSchema, jenis: str) -> None:
    answers = application([jenis], age=16, status_kawin=1, kewarganegaraan=2, dilampirkan=[1, 2, 7, 13, 14], f106=True)
    assert fired(evaluate(schema, answers), "ktp_el_belum_wajib") == [("pemohon.tanggal_lahir", "error")]


@pytest.mark.parametrize(
    ("age", "status_kawin", "fires"),
    [(16, 1, True), (16, 2, False), (16, 5, False), (16, 6, False), (17, 1, False), (40, 1, False)],
)
def test_ktp_el_age_boundaries(schema: FormSchema, age: int, status_kawin: int, fires: bool) -> None:
    answers = application(["II.A"], age=age, status_kawin=status_kawin, dilampirkan=[1])
    assert bool(fired(evaluate(schema, answers), "ktp_el_belum_wajib")) is fires


def test_ktp_el_on_the_17th_birthday_is_allowed(schema: FormSchema) -> None:
    answers = application(["II.A"], status_kawin=1, dilampirkan=[1])
    answers["pemohon"]["tanggal_lahir"] = years_ago(17).isoformat()
    assert fired(evaluate(schema, answers), "ktp_el_belum_wajib") == []
    answers["pemohon"]["tanggal_lahir"] = (years_ago(17) + dt.timedelta(days=1)).isoformat()
    assert fired(evaluate(schema, answers), "ktp_el_belum_wajib") == [("pemohon.tanggal_lahir", "error")]


@pytest.mark.parametrize("jenis", KIA)
def test_a_parent_applying_for_a_kia_is_not_refused_for_their_own_age(schema: FormSchema, jenis: str) -> None:
    """The applicant of a KIA is the parent (the catalogue checks the child's birth date): a married parent
    of 40 gets no age error from F-1.02."""
    answers = application([jenis], age=40, status_kawin=2, kewarganegaraan=2, dilampirkan=[1, 2, 13, 14], f106=True)
    assert [f for f in evaluate(schema, answers).errors if f.path == "pemohon.tanggal_lahir"] == []


@pytest.mark.parametrize(("age", "status_kawin", "fires"), [(15, 1, True), (15, 2, False), (17, 1, False)])
def test_pisah_kk_needs_age_17_or_marriage(schema: FormSchema, age: int, status_kawin: int, fires: bool) -> None:
    answers = application(["I.A.3"], age=age, status_kawin=status_kawin, dilampirkan=[1])
    assert bool(fired(evaluate(schema, answers), "pisah_kk_belum_dewasa")) is fires


@pytest.mark.parametrize(
    ("jenis", "kewarganegaraan", "fires"), [("II.D", 1, True), ("III.C", 1, True), ("II.D", 2, False)]
)
def test_perpanjang_itap_is_for_foreigners(schema: FormSchema, jenis: str, kewarganegaraan: int, fires: bool) -> None:
    age = 30 if jenis == "II.D" else 10
    answers = application([jenis], age=age, status_kawin=1, kewarganegaraan=kewarganegaraan, dilampirkan=[14])
    assert fired(evaluate(schema, answers), "perpanjang_itap_bukan_wna") == (
        [("pemohon.kewarganegaraan", "error")] if fires else []
    )


def test_age_rules_wait_for_the_birth_date(schema: FormSchema) -> None:
    answers = application(["II.A"], status_kawin=1, dilampirkan=[1])
    del answers["pemohon"]["tanggal_lahir"]
    result = evaluate(schema, answers)
    assert fired(result, "ktp_el_belum_wajib") == []
    assert [f.code for f in result.at("pemohon.tanggal_lahir")] == ["required"]


# --------------------------------------------------------------------------- attachment rules (§4.4)
ATTACHMENT_CASES = [
    # (case, jenis, attachments that do not satisfy, attachments that do, rule, path)
    ("f106", ["IV.A"], None, None, "perubahan_data_tanpa_f106", "persyaratan.f106_dilampirkan"),
    ("bukti_perubahan", ["IV.C"], [1], [2], "perubahan_data_tanpa_bukti", "persyaratan.dilampirkan"),
    ("buku_nikah", ["I.A.1"], [1], [3], "keluarga_baru_tanpa_buku_nikah", "persyaratan.dilampirkan"),
    ("sptjm_kawin", ["I.A.1"], [5], [4], "keluarga_baru_tanpa_buku_nikah", "persyaratan.dilampirkan"),
    ("kk_lama_pisah", ["I.A.3"], [3], [1], "pisah_kk_tanpa_kk_lama", "persyaratan.dilampirkan"),
    ("skp_kk", ["I.A.4"], [1], [7], "pindah_datang_tanpa_skp", "persyaratan.dilampirkan"),
    ("skp_ktp", ["II.B"], [9], [7], "pindah_datang_tanpa_skp", "persyaratan.dilampirkan"),
    ("skpln", ["I.A.5"], [9], [9, 11], "datang_luar_negeri_tanpa_skpln", "persyaratan.dilampirkan"),
    ("perwakilan", ["I.A.5"], [11], [10, 11], "datang_luar_negeri_tanpa_skpln", "persyaratan.dilampirkan"),
    ("kk_hilang", ["I.C.1"], [8], [13], "hilang_tanpa_surat_kepolisian", "persyaratan.dilampirkan"),
    ("ktp_hilang", ["II.C.1"], [8], [8, 13], "hilang_tanpa_surat_kepolisian", "persyaratan.dilampirkan"),
    ("kk_rusak", ["I.C.2"], [8], [1], "kk_rusak_tanpa_kk_lama", "persyaratan.dilampirkan"),
    ("itap", ["II.D"], [11], [14], "perpanjang_itap_tanpa_itap", "persyaratan.dilampirkan"),
]


def _attachment_application(jenis: list[str], dilampirkan: list[int] | None, f106: bool | None) -> Answers:
    return application(jenis, kewarganegaraan=2, dilampirkan=dilampirkan, f106=f106)


@pytest.mark.parametrize(
    ("jenis", "bad", "rule_id", "path"),
    [(c[1], c[2], c[4], c[5]) for c in ATTACHMENT_CASES],
    ids=[c[0] for c in ATTACHMENT_CASES],
)
def test_missing_attachment_is_a_warning(
    schema: FormSchema, jenis: list[str], bad: list[int] | None, rule_id: str, path: str
) -> None:
    answers = _attachment_application(jenis, bad, f106=rule_id != "perubahan_data_tanpa_f106")
    assert fired(evaluate(schema, answers), rule_id) == [(path, "warning")]


@pytest.mark.parametrize(
    ("jenis", "good", "rule_id"),
    [(c[1], c[3], c[4]) for c in ATTACHMENT_CASES],
    ids=[c[0] for c in ATTACHMENT_CASES],
)
def test_attachment_rule_quiet_when_the_document_is_ticked(
    schema: FormSchema, jenis: list[str], good: list[int] | None, rule_id: str
) -> None:
    answers = _attachment_application(jenis, good if good is not None else [2], f106=True)
    assert fired(evaluate(schema, answers), rule_id) == []


@pytest.mark.parametrize(
    ("jenis", "rule_id"),
    [(c[1], c[4]) for c in ATTACHMENT_CASES if c[2] is not None],
    ids=[c[0] for c in ATTACHMENT_CASES if c[2] is not None],
)
def test_attachment_rule_fires_when_nothing_is_ticked(schema: FormSchema, jenis: list[str], rule_id: str) -> None:
    answers = _attachment_application(jenis, None, f106=True)
    assert fired(evaluate(schema, answers), rule_id) == [("persyaratan.dilampirkan", "warning")]


def test_every_rule_has_a_case(schema: FormSchema) -> None:
    covered = {c[4] for c in ATTACHMENT_CASES} | {
        "ktp_el_belum_wajib",
        "pisah_kk_belum_dewasa",
        "perpanjang_itap_bukan_wna",
    }
    assert covered == rule_ids(schema)
