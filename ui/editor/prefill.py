"""Carry-over in the editor: the links declared in the schemas and the catalogue (app.forms.carry)
applied to an application's forms, whether their tab is built or not.

When a form's tab is built, when the officer leaves the applicant page and after every edit of a form,
the fields that can be known (the outpost's region, the service's request or report type, the
applicant, other forms' answers) are filled where the officer has not typed; a NIK typed into a member
row (or a parent's or witness's NIK) fills the rest of that row from the residents index, asking
before it replaces what was typed. Once a NIK has filled its row, the keyboard goes on to the row's first
required field still empty (or past the row when none is), instead of through the fields just filled.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.forms import FormSchema, SectionSpec
from app.forms.carry import (
    RESIDENT_KEY,
    Carried,
    Known,
    apply,
    changes,
    is_empty,
    proposals,
    resident_sections,
    resident_values,
    row_fill,
)
from app.identity import check_nik, normalize_identifier
from app.regions.index import default_index, default_loaded
from app.settings import Settings
from app.store.residents import find_by_nik, resident_facts
from app.views.residents import Resident
from ui.forms.view import FormView, RepeatBlock

if TYPE_CHECKING:
    from ui.editor.editor import ApplicationEditor

MAX_PASSES = 3  # a value carried into a field another link reads goes on in the next pass


class ReplaceTyped:
    """The question before a resident's data replace what the officer typed in a row."""

    @classmethod
    def ask(cls, parent: QWidget | None, name: str, labels: list[str]) -> bool:
        """Whether to replace the typed answers of these fields with the residents index's (patched in tests)."""
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(QApplication.translate("ReplaceTyped", "Data penduduk ditemukan"))
        box.setText(
            QApplication.translate(
                "ReplaceTyped", "NIK ini milik %1 dalam data penduduk. Isian berikut berbeda dari yang sudah diketik:"
            ).replace("%1", name)
            + "\n\n• "
            + "\n• ".join(labels)
        )
        box.setInformativeText(QApplication.translate("ReplaceTyped", "Ganti dengan data penduduk?"))
        replace = box.addButton(QApplication.translate("ReplaceTyped", "Ganti"), QMessageBox.ButtonRole.YesRole)
        keep = box.addButton(
            QApplication.translate("ReplaceTyped", "Biarkan yang diketik"), QMessageBox.ButtonRole.NoRole
        )
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is replace


@dataclass(frozen=True)
class _Place:
    """A section (row None) or a member row of one form whose NIK finds a resident."""

    form: str
    section: str
    row: int | None

    def prefix(self) -> str:
        return self.section if self.row is None else f"{self.section}[{self.row}]"


