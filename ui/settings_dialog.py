"""The settings dialog: every setting an officer may change, from the registry, checked before it is saved.

What the logged-in officer may not change (a supervisor's setting) is shown but not editable. The
Dinas server's address is shown read-only: it comes from the enrolment, and changes only by enrolling
again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.settings import Settings, SettingsError
from app.settings_registry import Changer, changeable, spec
from ui import palette

if TYPE_CHECKING:
    from ui.tasks import TaskRunner

Editor = QLineEdit | QSpinBox | QComboBox | QCheckBox


def role_of(officer_role: str) -> Changer:
    """Who an officer is for the settings: a supervisor or admin may change a supervisor's settings."""
    return "supervisor" if officer_role in ("supervisor", "admin") else "officer"


def _enrolled_address() -> str:
    """The server address of the enrolment (on the database thread)."""
    from app.store import settings as secure  # noqa: PLC0415

    return str(secure.get("sync.server_url"))


class SettingsDialog(QDialog):
    """Outpost, printing, security, sync, scanner and camera settings, and the enrolled server."""

    def __init__(
        self,
        settings: Settings,
        templates: list[tuple[str, str]] | None = None,
        parent: QWidget | None = None,
        *,
        role: Changer = "supervisor",
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.role: Changer = role
        self.setWindowTitle(self.tr("Pengaturan Loket"))
        self.editors: dict[str, Editor] = {}
        form = QFormLayout()
        for declared in changeable():
            if declared.changed_by == ("support",):
                continue
            value = settings.get(declared.key)
            editor: Editor
            if declared.key == "print.template" and templates:
                editor = QComboBox()
                for template_id, title in templates:
                    editor.addItem(title, template_id)
                editor.setCurrentIndex(max(0, editor.findData(value)))
            elif declared.choices:
                editor = QComboBox()
                for choice, text in declared.choices:
                    editor.addItem(text, choice)
                editor.setCurrentIndex(max(0, editor.findData(value)))
            elif declared.type is bool:
                editor = QCheckBox()
                editor.setChecked(value is True)
            elif declared.type is int:
                editor = QSpinBox()
                editor.setRange(
                    declared.minimum if declared.minimum is not None else 0,
                    declared.maximum if declared.maximum is not None else 1_000_000,
                )
                editor.setValue(value if isinstance(value, int) else 0)
            else:
                editor = QLineEdit(str(value))
            tip = declared.description
            if role not in declared.changed_by:
                editor.setEnabled(False)
                tip += " " + self.tr("Hanya supervisor yang dapat mengubahnya.")
            editor.setToolTip(tip)
            # Whole on one line: a wrapped caption was given the height of its one-line editor and cut.
            caption = QLabel(declared.label)
            caption.setToolTip(tip)
            form.addRow(caption, editor)
            self.editors[declared.key] = editor
        server_help = self.tr(
            "Alamat ditetapkan saat perangkat didaftarkan ke Dinas. Untuk mengganti server, minta kode "
            "pendaftaran baru kepada Dinas lalu daftarkan ulang perangkat: loket-admin enrol ALAMAT KODE."
        )
        self.server = QLabel(self.tr("belum terdaftar"))
        self.server.setToolTip(server_help)
        server_caption = QLabel(spec("sync.server_url").label)
        server_caption.setToolTip(server_help)
        form.addRow(server_caption, self.server)
        self.server_help = QLabel(server_help)
        self.server_help.setWordWrap(True)
        self.server_help.setStyleSheet(palette.style(palette.QUIET))
        form.addRow(self.server_help)
        if runner is not None:
            runner.db("read the enrolled server address", _enrolled_address, self.show_server)
        self.error = QLabel()
        self.error.setStyleSheet(palette.style(palette.ERROR))
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Simpan"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Batal"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(760, 600)

    def show_server(self, address: str) -> None:
        """The enrolled server's address (read-only)."""
        self.server.setText(address or self.tr("belum terdaftar"))

    def values(self) -> dict[str, object]:
        """What the dialog holds now (editable settings only)."""
        out: dict[str, object] = {}
        for key, editor in self.editors.items():
            if not editor.isEnabled():
                continue
            if isinstance(editor, QCheckBox):
                out[key] = editor.isChecked()
            elif isinstance(editor, QSpinBox):
                out[key] = editor.value()
            elif isinstance(editor, QComboBox):
                out[key] = editor.currentData()
            else:
                out[key] = editor.text().strip()
        return out

    def save(self) -> None:
        """Store the changed values; on a bad one say which and keep the dialog open with what was typed."""
        try:
            for key, value in self.values().items():
                if value != self.settings.get(key):
                    self.settings.set(key, value, by=self.role)
        except SettingsError as exc:
            self.error.setText(exc.message)
            return
        self.accept()
