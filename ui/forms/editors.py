"""One editor widget per field type, all with the same small interface: value(), set_value(), changed."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Sequence
from typing import Protocol, cast

import shiboken6
from PySide6.QtCore import QDate, QEvent, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPalette, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
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
from app.regions import Region, default_index, dotted_code
from app.regions.codes import code_depth
from app.regions.index import default_loaded
from app.regions.suggest import FIELD_DEPTHS, Suggestion, suggest

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
    """Enter/Return in a line edit moves on (keyboard-first entry): in a form, to the next field that still
    needs an answer, past those carried over or answered (Tab visits every field); elsewhere, or when no
    such field follows, to the next field like Tab."""

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
                form = _form_of(watched)
                if form is None or not form.focus_next_needed(watched):
                    watched.focusNextChild()
                return True
        return False


class _Form(Protocol):
    def focus_next_needed(self, widget: QWidget) -> bool: ...


def _form_of(widget: QWidget) -> _Form | None:
    """The form view a field's widget sits in (ui.forms.view.FormView, which imports this module), or None."""
    parent = widget.parentWidget()
    while parent is not None:
        if callable(getattr(parent, "focus_next_needed", None)):
            return cast(_Form, parent)
        parent = parent.parentWidget()
    return None


@functools.cache
def enter_moves_on() -> _EnterMovesOn:
    """The one Enter-moves-on filter, made by the first editor, on the GUI thread. Made at import, it
    belonged to whichever thread imported this module (a worker, right after log-in), and Qt refused
    it as a filter for the GUI's widgets: Enter did not move on in the app, only in tests."""
    return _EnterMovesOn()


