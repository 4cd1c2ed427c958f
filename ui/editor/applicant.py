"""The first step of an application: who it is for (look-up in the residents index to prefill)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.catalog import ActiveReferral, Service
from app.findings import Finding
from app.identity import check_kk, check_nik, normalize_identifier
from app.store.residents import typed_full_name
from app.views.residents import Resident, look_up
from ui import palette
from ui.escape import clear_on_escape
from ui.tasks import TaskRunner


class ApplicantPage(QWidget):
    """Identify the applicant: NIK/KK/name look-up, or an explicit "belum punya NIK"."""

    changed = Signal()
    prefill = Signal(object)  # a Resident chosen from the index
    print_referral = Signal(object)  # the ActiveReferral to print a slip for

    def __init__(self, runner: TaskRunner, service: Service, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.active_referrals: list[ActiveReferral] = []
        fee = self.tr("Gratis") if service.fee == 0 else f"Rp {service.fee:,}".replace(",", ".")
        info = QLabel(
            f"<h2>{service.title}</h2><p>{self.tr('Waktu penyelesaian')}: {service.sla_days} "
            f"{self.tr('hari kerja')} · {self.tr('Biaya')}: <b>{fee}</b> · "
            f"{self.tr('Formulir')}: {', '.join(service.form_ids)}</p>"
        )
        info.setWordWrap(True)
        self.query = QLineEdit()
        self.query.setPlaceholderText(self.tr("NIK, Nomor KK, atau awal nama"))
        clear_on_escape(self.query)
        self.search_button = QPushButton(self.tr("Cari di data penduduk"))
        self.search_button.clicked.connect(self.search)
        self.query.returnPressed.connect(self.search)
        self.results = QListWidget()
        self.results.setMaximumHeight(140)
        self.results.itemActivated.connect(self.choose)
        self.results_note = QLabel()
        self.name = QLineEdit()
        self.nik = QLineEdit()
        self.nik.setMaxLength(24)
        self.kk = QLineEdit()
        self.kk.setMaxLength(24)
        self.no_nik = QCheckBox(self.tr("Belum punya NIK (bayi baru lahir, pendaftaran pertama)"))
        self.no_nik.toggled.connect(self._no_nik_toggled)
        # Each field's problem right under that field (a NIK's impossible day used to sit under Nomor KK).
        self.nik_message = _message_label()
        self.kk_message = _message_label()
        for field in (self.name, self.nik, self.kk):
            field.textEdited.connect(lambda _text: self.changed.emit())
            field.editingFinished.connect(self.check_identifiers)

        search_row = QHBoxLayout()
        search_row.addWidget(self.query, 1)
        search_row.addWidget(self.search_button)
        lookup = QGroupBox(self.tr("Cari pemohon"))
        lookup_layout = QVBoxLayout(lookup)
        lookup_layout.addLayout(search_row)
        lookup_layout.addWidget(self.results_note)
        lookup_layout.addWidget(self.results)
        details = QGroupBox(self.tr("Pemohon"))
        form = QFormLayout(details)
        form.addRow(self.tr("Nama lengkap *"), self.name)
        form.addRow(self.tr("NIK"), self.nik)
        form.addRow("", self.nik_message)
        form.addRow("", self.no_nik)
        form.addRow(self.tr("Nomor KK"), self.kk)
        form.addRow("", self.kk_message)
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        self.referral_box = self._referral_box(service)
        if self.referral_box is not None:
            layout.addWidget(self.referral_box)
        layout.addWidget(lookup)
        layout.addWidget(details)
        layout.addStretch(1)
        self.query.setFocus()

    def _referral_box(self, service: Service) -> QGroupBox | None:
        """Before any form: the cases this service sends elsewhere, and the referral the answers call for."""
        rules = [item for item in service.eligibility if item.referral is not None]
        if not rules:
            return None
        box = QGroupBox(self.tr("Periksa dulu: bukan layanan Disdukcapil bila"))
        layout = QVBoxLayout(box)
        for item in rules:
            assert item.referral is not None
            line = QLabel(f"• {item.referral.reason} → <b>{item.referral.office.title}</b>")
            line.setWordWrap(True)
            layout.addWidget(line)
        self.referral_message = QLabel()
        self.referral_message.setWordWrap(True)
        self.referral_message.setStyleSheet(palette.style(palette.ERROR, "font-weight: bold;"))
        self.referral_message.hide()
        self.referral_button = QPushButton(self.tr("Cetak surat rujukan…"))
        self.referral_button.hide()
        self.referral_button.clicked.connect(lambda: self.print_referral.emit(self.active_referrals[0]))
        layout.addWidget(self.referral_message)
        layout.addWidget(self.referral_button)
        return box

    def show_referrals(self, active: list[ActiveReferral]) -> None:
        """Say where the case belongs when the answers call for a referral, with the slip to print."""
        self.active_referrals = list(active)
        if self.referral_box is None:
            return
        text = "<br/>".join(
            f"{a.rule.message} {self.tr('Rujuk ke')} <b>{a.referral.office.title}</b> ({a.referral.articles})."
            for a in active
        )
        self.referral_message.setText(text)
        self.referral_message.setVisible(bool(active))
        self.referral_button.setVisible(bool(active))

    def _no_nik_toggled(self, on: bool) -> None:
        self.nik.setEnabled(not on)
        if on:
            self.nik.clear()
        self.changed.emit()

    def search(self) -> None:
        """Look the query up in the residents index (on the database thread)."""
        text = self.query.text().strip()
        if not text:
            return
        self.results_note.setText(self.tr("Mencari…"))
        self.runner.db("resident lookup", lambda: look_up(text, limit=20), self.show_results)

    def show_results(self, residents: list[Resident]) -> None:
        """List the matches; Enter or double-click takes one."""
        self.results.clear()
        for resident in residents:
            born = resident.birth_date.strftime("%d-%m-%Y") if resident.birth_date else "-"
            item = QListWidgetItem(
                f"{resident.name} · NIK {resident.nik or '-'} · KK {resident.kk or '-'} · lahir {born}"
            )
            item.setData(256, resident)
            self.results.addItem(item)
        self.results_note.setText(
            self.tr("%n penduduk ditemukan. Tekan Enter pada nama untuk mengisi otomatis.", "", len(residents))
            if residents
            else self.tr("Tidak ditemukan. Isi data pemohon secara manual di bawah.")
        )
        if residents:
            self.results.setCurrentRow(0)
            self.results.setFocus()
            return
        # Not in the index: what was typed goes where it belongs, and the officer types on from there.
        text = self.query.text().strip()
        digits = normalize_identifier(text)
        if digits.isdigit() and len(digits) == 16:
            if not self.nik.text().strip() and not self.no_nik.isChecked():
                self.nik.setText(digits)
                self.check_identifiers()
                self.changed.emit()
        elif typed_full_name(text) and not self.name.text().strip():  # a whole name, not a surname search
            self.name.setText(typed_full_name(text))
            self.changed.emit()
        self.name.setFocus()

    def choose(self, item: QListWidgetItem) -> None:
        """Prefill from a resident."""
        resident = item.data(256)
        self.name.setText(resident.name)
        self.nik.setText(resident.nik or "")
        self.kk.setText(resident.kk or "")
        self.no_nik.setChecked(resident.nik is None)
        self.check_identifiers()
        self.prefill.emit(resident)
        self.changed.emit()
        self.name.setFocus()  # to check the details, then on to the forms

    def check_identifiers(self) -> None:
        """Say at once, under the field, when a NIK or KK is malformed (the review lists it and blocks Submit)."""
        found = self.findings()
        for label, path in ((self.nik_message, "applicant.nik"), (self.kk_message, "applicant.kk")):
            messages = [f.message for f in found if f.path == path]
            label.setText("\n".join(messages))
            label.setVisible(bool(messages))

    def findings(self) -> list[Finding]:
        """The applicant's errors, at `applicant.name`, `applicant.nik` and `applicant.kk`: the same NIK and KK
        checks the forms and the Dinas' intake make (app.identity), so none of them slips past the review."""
        name, nik, kk = self.values()
        found: list[Finding] = []
        if not name:
            message = self.tr("Nama pemohon belum diisi. Isi nama lengkap pemohon pada langkah 1 (Pemohon).")
            found.append(Finding("applicant.name", "applicant_name_empty", "error", message))
        if nik:
            found += [f.at("applicant.nik") for f in check_nik(nik).errors]
        if kk:
            found += [f.at("applicant.kk") for f in check_kk(kk).errors]
        return found

    def focus_path(self, path: str) -> None:
        """Put the keyboard on the applicant field a finding names."""
        field = {"applicant.nik": self.nik, "applicant.kk": self.kk}.get(path, self.name)
        field.setFocus()
        field.selectAll()

    def values(self) -> tuple[str, str, str]:
        """(name, NIK digits or "", KK digits or "")."""
        nik = "" if self.no_nik.isChecked() else normalize_identifier(self.nik.text())
        return self.name.text().strip(), nik, normalize_identifier(self.kk.text())

    def load(self, name: str, nik: str, kk: str) -> None:
        """Show saved values (and what is wrong with them)."""
        self.name.setText(name)
        self.nik.setText(nik)
        self.kk.setText(kk)
        self.check_identifiers()


def _message_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(palette.style(palette.ERROR))
    label.hide()
    return label
