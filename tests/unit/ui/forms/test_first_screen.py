"""Opening a form builds its first screen at once and the rest in the next turns of the event loop
(F-2.01's 211 fields held the window for about 140 ms); answers of fields not built yet are kept."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.forms import load_form
from ui.forms.view import FIRST_SCREEN_FIELDS, FormView, RepeatBlock


def test_a_long_form_opens_with_its_first_screen_and_keeps_every_answer(qtbot: QtBot) -> None:
    schema = load_form("F-2.01")
    total = sum(len(section.fields) for section in schema.sections if not section.repeating)
    saved = {"laporan": {"jenis_pelaporan": 1}, "kelahiran": {"nama": "BAYI"}}
    view = FormView(schema, saved)
    qtbot.addWidget(view)
    assert FIRST_SCREEN_FIELDS <= len(view.rows) < total / 4  # the first screen, not the whole form
    assert view.answers() == saved  # fields not built yet keep their answers
    assert "kelahiran.nama" in view.touched
    view.set_answer("kelahiran.tempat_kelahiran", "NGAWI")  # carried into a field not built yet
    assert view.answers()["kelahiran"] == {"nama": "BAYI", "tempat_kelahiran": "NGAWI"}
    qtbot.waitUntil(lambda: view.complete, timeout=5000)
    assert len([p for p in view.rows if "[" not in p]) == total
    assert view.rows["kelahiran.nama"].editor.value() == "BAYI"
    assert view.rows["kelahiran.tempat_kelahiran"].editor.value() == "NGAWI"
    assert view.rows["kelahiran.nama"].editor.isVisibleTo(view)  # shown as the check found it
    assert not view.rows["kematian.tanggal_kematian"].editor.isVisibleTo(view)
    assert view.answers()["kelahiran"] == {"nama": "BAYI", "tempat_kelahiran": "NGAWI"}


def test_member_rows_come_in_the_turns_after_opening_and_keep_their_answers(qtbot: QtBot) -> None:
    rows = [{"nama_lengkap": f"ANGGOTA {n}", "shdk": 4} for n in range(4)]
    view = FormView(load_form("F-1.01"), {"anggota": rows})
    qtbot.addWidget(view)
    members = view.blocks["anggota"]
    assert isinstance(members, RepeatBlock)
    assert len(members.blocks) < 4 and view.answers()["anggota"] == rows
    view.set_answer("anggota[3].nama_ayah", "AGUS")
    qtbot.waitUntil(lambda: view.complete, timeout=5000)
    assert len(members.blocks) == 4
    assert view.rows["anggota[3].nama_ayah"].editor.value() == "AGUS"
    assert view.rows["anggota[2].nama_lengkap"].editor.value() == "ANGGOTA 2"


def test_asking_for_a_field_not_built_yet_builds_the_form(qtbot: QtBot) -> None:
    view = FormView(load_form("F-2.01"), {})
    qtbot.addWidget(view)
    assert not view.complete
    assert view.rows["kelahiran.nama"].spec.id == "nama"  # e.g. a finding to jump to
    assert view.complete
