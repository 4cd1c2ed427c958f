"""The officer's review of a card reading: every proposed value beside its crop of the page, accepted,
edited or dropped by keyboard, before anything goes into a form.

Pages: the card's header ("Data KK"), then one page per member, listed on the left with what is still
to check. On a value: Enter accepts it and goes to the next one (after the last of a page, to the next
page; after the last page, to "Masukkan ke formulir"); Tab moves on and leaves it as it is; typing
changes it (the officer's own value, checked against the field); Ctrl+Del drops it or takes it back;
Ctrl+Shift+Del drops the whole member or takes it back; Ctrl+PgDown / Ctrl+PgUp change page;
Ctrl+Enter applies. Values the reader doubts start as "periksa" and go into no form unless accepted.
A page that could not be read shows what to do and offers nothing to apply.

A member page's widgets are made when it is first shown, so the dialog opens quickly for a full card.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QPixmap,
    QShortcut,
    QShowEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.cardread.model import Box, CardReading
from app.forms.codelists import CodeList
from ui.editor.card_state import ACCEPTED, CHECK, DROPPED, FieldDecision, Review, RowDecision, shown
from ui.palette import ERROR, GOOD, QUIET, WARNING, span

CropKey = tuple[int, str]  # (member row, or -1 for the header; field id)
CROP_HEIGHT = 34  # pixels of a crop as shown
CROP_WIDTH = 320  # at most
LABEL_WIDTH, EDITOR_WIDTH = 215, 260
WRAP_AFTER = 30  # a state message longer than this wraps (the short ones stay on one line: cheaper to lay out)
DIALOG_SIZE = (1320, 720)  # fits a 1366x768 screen with the window frame and the taskbar
SMALL_SIZE = (760, 300)  # a page that could not be read: what to do, and Tutup
HEADER = -1
LINES_PER_TURN = 5  # values made per turn of the event loop: each turn stays well within 50 ms


def prepare_crops(page: npt.NDArray[np.uint8], reading: CardReading) -> dict[CropKey, QImage]:
    """Each read value's crop of the page, display-sized (runs on the pool: QImages, no widgets)."""
    height, width = page.shape[:2]
    scale_x = width / reading.page_width if reading.page_width else 1.0
    scale_y = height / reading.page_height if reading.page_height else 1.0
    out: dict[CropKey, QImage] = {}
    places = [((HEADER, key), value.box) for key, value in reading.header.items()]
    places += [((index, key), value.box) for index, row in enumerate(reading.rows) for key, value in row.values.items()]
    for key, box in places:
        if box is not None:
            image = _crop(page, box, scale_x, scale_y)
            if image is not None:
                out[key] = image
    return out


def _crop(page: npt.NDArray[np.uint8], box: Box, scale_x: float, scale_y: float) -> QImage | None:
    height, width = page.shape[:2]
    pad = 3
    left = max(0, int(box.x * scale_x) - pad)
    top = max(0, int(box.y * scale_y) - pad)
    right = min(width, int((box.x + box.width) * scale_x) + pad)
    bottom = min(height, int((box.y + box.height) * scale_y) + pad)
    if right - left < 2 or bottom - top < 2:
        return None
    part = page[top:bottom, left:right]
    factor = min(CROP_HEIGHT / part.shape[0], CROP_WIDTH / part.shape[1])
    size = (max(1, round(part.shape[1] * factor)), max(1, round(part.shape[0] * factor)))
    small = np.ascontiguousarray(cv2.resize(part, size, interpolation=cv2.INTER_AREA))
    rows, cols = small.shape[:2]
    if small.ndim == 2:
        return QImage(small.data, cols, rows, cols, QImage.Format.Format_Grayscale8).copy()
    return QImage(small.data, cols, rows, cols * 3, QImage.Format.Format_RGB888).copy()


@dataclass
class _Line:
    """The widgets of one value on a page."""

    decision: FieldDecision
    label: QLabel
    editor: QLineEdit | QComboBox
    status: QLabel


class _Keys(QObject):
    """Enter, Ctrl+Del and Ctrl+Shift+Del on a value's editor."""

    def __init__(self, dialog: CardReviewDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        line = self.dialog.line_of(watched)
        if line is None:
            return False
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if ctrl:
                self.dialog.apply()
            else:
                self.dialog.accept_line(line)
            return True
        if key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp) and ctrl:  # the shortcuts too, on the values
            self.dialog.step_page(1 if key == Qt.Key.Key_PageDown else -1)
            return True
        if key == Qt.Key.Key_Delete and ctrl and mods & Qt.KeyboardModifier.ShiftModifier:
            self.dialog.toggle_row()
            return True
        if key == Qt.Key.Key_Delete and ctrl:
            self.dialog.toggle_drop(line)
            return True
        return False


