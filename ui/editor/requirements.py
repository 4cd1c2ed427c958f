"""The requirements checklist of an application: case questions, then each document with its pages."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.catalog import ChecklistItem, Service
from app.catalog.model import COPY_KINDS, Fact
from app.forms import FieldSpec
from app.forms.expr import as_date
from app.submission import Attached
from ui import palette
from ui.forms.editors import DateEditor

FILE_FILTER = "Dokumen (*.jpg *.jpeg *.png *.tif *.tiff *.pdf);;Semua berkas (*)"
READABLE = {"kk": "Baca KK", "ktp_el": "Baca KTP-el"}  # documents the card reader knows
QUESTION_WIDTH = 300  # the questions column: long questions wrap inside it instead of being cut off


def file_dialog(parent: QWidget, title: str) -> QFileDialog:
    """Qt's own file dialog (not the system's) in Bahasa Indonesia: Qt ships no Indonesian translation,
    and the system dialog speaks the system's language."""
    dialog = QFileDialog(parent, title, "", FILE_FILTER)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    labels = {
        QFileDialog.DialogLabel.LookIn: dialog.tr("Cari di:"),
        QFileDialog.DialogLabel.FileName: dialog.tr("Nama berkas:"),
        QFileDialog.DialogLabel.FileType: dialog.tr("Jenis berkas:"),
        QFileDialog.DialogLabel.Accept: dialog.tr("Buka"),
        QFileDialog.DialogLabel.Reject: dialog.tr("Batal"),
    }
    for label, text in labels.items():
        dialog.setLabelText(label, text)
    return dialog


def choose_files(parent: QWidget, title: str) -> list[str]:
    """Ask for files to import (tests replace this function)."""
    dialog = file_dialog(parent, title)
    paths = dialog.selectedFiles() if dialog.exec() == QFileDialog.DialogCode.Accepted else []
    dialog.deleteLater()
    return list(paths)


