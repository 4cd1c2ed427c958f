"""Print-outs show only the answers the form engine shows: an answer left in a field a later answer hid prints blank."""

from __future__ import annotations

from app.forms import load_form
from app.printing.forms import render_form
from app.printing.samples import sample_f101_answers
from tests.unit.app.printing.pdfs import read_pdf


def _boxed(digits: str) -> str:
    """Digits as character boxes print them: one character a box."""
    return " ".join(digits)


def _arrival_from_abroad(abroad: bool) -> dict[str, object]:
    """F-1.03 of a WNI arriving from abroad; carry-over filled the outpost's desa before the switch was set."""
    return {
        "pemohon": {"no_kk": "3521010101100001", "nama": "BUDI SANTOSO", "nik": "3521011204850001"},
        "permohonan": {"jenis_permohonan": 1},
        "asal": {
            "alamat": "JALAN AMPANG 12 KUALA LUMPUR",
            "luar_negeri": abroad,
            "rt": "007",
            "rw": "009",
            "kode_desa": "3521012001",  # Wonosari, the outpost's own desa
            "kode_pos": "63264",
            "negara": "MALAYSIA",
        },
        "tujuan": {
            "alamat": "JL. RAYA NGRAMBE 3",
            "rt": "001",
            "rw": "002",
            "kode_desa": "3521022001",  # Hargomulyo
            "kode_pos": "63263",
        },
        "anggota_pindah": [{"nik": "3521011204850001", "nama_lengkap": "BUDI SANTOSO", "shdk": 1}],
    }


def test_an_arrival_from_abroad_prints_no_origin_desa_rt_rw_or_postal_code() -> None:
    schema = load_form("F-1.03")
    for full in (True, False):
        text = read_pdf(render_form(schema, _arrival_from_abroad(True), full=full)).text
        assert "JALAN AMPANG 12 KUALA LUMPUR" in text and "MALAYSIA" in text
        assert "Hargomulyo" in text and _boxed("63263") in text  # the destination in Indonesia prints
        for hidden in ("Wonosari", _boxed("3521012001"), _boxed("63264"), "007", "009"):
            assert hidden not in text, (full, hidden)
        if full:  # the paper's boxes stay, blank, to fill by hand
            assert "Kode Pos Asal" in text


def test_the_same_origin_prints_when_the_applicant_did_not_come_from_abroad() -> None:
    text = read_pdf(render_form(load_form("F-1.03"), _arrival_from_abroad(False))).text
    for shown in ("Wonosari", _boxed("3521012001"), _boxed("63264"), "007", "009"):
        assert shown in text, shown
    assert "MALAYSIA" not in text  # the country is the hidden one now


def test_a_member_row_prints_no_marriage_certificate_of_a_member_not_married() -> None:
    answers = sample_f101_answers(4)
    rows = answers["anggota"]
    assert isinstance(rows, list)
    rows[2] |= {"akta_kawin": 2, "nomor_akta_kawin": "9999/STALE/2020"}  # RINA: status_kawin 1, belum kawin
    text = read_pdf(render_form(load_form("F-1.01"), answers)).text
    assert "0123/045/VI/2008" in text  # the parents' marriage certificate, shown in their rows
    assert "9999/STALE/2020" not in text
