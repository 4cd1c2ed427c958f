"""One editor widget per field type, all with the same small interface: value(), set_value(), changed."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import QDate, QEvent, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from app.forms import FieldSpec
from app.identity import NIK_PENDING, normalize_identifier
from app.regions import default_index
from app.regions.index import default_loaded

# Matching the paper: dates are typed day-month-year.
DATE_MASK = "00-00-0000;_"


class FieldEditor(QWidget):
    """Base: a widget editing one answer; emits `changed` on every edit."""

    changed = Signal()

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def value(self) -> object:
        """The answer as the engine expects it (None when empty)."""
        raise NotImplementedError  # pragma: no cover - every subclass defines it

    def set_value(self, value: object) -> None:
        """Show a saved answer."""
        raise NotImplementedError  # pragma: no cover - every subclass defines it

    def focus_widget(self) -> QWidget:
        """The widget that takes the keyboard focus."""
        return self


class _EnterMovesOn(QObject):
    """Enter/Return in a line edit moves to the next field, like Tab (keyboard-first entry)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and isinstance(watched, QWidget)
        ):
            completer = watched.completer() if isinstance(watched, (QLineEdit, QComboBox)) else None
            popup = completer.popup() if completer is not None else None
            if popup is None or not popup.isVisible():
                watched.focusNextChild()
                return True
        return False


@functools.cache
def enter_moves_on() -> _EnterMovesOn:
    """The one Enter-moves-on filter, made by the first editor, on the GUI thread. Made at import, it
    belonged to whichever thread imported this module (a worker, right after log-in), and Qt refused
    it as a filter for the GUI's widgets: Enter did not move on in the app, only in tests."""
    return _EnterMovesOn()


def only_completion(completer: QCompleter, typed: str) -> str | None:
    """The one entry the completion list offers for what was typed, if it offers exactly one."""
    if completer.completionPrefix() != typed or completer.completionCount() != 1:
        return None
    text = completer.completionModel().index(0, 0).data()
    return text if isinstance(text, str) else None


class _EnterPicks(QObject):
    """Enter in an open completion list takes the entry the officer moved to, or the only one, then moves on.

    An open list gets the keys before the field, so the field's Enter-moves-on never sees them. Qt's
    own Enter took whatever entry was current without moving on: nothing in a filtered list ("kris"
    stayed "kris", reported as not in the list), and in the region list the first of fifteen
    "Wonosari" villages, which Qt marks current by itself. Now an entry counts as chosen when it is
    the only one or the officer moved to it with the arrow keys; with several and none chosen, Enter
    leaves the list open: the officer types more words or picks one with the arrow keys.
    """

    NAVIGATION = frozenset(
        {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Home, Qt.Key.Key_End}
    )

    def __init__(self, completer: QCompleter, pick: Callable[[str], bool], parent: QObject) -> None:
        super().__init__(parent)
        self._completer = completer
        self._pick = pick
        self._moved = False  # the officer moved through the list since it opened
        popup = completer.popup()
        if popup is not None:
            popup.installEventFilter(self)  # installed after the completer's own: runs first

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            self._moved = False
            return False
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.key() in self.NAVIGATION:
            self._moved = True
            return False
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return False
        popup = self._completer.popup()
        field = self._completer.widget()  # the line edit, or the editable combo box that owns it
        line = field.lineEdit() if isinstance(field, QComboBox) else field
        if popup is None or field is None or not isinstance(line, QLineEdit):
            return False
        current = popup.currentIndex()
        typed = line.text()
        chosen = current.data() if current.isValid() and self._moved else only_completion(self._completer, typed)
        for text in (chosen, typed):  # what was typed may itself be an answer: a code ("1" among 1, 10-13)
            if isinstance(text, str) and self._pick(text):
                popup.hide()
                field.focusNextChild()
                return True
        return True  # several entries, none chosen: the list stays open for the arrow keys