class RequirementRow(QFrame):
    """One requirement: what it is, whether it applies, what is attached, and how to attach more."""

    def __init__(self, item: ChecklistItem, page: RequirementsPage) -> None:
        super().__init__()
        self.item = item
        self.setFrameShape(QFrame.Shape.StyledPanel)
        req = item.requirement
        # Whether a conditional requirement applies is said once, in the status (the title used to say
        # "belum dapat ditentukan" while the status said "tidak wajib").
        tag = f" <i>({item.reason})</i>" if item.conditional and item.applies else ""
        title = QLabel(f"<b>{req.title}</b> — {COPY_KINDS.get(req.copy, req.copy)}{tag}")
        title.setWordWrap(True)
        self.status = QLabel()
        self.substitute = QComboBox()
        self.substitute.addItem(self.tr("Dokumen ini"), "")
        for sub in item.substitutes:
            self.substitute.addItem(self.tr("Diganti: ") + sub.label, sub.id)
        self.substitute.setVisible(bool(item.substitutes))
        self.suggest(item.suggested)
        # As wide as its longest choice: "Diganti: SPTJM kebenaran data kelahiran (F-2.03) dengan 2 orang saksi".
        self.substitute.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.import_button = QPushButton(self.tr("Impor berkas…"))
        self.import_button.clicked.connect(lambda: page.import_files(self))
        self.capture_button = QPushButton(self.tr("Pindai / kamera…"))
        self.capture_button.clicked.connect(lambda: page.capture_requested.emit(req.id, self.substitute.currentData()))
        # A KK or KTP-el page attached as itself can be read into the forms (ui/editor/card_read.py).
        self.read_button: QPushButton | None = None
        if req.document.id in READABLE:
            self.read_button = QPushButton(self.tr(READABLE[req.document.id]))
            self.read_button.setToolTip(
                self.tr("Baca halaman yang dilampirkan dan periksa isinya sebelum masuk formulir")
            )
            self.read_button.setEnabled(False)
            self.read_button.clicked.connect(lambda: page.read_requested.emit(req.id))
        grid = QGridLayout(self)
        grid.addWidget(title, 0, 0, 1, 4)
        if req.note:
            note = QLabel(req.note)
            note.setWordWrap(True)
            note.setStyleSheet(palette.style(palette.QUIET))
            grid.addWidget(note, 1, 0, 1, 4)
        dinas = page.dinas_notes.get(req.id)
        if dinas:
            note = QLabel("↩ Dinas: " + dinas)
            note.setWordWrap(True)
            note.setStyleSheet(palette.style(palette.WARNING, "font-weight: bold;"))
            grid.addWidget(note, 3, 0, 1, 4)
        grid.addWidget(self.status, 2, 0)
        grid.addWidget(self.substitute, 2, 1)
        grid.addWidget(self.import_button, 2, 2)
        grid.addWidget(self.capture_button, 2, 3)
        if self.read_button is not None:
            grid.addWidget(self.read_button, 2, 4)
        grid.setColumnStretch(0, 1)
        self.status.setWordWrap(True)

    def suggest(self, substitute_id: str) -> None:
        """Choose the substitute the answers call for (the SPTJM once they say there is no birth letter)."""
        index = self.substitute.findData(substitute_id) if substitute_id else -1
        if index >= 0:
            self.substitute.setCurrentIndex(index)

    def update_item(self, item: ChecklistItem, attached: Attached | None) -> None:
        """The same requirement for changed answers: take up a newly called-for substitute, unless pages
        are already attached under another choice."""
        previous, self.item = self.item.suggested, item
        if item.suggested != previous and not (attached and attached.pages):
            self.suggest(item.suggested)
            if not item.suggested:
                self.substitute.setCurrentIndex(0)

    def show_attached(self, attached: Attached | None) -> None:
        """Show the page count and state."""
        pages = attached.pages if attached else 0
        if self.read_button is not None:  # the card itself, not a substitute for it
            self.read_button.setEnabled(bool(pages) and not (attached and attached.substitute_id))
        if attached and pages:
            self.suggest(attached.substitute_id)  # what the pages were attached as
        if pages:
            text = self.tr("✔ %n halaman", "", pages)
            if attached and attached.substitute_id:
                label = next((s.label for s in self.item.substitutes if s.id == attached.substitute_id), "")
                text += f" ({label})"
            self.status.setText(text)
            self.status.setStyleSheet(palette.style(palette.GOOD))
        elif self.item.applies:
            self.status.setText(self.tr("✖ belum dilampirkan (wajib)"))
            self.status.setStyleSheet(palette.style(palette.ERROR))
        elif self.item.conditional:
            self.status.setText(self.item.reason)  # "tidak berlaku …" or "belum dapat ditentukan …"
            self.status.setStyleSheet(palette.style(palette.QUIET))
        else:
            self.status.setText(self.tr("tidak wajib untuk isian ini"))
            self.status.setStyleSheet(palette.style(palette.QUIET))


