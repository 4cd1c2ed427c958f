"""Applying a reviewed card reading in a real editor: the members into F-1.01's rows, the header into
F-1.01 and F-1.02, the applicant page when the applicant is a member; a question before typed values
are replaced; an unreadable page changes nothing; "Baca KK" reads the page attached to the requirement
on the task runner and opens the review."""

from __future__ import annotations

import io

import pytest
from PIL import Image as PilImage
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.cardread.model import CardKind, CardReading
from app.settings import Settings
from app.store import applications as apps
from tests.helpers.card_readings import FAMILY, KK_NUMBER, kk_reading, ktp_reading, unreadable
from tests.unit.ui.editors import EditorMaker, make_editor, on_db  # noqa: F401 - the fixture
from ui.editor.card_read import CardReadFlow, ReplaceRead
from ui.editor.card_review import CardReviewDialog
from ui.editor.card_state import review_of
from ui.editor.editor import ApplicationEditor
from ui.forms.view import FormView

DESA = "35.21.01.2001"


@pytest.fixture
def outpost(make_editor: EditorMaker) -> EditorMaker:  # noqa: F811 - the fixture
    """Editors of an outpost in another desa than the family's (its region is carried into F-1.01)."""
    Settings(make_editor.store.paths.settings).set("outpost.region", "35.21.02.2001")
    return make_editor


def accepted_review(editor: ApplicationEditor, reading: CardReading):  # type: ignore[no-untyped-def]
    review = review_of(reading, editor.registry.get("F-1.01"))
    for decision in [*review.header, *(f for row in review.rows for f in row.fields)]:
        decision.accept()
    return review


def applied(qtbot: QtBot, editor: ApplicationEditor) -> None:
    """Wait for an apply's steps (a form a turn) to be done."""
    qtbot.waitUntil(lambda: not editor.card_read.applying, timeout=10_000)


def settle(qtbot: QtBot, editor: ApplicationEditor) -> None:
    """Wait for the forms to finish building the rows the reading added (one a turn, as on screen): an
    editor disposed halfway through that build has its leftover turns run against deleted rows."""
    qtbot.waitUntil(lambda: all(view.complete for view in editor.forms.values()), timeout=10_000)


def answers(editor: ApplicationEditor, form: str) -> dict[str, object]:
    view = editor.forms.get(form)
    return view.answers() if view is not None else dict(editor.answers.get(form, {}))


