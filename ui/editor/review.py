"""The last step: a summary of the application, every finding (click to jump), warnings to acknowledge."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.submission import SubmissionCheck, warning_key
from ui import palette

PATH_ROLE = Qt.ItemDataRole.UserRole
KEY_ROLE = Qt.ItemDataRole.UserRole + 1


class ReviewPage(QWidget):
    """Summary, blocking errors, warnings with a check box each, and the submit button."""

    jump = Signal(str, str)  # form id, field path
    submit = Signal(list)  # acknowledged warning keys

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.errors = _wrapping_list()
        self.errors.itemActivated.connect(self._activated)
        self.warnings = _wrapping_list()
        self.warnings.itemActivated.connect(self._activated)
        self.warnings.itemChanged.connect(lambda _item: self._refresh_button())
        self.blockers = QLabel()
        self.blockers.setWordWrap(True)
        self.blockers.setStyleSheet(palette.style(palette.ERROR))
        self.submit_button = QPushButton(self.tr("Kirim permohonan (Ctrl+Enter)"))
        self.submit_button.setShortcut("Ctrl+Return")
        self.submit_button.clicked.connect(lambda: self.submit.emit(sorted(self.acknowledged())))
        error_box = QGroupBox(self.tr("Kesalahan (harus diperbaiki)"))
        QVBoxLayout(error_box).addWidget(self.errors)
        warning_box = QGroupBox(self.tr("Peringatan (centang bila sudah diperiksa dan memang benar)"))
        QVBoxLayout(warning_box).addWidget(self.warnings)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(error_box, 2)
        layout.addWidget(warning_box, 1)
        layout.addWidget(self.blockers)
        layout.addWidget(self.submit_button)
        self.check: SubmissionCheck | None = None

    def acknowledged(self) -> set[str]:
        """Keys of the warnings the officer ticked."""
        keys = set()
        for index in range(self.warnings.count()):
            item = self.warnings.item(index)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                keys.add(str(item.data(KEY_ROLE)))
        return keys

    def show_check(self, check: SubmissionCheck, summary_html: str) -> None:
        """Show the state of the application (ticks on warnings that are still there are kept)."""
        kept = self.acknowledged()
        self.check = check
        self.summary.setText(summary_html)
        self.errors.clear()
        for form, finding in check.errors:
            where = form or (self.tr("Pemohon") if finding.path.startswith("applicant.") else "")
            item = QListWidgetItem(f"✖ {where + ' · ' if where else ''}{finding.message}")
            item.setToolTip(item.text())
            item.setData(PATH_ROLE, (form, finding.path))
            self.errors.addItem(item)
        for missing in check.missing:
            item = QListWidgetItem(f"✖ {self.tr('Dokumen wajib belum dilampirkan')}: {missing.requirement.title}")
            item.setData(PATH_ROLE, ("", f"requirement:{missing.requirement.id}"))
            self.errors.addItem(item)
        if not self.errors.count():
            self.errors.addItem(QListWidgetItem(self.tr("✔ Tidak ada kesalahan.")))
        self.warnings.blockSignals(True)
        place = self.warnings.currentRow()  # a recheck keeps the officer's place in the list
        self.warnings.clear()
        for form, finding in check.warnings:
            key = warning_key(form, finding)
            item = QListWidgetItem(f"⚠ {form} · {finding.message}")
            item.setToolTip(item.text())
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if key in kept else Qt.CheckState.Unchecked)
            item.setData(PATH_ROLE, (form, finding.path))
            item.setData(KEY_ROLE, key)
            self.warnings.addItem(item)
        if not self.warnings.count():
            placeholder = QListWidgetItem(self.tr("✔ Tidak ada peringatan."))
            placeholder.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.warnings.addItem(placeholder)
        if place >= 0:
            self.warnings.setCurrentRow(min(place, self.warnings.count() - 1))
        self.warnings.blockSignals(False)
        self._refresh_button()

    def focus_first(self) -> None:
        """The submit button when it may be pressed; else, with nothing to fix, the first warning still to
        tick (Space ticks it, Down goes to the next); else the list of what must be fixed."""
        if self.submit_button.isEnabled():
            self.submit_button.setFocus()
            return
        if self.check is not None and not self.check.errors and not self.check.missing:
            for index in range(self.warnings.count()):
                item = self.warnings.item(index)
                if item.flags() & Qt.ItemFlag.ItemIsUserCheckable and item.checkState() != Qt.CheckState.Checked:
                    self.warnings.setCurrentRow(index)
                    self.warnings.setFocus()
                    return
        self.errors.setFocus()

    def _refresh_button(self) -> None:
        if self.check is None:
            self.submit_button.setEnabled(False)
            return
        acknowledged = self.acknowledged()
        blockers = self.check.blockers(acknowledged)
        self.submit_button.setEnabled(not blockers)
        # One line: the list above holds each finding (eight lines here left the list three rows at 1280x720).
        if blockers:
            more = self.tr(" (dan %n lainnya)", "", len(blockers) - 1) if len(blockers) > 1 else ""
            self.blockers.setText(self.tr("Belum dapat dikirim: ") + blockers[0] + more)
        else:
            self.blockers.setText("")

    def _activated(self, item: QListWidgetItem) -> None:
        data = item.data(PATH_ROLE)
        if not data:
            return
        form, path = data
        self.jump.emit(form, path)


def _wrapping_list() -> QListWidget:
    """A list whose long findings wrap to the width instead of being cut off at the right."""
    widget = QListWidget()
    widget.setWordWrap(True)
    widget.setTextElideMode(Qt.TextElideMode.ElideNone)
    widget.setResizeMode(QListView.ResizeMode.Adjust)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return widget
