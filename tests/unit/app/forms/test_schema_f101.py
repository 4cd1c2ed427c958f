"""Tests of the F-1.01 Biodata Keluarga schema: column applicability, required fields and every rule."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.forms import Evaluation, FormSchema, evaluate, load_form
from app.forms.__main__ import main as forms_cli

Answers = dict[str, Any]
TODAY = dt.date.today()


def years_ago(years: int, days: int = 0) -> dt.date:
    """The date `years` whole years (plus `days`) before today; 29 February falls back to the 28th."""
    try:
        anniversary = TODAY.replace(year=TODAY.year - years)
    except ValueError:
        anniversary = TODAY.replace(year=TODAY.year - years, day=28)
    return anniversary - dt.timedelta(days=days)


def iso(day: dt.date) -> str:
    return day.isoformat()


def make_nik(born: dt.date, female: bool, serial: int = 1) -> str:
    """A structurally valid NIK of Kec. Sine, Kab. Ngawi whose date digits match `born` and the sex."""
    day = born.day + (40 if female else 0)
    return f"352101{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


@pytest.fixture(scope="module")
def schema() -> FormSchema:
    return load_form("F-1.01")


def rule_ids(schema: FormSchema) -> set[str]:
    ids = {rule.id for rule in schema.rules}
    for section in schema.sections:
        ids.update(rule.id for rule in section.rules)
    return ids


def rule_findings(schema: FormSchema, result: Evaluation) -> list[tuple[str, str]]:
    ids = rule_ids(schema)
    return [(f.code, f.path) for f in result.findings if f.code in ids]


def member(
    name: str,
    shdk: int,
    born: dt.date,
    female: bool,
    status_kawin: int,
    serial: int,
) -> Answers:
    row: Answers = {
        "nik": make_nik(born, female, serial),
        "nama_lengkap": name,
        "jenis_kelamin": 2 if female else 1,
        "tempat_lahir": "NGAWI",
        "tanggal_lahir": iso(born),
        "kewarganegaraan": 1,
        "akta_lahir": 2,
        "nomor_akta_lahir": f"3521-LT-{serial:04d}",
        "golongan_darah": 13,
        "agama": 1,
        "status_kawin": status_kawin,
        "shdk": shdk,
        "kelainan": 1,
        "pendidikan": 5,
        "pekerjaan": 9,
        "nama_ibu": "SITI AMINAH",
        "nama_ayah": "AHMAD SUBARJO",
    }
    return row


HEAD_BORN = years_ago(40, 30)
WIFE_BORN = years_ago(38, 3)
CHILD_BORN = years_ago(10, 50)
MOTHER_IN_LAW_BORN = years_ago(65, 100)
MARRIED_ON = years_ago(15, 20)


def wni_family() -> Answers:
    """A complete, valid WNI family: head, wife, child and a widowed mother-in-law."""
    head = member("BUDI SANTOSO", 1, HEAD_BORN, False, 2, 1)
    head.update(akta_kawin=2, nomor_akta_kawin="0123/045/VI/2011", tanggal_kawin=iso(MARRIED_ON))
    wife = member("SRI WAHYUNI", 3, WIFE_BORN, True, 2, 2)
    wife.update(akta_kawin=2, nomor_akta_kawin="0123/045/VI/2011", tanggal_kawin=iso(MARRIED_ON))
    child = member("DEWI LESTARI", 4, CHILD_BORN, True, 1, 3)
    child.update(pendidikan=2, pekerjaan=3, nama_ibu="SRI WAHYUNI", nama_ayah="BUDI SANTOSO")
    child.update(nik_ibu=wife["nik"], nik_ayah=head["nik"])
    mother_in_law = member("SUPARMI WIDODO", 8, MOTHER_IN_LAW_BORN, True, 6, 4)
    mother_in_law.update(akta_kawin=1, pendidikan=3, pekerjaan=2)
    return {
        "header": {
            "jenis_data": 1,
            "nama_kepala_keluarga": "BUDI SANTOSO",
            "alamat": "JL MERDEKA NO 5",
            "kode_pos": "63263",
            "rt": "003",
            "rw": "001",
            "jumlah_anggota": 4,
            "telepon": "081234567890",
            "email": "budi@contoh.id",
            "kode_provinsi": "35",
            "kode_kabupaten": "35.21",
            "kode_kecamatan": "35.21.01",
            "kode_desa": "35.21.01.2001",
            "dusun": "KRAJAN",
        },
        "anggota": [head, wife, child, mother_in_law],
    }


FOREIGN_FIELDS: Answers = {
    "nomor_paspor": "E1234567",
    "tanggal_akhir_paspor": iso(TODAY + dt.timedelta(days=900)),
    "nama_sponsor": "PT MAJU BERSAMA",
    "tipe_sponsor": 5,
    "alamat_sponsor": "JL RAYA NGAWI 10",
    "kewarganegaraan": 2,
    "nomor_itas": "2C11AB1234",
    "tempat_terbit_itas": "MADIUN",
    "tanggal_terbit_itas": iso(years_ago(1)),
    "tanggal_akhir_itas": iso(TODAY + dt.timedelta(days=300)),
    "tempat_datang_pertama": "SURABAYA",
    "tanggal_datang_pertama": iso(years_ago(1, 10)),
}


def foreign_family() -> Answers:
    """A complete, valid Orang Asing family of one (no col 14, with sponsor and ITAS/ITAP)."""
    head = member("JOHN MILLER", 1, HEAD_BORN, False, 1, 1)
    head.update(FOREIGN_FIELDS, agama=2, pekerjaan=15, nama_ibu="MARY MILLER", nama_ayah="PETER MILLER")
    answers = wni_family()
    answers["header"].update(jenis_data=2, nama_kepala_keluarga="JOHN MILLER", jumlah_anggota=1)
    del answers["header"]["kode_pos"]
    answers["anggota"] = [head]
    return answers


def abroad_family() -> Answers:
    """A complete, valid family of WNI living abroad, with the LN address block."""
    answers = wni_family()
    answers["header"]["jenis_data"] = 3
    answers["luar_negeri"] = {
        "alamat": "12 JALAN AMPANG",
        "kota": "KUALA LUMPUR",
        "provinsi_negara_bagian": "WILAYAH PERSEKUTUAN",
        "negara": "MALAYSIA",
        "kode_pos": "50450",
        "jumlah_anggota": 4,
        "telepon": "+60321234567",
    }
    return answers


VALID_FAMILIES: dict[str, Callable[[], Answers]] = {
    "wni": wni_family,
    "orang_asing": foreign_family,
    "wni_luar_negeri": abroad_family,
}


@pytest.mark.parametrize("family", sorted(VALID_FAMILIES))
def test_complete_family_has_no_errors_and_no_rule_findings(schema: FormSchema, family: str) -> None:
    result = evaluate(schema, VALID_FAMILIES[family]())
    assert result.errors == []
    assert rule_findings(schema, result) == []


def test_schema_is_the_109_2019_version_with_alias(schema: FormSchema) -> None:
    assert schema.key == "F-1.01@PMDN109-2019"
    assert schema.alias == "f101"
    assert load_form("F-1.01@PMDN109-2019") is schema


def test_member_table_has_the_41_paper_columns_plus_the_app_only_nik(schema: FormSchema) -> None:
    section = schema.section("anggota")
    assert section is not None
    assert (section.repeat_min, section.repeat_max) == (1, 10)
    cols = sorted(f.col for f in section.fields if isinstance(f.col, int))
    assert cols == list(range(2, 42))
    nik = section.field("nik")
    assert nik is not None
    assert nik.app_only and nik.allow_pending and nik.col is None
    assert nik.sex_field == ("jenis_kelamin",)
    assert nik.birth_date_field == ("tanggal_lahir",)
    assert "kolom" in nik.help


def test_header_region_codes_are_staff_only(schema: FormSchema) -> None:
    header = schema.section("header")
    assert header is not None
    for field_id, level in (
        ("kode_provinsi", "provinsi"),
        ("kode_kabupaten", "kabupaten"),
        ("kode_kecamatan", "kecamatan"),
        ("kode_desa", "desa"),
    ):
        spec = header.field(field_id)
        assert spec is not None
        assert spec.staff_only and spec.type == "region" and spec.region_level == level


def test_staff_only_region_codes_may_be_left_empty(schema: FormSchema) -> None:
    answers = wni_family()
    for key in ("kode_provinsi", "kode_kabupaten", "kode_kecamatan", "kode_desa"):
        del answers["header"][key]
    assert evaluate(schema, answers).errors == []


# --------------------------------------------------------------------------- column applicability (§3.3)
APPLICABLE_COLUMNS = {
    1: set(range(2, 7)) | set(range(10, 32)) | set(range(38, 42)),  # WNI
    2: set(range(2, 14)) | set(range(15, 42)),  # Orang Asing
    3: set(range(2, 32)) | set(range(38, 42)),  # WNI di luar negeri
}


@pytest.mark.parametrize("jenis_data", [1, 2, 3])
def test_visible_member_columns_follow_the_paper(schema: FormSchema, jenis_data: int) -> None:
    answers = wni_family()
    answers["header"]["jenis_data"] = jenis_data
    row = answers["anggota"][3]
    # open every conditional column: akta, kepercayaan, cerai hidup tercatat, kelainan
    row.update(agama=7, status_kawin=4, akta_kawin=2, akta_cerai=2, kelainan=2)
    section = schema.section("anggota")
    assert section is not None
    result = evaluate(schema, answers)
    visible_cols = {
        spec.col for spec in section.fields if f"anggota[3].{spec.id}" in result.visible and isinstance(spec.col, int)
    }
    assert visible_cols == APPLICABLE_COLUMNS[jenis_data]


@pytest.mark.parametrize(("jenis_data", "shown"), [(1, True), (2, False), (3, True)])
def test_sk_penetapan_wni_column_14_is_hidden_for_foreigners(schema: FormSchema, jenis_data: int, shown: bool) -> None:
    answers = wni_family()
    answers["header"]["jenis_data"] = jenis_data
    assert ("anggota[0].nomor_sk_wni" in evaluate(schema, answers).visible) is shown


@pytest.mark.parametrize(("jenis_data", "shown"), [(1, False), (2, False), (3, True), (None, False)])
def test_address_abroad_only_for_wni_abroad(schema: FormSchema, jenis_data: int | None, shown: bool) -> None:
    answers = abroad_family()
    answers["header"]["jenis_data"] = jenis_data
    visible = evaluate(schema, answers).visible
    for field_id in ("alamat", "kota", "provinsi_negara_bagian", "negara", "kode_pos", "jumlah_anggota", "telepon"):
        assert (f"luar_negeri.{field_id}" in visible) is shown


@pytest.mark.parametrize(
    ("condition", "field_id"),
    [
        ({"akta_lahir": 2}, "nomor_akta_lahir"),
        ({"agama": 7}, "organisasi_kepercayaan"),
        ({"kelainan": 2}, "penyandang_cacat"),
        ({"status_kawin": 2}, "akta_kawin"),
        ({"status_kawin": 2, "akta_kawin": 2}, "nomor_akta_kawin"),
        ({"status_kawin": 2, "akta_kawin": 2}, "tanggal_kawin"),
        ({"status_kawin": 4}, "akta_cerai"),
        ({"status_kawin": 4, "akta_cerai": 2}, "nomor_akta_cerai"),
        ({"status_kawin": 4, "akta_cerai": 2}, "tanggal_cerai"),
    ],
)
def test_dependent_columns_shown_only_when_their_condition_holds(
    schema: FormSchema, condition: Answers, field_id: str
) -> None:
    answers = wni_family()
    row = answers["anggota"][2]  # the child: single, no akta open, no kelainan
    row.update(akta_lahir=1, agama=1, kelainan=1, status_kawin=1)
    row.pop("nomor_akta_lahir")
    assert f"anggota[2].{field_id}" not in evaluate(schema, answers).visible
    row.update(condition)
    assert f"anggota[2].{field_id}" in evaluate(schema, answers).visible


# --------------------------------------------------------------------------- required fields
@pytest.mark.parametrize(
    ("family", "section", "index", "field_id", "changes"),
    [
        ("wni", "anggota", 0, "nomor_akta_lahir", {}),
        ("wni", "anggota", 0, "nomor_akta_kawin", {}),
        ("wni", "anggota", 0, "tanggal_kawin", {}),
        ("wni", "anggota", 0, "akta_kawin", {}),
        ("wni", "anggota", 0, "penyandang_cacat", {"kelainan": 2}),
        ("wni", "anggota", 0, "organisasi_kepercayaan", {"agama": 7}),
        ("wni", "anggota", 0, "tanggal_akhir_paspor", {"nomor_paspor": "B1234567"}),
        ("wni", "anggota", 3, "akta_cerai", {"status_kawin": 4}),
        ("wni", "anggota", 3, "nomor_akta_cerai", {"status_kawin": 4, "akta_cerai": 2}),
        ("wni", "anggota", 0, "nama_lengkap", {}),
        ("wni", "anggota", 0, "nik", {}),
        ("wni", "anggota", 0, "nama_ibu", {}),
        ("wni", "anggota", 0, "shdk", {}),
        ("orang_asing", "anggota", 0, "nomor_paspor", {}),
        ("orang_asing", "anggota", 0, "tipe_sponsor", {}),
        ("orang_asing", "anggota", 0, "nama_sponsor", {}),
        ("orang_asing", "anggota", 0, "nomor_itas", {}),
        ("orang_asing", "anggota", 0, "tempat_terbit_itas", {}),
        ("orang_asing", "anggota", 0, "tanggal_terbit_itas", {}),
        ("orang_asing", "anggota", 0, "tanggal_akhir_itas", {}),
        ("orang_asing", "anggota", 0, "tempat_datang_pertama", {}),
        ("orang_asing", "anggota", 0, "tanggal_datang_pertama", {}),
        ("wni", "header", None, "kode_pos", {}),
        ("wni", "header", None, "jenis_data", {}),
        ("wni", "header", None, "jumlah_anggota", {}),
        ("wni_luar_negeri", "luar_negeri", None, "negara", {}),
        ("wni_luar_negeri", "luar_negeri", None, "telepon", {}),
    ],
)
def test_missing_required_answer_is_an_error(
    schema: FormSchema, family: str, section: str, index: int | None, field_id: str, changes: Answers
) -> None:
    answers = VALID_FAMILIES[family]()
    container = answers[section] if index is None else answers[section][index]
    container.update(changes)
    container.pop(field_id, None)
    path = f"{section}.{field_id}" if index is None else f"{section}[{index}].{field_id}"
    result = evaluate(schema, answers)
    assert [(f.code, f.severity) for f in result.at(path)] == [("required", "error")]


def test_sponsor_name_not_required_without_sponsor(schema: FormSchema) -> None:
    answers = foreign_family()
    row = answers["anggota"][0]
    row["tipe_sponsor"] = 4
    del row["nama_sponsor"], row["alamat_sponsor"]
    assert evaluate(schema, answers).errors == []


def test_postal_code_not_required_for_foreigners(schema: FormSchema) -> None:
    result = evaluate(schema, foreign_family())
    assert result.at("header.kode_pos") == []


def test_foreigner_fields_not_required_for_wni(schema: FormSchema) -> None:
    result = evaluate(schema, wni_family())
    assert result.at("anggota[0].nomor_itas") == []
    assert "anggota[0].nomor_itas" not in result.visible


@pytest.mark.parametrize("field_id", ["tanggal_lahir", "tanggal_kawin"])
def test_dates_may_not_be_in_the_future(schema: FormSchema, field_id: str) -> None:
    answers = wni_family()
    answers["anggota"][0][field_id] = iso(TODAY + dt.timedelta(days=1))
    codes = {f.code for f in evaluate(schema, answers).at(f"anggota[0].{field_id}")}
    assert "future_date" in codes


def test_expiry_dates_may_be_in_the_future(schema: FormSchema) -> None:
    result = evaluate(schema, foreign_family())
    assert result.at("anggota[0].tanggal_akhir_paspor") == []
    assert result.at("anggota[0].tanggal_akhir_itas") == []


def test_more_than_ten_members_need_another_sheet(schema: FormSchema) -> None:
    answers = wni_family()
    child = answers["anggota"][2]
    answers["anggota"].extend(copy.deepcopy(child) for _ in range(7))
    answers["header"]["jumlah_anggota"] = 11
    assert {f.code for f in evaluate(schema, answers).at("anggota")} == {"too_many_rows"}


def test_family_needs_at_least_one_member(schema: FormSchema) -> None:
    answers = wni_family()
    answers["anggota"] = []
    codes = {f.code for f in evaluate(schema, answers).at("anggota")}
    assert "too_few_rows" in codes


# --------------------------------------------------------------------------- rules
def _set(index: int, **changes: Any) -> Callable[[Answers], None]:
    def mutate(answers: Answers) -> None:
        answers["anggota"][index].update(changes)

    return mutate


def _header(**changes: Any) -> Callable[[Answers], None]:
    def mutate(answers: Answers) -> None:
        answers["header"].update(changes)

    return mutate


def _add_second_husband(answers: Answers) -> None:
    answers["anggota"][3].update(shdk=2, jenis_kelamin=1, status_kawin=2, akta_kawin=2)
    answers["anggota"][3].update(nomor_akta_kawin="1/2", tanggal_kawin=iso(MARRIED_ON))
    answers["anggota"][1]["shdk"] = 2


def _parent_nik(index: int, field_id: str, source: int) -> Callable[[Answers], None]:
    """Put member `source`'s NIK into nik_ayah/nik_ibu of member `index`."""

    def mutate(answers: Answers) -> None:
        answers["anggota"][index][field_id] = answers["anggota"][source]["nik"]

    return mutate


