"""Repeating sections (F-1.01's family members): rows numbered right, whether built ahead or not."""

from __future__ import annotations

import functools

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.forms import default_registry, load_form
from ui.forms.editors import TextEditor
from ui.forms.view import FormView, RepeatBlock

ADD_ROW = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier  # with N


def _members(qtbot: QtBot) -> tuple[FormView, RepeatBlock]:
    view = FormView(load_form("F-1.01"), {})
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    qtbot.waitUntil(lambda: view.complete, timeout=5000)  # the rows are made in the turns after opening
    block = next(b for b in view.blocks.values() if isinstance(b, RepeatBlock))
    return view, block


def _type_name(block: RepeatBlock, row: int, name: str) -> str:
    path = next(p for p, r in block.blocks[row].rows.items() if isinstance(r.editor, TextEditor))
    editor = block.blocks[row].rows[path].editor
    assert isinstance(editor, TextEditor)
    editor.line.setText(name)
    return path.rsplit(".", 1)[1]


def test_the_next_row_is_built_ahead_and_numbered_for_its_place(qtbot: QtBot) -> None:
    view, block = _members(qtbot)
    start = len(block.blocks)
    qtbot.waitUntil(lambda: block._spare is not None and block._spare.complete, timeout=2000)
    spare = block._spare
    row = block.add_row(focus=True)
    assert row is spare
    assert row.prefix == f"{block.section.id}[{start}]"
    assert all(path.startswith(row.prefix + ".") for path in row.rows)
    assert set(row.rows) <= set(view.rows)
    qtbot.waitUntil(lambda: block._spare is not None and block._spare.complete, timeout=2000)
    assert block._spare is not None and block._spare.prefix == f"{block.section.id}[{start + 1}]"
    waiting = block._spare
    assert not waiting.isEnabled(), "a waiting row must stay out of the Tab order"
    assert waiting.geometry().bottom() < 0, "a waiting row must be out of view"
    assert waiting.width() == block.blocks[-1].width(), "laid out at the width it will have"
    assert block.layout_.indexOf(waiting) == -1


def test_tab_from_the_last_row_never_lands_in_the_waiting_row(qtbot: QtBot) -> None:
    view, block = _members(qtbot)
    qtbot.waitUntil(lambda: block._spare is not None and block._spare.complete, timeout=2000)
    spare = block._spare
    assert spare is not None
    widget: QWidget | None = list(block.blocks[-1].rows.values())[-1].editor.focus_widget()
    for _ in range(60):  # well past the end of the row
        assert widget is not None
        widget = widget.nextInFocusChain()
        takes_tab = widget is not None and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        if widget is not None and takes_tab and widget.isEnabled() and widget.isVisibleTo(view):
            assert not spare.isAncestorOf(widget)
    row = block.add_row(focus=True)
    assert row is spare and row.isEnabled()
    qtbot.waitUntil(lambda: row.geometry().top() >= 0, timeout=2000)  # laid out in its place, in view


def test_rows_after_a_removal_keep_their_numbers_and_answers(qtbot: QtBot) -> None:
    view, block = _members(qtbot)
    for _ in range(3):
        block.add_row(focus=True)
        QApplication.processEvents()
    count = len(block.blocks)
    field = _type_name(block, count - 1, "AKAN DIHAPUS")
    block.remove_last()
    added = block.add_row(focus=True)  # the spare was numbered for the row after: not reused as is
    assert added.prefix == f"{block.section.id}[{count - 1}]"
    _type_name(block, count - 1, "SITI AMINAH")
    rows = view.answers()[block.section.id]
    assert isinstance(rows, list) and len(rows) == count
    assert rows[-1][field] == "SITI AMINAH"
    member_paths = [path for row in block.blocks for path in row.rows]
    assert len(member_paths) == len(set(member_paths))
    assert set(member_paths) <= set(view.rows)


def test_a_row_asked_for_before_its_spare_is_finished_gets_every_field(qtbot: QtBot) -> None:
    view, block = _members(qtbot)
    qtbot.waitUntil(lambda: block._spare is not None and not block._spare.complete, timeout=2000)
    row = block.add_row(focus=True)  # the officer was quicker than the spare
    assert row.complete
    assert len(row.rows) == len(block.section.fields)
    assert set(row.rows) <= set(view.rows)


