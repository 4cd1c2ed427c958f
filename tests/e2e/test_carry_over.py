"""Carry-over through the real app, by keyboard: a KK Baru whose region, request type and head of family
are filled in and whose member row fills itself from the residents index when the NIK is typed; a birth
whose F-2.01 gets region, report type, date, reporter and subject, and whose SPTJM F-2.03 gets the child,
the parents and the witnesses typed once on F-2.01."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.store.residents import add_residents
from tests.helpers.residents import ani
from ui.controller import Controller
from ui.editor.prefill import ReplaceTyped
from ui.forms.editors import IdentifierEditor
from ui.forms.view import FormView, RepeatBlock
from ui.main_window import MainWindow

from .conftest import db_value, focus, type_into
from .test_ktpel_flow import open_new
from .typing import type_value

DESA = "35.21.01.2001"
ANI = ani()


def value(view: FormView, path: str) -> object:
    return view.rows[path].editor.value()


def type_field(qtbot: QtBot, view: FormView, path: str, answer: object) -> None:
    """One answer by keyboard, then Tab on, as an officer moves to the next field."""
    editor = view.rows[path].editor
    type_value(qtbot, editor, answer)
    qtbot.keyClick(editor.focus_widget(), Qt.Key.Key_Tab)


@pytest.fixture
def outpost(app_session: tuple[Controller, MainWindow]) -> tuple[Controller, MainWindow]:
    """The outpost's settings name its desa (Ctrl+, in the app)."""
    controller, _window = app_session
    controller.settings.set("outpost.region", DESA)
    return app_session