def _lone_teenage_head(answers: Answers) -> None:
    born = years_ago(15)
    head = member("RINA KARTIKA", 1, born, True, 1, 9)
    answers["anggota"] = [head]
    answers["header"]["jumlah_anggota"] = 1


def _nik_of_born(index: int, field_id: str, born: dt.date, female: bool) -> Callable[[Answers], None]:
    """Put a NIK whose date digits say `born` into nik_ayah/nik_ibu of member `index` (nobody's row)."""
    return _set(index, **{field_id: make_nik(born, female, 77)})


def _born_ahead_of_spouse_law(answers: Answers) -> None:
    """The head married at 17, before UU 16/2019 (the wife, two years younger, was 15: her row says so too,
    which is why only the head's date changes)."""
    married = HEAD_BORN.replace(year=HEAD_BORN.year + 17) + dt.timedelta(days=30)
    answers["anggota"][0]["tanggal_kawin"] = iso(married)


def _born_before_the_marriage(answers: Answers) -> None:
    """The child (row 3, NIK Ibu/Ayah naming the wife and the head) born a year before they married."""
    born = MARRIED_ON - dt.timedelta(days=365)
    answers["anggota"][2].update(tanggal_lahir=iso(born), nik=make_nik(born, True, 3))


RULE_CASES: list[tuple[str, str, Callable[[Answers], None], str, str]] = [
    # across rows (issue 16): parents and children, spouses, the head named at the top
    (
        "child_older_than_mother",
        "wni",
        _set(2, tanggal_lahir=iso(years_ago(39))),
        "lebih_tua_dari_ibu",
        "anggota[2].tanggal_lahir",
    ),
    (
        "father_younger_than_child",
        "wni",
        _set(0, tanggal_lahir=iso(years_ago(9))),
        "lebih_tua_dari_ayah",
        "anggota[2].tanggal_lahir",
    ),
    (
        "mother_nik_younger",
        "wni",
        _nik_of_born(2, "nik_ibu", years_ago(5), True),
        "lebih_tua_dari_ibu_menurut_nik",
        "anggota[2].nik_ibu",
    ),
    (
        "father_nik_younger",
        "wni",
        _nik_of_born(2, "nik_ayah", years_ago(5), False),
        "lebih_tua_dari_ayah_menurut_nik",
        "anggota[2].nik_ayah",
    ),
    (
        "wife_married_another_day",
        "wni",
        _set(1, tanggal_kawin=iso(years_ago(14))),
        "tanggal_kawin_beda_dengan_kepala",
        "anggota[1].tanggal_kawin",
    ),
    (
        "child_born_before_the_parents_married",
        "wni",
        _born_before_the_marriage,
        "anak_lahir_sebelum_orang_tua_kawin",
        "anggota[2].tanggal_lahir",
    ),
    (
        "wife_married_at_17_after_uu_16_2019",
        "wni",
        _set(1, tanggal_lahir="2003-06-01", nik=make_nik(dt.date(2003, 6, 1), True, 2), tanggal_kawin="2021-01-10"),
        "umur_kawin_di_bawah_19",
        "anggota[1].tanggal_kawin",
    ),
    (
        "husband_married_at_17_before_uu_16_2019",
        "wni",
        _born_ahead_of_spouse_law,
        "umur_kawin_sebelum_uu_16_2019",
        "anggota[0].tanggal_kawin",
    ),
    (
        "head_named_otherwise",
        "wni",
        _header(nama_kepala_keluarga="BUDI SANTOSA"),
        "nama_kepala_keluarga_beda",
        "header.nama_kepala_keluarga",
    ),
    # (case, family, mutate, expected rule id, expected path)
    ("two_heads", "wni", _set(2, shdk=1), "satu_kepala_keluarga", "anggota"),
    ("no_head", "wni", _set(0, shdk=11), "satu_kepala_keluarga", "anggota"),
    ("count_mismatch", "wni", _header(jumlah_anggota=5), "jumlah_anggota_tidak_sesuai", "header.jumlah_anggota"),
    ("two_husbands", "wni", _add_second_husband, "lebih_dari_satu_suami", "anggota"),
    ("wife_unmarried", "wni", _set(1, status_kawin=1), "suami_istri_harus_kawin", "anggota[1].status_kawin"),
    (
        "wife_divorced",
        "wni",
        _set(1, status_kawin=4, akta_cerai=2, nomor_akta_cerai="9", tanggal_cerai=iso(years_ago(1))),
        "suami_istri_harus_kawin",
        "anggota[1].status_kawin",
    ),
    ("kawin_tercatat_no_akta", "wni", _set(1, akta_kawin=1), "kawin_tercatat_tanpa_akta", "anggota[1].akta_kawin"),
    (
        "cerai_tercatat_no_akta",
        "wni",
        _set(3, status_kawin=4, akta_cerai=1),
        "cerai_tercatat_tanpa_akta",
        "anggota[3].akta_cerai",
    ),
    (
        "married_before_birth",
        "wni",
        _set(0, tanggal_kawin=iso(years_ago(41))),
        "tanggal_kawin_sebelum_lahir",
        "anggota[0].tanggal_kawin",
    ),
    (
        "divorced_before_marriage",
        "wni",
        _set(
            3,
            status_kawin=4,
            akta_kawin=2,
            nomor_akta_kawin="7/1980",
            tanggal_kawin=iso(years_ago(40)),
            akta_cerai=2,
            nomor_akta_cerai="3/1979",
            tanggal_cerai=iso(years_ago(41)),
        ),
        "tanggal_cerai_sebelum_kawin",
        "anggota[3].tanggal_cerai",
    ),
    (
        "married_at_16",
        "wni",
        # Only without a marriage date is today's age the check (with one: umur_kawin_di_bawah_19).
        _set(1, tanggal_lahir=iso(years_ago(16, 10)), tanggal_kawin=None),
        "kawin_di_bawah_umur",
        "anggota[1].tanggal_lahir",
    ),
    ("teenage_head", "wni", _lone_teenage_head, "kepala_keluarga_di_bawah_umur", "anggota[0].tanggal_lahir"),
    ("female_husband", "wni", _set(1, shdk=2), "suami_bukan_laki_laki", "anggota[1].jenis_kelamin"),
    ("male_wife", "wni", _set(1, jenis_kelamin=1), "istri_bukan_perempuan", "anggota[1].jenis_kelamin"),
    (
        "wna_in_wni_family",
        "wni",
        _set(2, kewarganegaraan=2),
        "kewarganegaraan_tidak_sesuai",
        "anggota[2].kewarganegaraan",
    ),
    (
        "wni_in_foreign_family",
        "orang_asing",
        _set(0, kewarganegaraan=1),
        "kewarganegaraan_tidak_sesuai",
        "anggota[0].kewarganegaraan",
    ),
    (
        "passport_expired",
        "wni",
        _set(0, nomor_paspor="B1234567", tanggal_akhir_paspor=iso(years_ago(0, 1))),
        "paspor_habis_berlaku",
        "anggota[0].tanggal_akhir_paspor",
    ),
    (
        "itas_expired",
        "orang_asing",
        _set(0, tanggal_akhir_itas=iso(years_ago(0, 1))),
        "itas_habis_berlaku",
        "anggota[0].tanggal_akhir_itas",
    ),
    (
        "itas_ends_before_issue",
        "orang_asing",
        _set(0, tanggal_akhir_itas=iso(years_ago(2))),
        "itas_berakhir_sebelum_terbit",
        "anggota[0].tanggal_akhir_itas",
    ),
    (
        "arrived_before_birth",
        "orang_asing",
        _set(0, tanggal_datang_pertama=iso(years_ago(41))),
        "datang_sebelum_lahir",
        "anggota[0].tanggal_datang_pertama",
    ),
    # the child (row 3) gets the mother's NIK as NIK Ayah, the father's as NIK Ibu
    ("nik_ayah_perempuan", "wni", _parent_nik(2, "nik_ayah", 1), "nik_ayah_bukan_laki_laki", "anggota[2].nik_ayah"),
    ("nik_ibu_laki_laki", "wni", _parent_nik(2, "nik_ibu", 0), "nik_ibu_bukan_perempuan", "anggota[2].nik_ibu"),
    # header region codes (real codes: 35 Jawa Timur, 35.21 Ngawi, 35.21.01 Sine, 35.21.01.2001 Wonosari)
    (
        "kabupaten_di_luar_provinsi",
        "wni",
        _header(kode_provinsi="33"),
        "kabupaten_di_luar_provinsi",
        "header.kode_kabupaten",
    ),
    (
        "kecamatan_di_luar_kabupaten",
        "wni",
        _header(kode_kabupaten="35.20"),
        "kecamatan_di_luar_kabupaten",
        "header.kode_kecamatan",
    ),
    ("desa_di_luar_kecamatan", "wni", _header(kode_kecamatan="35.21.02"), "desa_di_luar_kecamatan", "header.kode_desa"),
    (
        "desa_lain_kecamatan",
        "wni",
        _header(kode_desa="35.21.02.2003"),
        "desa_di_luar_kecamatan",
        "header.kode_desa",
    ),
    (
        "abroad_count_mismatch",
        "wni_luar_negeri",
        lambda a: a["luar_negeri"].update(jumlah_anggota=6),
        "jumlah_anggota_luar_negeri",
        "luar_negeri.jumlah_anggota",
    ),
]


