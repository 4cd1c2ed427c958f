"""The editor's tabs: 1 the applicant, the shown forms 2, 3, ... without gaps, 8 the requirements and 9 the
review, so a form that appears never moves the review to another Alt+number;
the requirements page chooses the substitute the answers call for and says once whether a requirement applies."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from tests.unit.ui.editors import EditorMaker, make_editor  # noqa: F401 - the fixture


def _titles(maker_editor: object) -> list[str]:
    tabs = maker_editor.tabs  # type: ignore[attr-defined]
    return [tabs.tabText(i) for i in range(tabs.count())]


def _answer(qtbot: QtBot, editor: object, fact: str, value: object) -> None:
    box = editor.requirements.fact_boxes[fact]  # type: ignore[attr-defined]
    box.setCurrentIndex(box.findData(value))


def test_a_form_that_appears_keeps_the_reviews_number(qtbot: QtBot, make_editor: EditorMaker) -> None:  # noqa: F811
    """Adding the F-2.03 tab used to renumber the tabs: the review moved from Alt+4 to Alt+5."""
    editor = make_editor("LAHIR-WNI", name="RINA")
    before = _titles(editor)
    assert before[0] == "1. Pemohon" and before[1] == "2. F-2.01"
    review_title = before[-1]
    assert before[-2:] == ["8. Persyaratan", "9. Tinjau dan kirim"]
    _answer(qtbot, editor, "surat_lahir_ada", False)  # no birth letter: F-2.03 is needed
    after = _titles(editor)
    assert len(after) == len(before) + 1 and "3. F-2.03" in after
    assert after[-1] == review_title and after[-2] == before[-2]  # the review and requirements keep theirs
    _answer(qtbot, editor, "buku_nikah_ada", False)  # F-2.04 as well
    assert "4. F-2.04" in _titles(editor) and _titles(editor)[-1] == review_title
    press(editor, "Alt+9")
    assert editor.tabs.currentWidget() is editor.review
    press(editor, "Alt+3")
    assert editor.tabs.currentWidget() is editor.forms["F-2.03"]
    press(editor, "Alt+8")
    assert editor.tabs.currentWidget() is editor.requirements
    for index in range(editor.tabs.count()):  # every tab says its key
        assert editor.tabs.tabToolTip(index) == "Alt+" + editor.tabs.tabText(index).split(".")[0]


def test_a_hidden_form_leaves_no_gap(qtbot: QtBot, make_editor: EditorMaker) -> None:  # noqa: F811
    """KTP-el showed "1, 2, 4, 5": F-1.01, asked for only without data in the database, kept number 3."""
    editor = make_editor("KTPEL-BARU-WNI", name="RINA")
    assert _titles(editor) == ["1. Pemohon", "2. F-1.02", "8. Persyaratan", "9. Tinjau dan kirim"]
    press(editor, "Alt+2")
    assert editor.tabs.currentWidget() is editor.forms["F-1.02"]
    press(editor, "Alt+3")  # no third tab: nothing happens
    assert editor.tabs.currentWidget() is editor.forms["F-1.02"]


def press(editor: QWidget, keys: str) -> None:
    """Fire the editor's shortcut for `keys` (offscreen windows are not active, so Qt would not)."""
    [shortcut] = [s for s in editor.findChildren(QShortcut) if s.key() == QKeySequence(keys)]
    shortcut.activated.emit()


def test_the_sptjm_is_chosen_when_the_answers_say_there_is_no_birth_letter(
    qtbot: QtBot,
    make_editor: EditorMaker,  # noqa: F811
) -> None:
    editor = make_editor("LAHIR-WNI", name="RINA")
    editor.recheck()
    row = editor.requirements.rows["surat_keterangan_kelahiran"]
    assert row.substitute.currentData() == ""  # the letter itself, until the answers say otherwise
    _answer(qtbot, editor, "surat_lahir_ada", False)
    row = editor.requirements.rows["surat_keterangan_kelahiran"]
    assert row.substitute.currentData() == "sptjm_f203"
    _answer(qtbot, editor, "surat_lahir_ada", True)
    assert editor.requirements.rows["surat_keterangan_kelahiran"].substitute.currentData() == ""


def test_a_requirement_says_once_whether_it_applies(qtbot: QtBot, make_editor: EditorMaker) -> None:  # noqa: F811
    """One row read both "belum dapat ditentukan" (title) and "tidak wajib" (status)."""
    editor = make_editor("KTPEL-BARU-WNI", name="RINA")
    editor.recheck()
    undecided = [row for row in editor.requirements.rows.values() if row.item.reason.startswith("belum dapat")]
    assert undecided
    for row in undecided:
        texts = " ".join(label.text() for label in row.findChildren(QLabel))
        assert "tidak wajib" not in texts, texts
        assert texts.count("belum dapat ditentukan") == 1, texts
