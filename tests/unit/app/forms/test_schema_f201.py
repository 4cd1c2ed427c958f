"""Tests of the F-2.01 Pelaporan Pencatatan Sipil schema: the 16 report types, their blocks and rules."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from app.forms import Evaluation, FormSchema, evaluate, load_form
from app.printing.forms import render_form
from tests.unit.app.printing.pdfs import read_pdf

Answers = dict[str, Any]
TODAY = dt.date.today()
REPORTED = TODAY - dt.timedelta(days=2)
KK = "3521011503100001"


def years_before(day: dt.date, years: int, days: int = 0) -> dt.date:
    """The date `years` whole years (plus `days`) before `day`; 29 February falls back to the 28th."""
    try:
        anniversary = day.replace(year=day.year - years)
    except ValueError:
        anniversary = day.replace(year=day.year - years, day=28)
    return anniversary - dt.timedelta(days=days)


def iso(day: dt.date) -> str:
    return day.isoformat()


def make_nik(born: dt.date, female: bool, serial: int = 1) -> str:
    day = born.day + (40 if female else 0)
    return f"352101{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


FATHER_BORN = years_before(TODAY, 35, 20)
MOTHER_BORN = years_before(TODAY, 30, 45)
FATHER_NIK = make_nik(FATHER_BORN, female=False, serial=11)
MOTHER_NIK = make_nik(MOTHER_BORN, female=True, serial=12)
CHILD_BORN = REPORTED - dt.timedelta(days=10)
WEDDING = REPORTED - dt.timedelta(days=20)
HUSBAND_BORN = years_before(WEDDING, 27, 30)
WIFE_BORN = years_before(WEDDING, 24, 60)
DECEASED_BORN = years_before(TODAY, 70, 5)


def person(name: str, born: dt.date, female: bool, serial: int) -> Answers:
    return {"nama": name, "nik": make_nik(born, female, serial), "no_kk": KK, "kewarganegaraan": 1}


def witness(name: str, serial: int) -> Answers:
    born = years_before(TODAY, 45, serial)
    return {"nama": name, "nik": make_nik(born, False, serial), "no_kk": KK, "kewarganegaraan": 1}


def spouses() -> Answers:
    husband = person("BUDI SANTOSO", HUSBAND_BORN, False, 21)
    husband.update(tanggal_lahir=iso(HUSBAND_BORN), jenis_kelamin=1)
    wife = person("SRI WAHYUNI", WIFE_BORN, True, 22)
    wife.update(tanggal_lahir=iso(WIFE_BORN), jenis_kelamin=2)
    return {"subjek1": husband, "subjek2": wife}


# Issue 16 item 5: the witness blocks each type must fill (seed 004 no. 25-29 and 38: two; no. 30-37, 39-40: one).
WITNESSES_REQUIRED: dict[int, tuple[str, ...]] = {
    **{jenis: ("saksi1", "saksi2") for jenis in (3, 4, 5, 6, 14)},
    **{jenis: ("saksi1",) for jenis in (8, 9, 10, 11, 13, 15)},
}
WITNESS_TYPES = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15}


def report(jenis: int) -> Answers:
    """A complete, valid report of the given type (1-16)."""
    answers: Answers = {
        "wilayah": {"kode_desa": "35.21.01.2001"},
        "laporan": {"jenis_pelaporan": jenis, "tanggal_pelaporan": iso(REPORTED)},
        "pelapor": {"nama": "AHMAD SUBARJO", "nik": FATHER_NIK, "no_kk": KK, "kewarganegaraan": 1},
        "subjek1": {
            "nama": "DEWI LESTARI",
            "nik": make_nik(years_before(TODAY, 12), True, 31),
            "no_kk": KK,
            "kewarganegaraan": 1,
        },
    }
    parents = {
        "ayah": {
            "nama": "AHMAD SUBARJO",
            "nik": FATHER_NIK,
            "tempat_lahir": "NGAWI",
            "tanggal_lahir": iso(FATHER_BORN),
            "kewarganegaraan": 1,
        },
        "ibu": {
            "nama": "SITI AMINAH",
            "nik": MOTHER_NIK,
            "tempat_lahir": "MADIUN",
            "tanggal_lahir": iso(MOTHER_BORN),
            "kewarganegaraan": 1,
        },
    }
    witnesses = {"saksi1": witness("JOKO WIDODO", 41), "saksi2": witness("SLAMET RIYADI", 42)}
    if jenis in WITNESSES_REQUIRED:  # issue 16 item 5: the witnesses the seed asks for
        answers.update({key: value for key, value in witnesses.items() if key in WITNESSES_REQUIRED[jenis]})
    court = {
        "nomor_penetapan": "12/Pdt.P/2024/PN Ngw",
        "tanggal_penetapan": iso(REPORTED - dt.timedelta(days=30)),
        "nama_lembaga_pengadilan": "PENGADILAN NEGERI NGAWI",
    }
    if jenis == 1:
        answers["subjek1"] = {"nama": "DEWI LESTARI", "nik": "belum-punya-nik", "no_kk": KK, "kewarganegaraan": 1}
        answers.update({**parents, **witnesses})
        answers["kelahiran"] = {
            "nama": "DEWI LESTARI",
            "jenis_kelamin": 2,
            "tempat_dilahirkan": 1,
            "tempat_kelahiran": "NGAWI",
            "tanggal_lahir": iso(CHILD_BORN),
            "pukul": "08:30",
            "jenis_kelahiran": 1,
            "kelahiran_ke": 2,
            "penolong_kelahiran": 2,
            "berat_bayi": 3200,
            "panjang_bayi": 49,
        }
    elif jenis == 2:
        answers["subjek1"] = {}
        answers.update(parents)
        answers["lahir_mati"] = {
            "lama_kandungan": 8,
            "jenis_kelamin": 1,
            "tanggal_lahir_mati": iso(REPORTED - dt.timedelta(days=5)),
            "jenis_kelahiran": 1,
            "anak_ke": 2,
            "tempat_dilahirkan": 2,
            "penolong_kelahiran": 2,
            "sebab": "TALI PUSAT",
            "yang_menentukan": 2,
            "tempat_kelahiran": "NGAWI",
        }
    elif jenis == 3:
        answers.update({**spouses(), **witnesses})
        answers["perkawinan"] = {
            "nama_ayah_suami": "SUPARDI HADI",
            "nama_ibu_suami": "SUMIATI HADI",
            "nama_ayah_istri": "WAGIMAN SASTRO",
            "nama_ibu_istri": "PAINEM SASTRO",
            "status_sebelum_kawin_suami": 2,
            "status_sebelum_kawin_istri": 2,
            "perkawinan_ke": 1,
            "tanggal_pemberkatan": iso(WEDDING),
            "tanggal_melapor": iso(REPORTED),
            "jam_pelaporan": "10:00",
            "agama": 2,
            "nama_pemuka_agama": "PDT YOHANES SUTRISNO",
            "perjanjian_notaris": False,
            "jumlah_anak": 0,
        }
    elif jenis == 4:
        answers.update({**spouses(), **witnesses})
        answers["pembatalan_perkawinan"] = {
            "tanggal_perkawinan": iso(WEDDING),
            "nomor_akta_perkawinan": "3521-KW-01012024-0001",
            "tanggal_akta_perkawinan": iso(WEDDING),
            "nama_pengadilan": "PENGADILAN NEGERI NGAWI",
            "nomor_putusan_pengadilan": "5/Pdt.G/2024/PN Ngw",
            "tanggal_putusan": iso(REPORTED),
        }
    elif jenis in (5, 6):
        answers.update({**spouses(), **witnesses})
        answers["perceraian"] = {
            "yang_mengajukan": 2,
            "nomor_akta_perkawinan": "3521-KW-01012015-0001",
            "tanggal_akta_perkawinan": iso(years_before(TODAY, 9)),
            "nama_pengadilan": "PENGADILAN NEGERI NGAWI",
            "tanggal_putusan_pengadilan": iso(REPORTED - dt.timedelta(days=40)),
            "nomor_putusan_pengadilan": "7/Pdt.G/2024/PN Ngw",
            "nomor_surat_panitera": "W14.U1/123/HK",
            "tanggal_surat_panitera": iso(REPORTED - dt.timedelta(days=20)),
            "tanggal_melapor": iso(REPORTED),
        }
        if jenis == 6:
            answers["pembatalan_perceraian"] = {
                "nomor_akta_perceraian": "3521-CR-01022024-0001",
                "tanggal_akta_perceraian": iso(REPORTED - dt.timedelta(days=10)),
            }
    elif jenis == 7:
        answers["subjek1"] = person("SUPARMI WIDODO", DECEASED_BORN, True, 51)
        answers["subjek1"]["tanggal_lahir"] = iso(DECEASED_BORN)
        answers.update({**parents, **witnesses})
        answers["kematian"] = {
            "nik": answers["subjek1"]["nik"],
            "nama_lengkap": "SUPARMI WIDODO",
            "tanggal_kematian": iso(REPORTED - dt.timedelta(days=3)),
            "pukul": "23:15",
            "sebab_kematian": 1,
            "tempat_kematian": "RUMAH",
            "yang_menerangkan": 2,
        }
    elif jenis == 8:
        answers["pengangkatan_anak"] = {
            "nama_anak": "DEWI LESTARI",
            "nomor_akta_kelahiran": "3521-LT-01012014-0001",
            "nama_ibu_kandung": "SITI AMINAH",
            "nama_ayah_angkat": "BUDI SANTOSO",
            "nik_ayah_angkat": FATHER_NIK,
            "nama_pengadilan": "PENGADILAN NEGERI NGAWI",
            "tanggal_penetapan": iso(REPORTED),
            "nomor_penetapan": "3/Pdt.P/2024/PN Ngw",
        }
    elif jenis in (9, 10):
        section = {
            "nomor_akta_kelahiran": "3521-LT-01012014-0001",
            "tanggal_lahir_anak": iso(years_before(TODAY, 12)),
            "nama_ibu_kandung": "SITI AMINAH",
            "nik_ibu_kandung": MOTHER_NIK,
            "kewarganegaraan_ibu_kandung": 1,
            "nama_ayah_kandung": "AHMAD SUBARJO",
            "nik_ayah_kandung": FATHER_NIK,
            "kewarganegaraan_ayah_kandung": 1,
            "tanggal_perkawinan_agama": iso(years_before(TODAY, 13)),
        }
        if jenis == 9:
            answers["pengakuan_anak"] = section
        else:
            section.update(
                nomor_akta_perkawinan="0123/045/VI/2020", tanggal_akta_perkawinan=iso(years_before(TODAY, 2))
            )
            answers["pengesahan_anak"] = section
    elif jenis == 11:
        adult_born = years_before(TODAY, 30)
        answers["subjek1"].update(tanggal_lahir=iso(adult_born), nik=make_nik(adult_born, True, 31))
        answers["perubahan_nama"] = {"nama_baru": "DEWI LESTARI PUTRI", "nama_lama": "DEWI LESTARI", **court}
    elif jenis == 12:
        answers["subjek1"] = {"nama": "JOHN MILLER", "nomor_dokumen_perjalanan": "E1234567", "kewarganegaraan": 2}
        answers["perubahan_kewarganegaraan"] = {
            "kewarganegaraan_baru": 1,
            "nomor_kepmen": "AHU-123.AH.10.01",
            "tanggal_kepmen": iso(REPORTED),
        }
    elif jenis == 13:
        answers["peristiwa_lainnya"] = {
            "nomor_akta_kelahiran": "3521-LT-01012014-0001",
            "jenis_kelamin_lama": 2,
            "jenis_kelamin_baru": 1,
            **{k: v for k, v in court.items()},
        }
    elif jenis == 14:
        answers["pembetulan_akta"] = {
            "nomor_akta": "3521-LT-01012014-0001",
            "nama_wali": "SITI AMINAH",
            "nik_wali": MOTHER_NIK,
        }
    elif jenis == 15:
        answers["pembatalan_akta"] = {
            "jenis_akta": "AKTA KELAHIRAN",
            "nomor_akta": "3521-LT-01012014-0001",
            "nomor_putusan": "9/Pdt.G/2024/PN Ngw",
            "tanggal_putusan": iso(REPORTED),
            "nama_lembaga_pengadilan": "PENGADILAN NEGERI NGAWI",
        }
    elif jenis == 16:
        answers["luar_negeri"] = {
            "jenis_peristiwa": 1,
            "nomor_surat_perwakilan": "123/KONS/2024",
            "tanggal_surat_perwakilan": iso(REPORTED - dt.timedelta(days=10)),
            "kantor_perwakilan": "KBRI TOKYO",
            "nomor_bukti_pencatatan": "JP-998877",
            "tanggal_penerbitan_bukti": iso(REPORTED - dt.timedelta(days=40)),
        }
    return answers


ALL_TYPES = list(range(1, 17))


@pytest.fixture(scope="module")
def schema() -> FormSchema:
    return load_form("F-2.01")


def rule_ids(schema: FormSchema) -> set[str]:
    return {rule.id for rule in schema.rules}


def fired(result: Evaluation, rule_id: str) -> list[tuple[str, str]]:
    return [(f.path, f.severity) for f in result.findings if f.code == rule_id]


@pytest.mark.parametrize("jenis", ALL_TYPES)
def test_complete_report_has_no_errors_and_no_rule_findings(schema: FormSchema, jenis: int) -> None:
    result = evaluate(schema, report(jenis))
    assert result.errors == []
    assert [(f.code, f.path) for f in result.findings if f.code in rule_ids(schema)] == []


def test_report_types_are_the_16_boxes_in_paper_order(schema: FormSchema) -> None:
    spec = schema.section("laporan").field("jenis_pelaporan")  # type: ignore[union-attr]
    assert spec is not None and spec.required is True and spec.codes is not None
    assert [c.code for c in spec.codes.codes] == ALL_TYPES
    assert spec.codes.label(2) == "Lahir Mati"
    assert spec.codes.label(16) == "Pelaporan Pencatatan Sipil dari Luar Wilayah NKRI"


CONTRACT_FIELDS = {
    "wilayah": ["kode_desa"],
    "laporan": ["jenis_pelaporan"],
    "pelapor": ["nama", "nik", "nomor_dokumen_perjalanan", "no_kk", "kewarganegaraan"],
    "subjek1": [
        "nama",
        "nik",
        "nomor_dokumen_perjalanan",
        "no_kk",
        "kewarganegaraan",
        "tanggal_lahir",
        "jenis_kelamin",
    ],
    "subjek2": [
        "nama",
        "nik",
        "nomor_dokumen_perjalanan",
        "no_kk",
        "kewarganegaraan",
        "tanggal_lahir",
        "jenis_kelamin",
    ],
    "saksi1": ["nama", "nik", "no_kk", "kewarganegaraan"],
    "saksi2": ["nama", "nik", "no_kk", "kewarganegaraan"],
    "ayah": ["nik", "nama", "tempat_lahir", "tanggal_lahir", "kewarganegaraan"],
    "ibu": ["nik", "nama", "tempat_lahir", "tanggal_lahir", "kewarganegaraan"],
    "kelahiran": ["nama", "jenis_kelamin", "tanggal_lahir", "berat_bayi"],
    "perkawinan": [
        "status_sebelum_kawin_suami",
        "status_sebelum_kawin_istri",
        "perkawinan_ke",
        "istri_ke",
        "tanggal_pemberkatan",
        "agama",
        "nama_pengadilan",
        "nomor_penetapan_pengadilan",
        "tanggal_penetapan_pengadilan",
        "nama_pemuka_agama",
        "nomor_izin_perwakilan",
        "nomor_paspor",
        "perjanjian_notaris",
    ],
}


@pytest.mark.parametrize("section_id", sorted(CONTRACT_FIELDS))
def test_contract_field_ids_exist(schema: FormSchema, section_id: str) -> None:
    section = schema.section(section_id)
    assert section is not None
    for field_id in CONTRACT_FIELDS[section_id]:
        assert section.field(field_id) is not None, f"{section_id}.{field_id}"


# --------------------------------------------------------------------------- visibility (§7.5)
SECTION_TYPES: dict[str, set[int]] = {
    "subjek2": {3, 4, 5, 6, 16},
    "saksi1": WITNESS_TYPES,
    "saksi2": WITNESS_TYPES,
    "ayah": {1, 2, 7},
    "ibu": {1, 2, 7},
    "kelahiran": {1},
    "lahir_mati": {2},
    "perkawinan": {3, 4},
    "pembatalan_perkawinan": {4},
    "perceraian": {5, 6},
    "pembatalan_perceraian": {6},
    "kematian": {7},
    "pengangkatan_anak": {8},
    "pengakuan_anak": {9},
    "pengesahan_anak": {10},
    "perubahan_nama": {11},
    "perubahan_kewarganegaraan": {12},
    "peristiwa_lainnya": {13},
    "pembetulan_akta": {14},
    "pembatalan_akta": {15},
    "luar_negeri": {16},
}


def everything() -> Answers:
    """Answers for every section at once (as if the officer filled all and then chose a type)."""
    merged: Answers = {}
    for jenis in ALL_TYPES:
        for key, value in report(jenis).items():
            merged.setdefault(key, value)
    merged["subjek1"] = report(3)["subjek1"]
    return merged


@pytest.mark.parametrize("jenis", ALL_TYPES)
def test_blocks_and_event_sections_shown_only_for_their_types(schema: FormSchema, jenis: int) -> None:
    answers = everything()
    answers["laporan"]["jenis_pelaporan"] = jenis
    shown = {path.split(".")[0] for path in evaluate(schema, answers).visible}
    assert {"wilayah", "laporan", "pelapor", "subjek1"} <= shown
    for section_id, types in SECTION_TYPES.items():
        assert (section_id in shown) is (jenis in types), section_id


def test_every_non_repeating_section_is_covered_by_the_visibility_table(schema: FormSchema) -> None:
    always = {"wilayah", "laporan", "pelapor", "subjek1"}
    others = {s.id for s in schema.sections if not s.repeating} - always
    assert others == set(SECTION_TYPES)


@pytest.mark.parametrize("jenis", ALL_TYPES)
def test_hidden_sections_raise_no_rule_findings(schema: FormSchema, jenis: int) -> None:
    answers = everything()
    answers["laporan"]["jenis_pelaporan"] = jenis
    # every event section holds a bad value: only the chosen type's rules may see it
    answers["kelahiran"]["berat_bayi"] = 50
    answers["kematian"]["tanggal_kematian"] = iso(TODAY)
    answers["perkawinan"]["status_sebelum_kawin_istri"] = 1
    answers["lahir_mati"]["tanggal_lahir_mati"] = iso(TODAY)
    answers["ayah"]["nik"] = MOTHER_NIK
    answers["subjek2"]["nik"] = make_nik(WIFE_BORN, False, 22)
    codes = {f.code for f in evaluate(schema, answers).findings}
    assert ("berat_bayi_tidak_wajar" in codes) is (jenis == 1)
    assert ("kematian_setelah_pelaporan" in codes) is (jenis == 7)
    assert ("istri_masih_terikat_perkawinan" in codes) is (jenis == 3)
    assert ("lahir_mati_setelah_pelaporan" in codes) is (jenis == 2)
    assert ("nik_ayah_bukan_laki_laki" in codes) is (jenis in (1, 2, 7))
    assert ("nik_istri_bukan_perempuan" in codes) is (jenis in (3, 4, 5, 6))


@pytest.mark.parametrize(("jenis", "shown"), [(1, False), (2, False), (3, True), (7, True), (11, True)])
def test_app_only_birth_date_of_subject_one(schema: FormSchema, jenis: int, shown: bool) -> None:
    answers = report(jenis)
    assert ("subjek1.tanggal_lahir" in evaluate(schema, answers).visible) is shown


def test_stillborn_has_no_nik_field(schema: FormSchema) -> None:
    visible = evaluate(schema, report(2)).visible
    assert "subjek1.nik" not in visible
    assert "subjek1.nama" in visible


def test_travel_document_only_for_foreigners(schema: FormSchema) -> None:
    answers = report(1)
    assert "pelapor.nomor_dokumen_perjalanan" not in evaluate(schema, answers).visible
    answers["pelapor"]["kewarganegaraan"] = 2
    del answers["pelapor"]["nik"], answers["pelapor"]["no_kk"]
    result = evaluate(schema, answers)
    assert "pelapor.nomor_dokumen_perjalanan" in result.visible
    assert [f.code for f in result.at("pelapor.nomor_dokumen_perjalanan")] == ["required"]
    assert result.at("pelapor.nik") == []


# --------------------------------------------------------------------------- required
@pytest.mark.parametrize(
    ("jenis", "section", "field_id"),
    [
        (1, "subjek1", "nama"),
        (1, "kelahiran", "nama"),
        (1, "kelahiran", "jenis_kelamin"),
        (1, "kelahiran", "tanggal_lahir"),
        (1, "kelahiran", "tempat_dilahirkan"),
        (1, "kelahiran", "penolong_kelahiran"),
        (1, "ibu", "nama"),
        (1, "ibu", "tanggal_lahir"),
        (2, "lahir_mati", "tanggal_lahir_mati"),
        (2, "lahir_mati", "yang_menentukan"),
        (2, "ibu", "nama"),
        (3, "subjek1", "tanggal_lahir"),
        (3, "subjek2", "tanggal_lahir"),
        (3, "subjek2", "nama"),
        (3, "subjek2", "nik"),
        (3, "saksi1", "nama"),
        (3, "saksi1", "nik"),
        (3, "saksi2", "nik"),
        (3, "perkawinan", "status_sebelum_kawin_suami"),
        (3, "perkawinan", "status_sebelum_kawin_istri"),
        (3, "perkawinan", "tanggal_pemberkatan"),
        (3, "perkawinan", "agama"),
        (5, "perceraian", "nomor_putusan_pengadilan"),
        (5, "perceraian", "tanggal_putusan_pengadilan"),
        (5, "perceraian", "tanggal_surat_panitera"),
        (7, "kematian", "nik"),
        (7, "kematian", "tanggal_kematian"),
        (7, "kematian", "sebab_kematian"),
        (7, "saksi1", "nik"),
        (8, "pengangkatan_anak", "nomor_penetapan"),
        (11, "perubahan_nama", "nama_baru"),
        (12, "subjek1", "nomor_dokumen_perjalanan"),
        (12, "perubahan_kewarganegaraan", "kewarganegaraan_baru"),
        (15, "pembatalan_akta", "nomor_putusan"),
        (16, "luar_negeri", "jenis_peristiwa"),
        (16, "luar_negeri", "kantor_perwakilan"),
    ],
)
def test_missing_required_answer_is_an_error(schema: FormSchema, jenis: int, section: str, field_id: str) -> None:
    answers = report(jenis)
    del answers[section][field_id]
    assert [(f.code, f.severity) for f in evaluate(schema, answers).at(f"{section}.{field_id}")] == [
        ("required", "error")
    ]


def test_stillbirth_needs_no_child_name(schema: FormSchema) -> None:
    result = evaluate(schema, report(2))
    assert result.at("subjek1.nama") == []
    assert result.at("subjek1.kewarganegaraan") == []


@pytest.mark.parametrize("jenis", [1, 2, 7])
def test_witnesses_optional_outside_marriage(schema: FormSchema, jenis: int) -> None:
    answers = report(jenis)
    answers.pop("saksi1", None)
    answers.pop("saksi2", None)
    assert evaluate(schema, answers).errors == []


def test_witness_nik_required_once_a_witness_is_named(schema: FormSchema) -> None:
    answers = report(7)
    del answers["saksi2"]["nik"]
    assert [f.code for f in evaluate(schema, answers).at("saksi2.nik")] == ["required"]


def test_polygamous_husband_must_state_which_wife(schema: FormSchema) -> None:
    answers = report(3)
    answers["perkawinan"].update(
        status_sebelum_kawin_suami=1,
        nama_pengadilan="PENGADILAN NEGERI NGAWI",
        nomor_penetapan_pengadilan="1/Pdt.P/2024",
        tanggal_penetapan_pengadilan=iso(WEDDING),
    )
    assert [f.code for f in evaluate(schema, answers).at("perkawinan.istri_ke")] == ["required"]


def test_kepercayaan_marriage_needs_organisation_not_religion(schema: FormSchema) -> None:
    answers = report(3)
    answers["perkawinan"].pop("agama")
    answers["perkawinan"]["kepercayaan"] = True
    result = evaluate(schema, answers)
    assert result.at("perkawinan.agama") == []
    assert [f.code for f in result.at("perkawinan.nama_organisasi_kepercayaan")] == ["required"]


def test_notarial_agreement_details(schema: FormSchema) -> None:
    answers = report(3)
    assert "perkawinan.nomor_akta_notaris" not in evaluate(schema, answers).visible
    answers["perkawinan"]["perjanjian_notaris"] = True
    result = evaluate(schema, answers)
    assert [f.code for f in result.at("perkawinan.nomor_akta_notaris")] == ["required"]
    assert [f.code for f in result.at("perkawinan.tanggal_akta_notaris")] == ["required"]


@pytest.mark.parametrize("spouse", ["subjek1", "subjek2"])
def test_foreign_spouse_needs_passport_and_embassy_permit(schema: FormSchema, spouse: str) -> None:
    answers = report(3)
    answers[spouse].update(kewarganegaraan=2, nomor_dokumen_perjalanan="E1234567")
    result = evaluate(schema, answers)
    assert [f.code for f in result.at("perkawinan.nomor_paspor")] == ["required"]
    assert [f.code for f in result.at("perkawinan.nomor_izin_perwakilan")] == ["required"]


@pytest.mark.parametrize(
    ("section", "field_id"),
    [("kelahiran", "tanggal_lahir"), ("laporan", "tanggal_pelaporan")],
)
def test_dates_may_not_be_in_the_future(schema: FormSchema, section: str, field_id: str) -> None:
    answers = report(1)
    answers[section][field_id] = iso(TODAY + dt.timedelta(days=1))
    assert "future_date" in {f.code for f in evaluate(schema, answers).at(f"{section}.{field_id}")}


# --------------------------------------------------------------------------- rules
def put(section: str, **changes: Any) -> Callable[[Answers], None]:
    def mutate(answers: Answers) -> None:
        answers.setdefault(section, {}).update(changes)

    return mutate


def both(*mutations: Callable[[Answers], None]) -> Callable[[Answers], None]:
    def mutate(answers: Answers) -> None:
        for mutation in mutations:
            mutation(answers)

    return mutate


COURT = {
    "nama_pengadilan": "PENGADILAN AGAMA NGAWI",
    "nomor_penetapan_pengadilan": "88/Pdt.P/2024/PA Ngw",
    "tanggal_penetapan_pengadilan": iso(WEDDING - dt.timedelta(days=7)),
}

RULE_CASES: list[tuple[str, int, Callable[[Answers], None], str, str, str]] = [
    # across the form: birth dates read from NIKs (issue 16)
    (
        "ibu_lebih_muda_dari_anak_menurut_nik",
        1,
        put("ibu", nik=make_nik(CHILD_BORN + dt.timedelta(days=3), female=True, serial=12)),
        "ibu_lahir_setelah_anak_menurut_nik",
        "ibu.nik",
        "warning",
    ),
    (
        "ayah_lebih_muda_dari_anak_menurut_nik",
        1,
        put("ayah", nik=make_nik(CHILD_BORN + dt.timedelta(days=3), female=False, serial=11)),
        "ayah_lahir_setelah_anak_menurut_nik",
        "ayah.nik",
        "warning",
    ),
    (
        "meninggal_sebelum_lahir_menurut_nik",
        7,
        put("kematian", nik=make_nik(REPORTED - dt.timedelta(days=1), female=True, serial=51)),
        "kematian_sebelum_lahir_menurut_nik",
        "kematian.tanggal_kematian",
        "warning",
    ),
    (
        "pengesahan_kawin_agama_sesudah_lahir",
        10,
        put("pengesahan_anak", tanggal_perkawinan_agama=iso(years_before(TODAY, 2))),
        "pengesahan_perkawinan_agama_setelah_lahir",
        "pengesahan_anak.tanggal_perkawinan_agama",
        "error",
    ),
    (
        "pengakuan_lewat_30_hari",
        9,
        put("pengakuan_anak", tanggal_surat_pengakuan=iso(REPORTED - dt.timedelta(days=31))),
        "pengakuan_anak_terlambat",
        "pengakuan_anak.tanggal_surat_pengakuan",
        "warning",
    ),
    (
        "pengakuan_sebelum_anak_lahir",
        9,
        put("pengakuan_anak", tanggal_surat_pengakuan=iso(years_before(TODAY, 13))),
        "pengakuan_sebelum_lahir",
        "pengakuan_anak.tanggal_surat_pengakuan",
        "error",
    ),
    # kelahiran
    (
        "lahir_sesudah_lapor",
        1,
        put("kelahiran", tanggal_lahir=iso(REPORTED + dt.timedelta(days=1))),
        "kelahiran_setelah_pelaporan",
        "kelahiran.tanggal_lahir",
        "error",
    ),
    (
        "lahir_terlambat",
        1,
        put("kelahiran", tanggal_lahir=iso(REPORTED - dt.timedelta(days=61))),
        "kelahiran_terlambat",
        "kelahiran.tanggal_lahir",
        "warning",
    ),
    (
        "nama_anak_beda",
        1,
        put("subjek1", nama="DEWI ANGGRAINI"),
        "kelahiran_nama_beda_subjek",
        "kelahiran.nama",
        "warning",
    ),
    ("berat_ringan", 1, put("kelahiran", berat_bayi=250), "berat_bayi_tidak_wajar", "kelahiran.berat_bayi", "warning"),
    ("berat_kg", 1, put("kelahiran", berat_bayi=3.2), "berat_bayi_tidak_wajar", "kelahiran.berat_bayi", "warning"),
    ("berat_berat", 1, put("kelahiran", berat_bayi=7500), "berat_bayi_tidak_wajar", "kelahiran.berat_bayi", "warning"),
    ("panjang", 1, put("kelahiran", panjang_bayi=15), "panjang_bayi_tidak_wajar", "kelahiran.panjang_bayi", "warning"),
    (
        "ibu_lahir_sesudah_anak",
        1,
        put("ibu", tanggal_lahir=iso(CHILD_BORN)),
        "ibu_lahir_setelah_anak",
        "ibu.tanggal_lahir",
        "error",
    ),
    (
        "ibu_terlalu_muda",
        1,
        put("ibu", tanggal_lahir=iso(years_before(CHILD_BORN, 9))),
        "umur_ibu_tidak_wajar",
        "ibu.tanggal_lahir",
        "warning",
    ),
    (
        "ibu_terlalu_tua",
        1,
        put("ibu", tanggal_lahir=iso(years_before(CHILD_BORN, 61))),
        "umur_ibu_tidak_wajar",
        "ibu.tanggal_lahir",
        "warning",
    ),
    (
        "ayah_lahir_sesudah_anak",
        1,
        put("ayah", tanggal_lahir=iso(CHILD_BORN + dt.timedelta(days=1))),
        "ayah_lahir_setelah_anak",
        "ayah.tanggal_lahir",
        "error",
    ),
    # lahir mati
    (
        "lahir_mati_sesudah_lapor",
        2,
        put("lahir_mati", tanggal_lahir_mati=iso(REPORTED + dt.timedelta(days=1))),
        "lahir_mati_setelah_pelaporan",
        "lahir_mati.tanggal_lahir_mati",
        "error",
    ),
    (
        "lahir_mati_terlambat",
        2,
        put("lahir_mati", tanggal_lahir_mati=iso(REPORTED - dt.timedelta(days=31))),
        "lahir_mati_terlambat",
        "lahir_mati.tanggal_lahir_mati",
        "warning",
    ),
    # perkawinan
    (
        "suami_18",
        3,
        put("subjek1", tanggal_lahir=iso(years_before(WEDDING, 18, 200))),
        "dispensasi_kawin_suami",
        "perkawinan.nomor_penetapan_pengadilan",
        "error",
    ),
    (
        "istri_18",
        3,
        put("subjek2", tanggal_lahir=iso(years_before(WEDDING, 19) + dt.timedelta(days=1))),
        "dispensasi_kawin_istri",
        "perkawinan.nomor_penetapan_pengadilan",
        "error",
    ),
    (
        "istri_masih_kawin",
        3,
        put("perkawinan", status_sebelum_kawin_istri=1),
        "istri_masih_terikat_perkawinan",
        "perkawinan.status_sebelum_kawin_istri",
        "error",
    ),
    (
        "poligami_tanpa_izin",
        3,
        put("perkawinan", status_sebelum_kawin_suami=1, istri_ke=2, perkawinan_ke=2),
        "poligami_tanpa_izin_pengadilan",
        "perkawinan.nomor_penetapan_pengadilan",
        "warning",
    ),
    (
        "istri_ke_1_padahal_poligami",
        3,
        put("perkawinan", status_sebelum_kawin_suami=1, istri_ke=1, perkawinan_ke=2, **COURT),
        "istri_ke_tidak_sesuai",
        "perkawinan.istri_ke",
        "error",
    ),
    (
        "perkawinan_ke_2_padahal_lajang",
        3,
        put("perkawinan", perkawinan_ke=2),
        "perkawinan_ke_tidak_sesuai",
        "perkawinan.perkawinan_ke",
        "warning",
    ),
    (
        "lapor_sebelum_pemberkatan",
        3,
        put("perkawinan", tanggal_melapor=iso(WEDDING - dt.timedelta(days=1))),
        "perkawinan_dilapor_sebelum_pemberkatan",
        "perkawinan.tanggal_melapor",
        "error",
    ),
    (
        "kawin_terlambat",
        3,
        both(
            put("perkawinan", tanggal_pemberkatan=iso(REPORTED - dt.timedelta(days=61))),
            put("subjek1", tanggal_lahir=iso(years_before(TODAY, 30))),
            put("subjek2", tanggal_lahir=iso(years_before(TODAY, 30))),
        ),
        "perkawinan_terlambat",
        "perkawinan.tanggal_melapor",
        "warning",
    ),
    (
        "agama_dan_kepercayaan",
        3,
        put("perkawinan", kepercayaan=True, nama_organisasi_kepercayaan="SAPTA DARMA"),
        "agama_dan_kepercayaan",
        "perkawinan.agama",
        "error",
    ),
    (
        "jumlah_anak",
        3,
        put("perkawinan", jumlah_anak=2),
        "jumlah_anak_tidak_sesuai",
        "perkawinan.jumlah_anak",
        "warning",
    ),
    (
        "suami_perempuan",
        3,
        put("subjek1", jenis_kelamin=2),
        "suami_bukan_laki_laki",
        "subjek1.jenis_kelamin",
        "warning",
    ),
    (
        "istri_laki_laki",
        5,
        put("subjek2", jenis_kelamin=1),
        "istri_bukan_perempuan",
        "subjek2.jenis_kelamin",
        "warning",
    ),
    (
        "nik_suami_istri_sama",
        3,
        lambda a: a["subjek2"].update(nik=a["subjek1"]["nik"]),
        "suami_istri_nik_sama",
        "subjek2.nik",
        "error",
    ),
    (
        "akta_sebelum_kawin",
        4,
        put("pembatalan_perkawinan", tanggal_akta_perkawinan=iso(WEDDING - dt.timedelta(days=1))),
        "pembatalan_akta_sebelum_kawin",
        "pembatalan_perkawinan.tanggal_akta_perkawinan",
        "error",
    ),
    (
        "putusan_batal_sebelum_kawin",
        4,
        put("pembatalan_perkawinan", tanggal_putusan=iso(WEDDING - dt.timedelta(days=1)), tanggal_akta_perkawinan=None),
        "pembatalan_putusan_sebelum_kawin",
        "pembatalan_perkawinan.tanggal_putusan",
        "error",
    ),
    # perceraian
    (
        "putusan_sebelum_akta",
        5,
        put("perceraian", tanggal_akta_perkawinan=iso(REPORTED - dt.timedelta(days=30))),
        "putusan_cerai_sebelum_akta_kawin",
        "perceraian.tanggal_putusan_pengadilan",
        "error",
    ),
    (
        "panitera_sebelum_putusan",
        5,
        put("perceraian", tanggal_surat_panitera=iso(REPORTED - dt.timedelta(days=50))),
        "panitera_sebelum_putusan",
        "perceraian.tanggal_surat_panitera",
        "error",
    ),
    (
        "lapor_cerai_sebelum_putusan",
        5,
        put(
            "perceraian",
            tanggal_melapor=iso(REPORTED - dt.timedelta(days=41)),
            nomor_surat_panitera=None,
            tanggal_surat_panitera=None,
        ),
        "perceraian_dilapor_sebelum_putusan",
        "perceraian.tanggal_melapor",
        "error",
    ),
    (
        "cerai_terlambat",
        5,
        put(
            "perceraian",
            tanggal_putusan_pengadilan=iso(REPORTED - dt.timedelta(days=70)),
            tanggal_surat_panitera=iso(REPORTED - dt.timedelta(days=61)),
        ),
        "perceraian_terlambat",
        "perceraian.tanggal_melapor",
        "warning",
    ),
    # kematian
    (
        "mati_sesudah_lapor",
        7,
        put("kematian", tanggal_kematian=iso(REPORTED + dt.timedelta(days=1))),
        "kematian_setelah_pelaporan",
        "kematian.tanggal_kematian",
        "error",
    ),
    (
        "mati_terlambat",
        7,
        put("kematian", tanggal_kematian=iso(REPORTED - dt.timedelta(days=31))),
        "kematian_terlambat",
        "kematian.tanggal_kematian",
        "warning",
    ),
    (
        "mati_sebelum_lahir",
        7,
        put("subjek1", tanggal_lahir=iso(REPORTED - dt.timedelta(days=1))),
        "kematian_sebelum_lahir",
        "kematian.tanggal_kematian",
        "error",
    ),
    (
        "nik_mati_beda",
        7,
        put("kematian", nik="3521014101500009"),
        "kematian_nik_beda_subjek",
        "kematian.nik",
        "warning",
    ),
    (
        "nama_mati_beda",
        7,
        put("kematian", nama_lengkap="SUPARMI"),
        "kematian_nama_beda_subjek",
        "kematian.nama_lengkap",
        "warning",
    ),
    # lain-lain
    (
        "tanpa_orang_tua_angkat",
        8,
        put("pengangkatan_anak", nama_ayah_angkat=None, nik_ayah_angkat=None),
        "orang_tua_angkat_kosong",
        "pengangkatan_anak.nama_ayah_angkat",
        "error",
    ),
    (
        "nama_sama",
        11,
        put("perubahan_nama", nama_baru="DEWI LESTARI"),
        "nama_baru_sama_dengan_lama",
        "perubahan_nama.nama_baru",
        "error",
    ),
    (
        "anak_tanpa_wali",
        11,
        put("subjek1", tanggal_lahir=iso(years_before(TODAY, 10))),
        "perubahan_nama_anak_tanpa_wali",
        "perubahan_nama.nama_wali",
        "warning",
    ),
    (
        "kewarganegaraan_sama",
        12,
        put("perubahan_kewarganegaraan", kewarganegaraan_baru=2),
        "kewarganegaraan_baru_sama",
        "perubahan_kewarganegaraan.kewarganegaraan_baru",
        "warning",
    ),
    (
        "kelamin_sama",
        13,
        put("peristiwa_lainnya", jenis_kelamin_baru=2),
        "jenis_kelamin_baru_sama",
        "peristiwa_lainnya.jenis_kelamin_baru",
        "error",
    ),
    (
        "perwakilan_sebelum_bukti",
        16,
        put("luar_negeri", tanggal_surat_perwakilan=iso(REPORTED - dt.timedelta(days=50))),
        "surat_perwakilan_sebelum_bukti",
        "luar_negeri.tanggal_surat_perwakilan",
        "warning",
    ),
    ("saksi_sama", 3, lambda a: a["saksi2"].update(nik=a["saksi1"]["nik"]), "saksi_sama", "saksi2.nik", "error"),
    (
        "saksi_sama_pembetulan",
        14,
        lambda a: a["saksi2"].update(nik=a["saksi1"]["nik"]),
        "saksi_sama",
        "saksi2.nik",
        "error",
    ),
    # the parents' marriage date (issue 16 items 2 and 8)
    (
        "lahir_sebelum_orang_tua_kawin",
        1,
        put("kelahiran", tanggal_perkawinan_orang_tua=iso(CHILD_BORN + dt.timedelta(days=1))),
        "lahir_sebelum_perkawinan_orang_tua",
        "kelahiran.tanggal_perkawinan_orang_tua",
        "warning",
    ),
    (
        "pengakuan_lahir_sebelum_kawin_agama",
        9,
        put("pengakuan_anak", tanggal_perkawinan_agama=iso(years_before(TODAY, 11))),
        "pengakuan_lahir_sebelum_perkawinan_agama",
        "pengakuan_anak.tanggal_perkawinan_agama",
        "error",
    ),
    (
        "pengesahan_akta_sebelum_kawin_agama",
        10,
        put("pengesahan_anak", tanggal_akta_perkawinan=iso(years_before(TODAY, 14))),
        "pengesahan_akta_sebelum_perkawinan_agama",
        "pengesahan_anak.tanggal_akta_perkawinan",
        "warning",
    ),
    (
        "pengesahan_anak_lahir_sesudah_akta",
        10,
        put("pengesahan_anak", tanggal_lahir_anak=iso(years_before(TODAY, 1))),
        "pengesahan_anak_lahir_setelah_akta_perkawinan",
        "pengesahan_anak.tanggal_lahir_anak",
        "warning",
    ),
    # NIK against the expected sex (day digits + 40 for a woman)
    ("nik_ayah_perempuan", 1, put("ayah", nik=MOTHER_NIK), "nik_ayah_bukan_laki_laki", "ayah.nik", "warning"),
    ("nik_ayah_perempuan_mati", 7, put("ayah", nik=MOTHER_NIK), "nik_ayah_bukan_laki_laki", "ayah.nik", "warning"),
    ("nik_ibu_laki_laki", 2, put("ibu", nik=FATHER_NIK), "nik_ibu_bukan_perempuan", "ibu.nik", "warning"),
    (
        "nik_suami_perempuan",
        3,
        put("subjek1", nik=make_nik(HUSBAND_BORN, True, 21)),
        "nik_suami_bukan_laki_laki",
        "subjek1.nik",
        "warning",
    ),
    (
        "nik_istri_laki_laki_cerai",
        5,
        put("subjek2", nik=make_nik(WIFE_BORN, False, 22)),
        "nik_istri_bukan_perempuan",
        "subjek2.nik",
        "warning",
    ),
]


@pytest.mark.parametrize(
    ("jenis", "mutate", "rule_id", "path", "severity"),
    [case[1:] for case in RULE_CASES],
    ids=[case[0] for case in RULE_CASES],
)
def test_rule_fires_with_its_code_path_and_severity(
    schema: FormSchema, jenis: int, mutate: Callable[[Answers], None], rule_id: str, path: str, severity: str
) -> None:
    answers = report(jenis)
    mutate(answers)
    assert fired(evaluate(schema, answers), rule_id) == [(path, severity)]


def test_every_rule_has_a_firing_case(schema: FormSchema) -> None:
    assert {case[3] for case in RULE_CASES} == rule_ids(schema)


@pytest.mark.parametrize(
    ("case", "jenis", "mutate", "rule_id"),
    [
        (
            "lahir_hari_ke_60",
            1,
            put("kelahiran", tanggal_lahir=iso(REPORTED - dt.timedelta(days=60))),
            "kelahiran_terlambat",
        ),
        (
            "mati_hari_ke_30",
            7,
            put("kematian", tanggal_kematian=iso(REPORTED - dt.timedelta(days=30))),
            "kematian_terlambat",
        ),
        ("berat_300", 1, put("kelahiran", berat_bayi=300), "berat_bayi_tidak_wajar"),
        ("berat_7000", 1, put("kelahiran", berat_bayi=7000), "berat_bayi_tidak_wajar"),
        ("suami_19_tepat", 3, put("subjek1", tanggal_lahir=iso(years_before(WEDDING, 19))), "dispensasi_kawin_suami"),
        (
            "istri_18_dengan_dispensasi",
            3,
            both(put("subjek2", tanggal_lahir=iso(years_before(WEDDING, 18))), put("perkawinan", **COURT)),
            "dispensasi_kawin_istri",
        ),
        (
            "poligami_dengan_izin",
            3,
            put("perkawinan", status_sebelum_kawin_suami=1, istri_ke=2, perkawinan_ke=2, **COURT),
            "poligami_tanpa_izin_pengadilan",
        ),
        (
            "istri_cerai_mati",
            3,
            put("perkawinan", status_sebelum_kawin_istri=4, perkawinan_ke=2),
            "istri_masih_terikat_perkawinan",
        ),
        ("kematian_nik_tertunda", 7, put("kematian", nik="belum-punya-nik"), "kematian_nik_beda_subjek"),
        ("nik_ayah_kosong", 1, put("ayah", nik=None), "nik_ayah_bukan_laki_laki"),
        ("nik_ibu_kosong", 1, put("ibu", nik=""), "nik_ibu_bukan_perempuan"),
        ("nik_suami_tertunda", 3, put("subjek1", nik="belum-punya-nik"), "nik_suami_bukan_laki_laki"),
        # reporting from abroad: subjek 2 is "pasangan", whose sex the form does not fix
        (
            "pasangan_luar_negeri",
            16,
            put("subjek2", nama="BUDI SANTOSO", nik=make_nik(HUSBAND_BORN, False, 21), kewarganegaraan=1),
            "nik_istri_bukan_perempuan",
        ),
        (
            "nik_tertunda_suami_istri",
            3,
            lambda a: (a["subjek1"].update(nik="belum-punya-nik"), a["subjek2"].update(nik="belum-punya-nik")),
            "suami_istri_nik_sama",
        ),
    ],
)
def test_rule_quiet_at_its_boundary(
    schema: FormSchema, case: str, jenis: int, mutate: Callable[[Answers], None], rule_id: str
) -> None:
    answers = report(jenis)
    mutate(answers)
    assert fired(evaluate(schema, answers), rule_id) == []


def test_death_after_reporting_date_is_an_error_even_when_recent(schema: FormSchema) -> None:
    answers = report(7)
    answers["laporan"]["tanggal_pelaporan"] = iso(TODAY - dt.timedelta(days=10))
    answers["kematian"]["tanggal_kematian"] = iso(TODAY - dt.timedelta(days=5))
    result = evaluate(schema, answers)
    assert fired(result, "kematian_setelah_pelaporan") == [("kematian.tanggal_kematian", "error")]
    assert result.at("kematian.tanggal_kematian")[0].message.startswith("Tanggal Kematian")


def test_marriage_rules_wait_for_the_dates(schema: FormSchema) -> None:
    answers = report(3)
    del answers["subjek1"]["tanggal_lahir"]
    del answers["perkawinan"]["tanggal_pemberkatan"]
    codes = {f.code for f in evaluate(schema, answers).findings}
    assert not codes & {"dispensasi_kawin_suami", "perkawinan_terlambat", "perkawinan_dilapor_sebelum_pemberkatan"}


def test_everything_merged_is_still_a_valid_marriage(schema: FormSchema) -> None:
    answers = copy.deepcopy(everything())
    answers["laporan"]["jenis_pelaporan"] = 3
    assert evaluate(schema, answers).errors == []


def test_cross_form_rules_stay_quiet_on_lawful_cases(schema: FormSchema) -> None:
    """Religious marriage before the birth, a recognition reported on day 30, the parents' own NIKs."""
    answers = report(10)
    answers["pengesahan_anak"]["tanggal_perkawinan_agama"] = iso(years_before(TODAY, 13))
    assert fired(evaluate(schema, answers), "pengesahan_perkawinan_agama_setelah_lahir") == []
    answers = report(9)
    answers["pengakuan_anak"]["tanggal_surat_pengakuan"] = iso(REPORTED - dt.timedelta(days=30))
    assert fired(evaluate(schema, answers), "pengakuan_anak_terlambat") == []
    result = evaluate(schema, report(1))
    assert (
        fired(result, "ibu_lahir_setelah_anak_menurut_nik")
        == fired(result, "ayah_lahir_setelah_anak_menurut_nik")
        == []
    )


