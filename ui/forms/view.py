"""A form rendered from its schema: sections, repeating member tables, live checks beside each field.

Opening a form must not hold the window (budget: 50 ms a GUI-thread task), and building F-2.01's 211
fields took about 140 ms: a view builds the fields of its first screen at once and the rest a few per
turn of the event loop, in paper order and in the Tab order; answers for fields not built yet wait in
their section and count as answers all the same.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
from collections.abc import Mapping

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QPainter, QPaintEvent, QPalette, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.forms import Evaluation, FieldSpec, FormSchema, SectionSpec, evaluate
from app.forms.carry import is_empty, split_path
from ui import palette
from ui.disposal import disposed
from ui.forms.editors import FieldEditor, RegionEditor, editor_for

ERROR_COLOR = QColor(palette.ERROR)
WARNING_COLOR = QColor(palette.WARNING)


class MessageLine(QLabel):
    """The line under a field for its errors, warnings and the Dinas' notes: always one line high.

    The line keeps its space while empty, so a message appearing as the officer leaves a field never
    pushes the fields below it away from under the mouse. What does not fit ends in "…"; the whole text
    is in the tooltip, and in the review."""

    def __init__(self) -> None:
        super().__init__()
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(self.fontMetrics().height() + 1)

    def sizeHint(self) -> QSize:
        """As high as one line; as wide as the column gives (never widening it)."""
        return QSize(0, self.fontMetrics().height() + 1)

    def minimumSizeHint(self) -> QSize:
        """See sizeHint."""
        return self.sizeHint()

    def show_text(self, text: str, color: QColor) -> None:
        """Show a message (lines of it are joined on the one line) in a colour."""
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText, color)
        self.setPalette(palette)
        self.setText(text)
        self.setToolTip(text)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the text on one line, cut with "…" where the column ends."""
        text = "  ·  ".join(self.text().splitlines())
        if not text:
            return
        painter = QPainter(self)
        rect = self.contentsRect()
        elided = self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), elided)
        painter.end()


class FieldRow:
    """The label, editor and message line of one field on screen."""

    def __init__(self, spec: FieldSpec, editor: FieldEditor, label: QLabel, message: MessageLine) -> None:
        self.spec = spec
        self.editor = editor
        self.label = label
        self.message = message
        self.required = spec.required is True and not spec.staff_only
        self._show_label()

    def set_visible(self, visible: bool) -> None:
        """Show or hide the whole row, its message line included."""
        for widget in (self.label, self.editor, self.message):
            if widget.isHidden() == visible:  # setVisible(True) on a shown widget still costs a show
                widget.setVisible(visible)

    def set_required(self, required: bool) -> None:
        """Mark the field required (a "*" after its label) or not, as the answers so far decide."""
        if required != self.required:
            self.required = required
            self._show_label()

    def _show_label(self) -> None:
        self.label.setText(_label_html(self.spec, self.required))
        self.label.setAccessibleName(_label_text(self.spec, self.required))

    def show_findings(self, texts: list[tuple[str, str]]) -> None:
        """Show errors (red), warnings and the Dinas' reasons for returning (amber) under the field."""
        if not texts:
            self.message.show_text("", ERROR_COLOR)
            return
        severity = "error" if any(s == "error" for s, _ in texts) else "warning"
        marks = {"error": "✖ ", "warning": "⚠ ", "dinas": "↩ Dinas: "}
        text = "\n".join(marks.get(s, "") + t for s, t in texts)
        self.message.show_text(text, ERROR_COLOR if severity == "error" else WARNING_COLOR)


SPARE_FIELDS_PER_TURN = 12
FIRST_SCREEN_FIELDS = 24  # built with the view: more than a 1366x768 screen shows of a form
FIELDS_PER_TURN = 16  # then so many a turn of the event loop (each turn a few ms)
ADD_ROW_KEYS = "Ctrl+Shift+N"  # a new member row from anywhere in the table, the keyboard in its first field
PARKED_GAP = 1000  # px above the block: the waiting row is never in view


def _label_text(spec: FieldSpec, required: bool) -> str:
    """The label as plain text: "3. Kode Pos *" when required."""
    number = f"{spec.col}. " if spec.col is not None else ""
    return f"{number}{spec.label}{' *' if required else ''}"