def test_applying_fills_the_members_the_header_f102_and_the_applicant(
    outpost: EditorMaker, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = outpost("KK-BARU-KELUARGA", name="SRI WAHYUNI")
    reading, _page = kk_reading(5)
    asked: list[object] = []

    def ask(_cls: type, _parent: object, changes: object) -> bool:
        asked.append(changes)
        return True

    monkeypatch.setattr(ReplaceRead, "ask", classmethod(ask))
    editor.card_read.apply(accepted_review(editor, reading))
    applied(qtbot, editor)
    f101 = answers(editor, "F-1.01")
    rows = f101["anggota"]
    assert isinstance(rows, list) and len(rows) == 5
    for row, member in zip(rows, FAMILY, strict=False):
        assert row["nik"] == member.values["nik"][1] and row["nama_lengkap"] == member.values["nama_lengkap"][1]
    assert rows[0]["shdk"] == 1 and rows[1]["jenis_kelamin"] == 2 and rows[2]["tanggal_lahir"] == "2007-08-01"
    assert rows[0]["agama"] == 1 and rows[0]["tanggal_kawin"] == "2005-06-12" and rows[3]["nama_ibu"] == "SRI WAHYUNI"
    header = f101["header"]
    assert isinstance(header, dict)
    # The card's region replaces the outpost's carried one without a question: it was never typed.
    assert header["kode_desa"] == DESA and header["kode_kecamatan"] == "35.21.01"
    assert header["alamat"] == "JL MAWAR 1" and header["rt"] == "004" and header["jumlah_anggota"] == 5
    assert header["jenis_data"] == 1 and header["nama_kepala_keluarga"] == "BUDI SANTOSO"
    assert asked == []
    # The applicant (by name) is the wife: her NIK and the KK go to the applicant page and F-1.02.
    assert editor.applicant.values() == ("SRI WAHYUNI", "3521014902830002", KK_NUMBER)
    pemohon = answers(editor, "F-1.02")["pemohon"]
    assert isinstance(pemohon, dict)
    assert pemohon["nik"] == "3521014902830002" and pemohon["no_kk"] == KK_NUMBER
    assert pemohon["tanggal_lahir"] == "1983-02-09" and pemohon["status_kawin"] == 2 and pemohon["kewarganegaraan"] == 1
    view = editor.tabs.currentWidget()
    assert isinstance(view, FormView) and view.schema.form == "F-1.01"  # the officer sees the filled form
    settle(qtbot, editor)


def test_typed_values_are_replaced_only_after_a_question(outpost: EditorMaker, qtbot: QtBot) -> None:
    editor = outpost("KK-BARU-KELUARGA")
    view = editor.form_view("F-1.01")
    view.load({"header": {"alamat": "JL MELATI 9"}, "anggota": [{"nik": "3521011705800001", "nama_lengkap": "BUDI S"}]})
    view.check()
    reading, _page = kk_reading(2)
    review = accepted_review(editor, reading)
    # The real question, answered by keyboard: it lists the differing fields; Escape keeps what was typed.
    seen: list[str] = []

    def answer(key: Qt.Key) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        qtbot.keyClick(box, key)

    QTimer.singleShot(0, lambda: answer(Qt.Key.Key_Escape))
    editor.card_read.apply(review)
    applied(qtbot, editor)
    assert "Alamat" in seen[0] and "JL MELATI 9" in seen[0] and "Anggota ke-1 › Nama Lengkap" in seen[0]
    f101 = answers(editor, "F-1.01")
    assert f101["header"]["alamat"] == "JL MELATI 9"  # type: ignore[index]
    rows = f101["anggota"]
    assert isinstance(rows, list) and len(rows) == 2
    assert rows[0]["nama_lengkap"] == "BUDI S" and rows[0]["tempat_lahir"] == "NGAWI"  # the empty ones filled
    assert rows[1]["nama_lengkap"] == "SRI WAHYUNI"

    # Asked again, "Ganti" replaces them.
    def choose() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        [button] = [b for b in box.buttons() if b.text() == "Ganti"]
        button.click()

    QTimer.singleShot(0, choose)
    editor.card_read.apply(review)
    applied(qtbot, editor)
    f101 = answers(editor, "F-1.01")
    assert f101["header"]["alamat"] == "JL MAWAR 1"  # type: ignore[index]
    assert f101["anggota"][0]["nama_lengkap"] == "BUDI SANTOSO"  # type: ignore[index]
    assert len(f101["anggota"]) == 2  # type: ignore[arg-type]  # the same members again: no new rows
    settle(qtbot, editor)


def test_an_unreadable_page_leaves_the_forms_untouched(outpost: EditorMaker, qtbot: QtBot) -> None:
    editor = outpost("KK-BARU-KELUARGA", name="SRI WAHYUNI")
    before = {form: answers(editor, form) for form in ("F-1.01", "F-1.02")}
    review = review_of(unreadable(), editor.registry.get("F-1.01"))
    editor.card_read.apply(review)
    applied(qtbot, editor)
    assert {form: answers(editor, form) for form in ("F-1.01", "F-1.02")} == before
    assert editor.applicant.values() == ("SRI WAHYUNI", "", "")


def png(image: object) -> bytes:
    out = io.BytesIO()
    PilImage.fromarray(image).save(out, format="PNG")  # type: ignore[arg-type]
    return out.getvalue()


def test_baca_kk_reads_the_attached_page_on_the_runner_and_opens_the_review(
    outpost: EditorMaker, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = outpost("KTPEL-BARU-WNI", name="BUDI SANTOSO")
    reading, page = kk_reading(5)
    read_on: list[tuple[str, tuple[int, ...], CardKind]] = []

    def reader(image: object, kind: CardKind) -> CardReading:
        import threading

        read_on.append((threading.current_thread().name, image.shape, kind))  # type: ignore[attr-defined]
        return reading

    monkeypatch.setattr(CardReadFlow, "reader", staticmethod(reader))
    box = editor.requirements.fact_boxes["data_belum_ada"]
    box.setCurrentIndex(box.findData(True))  # F-1.01 is asked for
    editor.tabs.setCurrentWidget(editor.requirements)
    qtbot.waitUntil(lambda: "kk" in editor.requirements.rows, timeout=5000)
    row = editor.requirements.rows["kk"]
    assert row.read_button is not None and row.read_button.text() == "Baca KK" and not row.read_button.isEnabled()
    data = png(page)
    on_db(
        qtbot,
        editor.runner,
        lambda: apps.attach_page(
            editor.store, editor.application, "kk", data, media_type="image/png", document_id="kk", width=2000
        ),
    )
    editor._pages_added("kk", "", 1)
    assert row.read_button.isEnabled()
    qtbot.mouseClick(row.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(editor.card_read.dialog, CardReviewDialog), timeout=10_000)
    dialog = editor.card_read.dialog
    assert dialog is not None and dialog.isVisible()
    assert read_on and read_on[0][0].startswith("loket-pool") and read_on[0][1][:2] == (1400, 2000)
    assert read_on[0][2] == "kk"
    assert len(dialog.crops) == len(reading.header) + sum(len(r.values) for r in reading.rows)
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    applied(qtbot, editor)
    rows = answers(editor, "F-1.01")["anggota"]
    assert isinstance(rows, list) and [r["nama_lengkap"] for r in rows] == [
        m.values["nama_lengkap"][1] for m in FAMILY[:5]
    ]
    assert editor.applicant.values() == ("BUDI SANTOSO", "3521011705800001", KK_NUMBER)
    # Ctrl+Shift+K in the editor reads the KK again (the shortcut itself: the offscreen platform activates
    # windows only now and then, and a window shortcut needs its window active).
    editor.card_read.dialog = None
    [shortcut] = [s for s in editor.findChildren(QShortcut) if s.key() == QKeySequence("Ctrl+Shift+K")]
    shortcut.activated.emit()
    qtbot.waitUntil(lambda: editor.card_read.dialog is not None, timeout=10_000)
    assert len(read_on) == 2
    again = editor.card_read.dialog
    assert again is not None
    qtbot.keyClick(again.focusWidget() or again, Qt.Key.Key_Escape)  # closed without applying
    assert not again.isVisible()
    settle(qtbot, editor)


def test_a_ktp_fills_an_empty_applicant_and_f102_but_adds_no_member(outpost: EditorMaker, qtbot: QtBot) -> None:
    editor = outpost("KTPEL-BARU-WNI")
    reading, _page = ktp_reading(1)
    review = accepted_review(editor, reading)
    assert review.rows[0].get("nik") is not None and all(d.field != "jumlah_anggota" for d in review.header)
    editor.card_read.apply(review)
    applied(qtbot, editor)
    assert editor.applicant.values() == ("SRI WAHYUNI", "3521014902830002", "")  # a KTP-el has no KK number
    pemohon = answers(editor, "F-1.02")["pemohon"]
    assert isinstance(pemohon, dict)
    assert pemohon["nama"] == "SRI WAHYUNI" and pemohon["nik"] == "3521014902830002"
    assert pemohon["tanggal_lahir"] == "1983-02-09" and pemohon["status_kawin"] == 2
    assert "F-1.01" not in editor.forms and not editor.answers.get("F-1.01")  # not asked for: untouched
    settle(qtbot, editor)


def test_a_stored_page_that_cannot_be_opened_says_what_to_do(outpost: EditorMaker, qtbot: QtBot) -> None:
    editor = outpost("KTPEL-BARU-WNI", name="BUDI SANTOSO")
    on_db(
        qtbot,
        editor.runner,
        lambda: apps.attach_page(
            editor.store, editor.application, "kk", b"not an image at all", media_type="image/png", document_id="kk"
        ),
    )
    editor._pages_added("kk", "", 1)
    messages: list[str] = []
    editor.status.connect(messages.append)
    editor.card_read.read("kk")
    qtbot.waitUntil(lambda: any("tidak dapat dibuka" in m for m in messages), timeout=10_000)
    assert editor.card_read.dialog is None and not editor.card_read.busy  # another try is possible
    assert "pindai atau impor kartu itu lagi" in messages[-1]


def test_the_residents_index_neither_asks_about_nor_replaces_what_the_card_said(
    outpost: EditorMaker, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The officer confirmed the card's values: a member whom the (maybe older) residents index knows
    otherwise gets no 'Data penduduk ditemukan' question and keeps the card's values."""
    import datetime as dt

    from app.store.residents import ResidentRecord, add_residents
    from ui.editor import prefill
    from ui.editor.prefill import ReplaceTyped

    head = FAMILY[0].values
    older = ResidentRecord(
        head["nama_lengkap"][1],
        head["nik"][1],
        "3521010101100009",  # his parents' KK
        dt.date(1980, 5, 17),
        1,
        details={"pekerjaan": 3, "tempat_lahir": "MADIUN", "status_kawin": 1},
    )
    on_db(qtbot, outpost.runner, lambda: add_residents(outpost.store, [older]))
    asked: list[object] = []
    monkeypatch.setattr(ReplaceTyped, "ask", classmethod(lambda _cls, _parent, name, labels: asked.append(labels)))
    looked_up: list[str] = []
    residents_with = prefill._residents_with

    def spy(nik: str) -> list[dict[str, object]]:
        looked_up.append(nik)
        return residents_with(nik)

    monkeypatch.setattr(prefill, "_residents_with", spy)
    editor = outpost("KK-BARU-KELUARGA", name="SRI WAHYUNI")
    reading, _page = kk_reading(5)
    monkeypatch.setattr(ReplaceRead, "ask", classmethod(lambda _cls, _parent, _changes: True))
    editor.card_read.apply(accepted_review(editor, reading))
    applied(qtbot, editor)
    settle(qtbot, editor)
    qtbot.wait(300)  # a look-up in the index would have come back by now (database thread)
    rows = answers(editor, "F-1.01")["anggota"]
    assert isinstance(rows, list)
    assert (rows[0]["pekerjaan"], rows[0]["tempat_lahir"], rows[0]["status_kawin"]) == (9, "NGAWI", 2)
    assert asked == []
    assert looked_up == []  # the card's NIKs are not looked up: what it said stands