@pytest.mark.parametrize(
    ("family", "mutate", "rule_id", "path"),
    [case[1:] for case in RULE_CASES],
    ids=[case[0] for case in RULE_CASES],
)
def test_rule_fires_with_its_code_path_and_severity(
    schema: FormSchema, family: str, mutate: Callable[[Answers], None], rule_id: str, path: str
) -> None:
    answers = VALID_FAMILIES[family]()
    mutate(answers)
    result = evaluate(schema, answers)
    hits = [f for f in result.findings if f.code == rule_id]
    assert [f.path for f in hits] == [path]
    expected = {rule.id: rule.severity for rule in schema.rules}
    for section in schema.sections:
        expected.update({rule.id: rule.severity for rule in section.rules})
    assert hits[0].severity == expected[rule_id]
    assert hits[0].message
    assert "{row}" not in hits[0].message


def test_every_rule_has_a_firing_case(schema: FormSchema) -> None:
    assert {case[3] for case in RULE_CASES} | {"nik_ganda"} == rule_ids(schema)


def test_the_same_nik_on_two_rows_is_an_error_on_both(schema: FormSchema) -> None:
    answers = wni_family()
    answers["anggota"][3]["nik"] = answers["anggota"][0]["nik"]
    hits = [(f.path, f.severity) for f in evaluate(schema, answers).findings if f.code == "nik_ganda"]
    assert hits == [("anggota[0].nik", "error"), ("anggota[3].nik", "error")]
    answers["anggota"][3]["nik"] = answers["anggota"][0]["nik"] = "belum-punya-nik"  # two without a NIK are fine
    assert not [f for f in evaluate(schema, answers).findings if f.code == "nik_ganda"]


