"""Typing whole forms with the keyboard, field by field, as an officer would (answers from app.demo)."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.identity import NIK_PENDING
from ui.forms.editors import (
    BooleanEditor,
    ChoiceEditor,
    DateEditor,
    FieldEditor,
    IdentifierEditor,
    MultiChoiceEditor,
    TextEditor,
)
from ui.forms.view import FormView, RepeatBlock, SectionBlock

from .conftest import focus, type_into


def type_value(qtbot: QtBot, editor: FieldEditor, value: object) -> None:
    """Enter one answer through the keyboard."""
    if isinstance(editor, IdentifierEditor) and value == NIK_PENDING:
        assert editor.pending is not None
        focus(qtbot, editor.pending)
        qtbot.keyClick(editor.pending, Qt.Key.Key_Space)
    elif isinstance(editor, DateEditor):
        text = str(value)
        type_into(qtbot, editor.line, f"{text[8:10]}{text[5:7]}{text[0:4]}")
    elif isinstance(editor, ChoiceEditor):
        focus(qtbot, editor.combo)
        line = editor.combo.lineEdit()
        assert line is not None
        line.selectAll()
        qtbot.keyClicks(editor.combo, str(value))
    elif isinstance(editor, MultiChoiceEditor):
        focus(qtbot, editor.list)
        wanted = value if isinstance(value, list) else [value]
        for index in range(editor.list.count()):
            item = editor.list.item(index)
            ticked = item is not None and item.checkState() == Qt.CheckState.Checked
            if item is not None and (item.data(Qt.ItemDataRole.UserRole) in wanted) != ticked:
                editor.list.setCurrentRow(index)  # Space only where the box is not as wanted (carried ticks)
                qtbot.keyClick(editor.list, Qt.Key.Key_Space)
    elif isinstance(editor, BooleanEditor):
        focus(qtbot, editor.combo)
        qtbot.keyClicks(editor.combo, "Y" if value else "T")
    elif isinstance(editor, TextEditor):
        text = str(value).replace(":", "") if editor.spec.type == "time" else str(value)
        type_into(qtbot, editor.line, text)
    else:  # pragma: no cover - every editor type is handled above
        raise AssertionError(f"no typing for {type(editor).__name__}")


def type_block(qtbot: QtBot, view: FormView, block: SectionBlock, answers: Mapping[str, object]) -> None:
    """Type the visible fields of one block in form order, re-checking after each (visibility changes);
    go over the block again for fields that a later answer made appear."""
    typed: set[str] = set()
    while True:
        progress = False
        for path, row in block.rows.items():
            field_id = path.rsplit(".", 1)[1]
            if field_id not in answers or path in typed:
                continue
            view.check(emit=False)
            if not row.editor.isVisibleTo(view):
                continue
            type_value(qtbot, row.editor, answers[field_id])
            typed.add(path)
            progress = True
        if not progress:
            break
    view.check()


def type_form(qtbot: QtBot, view: FormView, answers: Mapping[str, object]) -> None:
    """Type a whole form; member tables get their rows added with the "Tambah baris" button."""
    for section in view.schema.sections:
        block = view.blocks[section.id]
        value = answers.get(section.id)
        if isinstance(block, RepeatBlock):
            rows = value if isinstance(value, list) else []
            for index, row_answers in enumerate(rows):  # as an officer does: add a row, fill it, next
                if len(block.blocks) <= index:
                    focus(qtbot, block.add_button)
                    qtbot.keyClick(block.add_button, Qt.Key.Key_Space)
                type_block(qtbot, view, block.blocks[index], row_answers)
        elif isinstance(value, Mapping):
            type_block(qtbot, view, block, value)
    view.check()
