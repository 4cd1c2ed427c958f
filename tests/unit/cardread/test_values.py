"""Mapping read text to the forms' terms: code lists by nearest label, dates, 16-digit numbers, names."""

from __future__ import annotations

import datetime

from app.cardread import values


def test_code_lists_take_the_printed_words_and_forgive_ocr_slips() -> None:
    assert values.code("agama", "ISLAM") == values.Mapped("1", 1.0)
    assert values.code("status_kawin", "BELUM KAWIN").value == "1"
    assert values.code("pekerjaan", "PEGAWAI NEGERI SIPIL (PNS)").value == "5"
    slipped = values.code("status_kawin", "BELUM KAWlN")  # a lower-case l for I
    assert slipped.value == "1" and slipped.likeness < 1.0
    assert values.code("pekerjaan", "PETANl/PEKEBUN").value == "9"
    assert values.code("pendidikan", "SLTA/SEDERAJAT").value == "5"  # the label is "SLTA / SEDERAJAT"


def test_words_far_from_every_label_map_to_nothing() -> None:
    assert values.code("agama", "XQZW").value is None
    assert values.code("agama", "").value is None


def test_dates_numbers_and_names() -> None:
    assert values.date("12-05-1987") == datetime.date(1987, 5, 12)
    assert values.date("12051987") == datetime.date(1987, 5, 12)  # separators lost
    assert values.date("31-02-1987") is None
    assert values.number("No. 3521011205870001") == "3521011205870001"
    assert values.number("352101120587001") is None  # 15 digits
    assert values.name(" budi  santoso. ") == "BUDI SANTOSO"
    assert values.name("MOH.RIZKI") == "MOH. RIZKI"


def test_a_loose_match_close_to_another_label_is_left_to_the_officer() -> None:
    from app.cardread.engine import Line
    from app.cardread.fields import code_field, make_value

    near = values.code("pendidikan", "STRATAI")  # "STRATA III" with two I's run together
    assert near.value is not None and near.margin < values.MIN_MARGIN
    read = make_value("pendidikan", code_field("pendidikan", "Pendidikan"), Line("STRATAI", 0.99), None)
    assert read.doubtful and "periksa kartu" in read.problems[0]
    clear = make_value("agama", code_field("agama", "Agama"), Line("ISLAN", 0.99), None)
    assert clear.value == "1" and not clear.problems
