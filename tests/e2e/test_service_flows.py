"""Whole applications through the app, keyboard first: KK Baru with a 4-member F-1.01, a birth with an
SPTJM F-2.03 instead of the birth letter, a move between kabupaten, a foreigner's marriage; an
acknowledged warning; and a returned application that is amended and submitted as revision 2."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.catalog import load_catalog
from app.demo.answers import DemoCase, build_case
from app.demo.people import PeopleGenerator
from app.store.models import Application, AuditEntry
from app.store.status import DinasChange, apply_changes
from ui.controller import Controller
from ui.editor.editor import ApplicationEditor
from ui.editor.requirements import RequirementsPage
from ui.main_window import MainWindow

from .conftest import db_value, document_scan, focus, screenshot, type_into
from .test_ktpel_flow import open_new
from .typing import type_form

TODAY = dt.date.today()


def find_case(number: int, accept: Callable[[DemoCase], bool]) -> DemoCase:
    """A generated case for a service that has the wanted shape (deterministic seeds)."""
    service = load_catalog().service(number)
    for seed in range(1, 400):
        case = build_case(service, PeopleGenerator(seed, today=TODAY))
        if accept(case):
            return case
    raise AssertionError(f"no demo case for service {number} fits")


def fill_application(
    qtbot: QtBot,
    editor: ApplicationEditor,
    case: DemoCase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shots: str = "",
) -> None:
    """Applicant, facts, every form, the documents that apply (with substitutes), via the keyboard."""
    type_into(qtbot, editor.applicant.name, case.applicant.name)
    if case.applicant.nik:
        type_into(qtbot, editor.applicant.nik, case.applicant.nik)
    editor.tabs.setCurrentWidget(editor.requirements)
    for fact_id, value in case.facts.items():
        box = editor.requirements.fact_boxes[fact_id]
        focus(qtbot, box)
        for index in range(box.count()):
            if box.itemData(index) == value and index != box.currentIndex():
                box.setCurrentIndex(index)
    for form_id, answers in case.forms.items():
        qtbot.waitUntil(functools.partial(has_tab, editor, form_id), timeout=5000)
        view = editor.form_view(form_id)
        editor.tabs.setCurrentWidget(view)
        type_form(qtbot, view, answers)
        result = view.check()
        assert not result.errors, [f"{f.path}: {f.message}" for f in result.errors]
        if shots:
            screenshot(editor.window(), f"{shots}-{form_id}")
    editor.recheck()
    editor.tabs.setCurrentWidget(editor.requirements)
    page = document_scan(tmp_path / "halaman.png", "DOKUMEN PERSYARATAN")
    monkeypatch.setattr(RequirementsPage, "choose", staticmethod(lambda parent, title: [str(page)]))
    for req_id, row in editor.requirements.rows.items():
        if not row.item.applies:
            continue
        substitute = case.substitutes.get(req_id, "")
        if substitute:
            row.substitute.setCurrentIndex(row.substitute.findData(substitute))
        qtbot.mouseClick(row.import_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(functools.partial(attached, row.status), timeout=10_000)
    if shots:
        screenshot(editor.window(), f"{shots}-requirements")


def has_tab(editor: ApplicationEditor, form: str) -> bool:
    """Whether the editor has a tab (built or not) for a form."""
    return form in editor.forms or form in editor._placeholders


def attached(status: QLabel) -> bool:
    """Whether a requirement row says its pages are there."""
    return "✔" in status.text()


def acknowledge_and_submit(qtbot: QtBot, window: MainWindow, editor: ApplicationEditor) -> list[str]:
    """Tick every warning (Space), then Ctrl+Enter; return the acknowledged keys."""
    editor.tabs.setCurrentWidget(editor.review)
    editor.recheck()
    warnings = editor.review.warnings
    key_role = Qt.ItemDataRole.UserRole + 1
    keys = [
        str(item.data(key_role))
        for i in range(warnings.count())
        if (item := warnings.item(i)) is not None and item.flags() & Qt.ItemFlag.ItemIsUserCheckable
    ]
    for key in keys:
        # Find the row again each time: a re-check may rebuild the list (ticks are kept).
        index = next(
            i for i in range(warnings.count()) if (item := warnings.item(i)) is not None and item.data(key_role) == key
        )
        focus(qtbot, warnings)
        warnings.setCurrentRow(index)
        qtbot.keyClick(warnings, Qt.Key.Key_Space)
    assert editor.review.submit_button.isEnabled(), editor.review.blockers.text()
    said: list[str] = []
    editor.status.connect(said.append)
    focus(qtbot, editor.review.submit_button)
    with qtbot.waitSignal(window.submitted, timeout=30_000, raising=False) as done:
        qtbot.keyClick(editor.review.submit_button, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert done.signal_triggered, said
    return keys


@pytest.mark.parametrize(
    ("number", "accept", "shots"),
    [
        (4, lambda c: len(c.forms.get("F-1.01", {}).get("anggota", [])) == 4, "kk-baru"),
        (
            21,
            lambda c: c.facts.get("surat_lahir_ada") is False and "surat_keterangan_kelahiran" in c.substitutes,
            "kelahiran",
        ),
        (15, lambda c: c.forms["F-1.03"].get("kepindahan", {}).get("klasifikasi") == 4, "pindah"),
        (26, lambda c: True, "kawin-oa"),
    ],
    ids=["kk-baru-4-anggota", "kelahiran-sptjm", "pindah-antar-kabupaten", "perkawinan-oa"],
)
def test_service_flow(
    app_session: tuple[Controller, MainWindow],
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    number: int,
    accept: Callable[[DemoCase], bool],
    shots: str,
) -> None:
    controller, window = app_session
    case = find_case(number, accept)
    editor = open_new(qtbot, window, case.service.code, monkeypatch)
    fill_application(qtbot, editor, case, tmp_path, monkeypatch, shots)
    client_id = editor.application.client_id
    acknowledge_and_submit(qtbot, window, editor)
    state = db_value(qtbot, controller, lambda: Application.get(Application.client_id == client_id).state)
    assert state == "submitted"


def test_acknowledged_warning_is_audited(
    app_session: tuple[Controller, MainWindow], qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    controller, window = app_session
    case = find_case(9, lambda c: True)
    pemohon = case.forms["F-1.02"]["pemohon"]
    assert isinstance(pemohon, dict)
    # A birth date that disagrees with the NIK's date digits is only a warning (a corrected birth date
    # never changes the NIK): the officer must confirm it before submitting.
    born = dt.date.fromisoformat(str(pemohon["tanggal_lahir"]))
    pemohon["tanggal_lahir"] = born.replace(day=1 if born.day != 1 else 2).isoformat()
    editor = open_new(qtbot, window, case.service.code, monkeypatch)
    fill_application(qtbot, editor, case, tmp_path, monkeypatch)
    editor.recheck()
    assert editor.check_result is not None and editor.check_result.warnings
    assert not editor.review.submit_button.isEnabled()
    client_id = editor.application.client_id
    keys = acknowledge_and_submit(qtbot, window, editor)
    assert keys and all(":pemohon.nik:" in key for key in keys)
    details = db_value(
        qtbot,
        controller,
        lambda: (
            AuditEntry.select()
            .where((AuditEntry.action == "application.submit") & (AuditEntry.application == client_id))
            .get()
            .details
        ),
    )
    assert all(key in str(details) for key in keys)


def test_returned_application_is_amended_and_resubmitted(
    app_session: tuple[Controller, MainWindow], qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    controller, window = app_session
    case = find_case(9, lambda c: True)
    editor = open_new(qtbot, window, case.service.code, monkeypatch)
    fill_application(qtbot, editor, case, tmp_path, monkeypatch)
    client_id = editor.application.client_id
    acknowledge_and_submit(qtbot, window, editor)
    store = controller.store
    assert store is not None
    reason = {"path": "F-1.02:pemohon.no_kk", "message": "Nomor KK tidak sesuai dengan KK yang dilampirkan."}
    requirement = case.service.requirements[0]
    rescan = {"requirement": requirement.id, "message": "Hasil pindai buram, pindai ulang."}
    db_value(
        qtbot,
        controller,
        lambda: apply_changes(
            store,
            [DinasChange(cursor=1, client_id=client_id, revision=1, state="returned", reasons=(reason, rescan))],
        ),
    )
    window.lists.setCurrentRow(3)  # Dikembalikan Dinas
    qtbot.waitUntil(lambda: [r.state for r in window.model.rows] == ["returned"], timeout=5000)
    window.table.selectRow(0)
    focus(qtbot, window.table)
    screenshot(window, "08-returned-list")
    assert window.amend_action.isEnabled(), (window.selected(), window.editor)
    with qtbot.waitSignal(window.editor_opened, timeout=10_000) as opened:
        qtbot.keyClick(window.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    amended = opened.args[0]
    assert isinstance(amended, ApplicationEditor)
    assert amended.banner.isVisibleTo(amended) and "Nomor KK tidak sesuai" in amended.banner.text()
    assert "Nomor Kartu Keluarga" in amended.banner.text()  # the field by its label, not its path
    assert "pemohon.no_kk" not in amended.banner.text()
    assert amended.application.revision == 2
    amended.banner.linkActivated.emit("1")  # the officer clicks the requirement's reason
    assert amended.tabs.currentWidget() is amended.requirements
    qtbot.waitUntil(lambda: requirement.id in amended.requirements.rows, timeout=5000)
    notes = [label.text() for label in amended.requirements.rows[requirement.id].findChildren(QLabel)]
    assert "↩ Dinas: Hasil pindai buram, pindai ulang." in notes
    window.activateWindow()  # as the click on the link does
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    amended.banner.linkActivated.emit("0")  # and then the field's
    view = amended.form_view("F-1.02")
    kk_row = view.rows["pemohon.no_kk"]
    qtbot.waitUntil(kk_row.editor.focus_widget().hasFocus, timeout=5000)
    assert kk_row.message.isVisibleTo(view) and "↩ Dinas: Nomor KK tidak sesuai" in kk_row.message.text()
    screenshot(window, "09-returned-amend")
    kk = kk_row.editor
    assert kk.value() == case.forms["F-1.02"]["pemohon"]["no_kk"]  # type: ignore[index]
    acknowledge_and_submit(qtbot, window, amended)
    row = db_value(
        qtbot,
        controller,
        lambda: (
            Application.select(Application.state, Application.revision)
            .where(Application.client_id == client_id)
            .tuples()
            .get()
        ),
    )
    assert row == ("submitted", 2)