def test_cross_row_rules_take_what_a_real_family_may_differ_in(schema: FormSchema) -> None:
    """A woman married at 17 before UU 16/2019 (16 then), and the head's name typed in another case."""
    answers = wni_family()
    wife_born = dt.date(1995, 3, 1)
    answers["anggota"][1].update(tanggal_lahir=iso(wife_born), nik=make_nik(wife_born, True, 2))
    answers["anggota"][1]["tanggal_kawin"] = answers["anggota"][0]["tanggal_kawin"] = "2012-06-01"
    answers["anggota"][2]["nik_ibu"] = answers["anggota"][1]["nik"]
    answers["header"]["nama_kepala_keluarga"] = "budi  santoso"
    result = evaluate(schema, answers)
    assert rule_findings(schema, result) == []


def test_the_cli_reports_cross_row_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`python -m app.forms validate F-1.01 FILE`: the officer's (and the Dinas') face of the engine."""
    answers = wni_family()
    answers["anggota"][3]["nik"] = answers["anggota"][0]["nik"]
    answers["header"]["nama_kepala_keluarga"] = "BUDI SANTOSA"
    path = tmp_path / "f101.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    assert forms_cli(["validate", "F-1.01", str(path)]) == 0
    codes = {f["code"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert {"nik_ganda", "nama_kepala_keluarga_beda"} <= codes


@pytest.mark.parametrize(
    ("rule_id", "severity"),
    [
        ("satu_kepala_keluarga", "error"),
        ("jumlah_anggota_tidak_sesuai", "error"),
        ("suami_istri_harus_kawin", "error"),
        ("kawin_tercatat_tanpa_akta", "warning"),
        ("cerai_tercatat_tanpa_akta", "warning"),
        ("kepala_keluarga_di_bawah_umur", "warning"),
        ("kawin_di_bawah_umur", "warning"),
        ("nik_ayah_bukan_laki_laki", "warning"),
        ("nik_ibu_bukan_perempuan", "warning"),
        ("kabupaten_di_luar_provinsi", "error"),
        ("kecamatan_di_luar_kabupaten", "error"),
        ("desa_di_luar_kecamatan", "error"),
    ],
)
def test_rule_severity_is_as_decided(schema: FormSchema, rule_id: str, severity: str) -> None:
    rules = list(schema.rules)
    for section in schema.sections:
        rules.extend(section.rules)
    assert {r.id: r.severity for r in rules}[rule_id] == severity


def test_row_messages_name_the_member(schema: FormSchema) -> None:
    answers = wni_family()
    answers["anggota"][1]["status_kawin"] = 1
    (hit,) = [f for f in evaluate(schema, answers).findings if f.code == "suami_istri_harus_kawin"]
    assert "Anggota ke-2" in hit.message


@pytest.mark.parametrize(
    ("case", "changes"),
    [
        ("head_17_today", {"tanggal_lahir": iso(years_ago(17))}),
        ("head_15_married", {"tanggal_lahir": iso(years_ago(15)), "status_kawin": 3}),
    ],
)
def test_head_rule_boundaries(schema: FormSchema, case: str, changes: Answers) -> None:
    answers = wni_family()
    answers["anggota"] = [answers["anggota"][0]]
    answers["header"]["jumlah_anggota"] = 1
    head = answers["anggota"][0]
    head.update(changes)
    head["nik"] = "belum-punya-nik"
    codes = {f.code for f in evaluate(schema, answers).findings}
    assert "kepala_keluarga_di_bawah_umur" not in codes


def test_married_member_aged_17_is_not_flagged(schema: FormSchema) -> None:
    answers = wni_family()
    answers["anggota"][1]["tanggal_lahir"] = iso(years_ago(17))
    codes = {f.code for f in evaluate(schema, answers).findings}
    assert "kawin_di_bawah_umur" not in codes


def test_member_rules_do_not_read_hidden_foreigner_columns(schema: FormSchema) -> None:
    answers = wni_family()
    # stale ITAS answers left from switching the family type must not raise ITAS findings
    answers["anggota"][0].update(tanggal_terbit_itas=iso(years_ago(1)), tanggal_akhir_itas=iso(years_ago(2)))
    codes = {f.code for f in evaluate(schema, answers).findings}
    assert not codes & {"itas_habis_berlaku", "itas_berakhir_sebelum_terbit"}


# --------------------------------------------------------------------------- header region codes nest
REGION_RULES = {"kabupaten_di_luar_provinsi", "kecamatan_di_luar_kabupaten", "desa_di_luar_kecamatan"}
REGION_KEYS = ("kode_provinsi", "kode_kabupaten", "kode_kecamatan", "kode_desa")


def region_findings(schema: FormSchema, codes: dict[str, str | None]) -> list[tuple[str, str]]:
    answers = wni_family()
    answers["header"].update(codes)
    return [(f.code, f.path) for f in evaluate(schema, answers).findings if f.code in REGION_RULES]


@pytest.mark.parametrize(
    "codes",
    [
        {"kode_provinsi": "35", "kode_kabupaten": "3521", "kode_kecamatan": "352101", "kode_desa": "3521012001"},
        {"kode_provinsi": "35", "kode_kabupaten": "35.21", "kode_kecamatan": "352102", "kode_desa": "35.21.02.2003"},
        {"kode_provinsi": "35", "kode_kabupaten": "35.20", "kode_kecamatan": "35.20.01", "kode_desa": "35.20.01.2002"},
        {"kode_provinsi": "33", "kode_kabupaten": "33.01", "kode_kecamatan": "33.01.01", "kode_desa": "33.01.01.2001"},
        {"kode_provinsi": None, "kode_kabupaten": None, "kode_kecamatan": None, "kode_desa": "35.21.01.2001"},
        {"kode_provinsi": "35", "kode_kabupaten": None, "kode_kecamatan": None, "kode_desa": "35.21.01.2001"},
        {"kode_provinsi": "35", "kode_kabupaten": "35.21", "kode_kecamatan": "35.21.0X", "kode_desa": "35.21.01.2001"},
    ],
    ids=["undotted", "ngrambe", "magetan", "cilacap", "desa_only", "gaps", "malformed_kecamatan"],
)
def test_nested_header_region_codes_are_accepted(schema: FormSchema, codes: dict[str, str | None]) -> None:
    assert region_findings(schema, codes) == []


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        # a gap is skipped: each code is compared with the nearest higher code that is filled
        ({"kode_kecamatan": None, "kode_desa": "35.20.01.2002"}, [("desa_di_luar_kecamatan", "header.kode_desa")]),
        (
            {"kode_kabupaten": None, "kode_kecamatan": None, "kode_desa": "33.01.01.2001"},
            [("desa_di_luar_kecamatan", "header.kode_desa")],
        ),
        (
            {"kode_kabupaten": None, "kode_kecamatan": "33.01.01", "kode_desa": "33.01.01.2001"},
            [("kecamatan_di_luar_kabupaten", "header.kode_kecamatan")],
        ),
        # undotted codes are compared the same way
        ({"kode_kabupaten": "3520"}, [("kecamatan_di_luar_kabupaten", "header.kode_kecamatan")]),
        # only the first broken link is reported, not every code below it
        ({"kode_provinsi": "33"}, [("kabupaten_di_luar_provinsi", "header.kode_kabupaten")]),
    ],
    ids=["desa_vs_kabupaten", "desa_vs_provinsi", "kecamatan_vs_provinsi", "undotted", "one_finding"],
)
def test_header_region_codes_that_do_not_nest(
    schema: FormSchema, codes: dict[str, str | None], expected: list[tuple[str, str]]
) -> None:
    assert region_findings(schema, codes) == expected


def test_region_rule_is_an_error_naming_the_columns(schema: FormSchema) -> None:
    answers = wni_family()
    answers["header"]["kode_desa"] = "35.21.02.2003"
    result = evaluate(schema, answers)
    (hit,) = [f for f in result.findings if f.code == "desa_di_luar_kecamatan"]
    assert hit in result.errors
    assert "kolom 12" in hit.message and "kolom 11" in hit.message


# --------------------------------------------------------------------------- parents' NIK vs sex
@pytest.mark.parametrize(
    ("field_id", "source", "rule_id", "fires"),
    [
        ("nik_ayah", 0, "nik_ayah_bukan_laki_laki", False),  # the father's NIK
        ("nik_ayah", 1, "nik_ayah_bukan_laki_laki", True),  # the mother's NIK
        ("nik_ibu", 1, "nik_ibu_bukan_perempuan", False),
        ("nik_ibu", 0, "nik_ibu_bukan_perempuan", True),
    ],
)
def test_parent_nik_against_the_parents_sex(
    schema: FormSchema, field_id: str, source: int, rule_id: str, fires: bool
) -> None:
    answers = wni_family()
    _parent_nik(2, field_id, source)(answers)
    hits = [(f.path, f.severity) for f in evaluate(schema, answers).findings if f.code == rule_id]
    assert hits == ([(f"anggota[2].{field_id}", "warning")] if fires else [])


@pytest.mark.parametrize("value", [None, "", "35210141"])
def test_parent_nik_rules_quiet_when_empty_or_malformed(schema: FormSchema, value: str | None) -> None:
    answers = wni_family()
    answers["anggota"][2].update(nik_ayah=value, nik_ibu=value)
    codes = {f.code for f in evaluate(schema, answers).findings}
    assert not codes & {"nik_ayah_bukan_laki_laki", "nik_ibu_bukan_perempuan"}


def _child_born(answers: Answers, born: dt.date) -> Answers:
    answers["anggota"][2].update(tanggal_lahir=iso(born), nik=make_nik(born, True, 3))
    return answers


def _born_before_marriage_hits(schema: FormSchema, answers: Answers) -> list[tuple[str, str]]:
    rule = "anak_lahir_sebelum_orang_tua_kawin"
    return [(f.path, f.severity) for f in evaluate(schema, answers).findings if f.code == rule]


def test_a_child_born_before_the_parents_married_is_a_warning_asking_for_the_recognition(schema: FormSchema) -> None:
    """UU 23/2006 Pasal 49-50: the officer checks the pengakuan/pengesahan, not blocked (it may be recorded)."""
    before = MARRIED_ON - dt.timedelta(days=1)
    answers = _child_born(wni_family(), before)
    assert _born_before_marriage_hits(schema, answers) == [("anggota[2].tanggal_lahir", "warning")]
    (hit,) = [f for f in evaluate(schema, answers).findings if f.code == "anak_lahir_sebelum_orang_tua_kawin"]
    assert "Anggota ke-3" in hit.message and "Pasal 49-50" in hit.message and "pengesahan" in hit.message
    # No NIK Ibu/Ayah given: the head's and the spouse's rows are the parents.
    for field_id in ("nik_ibu", "nik_ayah"):
        del answers["anggota"][2][field_id]
    assert _born_before_marriage_hits(schema, answers) == [("anggota[2].tanggal_lahir", "warning")]
    # Only the wife's row has the later date (the head's says the birth day): still before one parent's marriage.
    answers = _child_born(wni_family(), before)
    answers["anggota"][0]["tanggal_kawin"] = iso(before)
    assert _born_before_marriage_hits(schema, answers) == [("anggota[2].tanggal_lahir", "warning")]


@pytest.mark.parametrize("case", ["born_on_the_wedding_day", "stepchild", "grandchild", "no_recorded_marriage"])
def test_a_child_born_before_the_marriage_rule_stays_quiet_where_it_does_not_apply(
    schema: FormSchema, case: str
) -> None:
    answers = _child_born(
        wni_family(), MARRIED_ON if case == "born_on_the_wedding_day" else MARRIED_ON - dt.timedelta(days=365)
    )
    child = answers["anggota"][2]
    if case == "stepchild":  # the wife's child by an earlier husband, who is not in this KK
        child["nik_ayah"] = make_nik(years_ago(45), False, 66)
    if case == "grandchild":
        child["shdk"] = 6
    if case == "no_recorded_marriage":  # the parents' marriage has no akta: its date is hidden, an old answer ignored
        for parent in answers["anggota"][:2]:
            parent["akta_kawin"] = 1
    assert _born_before_marriage_hits(schema, answers) == []


def test_the_cli_reports_a_child_born_before_the_marriage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`python -m app.forms validate F-1.01 FILE` names the rule at the child's birth date, as a warning."""
    path = tmp_path / "f101.json"
    path.write_text(json.dumps(_child_born(wni_family(), MARRIED_ON - dt.timedelta(days=200))), encoding="utf-8")
    assert forms_cli(["validate", "F-1.01", str(path)]) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    hits = [f for f in findings if f["code"] == "anak_lahir_sebelum_orang_tua_kawin"]
    assert [(f["path"], f["severity"]) for f in hits] == [("anggota[2].tanggal_lahir", "warning")]