class TextEditor(FieldEditor):
    """Free text, names, phone numbers, e-mail, postal codes."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.line = QLineEdit()
        self.line.installEventFilter(enter_moves_on())
        if spec.max_length:
            self.line.setMaxLength(spec.max_length + 20)  # the engine says how much is too long
        if spec.type == "postal_code":
            self.line.setMaxLength(5)
            self.line.setPlaceholderText("63263")
        self.line.textEdited.connect(self.changed)
        self._layout.addWidget(self.line)
        self.setFocusProxy(self.line)

    def value(self) -> object:
        """The typed text, or None when blank."""
        text = self.line.text().strip()
        return text or None

    def set_value(self, value: object) -> None:
        """Show text."""
        self.line.setText("" if value is None else str(value))


class NumberEditor(TextEditor):
    """Whole numbers; what is not a number is kept as typed so the engine can say what is wrong."""

    def value(self) -> object:
        """An int when the text is digits, else the raw text (reported by the engine)."""
        text = self.line.text().strip()
        if not text:
            return None
        return int(text) if text.isdigit() else text


class DateEditor(FieldEditor):
    """A date typed DD-MM-YYYY, with a calendar button."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.line = QLineEdit()
        self.line.setInputMask(DATE_MASK)
        self.line.setPlaceholderText("HH-BB-TTTT")
        self.line.installEventFilter(enter_moves_on())
        self.line.textEdited.connect(self.changed)
        self.button = QToolButton()
        self.button.setText("▦")
        self.button.setToolTip(self.tr("Pilih dari kalender"))
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.calendar: QCalendarWidget | None = None  # built when first opened: rows of dates stay cheap
        menu = QMenu(self.button)
        menu.aboutToShow.connect(self._prepare_calendar)
        self.button.setMenu(menu)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._layout.addWidget(self.line, 1)
        self._layout.addWidget(self.button)
        self.setFocusProxy(self.line)

    def _prepare_calendar(self) -> None:
        """Build the calendar on first use and open it at the typed date (or today)."""
        if self.calendar is None:
            menu = self.button.menu()
            assert menu is not None
            self.calendar = QCalendarWidget()
            self.calendar.setGridVisible(True)
            self.calendar.clicked.connect(self._picked)
            action = QWidgetAction(menu)
            action.setDefaultWidget(self.calendar)
            menu.addAction(action)
        value = self.value()
        typed = QDate.fromString(value, "yyyy-MM-dd") if isinstance(value, str) else QDate()
        self.calendar.setSelectedDate(typed if typed.isValid() else QDate.currentDate())

    def _picked(self, date: QDate) -> None:
        self.line.setText(date.toString("dd-MM-yyyy"))
        menu = self.button.menu()
        if menu is not None:
            menu.hide()
        self.changed.emit()

    def value(self) -> object:
        """ISO date when complete and real; otherwise the typed text (the engine says what is wrong)."""
        text = self.line.text().strip().strip("-").strip()
        if not text.replace("-", "").strip("_ "):
            return None
        raw = self.line.text()
        try:
            day, month, year = (int(part) for part in raw.split("-"))
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return raw.replace("_", "")

    def set_value(self, value: object) -> None:
        """Show an ISO date as DD-MM-YYYY."""
        if isinstance(value, str) and len(value) == 10 and value[4] == "-":
            self.line.setText(f"{value[8:10]}-{value[5:7]}-{value[0:4]}")
        else:
            self.line.setText("" if value is None else str(value))