class Prefill(QObject):
    """Applies the declared carry-over to the forms of one application editor."""

    def __init__(self, editor: ApplicationEditor, today: dt.date | None = None) -> None:
        super().__init__(editor)
        self.editor = editor
        self.today = today
        settings = Settings(editor.store.paths.settings)
        self.outpost = {name: settings.text(f"outpost.{name}") for name in ("region", "site", "name")}
        self.carried: dict[str, Carried] = {}
        self.resident: dict[str, object] = {}  # the applicant as chosen from the residents index
        self._niks: dict[_Place, str] = {}  # the NIK each place was last looked up (or loaded) with
        self._busy = False
        # A row filled while the officer is still in its NIK: the keyboard moves on once they leave it.
        self._on_leaving: tuple[QWidget, FormView, _Place, set[str]] | None = None
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    # -- what is known ------------------------------------------------------------------------------
    def choose_resident(self, resident: object) -> None:
        """The applicant was taken from the residents index: their birth date and sex become known."""
        self.resident = resident_facts(resident) if isinstance(resident, Resident) else {}

    def known(self) -> Known:
        """The outpost, the applicant (with what the index knows of them) and the service's answers."""
        name, nik, kk = self.editor.applicant.values()
        applicant: dict[str, object] = {"name": name, "nik": nik, "kk": kk}
        if self.resident and (not nik or self.resident.get("nik") == nik):
            applicant.update({k: self.resident.get(k) for k in ("birth_date", "sex")})
        return Known(self.outpost, applicant, dict(self.editor.service.prefill), self.today, _postal_code)

    def _by_alias(self) -> dict[str, Mapping[str, object]]:
        registry = self.editor.registry
        return {registry.get(form).alias: answers for form, answers in self.editor.answers.items() if form in registry}

    # -- filling ------------------------------------------------------------------------------------
    def answers_for(self, form: str, answers: Mapping[str, object]) -> dict[str, object]:
        """A form's answers with what carries over into it (when its tab is built); its member rows'
        NIKs as they are now are taken as looked up already."""
        schema = self.editor.registry.get(form)
        for place, nik in _niks_of(form, schema, answers).items():
            self._niks.setdefault(place, nik)
        by_alias = self._by_alias()
        by_alias[schema.alias] = answers
        proposed = proposals(schema, by_alias, self.known(), self.editor.registry)
        return apply(answers, proposed, self.carried.setdefault(form, Carried()))

    def fill_forms(self) -> None:
        """Fill every form of the application, built or not, and save what changed."""
        if self._busy:
            return
        self._busy = True
        try:
            for _ in range(MAX_PASSES):
                if not self._fill_pass():
                    break
        finally:
            self._busy = False

    def _fill_pass(self) -> bool:
        editor, known = self.editor, self.known()
        changed = False
        for form in list(editor.forms) + list(editor._placeholders):
            schema = editor.registry.get(form)
            view = editor.forms.get(form)
            current = view.answers() if view is not None else dict(editor.answers.get(form, {}))
            by_alias = self._by_alias()
            by_alias[schema.alias] = current
            proposed = proposals(schema, by_alias, known, editor.registry)
            skip = {_focused_path(view)} if view is not None else set()
            filled = apply(current, proposed, self.carried.setdefault(form, Carried()), skip)
            new = changes(current, filled)
            if not new:
                continue
            changed = True
            if view is not None:
                _show(view, new)  # the view announces its answers: saved and rechecked like an edit
            else:
                editor._form_changed(form, filled)
        return changed

    def confirmed(self, form: str, answers: Mapping[str, object]) -> None:
        """These answers' NIKs come with values the officer confirmed from a document (a KK read and
        reviewed): the residents index, maybe older than the card, fills nothing in their rows and asks
        nothing about them."""
        schema = self.editor.registry.get(form)
        self._niks.update(_niks_of(form, schema, answers))

    def form_changed(self, form: str, answers: Mapping[str, object]) -> None:
        """After an edit: carry into the other forms, and look up NIKs newly typed into rows."""
        if self._busy:
            return
        self.fill_forms()
        self._look_up(form, answers)

    # -- the residents index --------------------------------------------------------------------------
    def _look_up(self, form: str, answers: Mapping[str, object]) -> None:
        schema = self.editor.registry.get(form)
        view = self.editor.forms.get(form)
        for place, nik in _niks_of(form, schema, answers).items():
            if self._niks.get(place) == nik:
                continue
            self._niks[place] = nik
            if len(nik) != 16 or check_nik(nik).errors:
                continue
            carried = self.carried.get(form, Carried()).values
            into_row = {path.split(".")[-1] for path in carried if path.startswith(place.prefix() + ".")}
            if view is not None and into_row:  # the NIK is someone the application knows (the applicant)
                self._advance_later(view, place, into_row)
            self.editor.runner.db(
                "resident by NIK", functools.partial(_residents_with, nik), functools.partial(self._found, place, nik)
            )

    def _found(self, place: _Place, nik: str, found: object) -> None:
        """A resident for a NIK typed in a row: fill the row, asking before replacing typed answers."""
        view = self.editor.forms.get(place.form)
        residents = found if isinstance(found, list) else []
        if view is None or len(residents) != 1 or self._niks.get(place) != nik:
            return  # not (or no longer) the NIK in that row, or not one person: nothing to fill
        section = view.schema.section(place.section)
        if section is None:
            return
        container = view.answers().get(place.section)
        if place.row is not None:
            rows = container if isinstance(container, list) else []
            container = rows[place.row] if place.row < len(rows) else None
        row = container if isinstance(container, Mapping) else {}
        if normalize_identifier(str(row.get(RESIDENT_KEY) or "")) != nik:
            return
        # What was carried into the row (a child's parents from the family's rows) was not typed: the
        # index's record of the person goes before it without asking.
        carried = self.carried.get(place.form, Carried()).values
        untyped = {
            field_id: value
            for field_id, value in row.items()
            if carried.get(f"{place.prefix()}.{field_id}", _NOTHING) != value
        }
        fill = row_fill(untyped, resident_values(section, residents[0]))
        values = dict(fill.empty)
        if fill.conflicting:
            labels = [_label(section, field_id) for field_id in fill.conflicting]
            if ReplaceTyped.ask(self.editor, str(residents[0].get("name", "")), labels):
                values.update({field_id: new for field_id, (_typed, new) in fill.conflicting.items()})
        values = {field_id: value for field_id, value in values.items() if row.get(field_id) != value}
        if values:
            for field_id in values:
                carried.pop(f"{place.prefix()}.{field_id}", None)  # the index's now, not the family rows'
            _show(view, {f"{place.prefix()}.{field_id}": value for field_id, value in values.items()})
            self._advance_later(view, place, set(values))

    # -- the keyboard after a NIK filled its row -------------------------------------------------------
    def _advance_later(self, view: FormView, place: _Place, filled: set[str]) -> None:
        """Move the keyboard on once the key press that led here (Tab out of the NIK) is done."""
        QTimer.singleShot(0, self, functools.partial(self._advance, view, place, filled))

    def _focus_changed(self, old: QWidget | None, _new: QWidget | None) -> None:
        if self._on_leaving is not None and old is self._on_leaving[0]:
            _widget, view, place, filled = self._on_leaving
            self._on_leaving = None
            self._advance_later(view, place, filled)

    def _advance(self, view: FormView, place: _Place, filled: set[str]) -> None:
        """Put the keyboard on the row's first required field still empty after its NIK (or past the row
        when there is none), if it is still on the NIK or on a field just filled: the officer who moved
        on elsewhere, or typed in the next field, keeps their place."""
        if not shiboken6.isValid(view) or self.editor.forms.get(place.form) is not view:
            return
        prefix = place.prefix() + "."
        if prefix + RESIDENT_KEY in self.carried.get(place.form, Carried()).values:
            return  # the NIK was carried, not typed: the officer is not on their way through this row
        here = _focused_path(view)
        if here not in (prefix + RESIDENT_KEY, *(prefix + field_id for field_id in filled)):
            return
        focused = QApplication.focusWidget() or view.window().focusWidget()
        nik = view.rows[prefix + RESIDENT_KEY].editor if prefix + RESIDENT_KEY in view.rows else None
        if focused is not None and here == prefix + RESIDENT_KEY and focused is not getattr(nik, "pending", None):
            # Still in the NIK itself (the look-up came while they paused): move on when they Tab out of
            # it, not under their next key press.
            self._on_leaving = (focused, view, place, filled)
            return
        view.check(emit=False)  # what is required now that the row is filled
        required = view.evaluation.required if view.evaluation is not None else set()
        paths = [path for path in view.rows if path.startswith(prefix)]
        after_nik = paths[paths.index(prefix + RESIDENT_KEY) + 1 :] if prefix + RESIDENT_KEY in paths else paths
        for path in after_nik:
            row = view.rows[path]
            if path in required and is_empty(row.editor.value()) and row.editor.isVisibleTo(view):
                if path != here:
                    view.focus_path(path)
                return
        block = view.blocks.get(place.section)
        if isinstance(block, RepeatBlock):
            if block.add_button.isEnabled():
                view.ensureWidgetVisible(block.add_button)
                block.add_button.setFocus(Qt.FocusReason.TabFocusReason)
            return
        later = list(view.rows)
        start = later.index(paths[-1]) + 1 if paths else len(later)
        for path in later[start:]:
            row = view.rows[path]
            if row.editor.isVisibleTo(view) and row.editor.isEnabled():
                view.focus_path(path)
                return