def _next_tab_stop(view: FormView, widget: QWidget) -> QWidget:
    """Where Tab goes from widget: the next enabled, visible widget in the chain that takes Tab."""
    candidate = widget.nextInFocusChain()
    while candidate is not None and candidate is not widget:
        takes_tab = bool(candidate.focusPolicy() & Qt.FocusPolicy.TabFocus)
        if takes_tab and candidate.isEnabled() and candidate.isVisibleTo(view):
            return candidate
        candidate = candidate.nextInFocusChain()
    raise AssertionError("no tab stop after the widget")


def _inner(widget: QWidget) -> QWidget:
    """The widget that really takes the focus (editors hand it to their line edit or combo box)."""
    while (proxy := widget.focusProxy()) is not None:
        widget = proxy
    return widget


def test_tab_goes_through_each_row_then_to_add_a_row(qtbot: QtBot) -> None:
    """The buttons under the rows were made first, so Tab met them before the first member's NIK."""
    view, block = _members(qtbot)
    header = next(b for b in view.blocks.values() if not isinstance(b, RepeatBlock))
    last_header_field = _inner(list(header.rows.values())[-1].editor)
    first_member = next(iter(block.blocks[0].rows.values())).editor
    assert first_member.isAncestorOf(_next_tab_stop(view, last_header_field))
    last_field = _inner(list(block.blocks[0].rows.values())[-1].editor)
    assert _next_tab_stop(view, last_field) is block.add_button
    assert _next_tab_stop(view, block.add_button) is block.remove_button
    block.add_button.setFocus()
    qtbot.keyClick(block.add_button, Qt.Key.Key_Space)  # the officer adds the next member
    first: QWidget = next(iter(block.blocks[1].rows.values())).editor
    qtbot.waitUntil(lambda: first.isAncestorOf(QApplication.focusWidget() or view), timeout=2000)
    last_field = _inner(list(block.blocks[1].rows.values())[-1].editor)
    assert _next_tab_stop(view, last_field) is block.add_button


def test_every_form_takes_its_sections_in_paper_order(qtbot: QtBot) -> None:
    """Rows made after the whole form (F-1.03's movers, F-2.01's children) once came after the
    sections below them in the Tab order."""
    registry = default_registry()
    for key in ("F-1.01", "F-1.03", "F-1.06", "F-2.01"):
        schema = registry.get(key)
        view = FormView(schema, {})
        qtbot.addWidget(view)
        qtbot.waitUntil(functools.partial(_complete, view), timeout=5000)  # the fields below the first screen
        for block in view.blocks.values():
            if isinstance(block, RepeatBlock) and not block.blocks:
                block.add_row()
        seen: list[str] = []
        widget = view.nextInFocusChain()
        while widget is not None and widget is not view:
            if widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                section = next((s for s, b in view.blocks.items() if b.isAncestorOf(widget)), None)
                spare = any(
                    isinstance(b, RepeatBlock) and b._spare is not None and b._spare.isAncestorOf(widget)
                    for b in view.blocks.values()
                )
                if section is not None and not spare and (not seen or seen[-1] != section):
                    seen.append(section)
            widget = widget.nextInFocusChain()
        assert seen == [s.id for s in schema.sections], key


def test_ctrl_shift_n_adds_a_member_and_puts_the_keyboard_in_its_first_field(qtbot: QtBot) -> None:
    view, block = _members(qtbot)
    view.activateWindow()  # shortcuts belong to the active window
    qtbot.waitUntil(view.isActiveWindow, timeout=5000)
    start = len(block.blocks)
    last = block.blocks[-1]
    field = list(last.rows.values())[5].editor
    view.focus_path(next(path for path, row in last.rows.items() if row.editor is field))
    focused = QApplication.focusWidget()
    assert focused is not None and (focused is field or field.isAncestorOf(focused))
    qtbot.keyClick(focused, Qt.Key.Key_N, ADD_ROW)
    assert len(block.blocks) == start + 1
    first = next(iter(block.blocks[-1].rows.values())).editor
    now = QApplication.focusWidget()
    assert now is not None and (now is first or first.isAncestorOf(now))
    assert "Ctrl+Shift+N" in block.add_button.toolTip()
    # Outside the member table the keys add nothing.
    header = next(iter(view.rows.values())).editor
    header.focus_widget().setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_N, ADD_ROW)
    assert len(block.blocks) == start + 1


def _complete(view: FormView) -> bool:
    """Whether a form view has built every field (they come a few an event-loop turn)."""
    return bool(view.complete)