class RequirementsPage(QScrollArea):
    """Facts and the checklist; asks the editor to store imported pages."""

    facts_changed = Signal(dict)
    attach_requested = Signal(str, str, list)  # requirement id, substitute id, file paths
    capture_requested = Signal(str, str)
    read_requested = Signal(str)  # requirement id: read its KK / KTP-el page
    choose: Callable[[QWidget, str], list[str]] = staticmethod(choose_files)

    def __init__(self, service: Service, facts: Mapping[str, object], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.rows: dict[str, RequirementRow] = {}
        self.fact_boxes: dict[str, QComboBox] = {}
        self.fact_dates: dict[str, DateEditor] = {}  # date facts (the birth date of a KIA's child)
        self.fact_order: list[QWidget] = []
        self.dinas_notes: dict[str, str] = {}  # requirement id -> why the Dinas returned the application
        body = QWidget()
        self.layout_ = QVBoxLayout(body)
        if service.facts:
            box = QGroupBox(self.tr("Pertanyaan tentang keadaan pemohon"))
            form = QFormLayout(box)
            for fact in service.facts:
                if fact.type == "date":
                    self._add_date(form, fact, facts.get(fact.id))
                    continue
                combo = QComboBox()
                combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                combo.setMinimumContentsLength(16)
                combo.addItem(self.tr("— belum dijawab —"), None)
                options = fact.options or ((True, self.tr("Ya")), (False, self.tr("Tidak")))
                for value, label in options:
                    combo.addItem(label, value)
                current = facts.get(fact.id)
                for index in range(combo.count()):
                    if combo.itemData(index) == current and current is not None:
                        combo.setCurrentIndex(index)
                combo.currentIndexChanged.connect(self._facts_edited)
                question = QLabel(fact.label)
                question.setWordWrap(True)
                question.setMinimumWidth(QUESTION_WIDTH)
                form.addRow(question, combo)
                self.fact_boxes[fact.id] = combo
                self.fact_order.append(combo)
            self.layout_.addWidget(box)
        self.list_box = QGroupBox(self.tr("Persyaratan dokumen"))
        self.list_layout = QVBoxLayout(self.list_box)
        self.layout_.addWidget(self.list_box)
        self.layout_.addStretch(1)
        self.setWidget(body)
        self.setWidgetResizable(True)

    def _add_date(self, form: QFormLayout, fact: Fact, current: object) -> None:
        """A date question, typed DD-MM-YYYY like a form's date field; kept as an ISO date."""
        editor = DateEditor(FieldSpec(fact.id, fact.label, "date"))
        editor.set_value(current)
        editor.line.setCursorPosition(0)  # typing starts at the day, also when focus_first() puts the keyboard here
        editor.changed.connect(self._facts_edited)
        question = QLabel(fact.label)
        question.setWordWrap(True)
        question.setMinimumWidth(QUESTION_WIDTH)
        question.setBuddy(editor.line)
        form.addRow(question, editor)
        self.fact_dates[fact.id] = editor
        self.fact_order.append(editor.line)

    def facts(self) -> dict[str, object]:
        """The answered facts (a date only once all of DD-MM-YYYY is typed and it is a real date)."""
        out = {key: box.currentData() for key, box in self.fact_boxes.items() if box.currentData() is not None}
        for key, editor in self.fact_dates.items():
            value = editor.value()
            whole = re.fullmatch(r"\d{2}-\d{2}-\d{4}", editor.line.text()) is not None
            if whole and isinstance(value, str) and as_date(value) is not None:
                out[key] = value
        return out

    def _facts_edited(self) -> None:
        self.facts_changed.emit(self.facts())

    def show_checklist(self, items: list[ChecklistItem], attached: Mapping[str, Attached]) -> None:
        """Rebuild the list when the applicable requirements change; refresh page counts."""
        position = {item.requirement.id: index for index, item in enumerate(items)}
        ordered = sorted(items, key=lambda i: (not i.applies, position[i.requirement.id]))
        layout = [(item.requirement.id, item.applies, tuple(s.id for s in item.substitutes)) for item in ordered]
        current = [
            (r.item.requirement.id, r.item.applies, tuple(s.id for s in r.item.substitutes)) for r in self.rows.values()
        ]
        if layout != current:
            for row in self.rows.values():
                row.setParent(None)
                row.deleteLater()
            self.rows = {}
            for item in ordered:
                row = RequirementRow(item, self)
                self.rows[item.requirement.id] = row
                self.list_layout.addWidget(row)
        by_id = {item.requirement.id: item for item in items}
        for req_id, row in self.rows.items():
            row.update_item(by_id[req_id], attached.get(req_id))
            row.show_attached(attached.get(req_id))

    def focus_first(self) -> None:
        """The first question about the applicant, else the first requirement's import button."""
        first: QWidget | None = next(iter(self.fact_order), None)
        if first is None:
            row = next(iter(self.rows.values()), None)
            first = row.import_button if row is not None else None
        if first is not None:
            first.setFocus()

    def reveal(self, requirement_id: str) -> None:
        """Scroll a requirement into view (from a finding or a Dinas reason)."""
        row = self.rows.get(requirement_id)
        if row is not None:
            self.ensureWidgetVisible(row)

    def import_files(self, row: RequirementRow) -> None:
        """Ask for files and hand them to the editor to store."""
        paths = type(self).choose(self, self.tr("Impor berkas: ") + row.item.requirement.title)
        if paths:
            self.attach_requested.emit(row.item.requirement.id, str(row.substitute.currentData() or ""), paths)