_NOTHING = object()


def _postal_code(code: object) -> str | None:
    """A desa's postal code from the region data, once it is loaded (on a worker at start): carry-over
    never loads it on the GUI thread."""
    return default_index().postal_code(code) if default_loaded() else None


def _residents_with(nik: str) -> list[dict[str, object]]:
    """What the residents index knows of the people with this NIK (run on the database thread)."""
    return [resident_facts(resident) for resident in find_by_nik(nik)]


def _niks_of(form: str, schema: FormSchema, answers: Mapping[str, object]) -> dict[_Place, str]:
    """The NIK typed in each section or member row that the residents index can fill."""
    out: dict[_Place, str] = {}
    for section in resident_sections(schema):
        value = answers.get(section.id)
        rows = value if isinstance(value, list) else [value]
        for index, row in enumerate(rows):
            if isinstance(row, Mapping):
                nik = normalize_identifier(str(row.get(RESIDENT_KEY) or ""))
                out[_Place(form, section.id, index if section.repeating else None)] = nik
    return out


def _label(section: SectionSpec, field_id: str) -> str:
    spec = section.field(field_id)
    return spec.label if spec is not None else field_id


def _focused_path(view: FormView) -> str:
    """The path of the field that has the keyboard (the officer may be typing there)."""
    focused = QApplication.focusWidget() or view.window().focusWidget()
    for path, row in view.rows.items():
        if focused is not None and (focused is row.editor or row.editor.isAncestorOf(focused)):
            return path
    return ""


def _show(view: FormView, values: Mapping[str, object]) -> None:
    """Put values into a built form's fields (by path), as if typed; the form checks and announces them."""
    for path, value in values.items():
        view.set_answer(path, value)  # a field below the first screen may not be built yet
    view.check()
