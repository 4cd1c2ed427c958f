"""Where a card reading's accepted values go (ui/editor/card_apply.py, no Qt): a member into the row with its
NIK, else with its name and no NIK, else an empty row (or one holding only carried values), else a new row up
to F-1.01's limit; typed values are replacements, carried ones are not; nothing from an unusable reading."""

from __future__ import annotations

from app.forms.registry import default_registry
from tests.helpers.card_readings import FAMILY, kk_reading, unreadable
from ui.editor.card_apply import Situation, applied, plan
from ui.editor.card_state import Review, review_of

REGISTRY = default_registry()


def accepted(members: int) -> Review:
    reading, _page = kk_reading(members)
    review = review_of(reading, REGISTRY.get("F-1.01"))
    for decision in [*review.header, *(f for row in review.rows for f in row.fields)]:
        decision.accept()
    return review


def nik(index: int) -> str:
    return FAMILY[index].values["nik"][1]


def test_members_go_to_their_rows_by_nik_name_or_an_empty_row() -> None:
    rows = [
        {"nama_lengkap": "ANAK LAIN", "nik": "3521010101990009"},  # someone not on the card: kept as it is
        {"nik": nik(2)},  # the third member, by NIK
        {"nama_lengkap": "sri  wahyuni"},  # the second, by name (no NIK typed)
        {"kewarganegaraan": 1},  # carried only: an empty row for the first member
    ]
    situation = Situation({"F-1.01": {"anggota": rows}}, ("", "", ""), {"F-1.01": {"anggota[3].kewarganegaraan": 1}})
    made = plan(accepted(4), situation, REGISTRY)
    new = applied(situation.forms["F-1.01"], made.chosen(replace=False))["anggota"]
    assert isinstance(new, list)
    assert [row.get("nama_lengkap") for row in new] == [
        "ANAK LAIN",
        "ANDI PRASETYO",
        "sri  wahyuni",  # the same name, spaced otherwise: no change, no question
        "BUDI SANTOSO",
        "DEWI LESTARI",  # the fourth member in a new row
    ]
    assert new[2]["nik"] == nik(1) and new[3]["nik"] == nik(0) and new[4]["nik"] == nik(3)
    assert made.replacements() == []
    assert "Pemohon tidak ditemukan" in made.notes[0]  # no applicant named: the applicant page is left alone


def test_typed_values_are_replacements_and_carried_ones_are_not() -> None:
    situation = Situation(
        {"F-1.01": {"header": {"alamat": "JL MELATI 9", "kode_desa": "35.21.02.2001"}}},
        ("BUDI SANTOSO", "", ""),
        {"F-1.01": {"header.kode_desa": "35.21.02.2001"}},  # the outpost's desa, carried
    )
    made = plan(accepted(1), situation, REGISTRY)
    [replacement] = made.replacements()
    assert replacement.path == "header.alamat" and replacement.before == "JL MELATI 9"
    assert replacement.label == "F-1.01 › Data Kepala Keluarga › Alamat"
    kept = applied(situation.forms["F-1.01"], made.chosen(replace=False))["header"]
    assert isinstance(kept, dict) and kept["alamat"] == "JL MELATI 9" and kept["kode_desa"] == "35.21.01.2001"
    applicant = {c.path: c.after for c in made.changes if c.form == "applicant"}
    assert applicant == {"applicant.nik": nik(0), "applicant.kk": "3521010101100009"}  # the name already matched


def test_a_full_table_takes_no_more_members_and_says_who_was_left_out() -> None:
    full = [{"nik": f"35210101019900{n:02d}", "nama_lengkap": f"ORANG {n}"} for n in range(9)]
    made = plan(accepted(3), Situation({"F-1.01": {"anggota": full}}, ("", "", "")), REGISTRY)
    rows = applied({"anggota": full}, made.chosen(replace=False))["anggota"]
    assert isinstance(rows, list) and len(rows) == 10 and rows[9]["nama_lengkap"] == "BUDI SANTOSO"
    assert any("SRI WAHYUNI tidak dimasukkan" in note and "10 anggota" in note for note in made.notes)


def test_an_unusable_reading_changes_nothing() -> None:
    review = review_of(unreadable(), REGISTRY.get("F-1.01"))
    made = plan(review, Situation({"F-1.01": {}, "F-1.02": {}}, ("BUDI SANTOSO", "", "")), REGISTRY)
    assert made.changes == [] and not review.can_apply()
