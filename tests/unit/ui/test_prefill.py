"""Carry-over in a real editor: the outpost's region, the service's request and report types, the head of
family, the birth's subject and the SPTJM forms filled from what is known; a NIK typed in a member row
fills the row from the residents index, asking before it replaces what was typed."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.settings import Settings
from app.store.residents import add_residents
from tests.helpers.residents import ani
from tests.unit.ui.editors import EditorMaker, make_editor, on_db  # noqa: F401 - the fixture
from ui.editor.editor import ApplicationEditor
from ui.editor.prefill import ReplaceTyped
from ui.forms.view import FormView, RepeatBlock

DESA = "35.21.01.2001"
TODAY = dt.date.today().isoformat()
ANI = ani(shdk=1)


@pytest.fixture
def outpost(make_editor: EditorMaker) -> EditorMaker:  # noqa: F811 - the fixture
    """Editors of an outpost whose settings name its desa."""
    Settings(make_editor.store.paths.settings).set("outpost.region", DESA)
    return make_editor


def type_in(view: FormView, values: dict[str, object]) -> None:
    """Answers as typed (by path), then the check the form runs after typing."""
    view.build_all()  # the officer reaches a field below the first screen only once it is built
    for path, value in values.items():
        view.rows[path].editor.set_value(value)
    view.check()


def value(view: FormView, path: str) -> object:
    view.build_all()
    return view.rows[path].editor.value()


def leave_applicant_page(editor: ApplicationEditor, name: str, nik: str = "", kk: str = "") -> None:
    editor.applicant.load(name, nik, kk)
    editor.tabs.setCurrentWidget(editor.requirements)


def test_kk_baru_region_request_type_and_head_of_family(outpost: EditorMaker) -> None:
    editor = outpost("KK-BARU-KELUARGA")
    leave_applicant_page(editor, "BUDI SANTOSO", "3521011705800001", "3521010101100009")
    # F-1.01's tab was never opened: what carries over is in its saved answers already.
    assert editor.answers["F-1.01"]["header"] == {
        "nama_kepala_keluarga": "BUDI SANTOSO",
        "kode_provinsi": "35",
        "kode_kabupaten": "35.21",
        "kode_kecamatan": "35.21.01",
        "kode_desa": DESA,
        "kode_pos": "63264",  # the desa's postal code in the region data
    }
    f102 = editor.form_view("F-1.02")
    assert value(f102, "permohonan.jenis") == ["I.A.1"]
    assert value(f102, "pemohon.nama") == "BUDI SANTOSO" and value(f102, "pemohon.no_kk") == "3521010101100009"
    f101 = editor.form_view("F-1.01")
    members = f101.blocks["anggota"]
    assert isinstance(members, RepeatBlock)
    members.add_row()
    type_in(f101, {"anggota[0].nama_lengkap": "AGUS SALIM", "anggota[0].shdk": 1})
    assert value(f101, "header.nama_kepala_keluarga") == "AGUS SALIM"  # the row of the Kepala Keluarga
    # What the officer types is theirs: a later head row no longer changes it.
    type_in(f101, {"header.nama_kepala_keluarga": "AGUS SALIM BIN SUKARDI"})
    type_in(f101, {"anggota[0].nama_lengkap": "AGUS"})
    assert value(f101, "header.nama_kepala_keluarga") == "AGUS SALIM BIN SUKARDI"


def test_a_nik_typed_in_a_member_row_fills_the_row(
    qtbot: QtBot, outpost: EditorMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_db(qtbot, outpost.runner, lambda: add_residents(outpost.store, [ANI]))
    asked: list[tuple[str, list[str]]] = []
    answer = [False]

    def ask(_parent: object, name: str, labels: list[str]) -> bool:
        asked.append((name, labels))
        return answer[0]

    monkeypatch.setattr(ReplaceTyped, "ask", classmethod(lambda cls, parent, name, labels: ask(parent, name, labels)))
    editor = outpost("KK-BARU-KELUARGA")
    f101 = editor.form_view("F-1.01")
    members = f101.blocks["anggota"]
    assert isinstance(members, RepeatBlock)
    members.add_row()
    type_in(f101, {"anggota[0].nik": ANI.nik})
    qtbot.waitUntil(lambda: value(f101, "anggota[0].nama_lengkap") == "ANI LESTARI", timeout=5000)
    row = f101.answers()["anggota"][0]  # type: ignore[index]
    filled = {k: v for k, v in row.items() if k != "nik"}
    assert len(filled) >= 20, filled
    assert filled["tanggal_lahir"] == "1985-02-17" and filled["nama_ibu"] == "SUMIATI" and filled["agama"] == 1
    assert "shdk" not in filled  # her place in a new family is the officer's to say
    assert not asked  # nothing typed was in the way
    assert editor.answers["F-1.01"]["anggota"][0]["pekerjaan"] == 2  # type: ignore[index]  # saved as typed
    # A second row: the officer typed a name and a religion before the NIK.
    members.add_row()
    type_in(f101, {"anggota[1].nama_lengkap": "ANI L.", "anggota[1].agama": 2, "anggota[1].nik": ANI.nik})
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    assert asked[0][0] == "ANI LESTARI" and set(asked[0][1]) == {"Nama Lengkap", "Agama"}
    # Kept: what was typed stays, the empty fields are filled.
    assert value(f101, "anggota[1].nama_lengkap") == "ANI L." and value(f101, "anggota[1].agama") == 2
    assert value(f101, "anggota[1].nama_ibu") == "SUMIATI"
    # A third row, and this time the officer says replace.
    answer[0] = True
    members.add_row()
    type_in(f101, {"anggota[2].agama": 2, "anggota[2].nik": ANI.nik})
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=5000)
    assert value(f101, "anggota[2].agama") == 1 and value(f101, "anggota[2].nama_lengkap") == "ANI LESTARI"
    # A NIK not in the index fills nothing.
    members.add_row()
    type_in(f101, {"anggota[3].nik": "3521011705800099"})
    qtbot.wait(200)
    assert value(f101, "anggota[3].nama_lengkap") is None and len(asked) == 2


def test_a_birth_carries_region_type_date_subject_and_fills_the_sptjm(qtbot: QtBot, outpost: EditorMaker) -> None:
    editor = outpost("LAHIR-WNI")
    leave_applicant_page(editor, "AGUS SALIM", "3521011705800001", "3521010101100001")
    f201 = editor.form_view("F-2.01")
    assert value(f201, "wilayah.kode_desa") == DESA
    assert value(f201, "laporan.jenis_pelaporan") == 1
    assert value(f201, "laporan.tanggal_pelaporan") == TODAY
    assert (value(f201, "pelapor.nama"), value(f201, "pelapor.no_kk")) == ("AGUS SALIM", "3521010101100001")
    type_in(
        f201,
        {
            "kelahiran.nama": "BAYI",
            "kelahiran.jenis_kelamin": 1,
            "kelahiran.tanggal_lahir": "2026-01-05",
            "ayah.nama": "AGUS SALIM",
            "ibu.nama": "ANI LESTARI",
            "saksi1.nama": "SLAMET",
            "saksi1.nik": "3521010101700001",
        },
    )
    assert value(f201, "subjek1.nama") == "BAYI" and value(f201, "subjek1.no_kk") == "3521010101100001"
    # No birth letter: F-2.03 is needed, and gets the child, the parents and the witness before it is opened.
    box = editor.requirements.fact_boxes["surat_lahir_ada"]
    box.setCurrentIndex(next(i for i in range(box.count()) if box.itemData(i) is False))
    qtbot.waitUntil(lambda: "F-2.03" in editor.answers, timeout=5000)
    assert editor.answers["F-2.03"]["anak"] == {
        "nama": "BAYI",
        "jenis_kelamin": 1,
        "tanggal_lahir": "2026-01-05",
        "nama_ayah": "AGUS SALIM",
        "nama_ibu": "ANI LESTARI",
    }
    f203 = editor.form_view("F-2.03")
    assert value(f203, "saksi1.nik") == "3521010101700001"
    assert value(f203, "deklarator.nama") == "AGUS SALIM"
    # Corrected on F-2.01: corrected on F-2.03, and on F-2.01's own subject.
    type_in(f201, {"kelahiran.nama": "AHMAD"})
    assert value(f203, "anak.nama") == "AHMAD" and value(f201, "subjek1.nama") == "AHMAD"
    # Edited on F-2.03: the officer's from then on.
    type_in(f203, {"anak.nama_ibu": "ANI"})
    type_in(f201, {"ibu.nama": "ANI LESTARI WATI"})
    assert value(f203, "anak.nama_ibu") == "ANI"


def test_a_resident_chosen_as_applicant_gives_their_birth_date(qtbot: QtBot, outpost: EditorMaker) -> None:
    on_db(qtbot, outpost.runner, lambda: add_residents(outpost.store, [ANI]))
    editor = outpost("KTPEL-BARU-WNI")
    editor.applicant.query.setText("lestari")  # her second name: a surname search finds her
    editor.applicant.search()
    qtbot.waitUntil(lambda: editor.applicant.results.count() == 1, timeout=5000)
    item = editor.applicant.results.item(0)
    assert item is not None
    editor.applicant.choose(item)
    f102 = editor.form_view("F-1.02")
    assert value(f102, "pemohon.tanggal_lahir") == "1985-02-17"
    assert value(f102, "permohonan.jenis") == ["II.A"]
    assert value(f102, "pemohon.nik") == ANI.nik


def _activate(qtbot: QtBot, editor: ApplicationEditor) -> None:
    """Show the editor as the active window (offscreen Qt takes the activation only once it is exposed)."""
    editor.show()
    qtbot.waitExposed(editor)

    def active() -> bool:
        editor.activateWindow()
        return editor.isActiveWindow()

    qtbot.waitUntil(active, timeout=5000)


def _has_keyboard(view: FormView, path: str) -> bool:
    focused = view.window().focusWidget()  # the window's focus (offscreen windows are not active)
    editor = view.rows[path].editor
    return focused is not None and (focused is editor or editor.isAncestorOf(focused))


def test_after_a_nik_filled_its_row_the_keyboard_goes_to_what_is_left(qtbot: QtBot, outpost: EditorMaker) -> None:
    on_db(qtbot, outpost.runner, lambda: add_residents(outpost.store, [ANI]))
    editor = outpost("KK-BARU-KELUARGA")
    _activate(qtbot, editor)  # focus changes are told only in the active window
    f101 = editor.form_view("F-1.01")
    members = f101.blocks["anggota"]
    assert isinstance(members, RepeatBlock)
    qtbot.waitUntil(lambda: f101.complete, timeout=5000)  # the rows are made in the turns after opening
    assert len(members.blocks) == 1
    f101.focus_path("anggota[0].nik")
    assert _has_keyboard(f101, "anggota[0].nik")
    line = editor.window().focusWidget()
    qtbot.keyClicks(line, ANI.nik)
    qtbot.keyClick(line, Qt.Key.Key_Tab)
    # Her row is filled from the index; the keyboard skips it to her place in this family, the one
    # required field the index cannot know.
    qtbot.waitUntil(lambda: _has_keyboard(f101, "anggota[0].shdk"), timeout=5000)
    assert value(f101, "anggota[0].nama_lengkap") == "ANI LESTARI"
    f101.rows["anggota[0].shdk"].editor.set_value(3)
    # The officer pauses after the NIK: the row fills, and the keyboard stays in the NIK until Tab.
    members.add_row(focus=True)
    line = editor.window().focusWidget()
    qtbot.keyClicks(line, ANI.nik)
    qtbot.waitUntil(lambda: f101.rows["anggota[1].nama_lengkap"].editor.value() == "ANI LESTARI", timeout=5000)
    qtbot.wait(50)
    assert editor.window().focusWidget() is line
    qtbot.keyClick(line, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: _has_keyboard(f101, "anggota[1].shdk"), timeout=5000)
    f101.rows["anggota[1].shdk"].editor.set_value(4)
    # A NIK nobody knows fills nothing: Tab goes on as always, to the next field.
    members.add_row(focus=True)
    assert _has_keyboard(f101, "anggota[2].nik")
    line = editor.window().focusWidget()
    qtbot.keyClicks(line, "3521011705800099")
    qtbot.keyClick(line, Qt.Key.Key_Tab)
    qtbot.wait(100)
    assert not _has_keyboard(f101, "anggota[2].shdk") and value(f101, "anggota[2].nama_lengkap") is None


def test_a_carried_nik_leaves_the_keyboard_where_the_officer_put_it(qtbot: QtBot, outpost: EditorMaker) -> None:
    editor = outpost("LAHIR-WNI")
    leave_applicant_page(editor, "AGUS SALIM", "3521011705800001", "3521010101100001")
    _activate(qtbot, editor)
    f201 = editor.form_view("F-2.01")
    f201.build_all()
    f201.focus_path("ayah.nama")
    line = editor.window().focusWidget()
    qtbot.keyClicks(line, "AGUS SALIM")
    qtbot.keyClick(line, Qt.Key.Key_Tab)  # the father is the reporter: his NIK is carried
    qtbot.waitUntil(lambda: value(f201, "ayah.nik") == "3521011705800001", timeout=5000)
    qtbot.wait(100)
    assert _has_keyboard(f201, "ayah.nik")
    line = editor.window().focusWidget()
    qtbot.keyClicks(line, "3521011705800001")  # typed over, the same: still the carried NIK
    qtbot.wait(300)  # the check after typing, and the look-up
    qtbot.keyClick(line, Qt.Key.Key_Tab)
    qtbot.wait(100)
    assert _has_keyboard(f201, "ayah.tempat_lahir")  # on as always: nothing jumps past what they check
