"""Issue 20 end to end, through the real app: a scanned synthetic KK (tests/helpers/cards) imported as a file
for the KK requirement, "Baca KK" read by the real OCR reader on the task runner, every value gone through by
keyboard in the review (Enter accepts; where the crop shows the reader got it wrong, the officer types what
the card says), and a 5-member F-1.01 filled and valid once the officer adds what a KK does not show."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from app.forms.engine import evaluate
from tests.e2e.conftest import app_session, db_value, focus, screenshot, type_into  # noqa: F401 - fixtures
from tests.helpers.cards.content import Family, Person
from tests.helpers.cards.samples import kk_sample, ktp_sample
from ui.controller import Controller
from ui.editor.card_read import ReplaceRead
from ui.editor.card_review import HEADER, CardReviewDialog
from ui.editor.editor import ApplicationEditor
from ui.editor.requirements import RequirementsPage
from ui.main_window import MainWindow
from ui.service_browser import ServicePickerDialog

SAMPLE = 3  # a five-member family, scanned
# What a KK does not show, asked of the citizen and typed by the officer once the card is in.
NOT_ON_THE_CARD = {"akta_lahir": 1, "kelainan": 1}
# What a KK shows and a KTP-el does not.
KK_ONLY = ("pendidikan", "golongan_darah", "shdk", "nama_ayah", "nama_ibu", "tanggal_kawin")


def header_truth(family: Family, members: int) -> dict[str, object]:
    return {
        "nomor_kk": family.number,
        "nama_kepala_keluarga": family.head,
        "alamat": family.address,
        "rt": family.rt,
        "rw": family.rw,
        "kode_pos": family.postal_code,
        "kode_desa": family.desa_code,
        "kode_kecamatan": family.desa_code[:8],
        "kode_kabupaten": family.desa_code[:5],
        "kode_provinsi": family.desa_code[:2],
        "jenis_data": 1,
        "jumlah_anggota": members,
    }


def member_truth(person: Person) -> dict[str, object]:
    out: dict[str, object] = {
        "nik": person.nik,
        "nama_lengkap": person.name,
        "jenis_kelamin": person.sex,
        "tempat_lahir": person.birth_place,
        "tanggal_lahir": person.birth_date.isoformat(),
        "agama": person.religion,
        "pendidikan": person.education,
        "pekerjaan": person.occupation,
        "golongan_darah": person.blood,
        "status_kawin": person.marital,
        "shdk": person.relation,
        "kewarganegaraan": person.citizenship,
        "nama_ayah": person.father,
        "nama_ibu": person.mother,
    }
    if person.marriage_date is not None:
        out["tanggal_kawin"] = person.marriage_date.isoformat()
    return out


def typed(value: object) -> str:
    """A value as the officer types it: dates DD-MM-YYYY, the rest as it is."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return f"{value[8:10]}-{value[5:7]}-{value[0:4]}"
    return str(value)


def open_new(qtbot: QtBot, window: MainWindow, code: str, monkeypatch: pytest.MonkeyPatch) -> ApplicationEditor:
    monkeypatch.setattr(ServicePickerDialog, "ask", classmethod(lambda cls, parent=None: code))
    with qtbot.waitSignal(window.editor_opened, timeout=10_000) as opened:
        qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = opened.args[0]
    assert isinstance(editor, ApplicationEditor)
    return editor


def keyboard(dialog: CardReviewDialog) -> QWidget:
    widget = QApplication.focusWidget() or dialog.focusWidget()
    assert widget is not None
    return widget


Corrected = list[tuple[int, str, str, object, str]]  # page, field, what was read, what the card says, state