class _Page(QScrollArea):
    """The values of the header or of one member, made when first shown."""

    def __init__(self, dialog: CardReviewDialog, index: int, title: str) -> None:
        super().__init__()
        self.dialog = dialog
        self.index = index  # HEADER or the member row
        self.title = title
        self.lines: list[_Line] = []
        self.grid: QGridLayout | None = None
        self.laid_out = False
        self.banner = QLabel()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)

    def decisions(self) -> list[FieldDecision]:
        review = self.dialog.review
        return review.header if self.index == HEADER else review.rows[self.index].fields

    def row(self) -> RowDecision | None:
        return None if self.index == HEADER else self.dialog.review.rows[self.index]

    @property
    def built(self) -> bool:
        """Whether every value of the page has its widgets."""
        return self.grid is not None and len(self.lines) == len(self.decisions())

    def _start(self) -> QGridLayout:
        if self.grid is not None:
            return self.grid
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.addWidget(QLabel(f"<b>{_escape(self.title)}</b>"))
        self.banner.setWordWrap(True)
        outer.addWidget(self.banner)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        for column, text in enumerate(
            (self.tr("Isian"), self.tr("Potongan kartu"), self.tr("Nilai untuk formulir"), self.tr("Keterangan"))
        ):
            grid.addWidget(QLabel(span(QUIET, f"<small><b>{text}</b></small>")), 0, column)
        grid.setColumnMinimumWidth(1, CROP_WIDTH)
        grid.setColumnStretch(3, 1)
        outer.addLayout(grid)
        outer.addStretch(1)
        self.setWidget(body)
        self.grid = grid
        return grid

    def build_step(self, limit: int | None = LINES_PER_TURN) -> bool:
        """Make the widgets of up to `limit` more values (all when None), in the card's order; True when the
        page is complete."""
        grid = self._start()
        decisions = self.decisions()
        end = len(decisions) if limit is None else min(len(decisions), len(self.lines) + limit)
        row = self.row()
        for decision in decisions[len(self.lines) : end]:
            line = self._line(grid, len(self.lines) + 1, decision)
            self.lines.append(line)
            _show_state(line, dropped_row=row is not None and row.dropped)
            for widget in (line.label, line.editor, line.status):
                widget.ensurePolished()  # styled now, in small steps, not all at once when the page shows
        if self.built:
            self.refresh()
        return self.built

    def build(self) -> None:
        """Make every value's widgets now."""
        self.build_step(None)

    def lay_out(self, size: QSize) -> None:
        """Lay the complete page out at the size it will show at, while hidden: showing it then costs
        little (laid out only when shown, a member page held the window some 100 ms)."""
        self.laid_out = True
        self.resize(size)
        body = self.widget()
        layout = body.layout() if body is not None else None
        if body is not None and layout is not None:
            body.resize(self.viewport().size().width(), body.sizeHint().height())
            layout.activate()

    def _line(self, grid: QGridLayout, position: int, decision: FieldDecision) -> _Line:
        label = QLabel(decision.label)
        label.setFixedWidth(LABEL_WIDTH)  # one line: word-wrapped labels made showing a page twice as slow
        label.setToolTip(decision.label)
        crop = QLabel()
        image = self.dialog.crops.get((self.index, decision.field))
        if image is not None:
            crop.setPixmap(QPixmap.fromImage(image))
            crop.setToolTip(self.tr("Terbaca: %1").replace("%1", decision.read.text if decision.read else ""))
        elif decision.derived:
            crop.setText(f"<i>{self.tr('dihitung')} {decision.derived}</i>")
        else:
            crop.setText(f"<i>{self.tr('tidak ada potongan')}</i>")
        crop.setFrameShape(QFrame.Shape.Box)
        crop.setMinimumHeight(CROP_HEIGHT + 4)
        editor: QLineEdit | QComboBox
        spec = decision.spec
        if spec is not None and spec.codes is not None:
            combo = QComboBox()
            combo.setModel(self.dialog.code_model(spec.codes))  # one model per code list, shared
            combo.setCurrentIndex(max(0, combo.findData(decision.value)) if decision.value is not None else 0)
            combo.activated.connect(lambda _i, d=decision, c=combo: self.dialog.picked(d, c.currentData()))
            editor = combo
        else:
            line_edit = QLineEdit(shown(decision))
            line_edit.textEdited.connect(lambda text, d=decision: self.dialog.typed(d, text))
            editor = line_edit
        editor.setFixedWidth(EDITOR_WIDTH)
        editor.installEventFilter(self.dialog.keys)
        status = QLabel()
        for column, widget in enumerate((label, crop, editor, status)):
            grid.addWidget(widget, position, column, Qt.AlignmentFlag.AlignVCenter)
            widget.show()  # at once, not when the layout next runs: the keyboard may go to it now
        made = _Line(decision, label, editor, status)
        self.dialog.register(made, self)
        return made

    def refresh(self) -> None:
        """Show each value's state, and the row's."""
        row = self.row()
        notes = list(row.problems) if row is not None else []
        if row is not None and row.dropped:
            self.banner.setText(
                self.tr("✖ Anggota ini dibuang: tidak dimasukkan ke formulir. Ctrl+Shift+Del untuk mengembalikan.")
            )
            self.banner.setStyleSheet(f"color: {QUIET}; font-weight: bold;")
        elif notes:
            self.banner.setText("⚠ " + " ".join(notes))
            self.banner.setStyleSheet(f"color: {WARNING}; background: #fff4e5; padding: 4px;")
        self.banner.setVisible(bool(notes) or (row is not None and row.dropped))
        for line in self.lines:
            _show_state(line, dropped_row=row is not None and row.dropped)


