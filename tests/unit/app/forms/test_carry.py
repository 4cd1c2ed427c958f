"""Carry-over declared in the schemas: reading `carry:`, what each field gets from the outpost, the
service, the applicant, other forms and the residents index, and never over what the officer typed."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest

from app.catalog import load_catalog
from app.forms import FormRegistry, SchemaError, default_registry
from app.forms.carry import (
    Carried,
    Known,
    LinkError,
    apply,
    changes,
    link_problems,
    parse_links,
    parse_source,
    proposals,
    resident_sections,
    resident_values,
    row_fill,
)
from tests.helpers.residents import ani_fields

TODAY = dt.date(2026, 11, 22)
OUTPOST = {"region": "35.21.01.2001", "site": "SDN 1 Wonosari", "name": "Kantor Desa Wonosari"}


# -- reading the declarations ---------------------------------------------------------------------------
def test_sources_are_read_and_bad_ones_named() -> None:
    links = parse_links(["anggota[shdk == 1].nama_lengkap", "applicant.name", {"from": "today", "when": "a == 1"}])
    assert [link.source.kind for link in links] == ["answer", "applicant", "today"]
    assert links[0].source.section == "anggota" and links[0].source.select is not None
    assert links[2].when is not None
    assert parse_links("f201.kelahiran.nama")[0].source.alias == "f201"
    for bad, words in [
        ("applicant.alamat", "applicant has no 'alamat'"),
        ("resident.hobi", "resident has no 'hobi'"),
        ("kelahiran", "is not a source"),
        ("anggota[shdk ==].nama", "bad row condition"),
        ({"from": "today", "if": "x"}, "unknown keys"),
        ([], "at least one source"),
    ]:
        with pytest.raises(LinkError, match=words):
            parse_links(bad)


FORM = """
form: T-9.01
version: TEST-2019
alias: t901
title: Uji
sections:
  - id: header
    fields:
      - {id: nama, type: name, carry: ["anggota[shdk == 1].nama", applicant.name]}
      - {id: kode_desa, type: region, region_level: desa, carry: outpost.region}
      - {id: kode_kecamatan, type: region, region_level: kecamatan, carry: outpost.region}
  - id: anggota
    repeat: {min: 0}
    fields:
      - {id: nik, type: nik}
      - {id: nama, type: name, carry: resident.name}
      - {id: shdk, type: choice, codes: shdk}
"""
CODELISTS = """
version: test
lists:
  shdk:
    codes: [{code: 1, label: KEPALA KELUARGA}, {code: 4, label: ANAK}]