def _label_html(spec: FieldSpec, required: bool) -> str:
    """The label with its "*", which keeps its room while the field is optional (an invisible star): a
    star coming and going as answers change never rewraps the label nor moves the fields."""
    number = f"{spec.col}. " if spec.col is not None else ""
    star = "*" if required else '<span style="color: transparent">*</span>'
    return f"{html.escape(number + spec.label)}&nbsp;{star}"


class SectionBlock(QGroupBox):
    """A non-repeating section as a two-column grid of fields."""

    def __init__(self, section: SectionSpec, form: FormView, prefix: str, *, build: bool = True) -> None:
        super().__init__(section.title)
        self.section = section
        self.form = form
        self.prefix = prefix
        self.rows: dict[str, FieldRow] = {}
        self.grid = QGridLayout(self)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        # Labels wrap in their column: give it room for about twenty characters a line, so that none
        # needs three lines ("13. Nama / Dusun/ / Kampung").
        label_width = self.fontMetrics().horizontalAdvance("Kewarganegaraan Pelapor")
        self.grid.setColumnMinimumWidth(0, label_width)
        self.grid.setColumnMinimumWidth(2, label_width)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(2)  # the message line under each field keeps the rows apart
        self._unbuilt = list(section.fields)
        self._waiting: dict[str, object] = {}  # answers of fields not built yet, by field id
        if build:
            self.build_fields()

    @property
    def complete(self) -> bool:
        """Whether every field has its widgets."""
        return not self._unbuilt

    def build_fields(self, limit: int | None = None) -> bool:
        """Build the next fields' widgets (all, or up to limit), in the paper's order; True when complete."""
        count = len(self._unbuilt) if limit is None else min(limit, len(self._unbuilt))
        for spec in self._unbuilt[:count]:
            self._add_field(spec, len(self.rows))
        del self._unbuilt[:count]
        if count and not self._unbuilt and self.section.help:
            hint = QLabel(self.section.help)
            hint.setWordWrap(True)
            self.grid.addWidget(hint, (len(self.rows) // 2 + 1) * 2, 0, 1, 4)
        return not self._unbuilt

    def _add_field(self, spec: FieldSpec, position: int) -> None:
        column = (position % 2) * 2
        line = (position // 2) * 2
        label = QLabel()
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setToolTip(spec.help)
        editor = editor_for(spec)
        if spec.id in self._waiting:
            editor.set_value(self._waiting.pop(spec.id))  # before it is connected: loaded, not typed
        label.setBuddy(editor.focus_widget())
        if isinstance(editor, RegionEditor):
            editor.set_context(self._region_answers)
        message = MessageLine()
        self.grid.addWidget(label, line, column, Qt.AlignmentFlag.AlignTop)
        self.grid.addWidget(editor, line, column + 1)
        self.grid.addWidget(message, line + 1, column, 1, 2)  # under the field's own half, label included
        path = f"{self.prefix}.{spec.id}"
        form = self.form
        editor.changed.connect(lambda path=path: form.touch(path))
        self.rows[path] = FieldRow(spec, editor, label, message)

    def _region_answers(self) -> list[object]:
        """The answers of this block's region fields (the levels above narrow a region field's suggestions)."""
        return [row.editor.value() for row in self.rows.values() if row.spec.type == "region"]

    def answers(self) -> dict[str, object]:
        """The non-empty answers of this block (those of fields not built yet too)."""
        out: dict[str, object] = {}
        for path, row in self.rows.items():
            value = row.editor.value()
            if value is not None:
                out[path.rsplit(".", 1)[1]] = value
        out.update(self._waiting)
        return out

    def load(self, answers: Mapping[str, object]) -> None:
        """Show saved answers (fields not built yet take theirs when they are)."""
        for path, row in self.rows.items():
            row.editor.set_value(answers.get(path.rsplit(".", 1)[1]))
        self._waiting = {spec.id: answers[spec.id] for spec in self._unbuilt if answers.get(spec.id) is not None}

    def set_answer(self, field_id: str, value: object) -> None:
        """Put one answer in, as if typed (a field not built yet takes it when it is)."""
        row = self.rows.get(f"{self.prefix}.{field_id}")
        if row is not None:
            row.editor.set_value(value)
        elif value is None:
            self._waiting.pop(field_id, None)
        else:
            self._waiting[field_id] = value

    def waiting_paths(self) -> set[str]:
        """The paths of the answers that wait for their field to be built."""
        return {f"{self.prefix}.{field_id}" for field_id in self._waiting}


class RepeatBlock(QGroupBox):
    """A repeating section (e.g. family members): one sub-block per row, add and remove."""

    def __init__(self, section: SectionSpec, form: FormView, *, build: bool = True) -> None:
        super().__init__(section.title)
        self.section = section
        self.form = form
        self.blocks: list[SectionBlock] = []
        self.layout_ = QVBoxLayout(self)
        # Not built yet (below the first screen): the buttons join the block, and so the Tab order, when the
        # view's build reaches the table; its rows are made one a turn after that, their answers waiting here.
        self.built = False
        self._waiting_rows: list[Mapping[str, object]] = []
        self.add_button = QPushButton(self.tr("+ Tambah baris"))
        self.add_button.clicked.connect(lambda: self.add_row(focus=True))
        shortcut = QKeySequence(ADD_ROW_KEYS)
        self.add_button.setToolTip(
            self.tr("Tambah baris dan mulai mengetik di kolom pertamanya (%1)").replace(
                "%1", shortcut.toString(QKeySequence.SequenceFormat.NativeText)
            )
        )
        self.add_shortcut = QShortcut(shortcut, self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.add_shortcut.activated.connect(self._add_by_key)
        self.remove_button = QPushButton(self.tr("Hapus baris terakhir"))
        self.remove_button.clicked.connect(self.remove_last)
        self.count_label = QLabel()
        self._update_buttons()
        # The next row, built and shown ahead while the officer types: adding a row of some forty fields
        # then costs only moving it into place. Until then it waits disabled (out of the Tab order)
        # outside the block's visible area, each field shown as it is built (a short event each).
        self._spare: SectionBlock | None = None
        self._spare_pending = False
        if build:
            self.build()

    def build(self) -> None:
        """Put the buttons in: made now, they follow what the view built before them in the Tab order."""
        if self.built:
            return
        self.built = True
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)
        self.layout_.addLayout(buttons)

    @property
    def complete(self) -> bool:
        """Whether the buttons are in and every row has its widgets."""
        return self.built and not self._waiting_rows

    def build_step(self, limit: int) -> tuple[int, list[tuple[str, FieldRow]]]:
        """Build the buttons, or up to `limit` fields of the next row whose answers waited (out of sight,
        like the spare row); how many fields were made, and the fields of a row put in place."""
        if not self.built:
            self.build()
            return 0, []
        if not self._waiting_rows:
            return 0, []
        if self._spare is None or self._spare.prefix != self._prefix(len(self.blocks)):
            if self._spare is not None:
                self._spare.deleteLater()
            self._spare = self._new_block(len(self.blocks), build=False)
            self._spare.setEnabled(False)
            self._park(self._spare)
            self._spare.show()
        before = len(self._spare.rows)
        complete = self._spare.build_fields(limit)
        made = len(self._spare.rows) - before
        self._park(self._spare)
        if not complete:
            return made, []
        row = self._append_row()
        row.load(self._waiting_rows.pop(0))
        if self.complete and self.isVisible():
            self._prepare_spare()
        return made, list(row.rows.items())

    def showEvent(self, event: QShowEvent) -> None:
        """Prepare the next row once the block is on screen."""
        super().showEvent(event)
        self._prepare_spare()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep the waiting row as wide as the rows it will join."""
        super().resizeEvent(event)
        if self._spare is not None:
            self._park(self._spare)

    def _prepare_spare(self) -> None:
        if self.complete and self._spare is None and not self._spare_pending and self._can_add():
            self._spare_pending = True
            QTimer.singleShot(0, self, self._build_spare)

    def _build_spare(self) -> None:
        """Build the spare row a few fields per turn of the event loop (each turn stays short)."""
        self._spare_pending = False
        if disposed(self):
            return  # the editor was closed meanwhile: its tree is being deleted
        if self._spare is None:
            if not self._can_add():
                return
            self._spare = self._new_block(len(self.blocks), build=False)
            self._spare.setEnabled(False)
            self._park(self._spare)
            self._spare.show()
        complete = self._spare.build_fields(SPARE_FIELDS_PER_TURN)
        self._park(self._spare)  # out of sight while half built too: it showed over the first row
        if not complete:
            self._spare_pending = True
            QTimer.singleShot(0, self, self._build_spare)

    def _park(self, spare: SectionBlock) -> None:
        """Lay the waiting row out at its final width, above the block where nothing paints it."""
        width = self.contentsRect().width() - 2 * self.layout_.contentsMargins().left()
        height = spare.sizeHint().height()
        spare.setGeometry(0, -height - PARKED_GAP, max(width, 1), height)

    def _new_block(self, index: int, build: bool = True) -> SectionBlock:
        block = SectionBlock(self.section, self.form, self._prefix(index), build=build)
        block.setParent(self)
        block.hide()
        block.setTitle(self.tr("Baris ke-%n", "", index + 1))
        return block

    def _prefix(self, index: int) -> str:
        return f"{self.section.id}[{index}]"

    def _add_by_key(self) -> None:
        """The add-row keys: a new row, the keyboard in its first field (nothing past the last row allowed)."""
        if self._can_add():
            block = self.add_row(focus=True)
            self.form.ensureWidgetVisible(next(iter(block.rows.values())).editor)

    def _can_add(self) -> bool:
        maximum = self.section.repeat_max
        return maximum is None or len(self.blocks) < maximum

    def add_row(self, focus: bool = False) -> SectionBlock:
        """Append an empty row."""
        if not self.complete:
            self.form.build_all()  # the sections above and the rows waiting first: the Tab order is the paper's
        return self._append_row(focus)

    def _append_row(self, focus: bool = False) -> SectionBlock:
        index = len(self.blocks)
        block, self._spare = self._spare, None
        if block is None or block.prefix != self._prefix(index):
            if block is not None:
                block.deleteLater()
            block = self._new_block(index)
        block.build_fields()  # what the spare did not have yet
        self.layout_.insertWidget(len(self.blocks), block)
        block.setEnabled(True)
        block.show()  # a layout only queues the show of a widget added to a visible parent
        self.blocks.append(block)
        self.form.register(block)
        self._buttons_after(block)
        self._update_buttons()
        if focus:
            first = next(iter(block.rows.values()))
            first.editor.setFocus()
            self.form.schedule_check()
            self._prepare_spare()
        return block

    def _buttons_after(self, block: SectionBlock) -> None:
        """Put a newly placed row where it is on screen in the Tab order: after what comes before the
        buttons, then the buttons. Rows join the focus chain when their fields are made, that is after
        the buttons (made first) and after any section below the block, so Tab met '+ Tambah baris'
        before the first member's NIK, and later sections before the rows."""
        fields: list[QWidget] = []
        widget = block.nextInFocusChain()  # its fields sit anywhere after it: walk the whole chain
        while widget is not None and widget is not block:
            if block.isAncestorOf(widget) and widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                fields.append(widget)  # setTabOrder ignores widgets that take no focus
            widget = widget.nextInFocusChain()
        anchor = self.add_button.previousInFocusChain()
        while anchor is not None and anchor is not self.add_button and anchor.focusPolicy() == Qt.FocusPolicy.NoFocus:
            anchor = anchor.previousInFocusChain()
        if anchor is None or anchor is self.add_button or block.isAncestorOf(anchor):
            anchor = None  # nothing focusable before the block
        order = ([anchor] if anchor is not None else []) + fields + [self.add_button, self.remove_button]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def remove_last(self) -> None:
        """Drop the last row (its answers go with it)."""
        if not self.blocks:
            return
        block = self.blocks.pop()
        self.form.unregister(block)
        block.setParent(None)
        block.deleteLater()
        if self._spare is not None:  # it was numbered for the row after the one removed
            self._spare.deleteLater()
            self._spare = None
            self._prepare_spare()
        self._update_buttons()
        self.form.schedule_check()

    def _update_buttons(self) -> None:
        maximum = self.section.repeat_max
        self.add_button.setEnabled(self._can_add())
        self.remove_button.setEnabled(bool(self.blocks))
        limit = f" / {maximum}" if maximum else ""
        self.count_label.setText(self.tr("%n baris", "", len(self.blocks)) + limit)

    def answers(self) -> list[dict[str, object]]:
        """Every row's answers (those waiting for the table to be built too)."""
        waiting = [{k: v for k, v in row.items() if v is not None} for row in self._waiting_rows]
        return [*(block.answers() for block in self.blocks), *waiting]

    def waiting_paths(self) -> set[str]:
        """The paths of the answers of rows not built yet."""
        start = len(self.blocks)
        return {
            f"{self._prefix(start + index)}.{field_id}"
            for index, row in enumerate(self._waiting_rows)
            for field_id, value in row.items()
            if value is not None
        }

    def set_waiting(self, index: int, field_id: str, value: object) -> None:
        """An answer for a row of a table not built yet."""
        index -= len(self.blocks)
        if 0 <= index < len(self._waiting_rows):
            self._waiting_rows[index] = {**self._waiting_rows[index], field_id: value}

    def load(self, rows: object) -> None:
        """Show saved rows, and at least as many as the section asks for: their answers wait here until the
        view builds the rows, one a turn (a reopened family of ten is some four hundred fields)."""
        listed = [row if isinstance(row, Mapping) else {} for row in (rows if isinstance(rows, list) else [])]
        while self.blocks:
            self.remove_last()
        minimum = max(0, (self.section.repeat_min or 0) - len(listed))
        self._waiting_rows = [*listed, *({} for _ in range(minimum))]


class FormView(QScrollArea):
    """One form, rendered from its schema, checked live with the same engine the server uses."""

    changed = Signal(dict)  # the answers, after every edit (debounced)
    evaluated = Signal(object)  # the Evaluation

    def __init__(
        self,
        schema: FormSchema,
        answers: Mapping[str, object] | None = None,
        parent: QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.schema = schema
        self.today = today
        self.rows: dict[str, FieldRow] = _Rows(self)
        self._paths: dict[FieldEditor, str] = {}  # each editor's field path
        self.blocks: dict[str, SectionBlock | RepeatBlock] = {}
        self.evaluation: Evaluation | None = None
        self.touched: set[str] = set()
        self.dinas_notes: dict[str, str] = {}  # field path -> why the Dinas returned the application
        # "Wajib diisi" shows for fields the officer has been in, or for all after a submit attempt.
        self.reveal_all = False
        self._loading = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.check)
        self._findings: dict[str, list[tuple[str, str]]] = {}  # by path, as the last check showed them
        body = QWidget()
        layout = QVBoxLayout(body)
        title = QLabel(f"<b>{schema.form}</b> — {schema.title} <small>({schema.regulation or schema.version})</small>")
        layout.addWidget(title)
        # Widgets join the Tab order as they are made: the first screen is made here in paper order, up to
        # the first member table (its rows are made when the answers are loaded), the rest after it.
        budget = FIRST_SCREEN_FIELDS
        for section in schema.sections:
            block: SectionBlock | RepeatBlock
            if section.repeating:
                block = RepeatBlock(section, self, build=budget > 0)  # its rows: in the next turns
                budget = 0
            else:
                block = SectionBlock(section, self, section.id, build=False)
                if budget > 0:
                    budget -= len(section.fields)
                    block.build_fields(len(section.fields) + min(budget, 0))
                self.register(block)
            self.blocks[section.id] = block
            layout.addWidget(block)
        layout.addStretch(1)
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)
        self._building = False
        self.load(answers or {})

    @property
    def complete(self) -> bool:
        """Whether every section has its widgets (a member table its buttons and rows)."""
        return all(block.complete for block in self.blocks.values())

    def _build_later(self) -> None:
        if not self._building and not self.complete:
            self._building = True
            QTimer.singleShot(0, self, self._build_more)

    def _build_more(self) -> None:
        """Build the next fields below the first screen; again in the next turn until all are built."""
        self._building = False
        if disposed(self):
            return  # the editor was closed meanwhile: its tree is being deleted
        if not self.build_fields(FIELDS_PER_TURN):
            self._build_later()

    def build_all(self) -> None:
        """Build every field now (a field is wanted at once: a finding to jump to)."""
        self.build_fields(None)

    def build_fields(self, limit: int | None) -> bool:
        """Build up to `limit` more fields (all when None) in paper order, each shown as the last check
        found it; True when every section is built. Made in paper order, they join the Tab order in it."""
        left = limit
        for block in self.blocks.values():
            if left is not None and left <= 0:
                break
            if isinstance(block, RepeatBlock):
                while not block.complete and (left is None or left > 0):
                    count, placed = block.build_step(FIELDS_PER_TURN if left is None else left)
                    if placed:
                        self._show_results(placed)
                    if left is not None:
                        left -= max(count, 1)
                if not block.complete:
                    break
                continue
            if block.complete:
                continue
            before = len(block.rows)
            block.build_fields(left)
            made = list(block.rows.items())[before:]
            self.register(block)
            self._show_results(made)
            if left is not None:
                left -= len(made)
        return self.complete

    def set_answer(self, path: str, value: object) -> None:
        """Put an answer in by its path, as if typed, whether its field is built yet or not."""
        built = self.rows.get(path)
        if built is not None:
            built.editor.set_value(value)
            return
        section_id, row, field_id = split_path(path)
        block = self.blocks.get(section_id)
        if isinstance(block, SectionBlock) and row is None:
            block.set_answer(field_id, value)
            self.touch(path)
        elif isinstance(block, RepeatBlock) and row is not None:
            block.set_waiting(row, field_id, value)
            self.touch(path)

    def register(self, block: SectionBlock) -> None:
        """Track the fields of a (new) block."""
        self.rows.update(block.rows)
        self._paths.update({row.editor: path for path, row in block.rows.items()})

    def unregister(self, block: SectionBlock) -> None:
        """Forget the fields of a removed row."""
        for path in block.rows:
            row = self.rows.pop(path, None)
            if row is not None:
                self._paths.pop(row.editor, None)

    def _focus_moved(self, old: QWidget | None, new: QWidget | None) -> None:
        """The officer left a field for another place in the same window: from now on a missing answer
        there says so at once (not only at the review)."""
        if old is None or new is None or new.window() is not old.window() or not self.isAncestorOf(old):
            return  # another window, a popup (a completion list, the calendar) or the app losing focus
        widget: QWidget | None = old
        while widget is not None and widget is not self and not isinstance(widget, FieldEditor):
            widget = widget.parentWidget()
        if not isinstance(widget, FieldEditor) or widget is new or widget.isAncestorOf(new):
            return  # not a field, or still inside it (NIK to its "belum punya NIK" box)
        path = self._paths.get(widget)
        if path is not None and path not in self.touched:
            self.touched.add(path)
            self.schedule_check()

    def load(self, answers: Mapping[str, object]) -> None:
        """Show saved answers and check them."""
        self._loading = True
        for section in self.schema.sections:
            block = self.blocks[section.id]
            value = answers.get(section.id)
            if isinstance(block, RepeatBlock):
                block.load(value)
            else:
                block.load(value if isinstance(value, Mapping) else {})
        self._loading = False
        self.touched = {path for path, row in self.rows.items() if row.editor.value() is not None}
        for block in self.blocks.values():
            self.touched |= block.waiting_paths()
        self.check(emit=False)
        self._build_later()

    def answers(self) -> dict[str, object]:
        """The current answers in the engine's shape."""
        out: dict[str, object] = {}
        for section_id, block in self.blocks.items():
            value = block.answers()
            if value:
                out[section_id] = value
        return out

    def set_dinas_notes(self, notes: Mapping[str, str]) -> None:
        """Show the Dinas' reasons for returning the application beside the fields they concern."""
        self.dinas_notes = dict(notes)
        self.check(emit=False)

    def touch(self, path: str) -> None:
        """The officer edited a field: from now on its missing-answer message shows too."""
        if not self._loading:
            self.touched.add(path)
        self.schedule_check()

    def reveal(self) -> None:
        """Show every finding, including fields not yet visited (before submission)."""
        self.reveal_all = True
        self.check(emit=False)

    def schedule_check(self) -> None:
        """Check again shortly (typing is debounced)."""
        if not self._loading:
            self._timer.start()

    def check(self, emit: bool = True) -> Evaluation:
        """Evaluate now: show/hide fields, put findings beside them, and announce the answers."""
        answers = self.answers()
        result = evaluate(self.schema, answers, self.today)
        self.evaluation = result
        by_path: dict[str, list[tuple[str, str]]] = {}
        for finding in result.findings:
            if finding.code == "required" and not self.reveal_all and finding.path not in self.touched:
                continue
            by_path.setdefault(finding.path, []).append((finding.severity, finding.message))
        for path, note in self.dinas_notes.items():
            by_path.setdefault(path, []).append(("dinas", note))
        self._findings = by_path
        for path, row in self.rows.items():
            self._show_result(path, row)
        for section_id, block in self.blocks.items():
            block.setVisible(section_id in result.visible_sections)
        self.evaluated.emit(result)
        if emit:
            self.changed.emit(answers)
        return result

    def _show_results(self, rows: list[tuple[str, FieldRow]]) -> None:
        """Show fields as the last check found them: shown or hidden, required or not, their findings."""
        for path, row in rows:
            self._show_result(path, row)

    def _show_result(self, path: str, row: FieldRow) -> None:
        result = self.evaluation
        if result is None:
            return
        visible = path in result.visible
        row.set_visible(visible)
        row.set_required(path in result.required)
        row.show_findings(self._findings.get(path, []) if visible else [])

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab, Shift+Tab and Enter: check a pending edit first, so that a field it makes appear (the
        akta number once 'Ada' is chosen) is where the focus goes next, even when typed fast."""
        if self._timer.isActive():
            self._timer.stop()
            self.check()
        return super().focusNextPrevChild(next)

    def path_of(self, widget: QWidget | None) -> str | None:
        """The path of the field a widget belongs to (its editor or a part of it), or None."""
        while widget is not None and widget is not self:
            if isinstance(widget, FieldEditor):
                return self._paths.get(widget)
            widget = widget.parentWidget()
        return None

    def next_needed(self, widget: QWidget) -> str | None:
        """Where Enter goes from a field: the next field along the Tab order that still needs an answer
        (required now, shown, empty), past those already answered or carried over; None when none follows
        before the Tab order leaves the form or reaches a member table's buttons (then Enter moves on like
        Tab)."""
        if self._timer.isActive():  # an edit still pending may make fields appear or become required
            self._timer.stop()
            self.check()
        required = self.evaluation.required if self.evaluation is not None else set()
        start = self.path_of(widget)
        step: QWidget | None = widget
        for _ in range(4 * len(self.rows) + 50):
            step = step.nextInFocusChain() if step is not None else None
            if step is None or step is widget or step is self or not self.isAncestorOf(step):
                return None  # the Tab order leaves the form's fields (isAncestorOf holds for self)
            tab_stop = bool(step.focusPolicy() & Qt.FocusPolicy.TabFocus)
            if not (tab_stop and step.isEnabled() and step.isVisibleTo(self)):
                continue  # Tab passes it too (a hidden field, a row being prepared out of sight)
            path = self.path_of(step)
            if path is None and isinstance(step, QAbstractButton):
                return None  # '+ Tambah baris' and the like: the officer decides there
            if path is None or path == start or path not in required:
                continue
            if is_empty(self.rows[path].editor.value()):
                return path
        return None

    def focus_next_needed(self, widget: QWidget) -> bool:
        """Enter in a field: the keyboard to `next_needed`; False when there is none."""
        path = self.next_needed(widget)
        return path is not None and self.focus_path(path)

    def focus_first(self) -> None:
        """Focus the first field on screen."""
        for row in self.rows.values():
            if row.editor.isVisibleTo(self) and row.editor.isEnabled():
                row.editor.focus_widget().setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def focus_path(self, path: str) -> bool:
        """Move the keyboard focus to a field (from the findings summary)."""
        if path not in self.rows and not self.complete:
            self.build_all()
        row = self.rows.get(path)
        if row is None:
            section = self.blocks.get(path.split("[", maxsplit=1)[0].split(".", maxsplit=1)[0])
            if section is not None:
                self.ensureWidgetVisible(section)
                return True
            return False
        self.ensureWidgetVisible(row.editor)
        row.editor.focus_widget().setFocus(Qt.FocusReason.OtherFocusReason)
        return True


class _Rows(dict[str, FieldRow]):
    """The view's fields by path; asking by index for one not built yet builds the rest of the form."""

    def __init__(self, view: FormView) -> None:
        super().__init__()
        self._view = view

    def __missing__(self, path: str) -> FieldRow:
        if self._view.complete:
            raise KeyError(path)
        self._view.build_all()
        return dict.__getitem__(self, path)