def _show_state(line: _Line, *, dropped_row: bool) -> None:
    decision = line.decision
    font = QFont(line.editor.font())
    font.setStrikeOut(decision.status == DROPPED or dropped_row)
    line.editor.setFont(font)
    if dropped_row or decision.status == DROPPED:
        text, color, background = "✖ dibuang (tidak dimasukkan)", QUIET, ""
    elif decision.status == ACCEPTED and decision.edited:
        text, color, background = "✎ diubah petugas", GOOD, ""
    elif decision.status == ACCEPTED and decision.derived:
        text, color, background = f"✔ dihitung {decision.derived}", GOOD, ""
    elif decision.status == ACCEPTED:
        text, color, background = "✔ diterima", GOOD, ""
    else:
        text = "⚠ periksa" + (": " + " ".join(decision.problems) if decision.problems else "")
        color, background = WARNING, "#fff4e5"
    line.status.setWordWrap(len(text) > WRAP_AFTER)
    line.status.setText(f'<span style="color: {color}">{_escape(text)}</span>')
    palette = line.editor.palette()
    role = QPalette.ColorRole.Base if isinstance(line.editor, QLineEdit) else QPalette.ColorRole.Button
    palette.setColor(role, QColor(background) if background else line.editor.style().standardPalette().color(role))
    line.editor.setPalette(palette)


