"""What the engine tells the officer: which fields the answers make required, messages that name one field
each, and a region name typed instead of a code."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from app.forms import default_registry, evaluate, load_form
from app.forms.engine import message_labels
from app.forms.schema import FormSchema
from app.regions import default_index

TODAY = dt.date(2026, 11, 22)
SCHEMAS = sorted(default_registry(), key=lambda s: s.key)


def test_required_lists_the_fields_the_answers_make_required() -> None:
    schema = load_form("F-1.01")
    wni = evaluate(schema, {"header": {"jenis_data": 1}, "anggota": [{}]}, TODAY)
    assert "header.kode_pos" in wni.required  # required for WNI only (an expression, not `true`)
    assert "anggota[0].nama_ibu" in wni.required
    assert "header.kode_provinsi" not in wni.required  # filled by the Dinas (staff_only)
    assert "header.telepon" not in wni.required
    abroad = evaluate(schema, {"header": {"jenis_data": 3}}, TODAY)
    assert "header.kode_pos" not in abroad.required
    assert "luar_negeri.kode_pos" in abroad.required


def test_required_holds_whether_or_not_the_field_is_filled() -> None:
    schema = load_form("F-2.01")
    empty = evaluate(schema, {"laporan": {"jenis_pelaporan": 1}}, TODAY)
    filled = evaluate(
        schema,
        {"laporan": {"jenis_pelaporan": 1}, "ibu": {"nama": "SITI AMINAH", "tanggal_lahir": "1990-01-02"}},
        TODAY,
    )
    for result in (empty, filled):
        assert {"ibu.nama", "ibu.tanggal_lahir", "subjek1.nama"} <= result.required
    death = evaluate(schema, {"laporan": {"jenis_pelaporan": 7}}, TODAY)
    assert "ibu.tanggal_lahir" not in death.required  # only for a birth
    assert "ibu.nama" in death.visible and "ibu.nama" not in death.required


@pytest.mark.parametrize("schema", SCHEMAS, ids=[s.key for s in SCHEMAS])
def test_no_two_fields_of_a_form_are_named_alike_in_messages(schema: FormSchema) -> None:
    named: dict[str, list[str]] = defaultdict(list)
    for (section, field), label in message_labels(schema).items():
        named[label].append(f"{section}.{field}")
    assert {label: paths for label, paths in named.items() if len(paths) > 1} == {}


def test_the_child_and_the_first_subject_no_longer_both_say_nama_wajib_diisi() -> None:
    result = evaluate(load_form("F-2.01"), {"laporan": {"jenis_pelaporan": 1}}, TODAY)
    subject = [f.message for f in result.at("subjek1.nama")]
    child = [f.message for f in result.at("kelahiran.nama")]
    assert subject == ["Nama pada Data Subjek Akta Kesatu wajib diisi. Isi sesuai dokumen pemohon."]
    assert child and child != subject and child[0].startswith("Nama pada Kelahiran")
    assert [f.message for f in result.at("ibu.nama")] == ["Nama Ibu wajib diisi. Isi sesuai dokumen pemohon."]


def test_a_region_name_instead_of_a_code_says_how_to_choose_and_suggests_regions() -> None:
    default_index().search_index()  # loaded, as after log-in
    schema = load_form("F-1.01")
    result = evaluate(schema, {"header": {"kode_provinsi": "ujong mangki"}}, TODAY)
    [finding] = result.at("header.kode_provinsi")
    assert finding.code == "region_name"
    assert "format" not in finding.message
    assert "pilih dari saran" in finding.message and "11 — Aceh" in finding.message
    unknown = evaluate(schema, {"header": {"kode_desa": "xqzzy"}}, TODAY).at("header.kode_desa")
    assert [f.code for f in unknown] == ["region_name"] and "tidak ditemukan" in unknown[0].message
    assert evaluate(schema, {"header": {"kode_provinsi": "35"}}, TODAY).at("header.kode_provinsi") == []