class _WheelScrollsForm(QObject):
    """The mouse wheel over a closed code list, or over a spin box or date field without the keyboard
    focus, scrolls the form instead of changing the answer.

    Scrolling a long form with the pointer resting on a code list flipped the head of family's sex from
    LAKI-LAKI to PEREMPUAN; Qt gives the wheel to the widget under the pointer, and a combo box steps
    through its entries. The event goes to the form's scroll bar instead, as over a label."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Wheel or not isinstance(event, QWheelEvent) or not isinstance(watched, QWidget):
            return False
        owner = _value_widget(watched)
        if isinstance(owner, QComboBox) and owner.view().isVisible():
            return False  # its own list is open: the wheel moves through the list
        if isinstance(owner, QAbstractSpinBox) and owner.hasFocus():
            return False  # stepping a focused spin box with the wheel is deliberate
        area = _scroll_area_of(watched)
        if area is not None:
            delta = event.angleDelta()
            horizontal = abs(delta.x()) > abs(delta.y())
            bar = area.horizontalScrollBar() if horizontal else area.verticalScrollBar()
            QApplication.sendEvent(bar, event)
        event.accept()
        return True


def _value_widget(widget: QWidget) -> QWidget:
    """The combo box or spin box a widget belongs to (the line edit inside an editable combo box), or itself."""
    current: QWidget | None = widget
    while current is not None and not isinstance(current, FieldEditor):
        if isinstance(current, (QComboBox, QAbstractSpinBox)):
            return current
        current = current.parentWidget()
    return widget


def _scroll_area_of(widget: QWidget) -> QAbstractScrollArea | None:
    """The nearest scroll area holding a widget (the form), or None."""
    current = widget.parentWidget()
    while current is not None and not isinstance(current, QAbstractScrollArea):
        current = current.parentWidget()
    return current


@functools.cache
def wheel_scrolls_form() -> _WheelScrollsForm:
    """The one wheel filter, made on the GUI thread by the first editor (like enter_moves_on)."""
    return _WheelScrollsForm()


def guard_wheel(*widgets: QWidget | None) -> None:
    """Let the wheel over these widgets scroll the form instead of changing their value."""
    for widget in widgets:
        if widget is not None:
            widget.installEventFilter(wheel_scrolls_form())


HINT_COLOR = QColor("#9a9a9a")


def set_hint(line: QLineEdit, text: str) -> None:
    """Show how to fill an empty field, in a lighter italic, and never as a sample value.

    A grey "63263" in Kode Pos read as a postal code already filled in; a hint says what to type
    ("5 angka"), and italics set it apart from typed text, which is upright."""
    line.setPlaceholderText(text)
    palette = line.palette()
    palette.setColor(QPalette.ColorRole.PlaceholderText, HINT_COLOR)
    line.setPalette(palette)

    def restyle(current: str) -> None:
        if not shiboken6.isValid(line):
            return  # a combo box clearing its line edit while both are being deleted (a closed dialog)
        font = line.font()
        if font.italic() != (not current):
            font.setItalic(not current)
            line.setFont(font)

    line.textChanged.connect(restyle)
    restyle(line.text())


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

    def __init__(
        self,
        completer: QCompleter,
        pick: Callable[[str], bool],
        parent: QObject,
        only: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._completer = completer
        self._pick = pick
        self._only = only or functools.partial(only_completion, completer)
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
        chosen = current.data() if current.isValid() and self._moved else self._only(typed)
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
            set_hint(self.line, self.tr("5 angka"))
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
        set_hint(self.line, self.tr("HH-BB-TTTT"))
        self.line.installEventFilter(enter_moves_on())
        guard_wheel(self.line)
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
            set_hint(line, self.tr("ketik kode atau nama…"))
            line.installEventFilter(enter_moves_on())
        guard_wheel(self.combo, line)
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
        guard_wheel(self.combo)
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
        set_hint(self.line, self.tr("16 angka"))
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


# "35.21 — Kabupaten Ngawi": the code and name a chosen region shows as.
_SHOWN_REGION = re.compile(r"^\s*([0-9.]+)\s+—\s+(.+?)\s*$")
_LEVEL_WORDS = {"kecamatan": "Kec. ", "desa": "Desa ", "kelurahan": "Kel. ", "desa_adat": "Desa Adat "}


class RegionEditor(TextEditor):
    """A Kemendagri region of one level: type a name or a code of any level and pick from the suggestions.

    Suggestions are narrowed by the regions chosen in the fields above (the kabupaten of the same form);
    a desa name typed in Provinsi suggests the provinces that hold such a desa. A chosen region shows
    as "kode — nama"; its answer is the dotted code."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.level_depth = FIELD_DEPTHS.get(spec.region_level or "", 4)
        set_hint(self.line, self.tr("ketik nama atau kode wilayah"))
        self.model = QStringListModel()
        self.completer = QCompleter(self.model, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.activated.connect(self._chosen)
        self.line.setCompleter(self.completer)
        _EnterPicks(self.completer, self._chosen, self, only=self._only_suggestion)
        self.line.textEdited.connect(self._search)
        self.line.editingFinished.connect(self._finished)
        self._codes: dict[str, str] = {}  # suggestion shown -> its code
        self._searched = ""  # the text the suggestions are for
        self._above: Callable[[], Sequence[object]] = list

    def set_context(self, above: Callable[[], Sequence[object]]) -> None:
        """Where to read the answers of the other region fields of the form (the levels above narrow this one)."""
        self._above = above

    def within(self) -> str | None:
        """The deepest region chosen above this field, or None."""
        best: str | None = None
        for value in self._above():
            code = dotted_code(value)
            if code is not None and code_depth(code) < self.level_depth and (best is None or len(code) > len(best)):
                best = code
        return best

    def _search(self, text: str) -> None:
        typed = text.strip()
        self._searched = typed
        self._codes = {}
        if len(typed) < 2:
            self.model.setStringList([])
            return
        if not default_loaded() or not default_index().search_ready:
            # Still loading off the GUI thread (just after log-in): the code can be typed meanwhile.
            self.model.setStringList([self.tr("Daftar wilayah sedang dimuat… ketik kode, atau tunggu sebentar")])
            return
        index = default_index()
        within = self.within()
        shown: list[str] = []
        for found in suggest(index, typed, self.level_depth, within, limit=15):
            label = self._label(found, within)
            shown.append(label)
            self._codes[label] = found.region.code
        self.model.setStringList(shown)

    def _label(self, found: Suggestion, within: str | None) -> str:
        """ "35 — Jawa Timur · memuat Desa Wonosari (Sine, Kabupaten Ngawi)": the region, what led to it, where."""
        index = default_index()
        region = found.region
        text = f"{region.code} — {region.name}"
        if found.via is not None:
            via = found.via
            text += " · " + self.tr("memuat") + f" {_LEVEL_WORDS.get(via.level, '')}{via.name}"
            above = _places_above(via, region.code)
        else:
            above = _places_above(region, None)
        if above:
            text += f" ({above})"
        if found.outside and within is not None:
            holder = index.get(within)
            text += " · " + self.tr("di luar") + f" {holder.name if holder else within}"
        return text

    def _only_suggestion(self, typed: str) -> str | None:
        """The suggestion Enter takes when nothing is highlighted: the only one listed for what was typed."""
        if typed.strip() != self._searched or len(self._codes) != 1:
            return None
        return next(iter(self._codes))

    def _chosen(self, text: str) -> bool:
        code = self._code_of(text)
        if code is None:
            return False  # e.g. the "still loading" line
        before = self.value()
        self._show(code)
        if before != code:
            self.changed.emit()
        return True

    def _code_of(self, text: str) -> str | None:
        """The region code a text stands for: a suggestion, "kode — nama", or a code of this field's level."""
        if text in self._codes:
            return self._codes[text]
        shown = _SHOWN_REGION.match(text)
        code = dotted_code(shown.group(1) if shown else text.strip())
        if code is None or code_depth(code) != self.level_depth:
            return None
        if shown and default_loaded():
            region = default_index().get(code)
            if region is None or region.name.casefold() != shown.group(2).casefold():
                return None  # the name was edited: the text is no longer that region
        return code

    def _show(self, code: str) -> None:
        """Show a region as "kode — nama" (the code alone while the region list is not loaded yet)."""
        region = default_index().get(code) if default_loaded() else None
        self.line.setText(f"{code} — {region.name}" if region is not None else code)
        self.model.setStringList([])
        self._codes = {}
        self._searched = ""

    def _finished(self) -> None:
        """Leaving the field on a listed region (arrow keys show it in the field), on a code, or on a name
        only one region matches takes that region."""
        text = self.line.text()
        only = self._only_suggestion(text)
        for candidate in (text, only):
            if candidate is not None and self._code_of(candidate) is not None:
                self._chosen(candidate)
                return

    def value(self) -> object:
        """The dotted code of the region chosen or typed; otherwise the typed text (the engine reports it)."""
        text = self.line.text().strip()
        if not text:
            return None
        code = self._code_of(text)
        return text if code is None else code

    def set_value(self, value: object) -> None:
        """Show a saved region as "kode — nama"."""
        code = dotted_code(value)
        if code is not None and code_depth(code) == self.level_depth:
            self._show(code)
        else:
            super().set_value(value)


def _places_above(region: Region, stop: str | None) -> str:
    """The names of the two regions above one, nearest first ("Sine, Kabupaten Ngawi"), stopping at `stop`."""
    names: list[str] = []
    for above in reversed(default_index().path(region.code)[:-1]):
        if above.code == stop or len(names) == 2:
            break
        names.append(above.name)
    return ", ".join(names)


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