def test_kk_baru_carries_region_request_type_head_and_a_resident_row(
    outpost: tuple[Controller, MainWindow], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    controller, window = outpost
    store = controller.store
    assert store is not None
    db_value(qtbot, controller, lambda: add_residents(store, [ANI]))
    asked: list[list[str]] = []
    monkeypatch.setattr(ReplaceTyped, "ask", classmethod(lambda cls, parent, name, labels: asked.append(labels)))
    editor = open_new(qtbot, window, "KK-BARU-KELUARGA", monkeypatch)
    page = editor.applicant
    type_into(qtbot, page.name, "AGUS SALIM")
    type_into(qtbot, page.nik, "3521011705800001")
    qtbot.keyClick(window.focusWidget() or page, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    f102 = editor.form_view("F-1.02")
    assert value(f102, "permohonan.jenis") == ["I.A.1"]  # from the service
    assert value(f102, "pemohon.nama") == "AGUS SALIM"  # from the applicant page
    f101 = editor.form_view("F-1.01")
    assert [value(f101, f"header.kode_{level}") for level in ("provinsi", "kabupaten", "kecamatan", "desa")] == [
        "35",
        "35.21",
        "35.21.01",
        DESA,
    ]
    assert value(f101, "header.nama_kepala_keluarga") == "AGUS SALIM"
    members = f101.blocks["anggota"]
    assert isinstance(members, RepeatBlock)
    # The head's row: his name and SHDK typed.
    type_field(qtbot, f101, "anggota[0].nama_lengkap", "AGUS SALIM BIN SUKARDI")
    type_field(qtbot, f101, "anggota[0].shdk", 1)
    qtbot.waitUntil(lambda: value(f101, "header.nama_kepala_keluarga") == "AGUS SALIM BIN SUKARDI", timeout=5000)
    # The wife is in the residents index: her NIK fills her row.
    focus(qtbot, members.add_button)
    qtbot.keyClick(members.add_button, Qt.Key.Key_Space)
    nik = f101.rows["anggota[1].nik"].editor
    assert isinstance(nik, IdentifierEditor)
    type_into(qtbot, nik.line, ANI.nik or "")
    qtbot.keyClick(nik.line, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: value(f101, "anggota[1].nama_lengkap") == "ANI LESTARI", timeout=5000)
    row = f101.answers()["anggota"][1]  # type: ignore[index]
    assert len(row) >= 21, row  # the NIK and twenty fields from the index
    assert (row["tanggal_lahir"], row["jenis_kelamin"], row["nama_ibu"]) == ("1985-02-17", 2, "SUMIATI")
    assert not asked
    # Saved as if typed: the draft holds the row.
    editor.flush()
    saved = editor.answers["F-1.01"]["anggota"][1]  # type: ignore[index]
    assert saved["pekerjaan"] == 2


def test_a_birth_carries_into_f201_and_the_sptjm(
    outpost: tuple[Controller, MainWindow], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    _controller, window = outpost
    editor = open_new(qtbot, window, "LAHIR-WNI", monkeypatch)
    page = editor.applicant
    type_into(qtbot, page.name, "AGUS SALIM")
    type_into(qtbot, page.nik, "3521011705800001")
    type_into(qtbot, page.kk, "3521010101100001")
    qtbot.keyClick(window.focusWidget() or page, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    f201 = editor.form_view("F-2.01")
    assert value(f201, "wilayah.kode_desa") == DESA
    assert value(f201, "laporan.jenis_pelaporan") == 1
    assert value(f201, "laporan.tanggal_pelaporan") == dt.date.today().isoformat()
    assert (value(f201, "pelapor.nama"), value(f201, "pelapor.nik"), value(f201, "pelapor.no_kk")) == (
        "AGUS SALIM",
        "3521011705800001",
        "3521010101100001",
    )
    for path, answer in {
        "kelahiran.nama": "BAYI LAKI-LAKI",
        "kelahiran.jenis_kelamin": 1,
        "kelahiran.tempat_kelahiran": "NGAWI",
        "kelahiran.tanggal_lahir": (dt.date.today() - dt.timedelta(days=10)).isoformat(),
        "ayah.nama": "AGUS SALIM",
        "ibu.nama": "ANI LESTARI",
        "saksi1.nama": "SLAMET",
        "saksi1.nik": "3521010101700001",
        "saksi2.nama": "SRI WAHYUNI",
        "saksi2.nik": "3521014101700002",
    }.items():
        type_field(qtbot, f201, path, answer)
    qtbot.waitUntil(lambda: value(f201, "subjek1.nama") == "BAYI LAKI-LAKI", timeout=5000)
    assert value(f201, "subjek1.no_kk") == "3521010101100001"
    # No birth letter: the SPTJM F-2.03 joins, with what F-2.01 already says.
    box = editor.requirements.fact_boxes["surat_lahir_ada"]
    editor.tabs.setCurrentWidget(editor.requirements)
    focus(qtbot, box)
    box.setCurrentIndex(next(i for i in range(box.count()) if box.itemData(i) is False))
    qtbot.waitUntil(lambda: "F-2.03" in editor.answers, timeout=5000)
    f203 = editor.form_view("F-2.03")
    assert {field: value(f203, f"anak.{field}") for field in ("nama", "jenis_kelamin", "tempat_lahir")} == {
        "nama": "BAYI LAKI-LAKI",
        "jenis_kelamin": 1,
        "tempat_lahir": "NGAWI",
    }
    assert (value(f203, "anak.nama_ayah"), value(f203, "anak.nama_ibu")) == ("AGUS SALIM", "ANI LESTARI")
    assert (value(f203, "saksi1.nama"), value(f203, "saksi2.nik")) == ("SLAMET", "3521014101700002")
    assert value(f203, "deklarator.nama") == "AGUS SALIM"
    # Still editable, and never overwritten once edited.
    type_field(qtbot, f203, "anak.nama", "AHMAD")
    type_field(qtbot, f201, "kelahiran.nama", "AHMAD FAUZI")
    qtbot.waitUntil(lambda: value(f201, "subjek1.nama") == "AHMAD FAUZI", timeout=5000)
    assert value(f203, "anak.nama") == "AHMAD"