"""


def registry_with(tmp_path: Path, form: str) -> FormRegistry:
    (tmp_path / "codelists.yaml").write_text(textwrap.dedent(CODELISTS), encoding="utf-8")
    (tmp_path / "T-9.01@TEST-2019.yaml").write_text(textwrap.dedent(form), encoding="utf-8")
    return FormRegistry(tmp_path)


def test_a_schema_reads_carry_and_refuses_links_to_nowhere(tmp_path: Path) -> None:
    schema = registry_with(tmp_path, FORM).get("T-9.01")
    header = schema.section("header")
    assert header is not None
    spec = header.field("nama")
    assert spec is not None and [link.source.text for link in spec.carry] == [
        "anggota[shdk == 1].nama",
        "applicant.name",
    ]
    for old, new, words in [
        ('"anggota[shdk == 1].nama"', '"anggota[shdk == 1].nama_lengkap"', "has no field anggota.nama_lengkap"),
        ('"anggota[shdk == 1].nama"', "anggota.nama", "say which row"),
        ('"anggota[shdk == 1].nama"', '"anggota[hubungan == 1].nama"', "names 'hubungan'"),
        ("carry: resident.name", "carry: applicant.name", "only resident"),
        (
            "carry: outpost.region}\n      - {id: kode_kecamatan",
            "carry: outpost.wilayah}\n      - {id: kode_kecamatan",
            "outpost has no",
        ),
    ]:
        assert old in FORM
        folder = tmp_path / str(abs(hash(new)))
        folder.mkdir()
        with pytest.raises(SchemaError, match=words):
            registry_with(folder, FORM.replace(old, new))


def test_the_shipped_links_all_lead_somewhere() -> None:
    registry = default_registry()
    problems = [p for schema in registry for p in link_problems(schema, registry)]
    assert problems == []


# -- what a field gets ----------------------------------------------------------------------------------
def test_outpost_region_at_each_fields_level_and_the_applicant_as_fallback(tmp_path: Path) -> None:
    schema = registry_with(tmp_path, FORM).get("T-9.01")
    known = Known(outpost=OUTPOST, applicant={"name": "BUDI SANTOSO"}, today=TODAY)
    assert proposals(schema, {}, known) == {
        "header.nama": "BUDI SANTOSO",
        "header.kode_desa": "35.21.01.2001",
        "header.kode_kecamatan": "35.21.01",
    }
    rows = {"anggota": [{"nama": "SITI", "shdk": 4}, {"nama": "AGUS", "shdk": 1}]}
    assert proposals(schema, {"t901": rows}, known)["header.nama"] == "AGUS"
    # An outpost set up at kecamatan level has no desa to give.
    kecamatan = Known(outpost={"region": "35.21.01"}, today=TODAY)
    assert proposals(schema, {}, kecamatan) == {"header.kode_kecamatan": "35.21.01"}


def test_typed_answers_stay_and_carried_ones_follow_their_source() -> None:
    carried = Carried()
    first = apply({"anak": {"nama_ibu": "SRI"}}, {"anak.nama": "BAYI", "anak.nama_ibu": "SUMIATI"}, carried)
    assert first == {"anak": {"nama": "BAYI", "nama_ibu": "SRI"}}  # SRI was typed: kept
    # The source is corrected: the carried value follows, the typed one still stays.
    second = apply(first, {"anak.nama": "BAYI LAKI-LAKI", "anak.nama_ibu": "SUMIATI"}, carried)
    assert second == {"anak": {"nama": "BAYI LAKI-LAKI", "nama_ibu": "SRI"}}
    # The officer edits the carried value: from then on it is theirs, also when they empty it.
    edited = {"anak": {"nama": "AHMAD", "nama_ibu": "SRI"}}
    assert apply(edited, {"anak.nama": "BAYI", "anak.nama_ibu": "SUMIATI"}, carried) == edited
    assert apply({"anak": {}}, {"anak.nama": "BAYI"}, carried) == {"anak": {}}
    emptied = Carried()
    assert apply({}, {"anak.nama": "BAYI"}, emptied) == {"anak": {"nama": "BAYI"}}
    assert apply({"anak": {"nama": ""}}, {"anak.nama": "BAYI"}, emptied) == {"anak": {"nama": ""}}
    # The field being typed in is left alone for now.
    assert apply({}, {"anak.nama": "BAYI"}, Carried(), skip={"anak.nama"}) == {}


def test_kk_baru_head_of_family_region_and_request_type_from_the_service() -> None:
    registry = default_registry()
    service = load_catalog().service("KK-BARU-KELUARGA")
    known = Known(outpost=OUTPOST, applicant={"name": "BUDI SANTOSO"}, service=dict(service.prefill), today=TODAY)
    f102 = proposals(registry.get("F-1.02"), {}, known)
    assert f102["permohonan.jenis"] == ["I.A.1"]
    assert f102["pemohon.nama"] == "BUDI SANTOSO"
    members = {"anggota": [{"nama_lengkap": "ANI LESTARI", "shdk": 3}, {"nama_lengkap": "AGUS SALIM", "shdk": 1}]}
    f101 = proposals(registry.get("F-1.01"), {"f101": members}, known)
    assert f101["header.nama_kepala_keluarga"] == "AGUS SALIM"
    assert [f101[f"header.kode_{level}"] for level in ("provinsi", "kabupaten", "kecamatan", "desa")] == [
        "35",
        "35.21",
        "35.21.01",
        "35.21.01.2001",
    ]


def test_a_birth_f201_gets_region_type_date_reporter_and_subject() -> None:
    registry = default_registry()
    service = load_catalog().service("LAHIR-WNI")
    applicant = {"name": "AGUS SALIM", "nik": "3521011705800001", "kk": "3521010101100001"}
    known = Known(outpost=OUTPOST, applicant=applicant, service=dict(service.prefill), today=TODAY)
    f201 = registry.get("F-2.01")
    got = proposals(f201, {}, known)
    assert got["wilayah.kode_desa"] == "35.21.01.2001"
    assert got["laporan.jenis_pelaporan"] == 1
    assert got["laporan.tanggal_pelaporan"] == "2026-11-22"
    assert (got["pelapor.nama"], got["pelapor.nik"], got["pelapor.no_kk"]) == (
        "AGUS SALIM",
        "3521011705800001",
        "3521010101100001",
    )
    typed = {"laporan": {"jenis_pelaporan": 1}, "pelapor": {"no_kk": "3521010101100001"}, "kelahiran": {"nama": "BAYI"}}
    got = proposals(f201, {"f201": typed}, known)
    assert (got["subjek1.nama"], got["subjek1.no_kk"]) == ("BAYI", "3521010101100001")
    # A death: the subject is not the child.
    death = {"laporan": {"jenis_pelaporan": 7}, "kelahiran": {"nama": "BAYI"}}
    assert "subjek1.nama" not in proposals(f201, {"f201": death}, known)


BORN, AYAH, IBU = "2026-11-01", "3521011705800001", "3521015702850001"


def test_sptjm_forms_copy_the_child_parents_and_witnesses_from_f201() -> None:
    registry = default_registry()
    f201 = {
        "pelapor": {"nama": "AGUS SALIM", "nik": "3521011705800001"},
        "kelahiran": {"nama": "BAYI", "jenis_kelamin": 1, "tempat_kelahiran": "NGAWI", "tanggal_lahir": "2026-11-01"},
        "ayah": {
            "nama": "AGUS SALIM",
            "nik": "3521011705800001",
            "tempat_lahir": "MADIUN",
            "tanggal_lahir": "1980-05-17",
        },
        "ibu": {
            "nama": "ANI LESTARI",
            "nik": "3521015702850001",
            "tempat_lahir": "NGAWI",
            "tanggal_lahir": "1985-02-17",
        },
        "saksi1": {"nama": "SLAMET", "nik": "3521010101700001"},
        "saksi2": {"nama": "SRI", "nik": "3521014101700002"},
    }
    known = Known(outpost=OUTPOST, today=TODAY)
    f203 = proposals(registry.get("F-2.03"), {"f201": f201}, known)
    assert {k: v for k, v in f203.items() if k.startswith("anak.")} == {
        "anak.nama": "BAYI",
        "anak.jenis_kelamin": 1,
        "anak.tempat_lahir": "NGAWI",
        "anak.tanggal_lahir": "2026-11-01",
        "anak.nama_ayah": "AGUS SALIM",
        "anak.nama_ibu": "ANI LESTARI",
    }
    assert (f203["deklarator.nama"], f203["deklarator.nik"]) == ("AGUS SALIM", "3521011705800001")
    assert (f203["saksi1.nama"], f203["saksi2.nik"]) == ("SLAMET", "3521014101700002")
    # The declarant's birth data come from the parent whose NIK is the declarant's.
    with_declarant: dict[str, Mapping[str, object]] = {
        "f201": f201,
        "f203": {"deklarator": {"nik": "3521011705800001"}},
    }
    f203 = proposals(registry.get("F-2.03"), with_declarant, known)
    assert (f203["deklarator.tempat_lahir"], f203["deklarator.tanggal_lahir"]) == ("MADIUN", "1980-05-17")
    f204 = proposals(registry.get("F-2.04"), {"f201": f201}, known)
    assert (f204["suami.nama"], f204["suami.tempat_lahir"], f204["istri.nik"]) == (
        "AGUS SALIM",
        "MADIUN",
        "3521015702850001",
    )
    assert (f204["saksi1.nik"], f204["saksi2.nama"]) == ("3521010101700001", "SRI")


# -- the residents index --------------------------------------------------------------------------------
RESIDENT = ani_fields(shdk=1)  # her place in her parents' KK (shdk): not carried into a new family's row


def test_a_resident_fills_about_twenty_fields_of_a_member_row() -> None:
    f101 = default_registry().get("F-1.01")
    [anggota] = [s for s in resident_sections(f101) if s.repeating]
    values = resident_values(anggota, RESIDENT)
    assert len(values) >= 20
    assert values["nama_lengkap"] == "ANI LESTARI"
    assert values["tanggal_lahir"] == "1985-02-17"  # as the date field holds it
    assert values["jenis_kelamin"] == 2 and values["nama_ibu"] == "SUMIATI"
    assert "shdk" not in values and "nik" not in values


def test_typed_answers_are_told_apart_from_empty_ones() -> None:
    row = {"nik": "3521015702850001", "nama_lengkap": "Ani  lestari", "agama": 2, "pekerjaan": None}
    fill = row_fill(row, {"nama_lengkap": "ANI LESTARI", "agama": 1, "pekerjaan": 2})
    assert fill.empty == {"pekerjaan": 2}
    assert fill.conflicting == {"agama": (2, 1)}  # the name differs only in case and spaces


def test_f201_parents_and_witnesses_are_found_by_their_nik() -> None:
    f201 = default_registry().get("F-2.01")
    sections = {s.id for s in resident_sections(f201)}
    assert {"pelapor", "saksi1", "saksi2", "ayah", "ibu"} <= sections
    ibu = f201.section("ibu")
    assert ibu is not None
    assert resident_values(ibu, RESIDENT) == {
        "nama": "ANI LESTARI",
        "tempat_lahir": "NGAWI",
        "tanggal_lahir": "1985-02-17",
        "kewarganegaraan": 1,
    }


# -- member rows from the family's own rows and from the application ------------------------------------
PARENT_FIELDS = ("nik_ayah", "nama_ayah", "nik_ibu", "nama_ibu")
HEAD_ROW = {"nik": "3521011705800001", "nama_lengkap": "AGUS SALIM", "jenis_kelamin": 1, "shdk": 1}
WIFE_ROW = {"nik": "3521015702850001", "nama_lengkap": "ANI LESTARI", "jenis_kelamin": 2, "shdk": 3}


def test_a_childs_parents_come_from_the_head_and_spouse_rows() -> None:
    f101 = default_registry().get("F-1.01")
    child = {"nik": "3521015408150001", "nama_lengkap": "SITI AMINAH", "shdk": 4}
    got = proposals(f101, {"f101": {"anggota": [HEAD_ROW, WIFE_ROW, child, {"shdk": 7}]}}, Known(today=TODAY))
    got = {k: v for k, v in got.items() if k.split(".")[-1] in PARENT_FIELDS}
    assert {k: v for k, v in got.items() if k.startswith("anggota[2].")} == {
        "anggota[2].nik_ayah": "3521011705800001",
        "anggota[2].nama_ayah": "AGUS SALIM",
        "anggota[2].nik_ibu": "3521015702850001",
        "anggota[2].nama_ibu": "ANI LESTARI",
    }
    # Only a child's: the head, the wife and a parent of the head get no parents from the family.
    assert not [k for k in got if k.startswith(("anggota[0].", "anggota[1].", "anggota[3]."))]
    # A woman heading the family with a husband: she is the mother, he the father.
    head = {**HEAD_ROW, "nama_lengkap": "SRI", "jenis_kelamin": 2}
    husband = {"nik": "3521010101800002", "nama_lengkap": "JOKO", "jenis_kelamin": 1, "shdk": 2}
    got = proposals(f101, {"f101": {"anggota": [head, husband, child]}}, Known(today=TODAY))
    assert (got["anggota[2].nama_ibu"], got["anggota[2].nama_ayah"]) == ("SRI", "JOKO")


def test_a_parent_without_a_nik_yet_gives_no_nik() -> None:
    f101 = default_registry().get("F-1.01")
    wife = {**WIFE_ROW, "nik": "belum-punya-nik"}
    child = {"nama_lengkap": "SITI", "shdk": 4}
    got = proposals(f101, {"f101": {"anggota": [HEAD_ROW, wife, child]}}, Known(today=TODAY))
    assert "anggota[2].nik_ibu" not in got and got["anggota[2].nama_ibu"] == "ANI LESTARI"


def test_the_applicants_row_takes_what_f102_says_of_them() -> None:
    registry = default_registry()
    f102 = {"pemohon": {"nama": "AGUS SALIM", "nik": HEAD_ROW["nik"], "tanggal_lahir": "1980-05-17"}}
    f102["pemohon"].update({"status_kawin": 2, "kewarganegaraan": 1})
    rows = [{"nik": HEAD_ROW["nik"]}, {"nik": WIFE_ROW["nik"]}, {}]
    got = proposals(registry.get("F-1.01"), {"f102": f102, "f101": {"anggota": rows}}, Known(today=TODAY))
    assert {k: v for k, v in got.items() if k.startswith("anggota[0]")} == {
        "anggota[0].nama_lengkap": "AGUS SALIM",
        "anggota[0].tanggal_lahir": "1980-05-17",
        "anggota[0].status_kawin": 2,
        "anggota[0].kewarganegaraan": 1,
        "anggota[0].jenis_kelamin": 1,  # from the NIK
        "anggota[0].golongan_darah": 13,  # TIDAK TAHU until said otherwise
    }
    # The wife's row knows only what her NIK says; the empty row nothing but the unknown blood group.
    assert {k: v for k, v in got.items() if k.startswith(("anggota[1]", "anggota[2]"))} == {
        "anggota[1].jenis_kelamin": 2,
        "anggota[1].tanggal_lahir": "1985-02-17",
        "anggota[1].golongan_darah": 13,
        "anggota[2].golongan_darah": 13,
    }
    # The KK's first row is its head's: the applicant's NIK, when the applicant heads the family.
    header = {"nama_kepala_keluarga": "AGUS SALIM"}
    got = proposals(registry.get("F-1.01"), {"f102": f102, "f101": {"header": header, "anggota": [{}]}}, Known())
    assert got["anggota[0].nik"] == HEAD_ROW["nik"]
    header = {"nama_kepala_keluarga": "ANI LESTARI"}
    got = proposals(registry.get("F-1.01"), {"f102": f102, "f101": {"header": header, "anggota": [{}]}}, Known())
    assert "anggota[0].nik" not in got


def test_carried_rows_follow_their_source_and_a_removed_row_starts_afresh() -> None:
    carried = Carried()
    answers = {"anggota": [{"shdk": 1}, {"shdk": 4}]}
    filled = apply(answers, {"anggota[1].nama_ayah": "AGUS"}, carried)
    assert filled == {"anggota": [{"shdk": 1}, {"shdk": 4, "nama_ayah": "AGUS"}]}
    assert answers == {"anggota": [{"shdk": 1}, {"shdk": 4}]}  # the caller's rows are not changed
    followed = apply(filled, {"anggota[1].nama_ayah": "AGUS SALIM"}, carried)
    assert followed == {"anggota": [{"shdk": 1}, {"shdk": 4, "nama_ayah": "AGUS SALIM"}]}
    # The row is removed and added again, empty: what was carried into the old one does not make it "theirs".
    assert apply({"anggota": [{"shdk": 1}]}, {}, carried) == {"anggota": [{"shdk": 1}]}
    assert apply({"anggota": [{"shdk": 1}, {"shdk": 4}]}, {"anggota[1].nama_ayah": "AGUS"}, carried) == filled
    # No such row: nothing happens.
    assert apply({"anggota": []}, {"anggota[0].nama_ayah": "AGUS"}, Carried()) == {"anggota": []}
    assert changes({"anggota": [{"a": 1}], "s": {"b": 1}}, {"anggota": [{"a": 2}], "s": {"b": 1}}) == {
        "anggota[0].a": 2
    }


def test_a_birth_typed_in_paper_order_gets_the_childs_name_and_the_fathers_nik() -> None:
    f201 = default_registry().get("F-2.01")
    typed: dict[str, dict[str, object]] = {
        "laporan": {"jenis_pelaporan": 1},
        "pelapor": {"nama": "AGUS SALIM", "nik": AYAH, "kewarganegaraan": 1},
        "subjek1": {"nama": "AHMAD FAUZI"},
        "ayah": {"nama": "AGUS SALIM"},
        "ibu": {"nama": "ANI LESTARI"},
    }
    got = proposals(f201, {"f201": typed}, Known(today=TODAY))
    assert got["kelahiran.nama"] == "AHMAD FAUZI"  # subjek1 comes first on the paper form
    assert got["ayah.nik"] == AYAH and "ibu.nik" not in got  # the father reports, not the mother
    typed["ayah"]["nik"] = AYAH
    assert proposals(f201, {"f201": typed}, Known(today=TODAY))["ayah.kewarganegaraan"] == 1


# -- computed sources: what an identifier implies, the desa's postal code, guesses under conditions -------
def test_computed_sources_are_parsed_and_bad_ones_named(tmp_path: Path) -> None:

    source = parse_source("= nik_sex(nik)")
    assert source.kind == "expr" and source.expression is not None
    with pytest.raises(LinkError, match="bad expression"):
        parse_source("= nik_sex(")
    with pytest.raises(LinkError, match="bad expression"):
        parse_source("= open('x')")
    bad = FORM.replace(
        "{id: nama, type: name, carry: resident.name}", '{id: nama, type: name, carry: "= nik_sex(nomor)"}'
    )
    with pytest.raises(SchemaError, match=r"expression '= nik_sex\(nomor\)' names unknown field 'nomor'"):
        registry_with(tmp_path, bad)


def test_a_nik_typed_in_a_row_gives_its_sex_and_birth_date_and_a_childs_status() -> None:
    f101 = default_registry().get("F-1.01")
    header = {"jenis_data": 1}
    rows = [{**HEAD_ROW, "agama": 1}, {"nik": "3521015408150001", "shdk": 4}]
    answers: dict[str, object] = {"header": header, "anggota": rows}
    carried = Carried()
    for _pass in range(3):  # as the editor does: a value carried into a field another link reads goes on
        got = proposals(f101, {"f101": answers}, Known(today=TODAY))
        answers = apply(answers, got, carried)
    child = {k.split(".")[1]: v for k, v in got.items() if k.startswith("anggota[1].")}
    assert child["jenis_kelamin"] == 2 and child["tanggal_lahir"] == "2015-08-14"
    assert child["status_kawin"] == 1  # eleven years old: belum kawin
    assert child["kewarganegaraan"] == 1  # a WNI family's member
    assert child["agama"] == 1  # the head's religion
    assert "anggota[0].status_kawin" not in got  # the head is 46: no guess
    # A foreigners' family: no WNI guess; a malformed NIK: nothing derived.
    got = proposals(f101, {"f101": {"header": {"jenis_data": 2}, "anggota": [{"nik": "35210154"}]}}, Known(today=TODAY))
    assert [k for k in got if k.startswith("anggota[0].")] == ["anggota[0].golongan_darah"]


def test_the_postal_code_follows_the_desa_and_the_family_type_the_applicant() -> None:
    registry = default_registry()
    f101 = registry.get("F-1.01")
    codes = {"35.21.01.2001": "63263"}
    known = Known(today=TODAY, postal_code=lambda code: codes.get(str(code)))
    answers: dict[str, Mapping[str, object]] = {
        "f102": {"pemohon": {"kewarganegaraan": 1}},
        "f101": {"header": {"kode_desa": "35.21.01.2001"}},
    }
    got = proposals(f101, answers, known, registry)
    assert got["header.kode_pos"] == "63263" and got["header.jenis_data"] == 1
    # Without the region data (not loaded yet) the postal code is unknown, not guessed.
    got = proposals(f101, answers, Known(today=TODAY), registry)
    assert "header.kode_pos" not in got
    # A foreign applicant: no guess of the family type.
    answers["f102"] = {"pemohon": {"kewarganegaraan": 2}}
    assert "header.jenis_data" not in proposals(f101, answers, known, registry)


def test_f102_takes_the_applicants_birth_date_from_the_nik() -> None:
    f102 = default_registry().get("F-1.02")
    got = proposals(f102, {"f102": {"pemohon": {"nik": "3521015702850001"}}}, Known(today=TODAY))
    assert got["pemohon.tanggal_lahir"] == "1985-02-17"


def test_the_applicant_heading_the_family_is_its_head_and_a_recorded_marriage_has_its_akta() -> None:
    registry = default_registry()
    f102 = {"pemohon": {"nama": "Agus  Salim", "nik": HEAD_ROW["nik"], "status_kawin": 2}}
    f101: dict[str, object] = {"header": {"nama_kepala_keluarga": "AGUS SALIM"}, "anggota": [{"nik": HEAD_ROW["nik"]}]}
    answers: dict[str, object] = f101
    carried = Carried()
    for _pass in range(3):
        got = proposals(registry.get("F-1.01"), {"f102": f102, "f101": answers}, Known(today=TODAY), registry)
        answers = apply(answers, got, carried)
    assert got["anggota[0].shdk"] == 1 and got["anggota[0].akta_kawin"] == 2
    # Someone else heads the family: the applicant's row gets no SHDK guess.
    f101 = {"header": {"nama_kepala_keluarga": "SRI"}, "anggota": [{"nik": HEAD_ROW["nik"]}]}
    got = proposals(registry.get("F-1.01"), {"f102": f102, "f101": f101}, Known(today=TODAY), registry)
    assert "anggota[0].shdk" not in got
