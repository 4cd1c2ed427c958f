"""The officer's review of a card reading, by keyboard: Enter accepts and moves on (across pages), Tab
moves on without accepting, typing edits, Ctrl+Del drops a value, Ctrl+Shift+Del a member; what the
reader doubts is never pre-accepted; a page that could not be read offers nothing to apply."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from app.cardread.model import CardReading, ReadRow
from app.forms import load_form
from tests.helpers.card_readings import kk_reading, unreadable, without_value
from ui.editor.card_review import LINES_PER_TURN, CardReviewDialog, prepare_crops
from ui.editor.card_state import ACCEPTED, CHECK, DROPPED, Review, review_of

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def open_review(qtbot: QtBot, reading: CardReading, page: object = None) -> CardReviewDialog:
    crops = prepare_crops(page, reading) if page is not None else {}  # type: ignore[arg-type]
    dialog = CardReviewDialog(review_of(reading, load_form("F-1.01")), crops)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget() or dialog.focusWidget(), (QLineEdit, QComboBox)))
    return dialog


def focused(dialog: CardReviewDialog) -> QWidget:
    widget = QApplication.focusWidget() or dialog.focusWidget()
    assert widget is not None
    return widget


def where(dialog: CardReviewDialog) -> tuple[int, str]:
    """(page index, field id) of the value that has the keyboard."""
    widget = focused(dialog)
    line = dialog.line_of(widget)
    assert line is not None, f"the keyboard is on {widget!r}, not on a value"
    page = dialog.current_page()
    assert page is not None
    return page.index, line.decision.field


def press(
    dialog: CardReviewDialog, qtbot: QtBot, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(focused(dialog), key, modifiers)


def decision(review: Review, row: int, field: str):  # type: ignore[no-untyped-def]
    found = review.rows[row].get(field) if row >= 0 else next(f for f in review.header if f.field == field)
    assert found is not None
    return found


def test_enter_accepts_each_value_and_goes_on_through_the_members(qtbot: QtBot) -> None:
    reading, page = kk_reading(2, doubtful={(0, "tanggal_lahir"): 0.55})
    dialog = open_review(qtbot, reading, page)
    review = dialog.review
    born = decision(review, 0, "tanggal_lahir")
    assert born.status == CHECK and "yakin 55%" in born.problems[0]  # low confidence: not pre-accepted
    assert where(dialog) == (-1, "nomor_kk")  # the card's order, from the top
    header_fields = [d.field for d in review.header]
    member_fields = [d.field for d in review.rows[0].fields]
    seen = []
    for _ in range(len(header_fields) + len(member_fields) * 2):
        seen.append(where(dialog))
        press(dialog, qtbot, Qt.Key.Key_Return)
    assert seen == [(-1, f) for f in header_fields] + [(0, f) for f in member_fields] + [(1, f) for f in member_fields]
    assert focused(dialog) is dialog.apply_button  # after the last value: "Masukkan ke formulir"
    assert born.status == ACCEPTED
    assert review.to_check() == 0
    assert [row["nama_lengkap"] for row in review.row_answers()] == ["BUDI SANTOSO", "SRI WAHYUNI"]
    assert review.header_answers()["jumlah_anggota"] == 2 and review.header_answers()["jenis_data"] == 1
    # Every value has its crop of the page beside it.
    assert all(
        line.status.text() and dialog.crops.get((0, line.decision.field)) is not None for line in dialog.pages[1].lines
    )
    applied: list[object] = []
    dialog.applied.connect(applied.append)
    press(dialog, qtbot, Qt.Key.Key_Return)  # on the button: applies
    assert applied == [review] and not dialog.isVisible()


def test_the_review_is_made_a_few_values_a_turn(qtbot: QtBot) -> None:
    """The dialog shows at once; its first page's values, then the other pages', are made a few per turn
    of the event loop (each turn stays short), and the pages are laid out before they are shown."""
    reading, page = kk_reading(3)
    dialog = CardReviewDialog(review_of(reading, load_form("F-1.01")), prepare_crops(page, reading))
    qtbot.addWidget(dialog)
    dialog.show()
    assert all(not page.lines for page in dialog.pages)
    dialog._first_page()
    assert 0 < len(dialog.pages[0].lines) <= LINES_PER_TURN and not dialog.pages[1].lines
    qtbot.waitUntil(lambda: all(page.built and (page.laid_out or page is dialog.pages[0]) for page in dialog.pages))
    assert [len(page.lines) for page in dialog.pages] == [len(dialog.review.header)] + [
        len(row.fields) for row in dialog.review.rows
    ]


def test_tab_moves_on_and_leaves_a_doubtful_value_out(qtbot: QtBot) -> None:
    reading, page = kk_reading(1, doubtful={(0, "nama_lengkap"): 0.4})
    dialog = open_review(qtbot, reading, page)
    qtbot.keyClick(focused(dialog), Qt.Key.Key_PageDown, CTRL)  # to the member
    assert where(dialog) == (0, "nama_lengkap")
    press(dialog, qtbot, Qt.Key.Key_Tab)
    assert where(dialog) == (0, "nik")
    name = decision(dialog.review, 0, "nama_lengkap")
    assert name.status == CHECK
    assert "nama_lengkap" not in dialog.review.row_answers()[0]  # what is not accepted goes into no form
    assert "1 perlu diperiksa" in dialog.summary.text()
    assert "⚠" in (dialog.nav.item(1).text() if dialog.nav.item(1) else "")


def test_typing_edits_a_value_and_ctrl_del_drops_a_value_or_a_member(qtbot: QtBot) -> None:
    reading, page = kk_reading(3)
    dialog = open_review(qtbot, reading, page)
    review = dialog.review
    qtbot.keyClick(focused(dialog), Qt.Key.Key_PageDown, CTRL)
    name = focused(dialog)
    assert isinstance(name, QLineEdit)
    name.selectAll()
    qtbot.keyClicks(name, "BUDI SANTOSO BIN KARSO")
    assert decision(review, 0, "nama_lengkap").edited and decision(review, 0, "nama_lengkap").status == ACCEPTED
    assert "diubah petugas" in dialog.pages[1].lines[0].status.text()
    press(dialog, qtbot, Qt.Key.Key_Return)  # accepted as typed, on to the NIK
    press(dialog, qtbot, Qt.Key.Key_Delete, CTRL)  # the NIK dropped
    nik = decision(review, 0, "nik")
    assert nik.status == DROPPED and "nik" not in review.row_answers()[0]
    press(dialog, qtbot, Qt.Key.Key_Delete, CTRL)  # and taken back
    assert nik.status == ACCEPTED
    # A typed date that is no date stays to check, with what to do.
    press(dialog, qtbot, Qt.Key.Key_Tab)
    press(dialog, qtbot, Qt.Key.Key_Tab)
    press(dialog, qtbot, Qt.Key.Key_Tab)
    assert where(dialog) == (0, "tanggal_lahir")
    born = focused(dialog)
    assert isinstance(born, QLineEdit)
    born.selectAll()
    qtbot.keyClicks(born, "31-02-1980")
    press(dialog, qtbot, Qt.Key.Key_Return)
    assert decision(review, 0, "tanggal_lahir").status == CHECK
    assert where(dialog) == (0, "tanggal_lahir")  # Enter does not accept what does not fit: the keyboard stays
    assert "HH-BB-TTTT" in dialog.pages[1].lines[4].status.text()
    born.selectAll()
    qtbot.keyClicks(born, "17-05-1980")
    assert decision(review, 0, "tanggal_lahir").value == "1980-05-17"
    # The third member dropped: not applied, and the member count follows.
    qtbot.keyClick(focused(dialog), Qt.Key.Key_PageDown, CTRL)
    qtbot.keyClick(focused(dialog), Qt.Key.Key_PageDown, CTRL)
    assert where(dialog)[0] == 2
    press(dialog, qtbot, Qt.Key.Key_Delete, CTRL | SHIFT)
    assert review.rows[2].dropped
    assert [r["nama_lengkap"] for r in review.row_answers()] == ["BUDI SANTOSO BIN KARSO", "SRI WAHYUNI"]
    assert review.header_answers()["jumlah_anggota"] == 2
    assert "dibuang" in dialog.pages[3].banner.text() and "✖" in (
        dialog.nav.item(3).text() if dialog.nav.item(3) else ""
    )


def test_values_with_problems_or_without_a_mapped_value_are_never_pre_accepted(qtbot: QtBot) -> None:
    problem = "NIK: tanggal lahir pada NIK tidak sama dengan Tanggal Lahir baris ini."
    reading, page = kk_reading(2, doubtful={(1, "nik"): problem})
    reading = without_value(reading, 1, "agama")
    rows = list(reading.rows)  # a NIK the reader proposed without a problem, but its region does not exist
    values = dict(rows[0].values)
    values["nik"] = values["nik"].__class__("nik", "9921011705800001", "9921011705800001", 0.99)
    rows[0] = ReadRow(values)
    reading = reading.__class__(reading.kind, reading.page_width, reading.page_height, reading.header, tuple(rows))
    dialog = open_review(qtbot, reading, page)
    review = dialog.review
    assert decision(review, 1, "nik").status == CHECK and problem in decision(review, 1, "nik").problems
    assert decision(review, 1, "agama").status == CHECK and decision(review, 1, "agama").value is None
    assert decision(review, 0, "nik").status == CHECK  # the NIK checks found it wrong
    assert all(d.status == ACCEPTED for d in review.header)
    # Enter on a value that has none keeps the keyboard there; choosing from the list accepts it.
    dialog.show_page(2)
    dialog.focus_first()
    for _ in range(5):
        press(dialog, qtbot, Qt.Key.Key_Return)
    assert where(dialog) == (1, "agama")
    press(dialog, qtbot, Qt.Key.Key_Return)
    assert where(dialog) == (1, "agama") and decision(review, 1, "agama").status == CHECK
    combo = focused(dialog)
    assert isinstance(combo, QComboBox)
    index = combo.findData(1)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    assert decision(review, 1, "agama").status == ACCEPTED and decision(review, 1, "agama").value == 1
    # The NIK with a problem went in only because the officer pressed Enter on it, having looked.
    assert "agama" in review.row_answers()[1] and decision(review, 1, "nik").status == ACCEPTED
    assert "nik" not in review.row_answers()[0]  # the one never looked at stays out


def test_a_page_that_could_not_be_read_says_what_to_do_and_applies_nothing(qtbot: QtBot) -> None:
    reading = unreadable("Kartu terbalik: putar halaman dan pindai ulang.")
    dialog = CardReviewDialog(review_of(reading, load_form("F-1.01")), {})
    qtbot.addWidget(dialog)
    dialog.show()
    assert "putar halaman dan pindai ulang" in dialog.problems.text() and dialog.problems.isVisible()
    assert not dialog.apply_button.isEnabled() and not dialog.pages
    applied: list[object] = []
    dialog.applied.connect(applied.append)
    qtbot.keyClick(dialog, Qt.Key.Key_Return, CTRL)
    dialog.apply()
    assert applied == [] and not dialog.review.can_apply()