class CardReviewDialog(QDialog):
    """Review of one reading; `applied` when the officer puts the accepted values into the forms."""

    applied = Signal(object)  # the Review

    def __init__(self, review: Review, crops: Mapping[CropKey, QImage], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.review = review
        self.crops = crops
        self.keys = _Keys(self)
        self._lines: dict[QObject, tuple[_Line, _Page]] = {}
        self._code_models: dict[str, QStandardItemModel] = {}
        what = self.tr("Kartu Keluarga") if review.kind == "kk" else self.tr("KTP-el")
        self.setWindowTitle(self.tr("Periksa hasil baca %1").replace("%1", what))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Cocokkan setiap nilai dengan potongan kartu di sebelahnya. <b>Enter</b>: terima dan lanjut · "
                "<b>Tab</b>: lewati · ketik untuk mengubah · <b>Ctrl+Del</b>: buang isian · "
                "<b>Ctrl+Shift+Del</b>: buang anggota · <b>Ctrl+PgDn/PgUp</b>: halaman berikut/sebelumnya · "
                "<b>Ctrl+Enter</b>: masukkan ke formulir. Nilai bertanda ⚠ tidak dimasukkan sebelum diterima."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.problems)
        body = QHBoxLayout()
        self.nav = QListWidget()
        self.nav.setFixedWidth(250)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # "⚠ 2. TRI WAYAN…AR — 1 periksa"
        self.nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.stack = QStackedWidget()
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        layout.addLayout(body, 1)
        bottom = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.apply_button = QPushButton(self.tr("Masukkan ke formulir (Ctrl+Enter)"))
        self.apply_button.clicked.connect(self.apply)
        self.cancel_button = QPushButton(self.tr("Batal"))
        self.cancel_button.clicked.connect(self.reject)
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.apply_button)
        bottom.addWidget(self.cancel_button)
        layout.addLayout(bottom)
        self.pages: list[_Page] = []
        if review.usable:
            self._add_page(HEADER, self.tr("Data KK") if review.kind == "kk" else self.tr("Data alamat"))
            for index, row in enumerate(review.rows):
                self._add_page(index, row.title(index + 1))
            self.nav.currentRowChanged.connect(self.show_page)
        else:
            empty = QLabel(self.tr("Tidak ada yang dapat dimasukkan ke formulir dari halaman ini."))
            empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.stack.addWidget(empty)
            self.nav.hide()
            intro.hide()  # no values: no keys to explain, nothing to count
            self.cancel_button.setText(self.tr("Tutup"))
        self._show_problems()
        for keys, slot in (
            ("Ctrl+Return", self.apply),
            ("Ctrl+Enter", self.apply),
            ("Ctrl+PgDown", lambda: self.step_page(1)),
            ("Ctrl+PgUp", lambda: self.step_page(-1)),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)
        width, height = DIALOG_SIZE if review.usable else SMALL_SIZE
        self.resize(width, height)
        self.update_summary()
        self.ready = not self.pages  # the first page is made in the turn after the dialog shows
        self._building = False
        self._over_visible = False  # opened over a window on screen (the editor)

    def _first_page(self) -> None:
        """Show the first page, the keyboard on its first value (in the turn after the dialog shows)."""
        if not self.ready:
            self.ready = True
            self.nav.setCurrentRow(0)
            self.show_page(0)
        self.focus_first()

    def build_pending(self) -> bool:
        """Make the next few values: the shown page's first, then the other pages' in order. True while
        there is more to make (then again in the next turn)."""
        shown = self.current_page()
        waiting = [page for page in ([shown] if shown else []) + self.pages if not page.built]
        if waiting:
            waiting[0].build_step()
            return True
        hidden = [page for page in self.pages if not page.laid_out and page is not shown]
        if hidden:
            hidden[0].lay_out(self.stack.size())
        return len(hidden) > 1

    def _build_later(self) -> None:
        if not self._building:
            self._building = True
            QTimer.singleShot(0, self, self._build_turn)

    def _build_turn(self) -> None:
        self._building = False
        parent = self.parentWidget()
        if not self.isVisible() or (self._over_visible and parent is not None and not parent.isVisible()):
            return  # closed, or the editor under it being taken down: nothing more to make
        if self.build_pending():
            self._build_later()

    def code_model(self, codes: CodeList) -> QStandardItemModel:
        """The choices of a code list ("1 — ISLAM"), made once for all its fields."""
        model = self._code_models.get(codes.id)
        if model is None:
            model = QStandardItemModel(self)
            empty = QStandardItem(self.tr("— pilih —"))
            empty.setData(None, Qt.ItemDataRole.UserRole)
            model.appendRow(empty)
            for entry in codes.codes:
                item = QStandardItem(f"{entry.code} — {entry.label}")
                item.setData(entry.code, Qt.ItemDataRole.UserRole)
                model.appendRow(item)
            self._code_models[codes.id] = model
        return model

    # -- pages ---------------------------------------------------------------------------------------
    def _add_page(self, index: int, title: str) -> None:
        page = _Page(self, index, title)
        self.pages.append(page)
        self.stack.addWidget(page)
        self.nav.addItem(QListWidgetItem(title))

    def show_page(self, position: int) -> None:
        """Show a page (made now if it was not yet)."""
        if 0 <= position < len(self.pages):
            page = self.pages[position]
            if not page.lines:
                page.build_step()  # the first values now, the rest in the next turns
            self.stack.setCurrentWidget(page)
            self._build_later()
            if self.nav.currentRow() != position:
                self.nav.setCurrentRow(position)

    def step_page(self, step: int) -> None:
        """The next or previous page, the keyboard on its first value."""
        position = self.nav.currentRow() + step
        if 0 <= position < len(self.pages):
            self.show_page(position)
            self.focus_first()

    def focus_first(self) -> None:
        """The keyboard on the first value of the shown page (or on the buttons when there is none)."""
        page = self.stack.currentWidget()
        if isinstance(page, _Page) and page.lines:
            page.lines[0].editor.setFocus()
        elif self.apply_button.isEnabled():
            self.apply_button.setFocus()
        else:
            self.cancel_button.setFocus()

    # -- the officer's decisions ---------------------------------------------------------------------
    def register(self, line: _Line, page: _Page) -> None:
        self._lines[line.editor] = (line, page)

    def line_of(self, widget: QObject) -> _Line | None:
        found = self._lines.get(widget)
        return found[0] if found else None

    def current_page(self) -> _Page | None:
        page = self.stack.currentWidget()
        return page if isinstance(page, _Page) else None

    def accept_line(self, line: _Line) -> None:
        """Enter: accept the value and go to the next one (a value that cannot be accepted keeps the keyboard)."""
        line.decision.accept()
        self._changed()
        if line.decision.status != ACCEPTED:
            return
        _line, page = self._lines[line.editor]
        position = page.lines.index(line)
        if position + 1 == len(page.lines) and not page.built:
            page.build()  # faster than the turns that make the page: the rest of it now
        if position + 1 < len(page.lines):
            following = page.lines[position + 1].editor
            following.setFocus()
            page.ensureWidgetVisible(following)
            return
        number = self.pages.index(page)
        if number + 1 < len(self.pages):
            self.show_page(number + 1)
            self.focus_first()
        else:
            self.apply_button.setFocus()

    def toggle_drop(self, line: _Line) -> None:
        """Ctrl+Del: drop the value, or take a dropped one back."""
        decision = line.decision
        if decision.status == DROPPED:
            decision.status = CHECK
            if not decision.problems:
                decision.accept()
        else:
            decision.drop()
        self._changed()

    def toggle_row(self) -> None:
        """Ctrl+Shift+Del: drop the shown member, or take them back."""
        page = self.current_page()
        row = page.row() if page is not None else None
        if row is None:
            return
        row.dropped = not row.dropped
        self._changed()

    def typed(self, decision: FieldDecision, text: str) -> None:
        decision.edit(text)
        self._changed()

    def picked(self, decision: FieldDecision, value: object) -> None:
        decision.choose(value)
        self._changed()

    def _changed(self) -> None:
        self.review.refresh_derived()
        for page in self.pages:
            if page.lines:
                page.refresh()
        self.update_summary()

    def update_summary(self) -> None:
        """Counts, the pages' marks and whether anything can be applied."""
        accepted, to_check, dropped = self.review.counts()
        for position, page in enumerate(self.pages):
            row = page.row()
            left = sum(1 for d in page.decisions() if d.status == CHECK)
            if row is not None and row.dropped:
                text = f"✖ {page.title} — " + self.tr("dibuang")
            elif left:
                text = f"⚠ {page.title} — " + self.tr("%1 periksa").replace("%1", str(left))
            else:
                text = f"✔ {page.title}"
            item = self.nav.item(position)
            if item is not None:
                item.setText(text)
        if not self.review.usable:
            self.summary.clear()
            self.apply_button.setEnabled(False)
            return
        text = self.tr("%1 nilai diterima · %2 perlu diperiksa · %3 dibuang")
        text = text.replace("%1", str(accepted)).replace("%2", str(to_check)).replace("%3", str(dropped))
        if to_check:
            text += self.tr(" — yang belum diterima tidak dimasukkan ke formulir.")
        self.summary.setText(text)
        self.apply_button.setEnabled(self.review.can_apply())

    def _show_problems(self) -> None:
        problems = self.review.problems
        if not problems:
            self.problems.hide()
            return
        items = "".join(f"<li>{_escape(p)}</li>" for p in problems)
        title = (
            self.tr("Halaman ini tidak dapat dibaca sebagai kartu:")
            if not self.review.usable
            else self.tr("Perhatikan:")
        )
        self.problems.setText(f"<b>{title}</b><ul style='margin: 0'>{items}</ul>")
        color = ERROR if not self.review.usable else WARNING
        self.problems.setStyleSheet(f"color: {color}; background: #fff4e5; border: 1px solid #e0a040; padding: 6px;")

    def apply(self) -> None:
        """Put the accepted values into the forms (nothing when there is nothing to apply)."""
        if not self.review.can_apply():
            return
        self.applied.emit(self.review)
        self.accept()

    def showEvent(self, event: QShowEvent) -> None:
        """The keyboard on the first value when the dialog opens."""
        super().showEvent(event)
        parent = self.parentWidget()
        self._over_visible = parent is not None and parent.isVisible()
        QTimer.singleShot(0, self, self._first_page)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