# --------------------------------------------------------------------------- issue 16: witnesses (item 5)
@pytest.mark.parametrize("jenis", sorted(WITNESSES_REQUIRED))
def test_the_witnesses_the_seed_asks_for_are_required(schema: FormSchema, jenis: int) -> None:
    answers = report(jenis)
    answers.pop("saksi1", None)
    answers.pop("saksi2", None)
    result = evaluate(schema, answers)
    required = {f.path for f in result.errors if f.code == "required" and f.path.startswith("saksi")}
    expected = {
        f"{block}.{field}" for block in WITNESSES_REQUIRED[jenis] for field in ("nama", "nik", "kewarganegaraan")
    }
    assert required == expected


@pytest.mark.parametrize("jenis", [3, 4, 5, 6, 14])
def test_two_witnesses_where_the_seed_says_two(schema: FormSchema, jenis: int) -> None:
    answers = report(jenis)
    del answers["saksi2"]
    assert {f.path for f in evaluate(schema, answers).errors} == {"saksi2.nama", "saksi2.nik", "saksi2.kewarganegaraan"}


@pytest.mark.parametrize("jenis", [8, 9, 10, 11, 13, 15])
def test_a_second_witness_is_kept_and_checked(schema: FormSchema, jenis: int) -> None:
    """The blocks are shown (so printed) for these types: a second witness's answers are no longer dropped."""
    answers = report(jenis)
    answers["saksi2"] = witness("SLAMET RIYADI", 42)
    result = evaluate(schema, answers)
    assert {"saksi2.nama", "saksi2.nik", "saksi2.no_kk", "saksi2.kewarganegaraan"} <= result.visible
    assert result.errors == []
    del answers["saksi2"]["nik"]
    assert [f.code for f in evaluate(schema, answers).at("saksi2.nik")] == ["required"]