def confirm_all(qtbot: QtBot, dialog: CardReviewDialog, truth: dict[int, dict[str, object]]) -> tuple[Corrected, int]:
    """Every value by keyboard, as an officer holding the card: Enter accepts what the crop shows was read
    right; a misread value is typed (or chosen by its code) first; a value for a column the card leaves
    empty is dropped (Ctrl+Del). Ends on "Masukkan ke formulir" with nothing left to check."""
    corrected: Corrected = []
    steps = 0
    while (line := dialog.line_of(keyboard(dialog))) is not None:
        steps += 1
        assert steps < 200
        page = dialog.current_page()
        assert page is not None
        decision, widget = line.decision, keyboard(dialog)
        read = decision.read.text if decision.read else ""
        wanted = truth[page.index].get(decision.field)
        if wanted is None:  # not on this card (an empty passport column read as something)
            corrected.append((page.index, decision.field, read, None, decision.status))
            qtbot.keyClick(widget, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
            qtbot.keyClick(widget, Qt.Key.Key_Tab)
            continue
        if decision.value != wanted:
            corrected.append((page.index, decision.field, read, wanted, decision.status))
            if isinstance(widget, QComboBox):
                qtbot.keyClicks(widget, f"{wanted} ")  # the list's keyboard search: "4 " is "4 — O"
            else:
                assert isinstance(widget, QLineEdit)
                widget.selectAll()
                qtbot.keyClicks(widget, typed(wanted))
            assert decision.value == wanted, (page.index, decision.field, decision.problems)
        qtbot.keyClick(widget, Qt.Key.Key_Return)
    assert keyboard(dialog) is dialog.apply_button
    assert dialog.review.to_check() == 0
    print(f"review: {steps} values, {len(corrected)} corrected or dropped")
    for item in corrected:
        print("corrected", item)
    return corrected, steps


def test_a_scanned_kk_fills_a_five_member_f101_after_the_officer_confirms_it(
    app_session: tuple[Controller, MainWindow],  # noqa: F811 - the fixture
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    controller, window = app_session
    sample = kk_sample(SAMPLE, "scan", members=5)
    family = sample.family
    head = family.members[0]
    scan = tmp_path / "kk-scan.png"
    Image.fromarray(sample.image).save(scan)
    asked: list[object] = []

    def ask(_cls: type, _parent: object, changes: object) -> bool:  # nothing typed is to be replaced here
        asked.append(changes)
        return False

    monkeypatch.setattr(ReplaceRead, "ask", classmethod(ask))

    editor = open_new(qtbot, window, "KTPEL-BARU-WNI", monkeypatch)
    type_into(qtbot, editor.applicant.name, head.name)  # the head of the family comes for the KTP-el
    editor.tabs.setCurrentWidget(editor.requirements)
    question = editor.requirements.fact_boxes["data_belum_ada"]  # data not yet in the database: F-1.01 too
    focus(qtbot, question)
    question.setCurrentIndex(question.findData(True))
    qtbot.waitUntil(lambda: "kk" in editor.requirements.rows, timeout=5000)
    monkeypatch.setattr(RequirementsPage, "choose", staticmethod(lambda parent, title: [str(scan)]))
    row = editor.requirements.rows["kk"]
    focus(qtbot, row.import_button)
    qtbot.keyClick(row.import_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "1 halaman" in row.status.text(), timeout=30_000)

    # "Baca KK": read on the runner, then the review.
    assert row.read_button is not None
    qtbot.waitUntil(row.read_button.isEnabled, timeout=5000)
    focus(qtbot, row.read_button)
    qtbot.keyClick(row.read_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: editor.card_read.dialog is not None and editor.card_read.dialog.ready, timeout=120_000)
    dialog = editor.card_read.dialog
    assert isinstance(dialog, CardReviewDialog)
    review = dialog.review
    assert review.usable and not review.problems and len(review.rows) == 5
    qtbot.waitUntil(lambda: isinstance(keyboard(dialog), QLineEdit | QComboBox), timeout=5000)
    qtbot.waitUntil(lambda: dialog.pages[0].built, timeout=5000)
    dialog.grab().save(str(tmp_path / "card-review.png"))
    screenshot(dialog, "card-review")  # docs/screenshots, with LOKET_SCREENSHOTS set

    # Every value by keyboard: Enter accepts what the crop shows was read right; the rest is typed.
    truth = {HEADER: header_truth(family, 5)} | {i: member_truth(p) for i, p in enumerate(family.members)}
    corrected, steps = confirm_all(qtbot, dialog, truth)
    assert len(corrected) <= steps // 4, "the reader got most values right"
    qtbot.keyClick(dialog.apply_button, Qt.Key.Key_Return)
    assert not dialog.isVisible() and asked == []  # nothing typed was replaced
    qtbot.waitUntil(lambda: not editor.card_read.applying, timeout=10_000)  # a form a turn

    # The five members in F-1.01, the header, the applicant and F-1.02.
    view = editor.forms["F-1.01"]
    assert editor.tabs.currentWidget() is view
    qtbot.waitUntil(lambda: view.complete, timeout=20_000)
    answers = view.answers()
    rows = answers["anggota"]
    assert isinstance(rows, list) and len(rows) == 5
    for index, person in enumerate(family.members):
        assert {k: rows[index].get(k) for k in member_truth(person)} == member_truth(person)
    header = answers["header"]
    assert isinstance(header, dict)
    assert {k: header.get(k) for k in header_truth(family, 5) if k != "nomor_kk"} == {
        k: v for k, v in header_truth(family, 5).items() if k != "nomor_kk"
    }
    assert editor.applicant.values() == (head.name, head.nik, family.number)
    pemohon = (
        editor.forms["F-1.02"].answers()["pemohon"] if "F-1.02" in editor.forms else editor.answers["F-1.02"]["pemohon"]
    )
    assert isinstance(pemohon, dict)
    assert pemohon["nik"] == head.nik and pemohon["no_kk"] == family.number
    assert pemohon["tanggal_lahir"] == head.birth_date.isoformat()

    # What a KK does not show, typed in; then F-1.01 has no error.
    view.build_all()
    for index, person in enumerate(family.members):
        for field, value in NOT_ON_THE_CARD.items():
            view.rows[f"anggota[{index}].{field}"].editor.set_value(value)
        if person.marital in (2, 3):
            view.rows[f"anggota[{index}].akta_kawin"].editor.set_value(2 if person.marital == 2 else 1)
        view.check()
        if person.marital == 2:
            view.rows[f"anggota[{index}].nomor_akta_kawin"].editor.set_value(f"KUA-{index + 1}/2010")
    view.check()
    result = evaluate(view.schema, view.answers(), dt.date.today())
    assert [f.message for f in result.findings if f.severity == "error"] == []
    # The page read stays the KK requirement's document.
    assert editor.attached["kk"].pages == 1
    client_id = editor.application.client_id
    stored = db_value(qtbot, controller, lambda: _kk_pages(client_id))
    assert stored == 1


def _kk_pages(client_id: str) -> int:
    from app.store import applications as apps
    from app.views.editing import application

    return sum(
        len(pages) for document, pages in apps.pages_of(application(client_id)) if document.requirement_id == "kk"
    )


def test_a_page_that_is_not_a_kk_says_what_to_do_and_leaves_the_forms_untouched(
    app_session: tuple[Controller, MainWindow],  # noqa: F811 - the fixture
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _controller, window = app_session
    picture = tmp_path / "ktp.png"
    Image.fromarray(ktp_sample(1, "flat").image).save(picture)  # a KTP-el front where the KK should be
    editor = open_new(qtbot, window, "KTPEL-BARU-WNI", monkeypatch)
    type_into(qtbot, editor.applicant.name, "DEWI LESTARI")
    editor.tabs.setCurrentWidget(editor.requirements)
    qtbot.waitUntil(lambda: "kk" in editor.requirements.rows, timeout=5000)
    monkeypatch.setattr(RequirementsPage, "choose", staticmethod(lambda parent, title: [str(picture)]))
    row = editor.requirements.rows["kk"]
    focus(qtbot, row.import_button)
    qtbot.keyClick(row.import_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "1 halaman" in row.status.text(), timeout=30_000)
    before = ({form: dict(answers) for form, answers in editor.answers.items()}, editor.applicant.values())
    assert row.read_button is not None
    focus(qtbot, row.read_button)
    qtbot.keyClick(row.read_button, Qt.Key.Key_Space)
    qtbot.waitUntil(
        lambda: editor.card_read.dialog is not None and editor.card_read.dialog.isVisible(), timeout=120_000
    )
    dialog = editor.card_read.dialog
    assert dialog is not None and not dialog.review.usable
    assert "Kartu Keluarga" in dialog.problems.text() and dialog.problems.isVisible()  # what to do
    assert not dialog.apply_button.isEnabled()
    qtbot.waitUntil(lambda: keyboard(dialog) is dialog.cancel_button, timeout=5000)
    qtbot.keyClick(dialog.cancel_button, Qt.Key.Key_Return)  # Tutup
    assert not dialog.isVisible()
    assert ({form: dict(answers) for form, answers in editor.answers.items()}, editor.applicant.values()) == before
    assert editor.attached["kk"].pages == 1  # the page stays; the officer may replace it


def test_a_ktp_el_fills_the_applicant_and_f102(
    app_session: tuple[Controller, MainWindow],  # noqa: F811 - the fixture
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ "Baca KTP-el" on a KTP-el requirement (a damaged card to be replaced): the card's person becomes the
    applicant of an application whose applicant page is still empty, and F-1.02's applicant part."""
    _controller, window = app_session
    sample = ktp_sample(2, "flat")
    person, family = sample.person, sample.family
    picture = tmp_path / "ktp.png"
    Image.fromarray(sample.image).save(picture)
    editor = open_new(qtbot, window, "KTPEL-PENGGANTI-WNI", monkeypatch)
    editor.tabs.setCurrentWidget(editor.requirements)
    qtbot.waitUntil(lambda: "ktp_el_rusak" in editor.requirements.rows, timeout=5000)
    monkeypatch.setattr(RequirementsPage, "choose", staticmethod(lambda parent, title: [str(picture)]))
    row = editor.requirements.rows["ktp_el_rusak"]
    focus(qtbot, row.import_button)
    qtbot.keyClick(row.import_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "1 halaman" in row.status.text(), timeout=30_000)
    assert row.read_button is not None and row.read_button.text() == "Baca KTP-el"
    focus(qtbot, row.read_button)
    qtbot.keyClick(row.read_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: editor.card_read.dialog is not None and editor.card_read.dialog.ready, timeout=120_000)
    dialog = editor.card_read.dialog
    assert isinstance(dialog, CardReviewDialog) and dialog.review.kind == "ktp" and len(dialog.review.rows) == 1
    qtbot.waitUntil(lambda: isinstance(keyboard(dialog), QLineEdit | QComboBox), timeout=5000)
    header = {k: v for k, v in header_truth(family, 1).items() if k not in ("nomor_kk", "nama_kepala_keluarga")}
    member = {k: v for k, v in member_truth(person).items() if k not in KK_ONLY}
    corrected, steps = confirm_all(qtbot, dialog, {HEADER: header, 0: member})
    assert len(corrected) <= steps // 4, "the reader got most values right"
    qtbot.keyClick(dialog.apply_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not editor.card_read.applying, timeout=10_000)
    assert editor.applicant.values() == (person.name, person.nik, "")
    view = editor.forms["F-1.02"]
    assert editor.tabs.currentWidget() is view
    pemohon = view.answers()["pemohon"]
    assert isinstance(pemohon, dict)
    assert (pemohon["nama"], pemohon["nik"], pemohon["tanggal_lahir"]) == (
        person.name,
        person.nik,
        person.birth_date.isoformat(),
    )
    read = dialog.review.rows[0]
    for field, source in (("status_kawin", person.marital), ("kewarganegaraan", person.citizenship)):
        # What the reader gave, confirmed; what it did not read is left for the officer, not guessed.
        assert pemohon.get(field) == (source if read.get(field) is not None else None), field
