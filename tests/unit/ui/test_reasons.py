"""The Dinas' reasons for returning an application, as the sync protocol and the server CLI write them."""

from __future__ import annotations

from app.forms import load_form
from ui.editor.reasons import DinasReason, field_of, parse_reasons


def test_reasons_are_read_from_every_shape_the_dinas_sends() -> None:
    reasons = parse_reasons(
        [
            {"path": "F-1.02:pemohon.no_kk", "message": " Nomor KK tidak sesuai. "},
            {"requirement": "kk", "message": "KK buram"},
            {"path": "persyaratan:akta", "message": "Akta tidak terbaca"},
            {"message": "Data pemohon ganda"},
            {"path": "", "message": ""},  # nothing to show
        ]
    )
    assert reasons == [
        DinasReason("Nomor KK tidak sesuai.", "F-1.02", "pemohon.no_kk"),
        DinasReason("KK buram", requirement="kk"),
        DinasReason("Akta tidak terbaca", requirement="akta"),
        DinasReason("Data pemohon ganda"),
    ]
    assert [r.target for r in reasons] == [
        ("F-1.02", "pemohon.no_kk"),
        ("", "requirement:kk"),
        ("", "requirement:akta"),
        None,
    ]


def test_a_path_names_its_section_row_and_field() -> None:
    schema = load_form("F-1.01")
    found = field_of(schema, "anggota[1].nik")
    assert found is not None
    section, row, spec = found
    assert (section.id, row, spec.id) == ("anggota", 1, "nik")
    header = field_of(schema, "header.kode_desa")
    assert header is not None and header[1] is None
    assert field_of(schema, "anggota[1].tidak_ada") is None
    assert field_of(schema, "tidak_ada.nik") is None