@pytest.mark.parametrize("jenis", [12, 16])
def test_no_witness_blocks_where_the_seed_names_none(schema: FormSchema, jenis: int) -> None:
    answers = report(jenis)
    answers["saksi1"] = witness("JOKO WIDODO", 41)
    visible = evaluate(schema, answers).visible
    assert not [path for path in visible if path.startswith("saksi")]


def test_witness_answers_of_a_divorce_are_printed(schema: FormSchema) -> None:
    """The print-out shows only relevant blocks: the divorce's witnesses are on it (they were dropped)."""
    text = read_pdf(render_form(schema, report(5), full=False)).text
    assert "JOKO WIDODO" in text and "SLAMET RIYADI" in text


# --------------------------------------------------------------------------- issue 16: the parents' marriage date
def test_birth_asks_the_parents_marriage_date(schema: FormSchema) -> None:
    spec = schema.section("kelahiran").field("tanggal_perkawinan_orang_tua")  # type: ignore[union-attr]
    assert spec is not None and spec.type == "date" and spec.app_only and spec.required is False
    answers = report(1)
    answers["kelahiran"]["tanggal_perkawinan_orang_tua"] = iso(CHILD_BORN - dt.timedelta(days=400))
    result = evaluate(schema, answers)
    assert "kelahiran.tanggal_perkawinan_orang_tua" in result.visible
    assert result.errors == [] and fired(result, "lahir_sebelum_perkawinan_orang_tua") == []