class TimeEditor(TextEditor):
    """A time HH:MM."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.line.setInputMask("00:00;_")

    def value(self) -> object:
        """HH:MM or None."""
        text = self.line.text().replace("_", "").strip()
        return None if text in ("", ":") else text


class ChoiceEditor(FieldEditor):
    """A code list as a searchable picker ("3 — KATHOLIK"); type a code or any word of the label."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        assert spec.codes is not None
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.addItem("", None)
        for code in spec.codes.codes:
            self.combo.addItem(f"{code.code} — {code.label}", code.code)
        completer = self.combo.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            _EnterPicks(completer, self._pick_text, self)
        line = self.combo.lineEdit()
        if line is not None:
            line.setPlaceholderText(self.tr("ketik kode atau nama…"))
            line.installEventFilter(enter_moves_on())
        # The combo box has the focus and hands keys to its line edit directly, past the line edit's
        # filters: without this, Enter moved on from a code list only while its completion list was open.
        self.combo.installEventFilter(enter_moves_on())
        self.combo.currentIndexChanged.connect(self.changed)
        self.combo.editTextChanged.connect(self._typed)
        if line is not None:
            line.editingFinished.connect(self._finished)
        self._layout.addWidget(self.combo)
        self.setFocusProxy(self.combo)

    def _typed(self, text: str) -> None:
        """Typing a code selects it once no longer code starts with it ('1' waits for '10'-'13')."""
        wanted = text.strip()
        if not wanted:
            return
        codes = [str(self.combo.itemData(i)) for i in range(1, self.combo.count())]
        if wanted in codes and not any(c != wanted and c.startswith(wanted) for c in codes):
            self._pick_text(wanted)

    def _finished(self) -> None:
        """Leaving the field with a code typed, or words only one entry contains, selects that entry."""
        typed = self.combo.currentText()
        wanted = typed.strip()
        if not wanted or self.combo.findText(wanted) > 0:
            return
        completer = self.combo.completer()
        only = only_completion(completer, typed) if completer is not None else None
        for text in (only, wanted):
            if text is not None and self._pick_text(text):
                return

    def _pick_text(self, text: str) -> bool:
        """Select the entry shown as text ("2 — KRISTEN") or with that code ("2"); False when there is none."""
        index = self.combo.findText(text)
        if index <= 0:
            code = text.strip()
            index = next((i for i in range(1, self.combo.count()) if str(self.combo.itemData(i)) == code), -1)
        if index <= 0:
            return False
        text = self.combo.itemText(index)
        if self.combo.currentIndex() != index:
            self.combo.setCurrentIndex(index)
        else:
            self.combo.setEditText(text)
        return True

    def value(self) -> object:
        """The selected code, or None."""
        text = self.combo.currentText().strip()
        index = self.combo.findText(text)
        if index <= 0:
            return None if not text else self._match_code(text)
        return self.combo.itemData(index)

    def _match_code(self, text: str) -> object:
        head = text.split("—", maxsplit=1)[0].strip()
        for index in range(1, self.combo.count()):
            if str(self.combo.itemData(index)) == head:
                return self.combo.itemData(index)
        return text  # not in the list: the engine says so

    def set_value(self, value: object) -> None:
        """Select a code."""
        for index in range(self.combo.count()):
            data = self.combo.itemData(index)
            if data == value and type(data) is type(value):
                self.combo.setCurrentIndex(index)
                return
        self.combo.setCurrentIndex(0)


class MultiChoiceEditor(FieldEditor):
    """Tick one or more codes."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        assert spec.codes is not None
        self.list = QListWidget()
        for code in spec.codes.codes:
            item = QListWidgetItem(f"{code.code} — {code.label}")
            item.setData(Qt.ItemDataRole.UserRole, code.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        rows = min(len(spec.codes.codes), 8)
        self.list.setFixedHeight(rows * 22 + 6)
        self.list.setMinimumWidth(420)
        self.list.itemChanged.connect(lambda _item: self.changed.emit())
        self._layout.addWidget(self.list)
        self.setFocusProxy(self.list)

    def value(self) -> object:
        """The ticked codes in list order, or None."""
        ticked = [
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]
        return ticked or None

    def set_value(self, value: object) -> None:
        """Tick the given codes."""
        wanted = value if isinstance(value, list) else []
        self.list.blockSignals(True)
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item is not None:
                checked = item.data(Qt.ItemDataRole.UserRole) in wanted
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.list.blockSignals(False)


class BooleanEditor(FieldEditor):
    """Ya / Tidak."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.combo = QComboBox()
        self.combo.addItem("", None)
        self.combo.addItem(self.tr("Ya"), True)
        self.combo.addItem(self.tr("Tidak"), False)
        self.combo.currentIndexChanged.connect(self.changed)
        self._layout.addWidget(self.combo)
        self.setFocusProxy(self.combo)

    def value(self) -> object:
        """True, False or None."""
        return self.combo.currentData()

    def set_value(self, value: object) -> None:
        """Show the answer."""
        self.combo.setCurrentIndex({True: 1, False: 2}.get(value, 0) if isinstance(value, bool) else 0)


