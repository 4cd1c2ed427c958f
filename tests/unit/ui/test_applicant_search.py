"""The applicant look-up: a surname finds the resident; a search that finds nobody puts the text into
Nama lengkap only when it is a whole name."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot

from app.store.residents import ResidentRecord, add_residents
from tests.unit.ui.editors import EditorMaker, make_editor, on_db  # noqa: F401 - the fixture

BUDI = ResidentRecord("BUDI SANTOSO", "3521011705800001", "3521010101100001", dt.date(1980, 5, 17), 1)


def search(qtbot: QtBot, editor_maker: EditorMaker, query: str) -> tuple[list[str], str]:
    editor = editor_maker("KTPEL-BARU-WNI")
    page = editor.applicant
    page.results_note.setText("")
    page.query.setText(query)
    page.search()
    qtbot.waitUntil(lambda: page.results_note.text() not in ("", "Mencari…"), timeout=5000)
    found = [page.results.item(i).text() for i in range(page.results.count())]
    return found, page.name.text()


def test_a_surname_finds_the_resident(qtbot: QtBot, make_editor: EditorMaker) -> None:  # noqa: F811
    on_db(qtbot, make_editor.runner, lambda: add_residents(make_editor.store, [BUDI]))
    found, name = search(qtbot, make_editor, "santoso")
    assert len(found) == 1 and found[0].startswith("BUDI SANTOSO")
    assert name == ""


def test_nobody_found_copies_only_a_whole_name(qtbot: QtBot, make_editor: EditorMaker) -> None:  # noqa: F811
    on_db(qtbot, make_editor.runner, lambda: add_residents(make_editor.store, [BUDI]))
    assert search(qtbot, make_editor, "wahyuni") == ([], "")  # a surname search: Nama lengkap stays empty
    assert search(qtbot, make_editor, "sri w") == ([], "")  # a prefix
    assert search(qtbot, make_editor, "sri wahyuni") == ([], "SRI WAHYUNI")  # a new person's whole name