def test_born_before_the_marriage_without_a_named_father_is_quiet(schema: FormSchema) -> None:
    """The child of its mother only: no father on the akta, nothing to recognise yet."""
    answers = report(1)
    answers["kelahiran"]["tanggal_perkawinan_orang_tua"] = iso(CHILD_BORN + dt.timedelta(days=5))
    answers["ayah"] = {}
    answers["pelapor"]["nik"] = MOTHER_NIK
    assert fired(evaluate(schema, answers), "lahir_sebelum_perkawinan_orang_tua") == []


@pytest.mark.parametrize("section", ["pengakuan_anak", "pengesahan_anak"])
def test_religious_marriage_date_required_without_a_court_decision(schema: FormSchema, section: str) -> None:
    jenis = 9 if section == "pengakuan_anak" else 10
    answers = report(jenis)
    del answers[section]["tanggal_perkawinan_agama"]
    assert [f.code for f in evaluate(schema, answers).at(f"{section}.tanggal_perkawinan_agama")] == ["required"]
    answers[section].update(
        nomor_penetapan="4/Pdt.P/2024/PN Ngw",
        tanggal_penetapan=iso(REPORTED),
        nama_lembaga_pengadilan="PENGADILAN NEGERI NGAWI",
    )
    assert evaluate(schema, answers).errors == []


@pytest.mark.parametrize("section", ["pengakuan_anak", "pengesahan_anak"])
def test_born_before_the_religious_marriage_needs_the_court(schema: FormSchema, section: str) -> None:
    jenis = 9 if section == "pengakuan_anak" else 10
    answers = report(jenis)
    answers[section]["tanggal_perkawinan_agama"] = iso(years_before(TODAY, 11))
    assert [
        f.severity for f in evaluate(schema, answers).errors if f.path == f"{section}.tanggal_perkawinan_agama"
    ] == ["error"]
    answers[section].update(
        nomor_penetapan="4/Pdt.P/2024/PN Ngw",
        tanggal_penetapan=iso(REPORTED),
        nama_lembaga_pengadilan="PENGADILAN NEGERI NGAWI",
    )
    assert evaluate(schema, answers).errors == []