class IdentifierEditor(TextEditor):
    """NIK or Nomor KK: spaces and dots allowed while typing; 'Belum punya NIK' as an explicit state."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.line.setMaxLength(24)
        self.line.setPlaceholderText("16 angka")
        self.pending: QCheckBox | None = None
        if spec.type == "nik" and spec.allow_pending:
            self.pending = QCheckBox(self.tr("Belum punya NIK"))
            self.pending.toggled.connect(self._pending_toggled)
            self._layout.addWidget(self.pending)

    def _pending_toggled(self, checked: bool) -> None:
        self.line.setEnabled(not checked)
        if checked:
            self.line.clear()
        self.changed.emit()

    def value(self) -> object:
        """Digits only when the input is digits with separators; the explicit pending state; or as typed."""
        if self.pending is not None and self.pending.isChecked():
            return NIK_PENDING
        text = self.line.text().strip()
        if not text:
            return None
        digits = normalize_identifier(text)
        return digits if digits.isdigit() else text

    def set_value(self, value: object) -> None:
        """Show a saved NIK/KK or the pending state."""
        if self.pending is not None:
            self.pending.setChecked(value == NIK_PENDING)
        self.line.setText("" if value in (None, NIK_PENDING) else str(value))


class RegionEditor(TextEditor):
    """A Kemendagri region: type a name (autocomplete over all 91,599 regions) or a code."""

    LEVELS: ClassVar[dict[str, tuple[str, ...]]] = {
        "provinsi": ("provinsi",),
        "kabupaten": ("kabupaten", "kota"),
        "kecamatan": ("kecamatan",),
        "desa": ("desa", "kelurahan", "desa_adat"),
    }

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.line.setPlaceholderText(self.tr("ketik nama desa/kecamatan atau kode"))
        self.model = QStringListModel()
        self.completer = QCompleter(self.model, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.activated.connect(self._chosen)
        self.line.setCompleter(self.completer)
        _EnterPicks(self.completer, self._chosen, self)
        self.line.textEdited.connect(self._search)
        self.line.editingFinished.connect(self._finished)
        self._codes: dict[str, str] = {}

    def _search(self, text: str) -> None:
        if len(text.strip()) < 2 or text.replace(".", "").strip().isdigit():
            return
        levels = self.LEVELS.get(self.spec.region_level or "", None)
        if not default_loaded() or not default_index().search_ready:
            # Still loading off the GUI thread (just after log-in): the code can be typed meanwhile.
            self.model.setStringList([self.tr("Daftar wilayah sedang dimuat… ketik kode, atau tunggu sebentar")])
            return
        index = default_index()
        shown: list[str] = []
        self._codes = {}
        for region in index.search(text, level=levels, limit=15):  # type: ignore[arg-type]
            parents = [r.name for r in index.path(region.code)[:-1]][::-1][:2]
            label = (
                f"{region.name} — {', '.join(parents)} ({region.code})" if parents else f"{region.name} ({region.code})"
            )
            shown.append(label)
            self._codes[label] = region.code
        self.model.setStringList(shown)

    def _chosen(self, label: str) -> bool:
        code = self._codes.get(label)
        if not code:
            return False  # e.g. the "still loading" line
        self.line.setText(code)
        self.changed.emit()
        return True

    def _finished(self) -> None:
        """Leaving the field on a listed region (arrow keys show it in the field) or on a name only one
        region matches takes that region."""
        text = self.line.text()
        only = text if text in self._codes else only_completion(self.completer, text)
        if only is not None:
            self._chosen(only)

    def value(self) -> object:
        """The dotted code when one is given; otherwise the typed text (the engine reports it)."""
        text = self.line.text().strip()
        if not text:
            return None
        if text in self._codes:
            return self._codes[text]
        return text


EDITORS: dict[str, type[FieldEditor]] = {
    "text": TextEditor,
    "name": TextEditor,
    "phone": TextEditor,
    "email": TextEditor,
    "postal_code": TextEditor,
    "number": NumberEditor,
    "date": DateEditor,
    "time": TimeEditor,
    "choice": ChoiceEditor,
    "multichoice": MultiChoiceEditor,
    "boolean": BooleanEditor,
    "nik": IdentifierEditor,
    "kk": IdentifierEditor,
    "region": RegionEditor,
}


def editor_for(spec: FieldSpec, parent: QWidget | None = None) -> FieldEditor:
    """The editor widget for a field's type."""
    return EDITORS[spec.type](spec, parent)
