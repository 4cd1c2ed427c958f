"""The settings dialog: every declared setting with its label and help, checked before it is saved."""

from __future__ import annotations

from PySide6.QtWidgets import (
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

from app.settings import SPECS, Settings, SettingsError

# Settings the dialog does not show (kept by the app itself).
HIDDEN = {"ui.window_geometry"}


class SettingsDialog(QDialog):
    """Outpost, printing, security, server, scanner and camera settings."""

    def __init__(
        self, settings: Settings, templates: list[tuple[str, str]] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("Pengaturan Loket"))
        self.editors: dict[str, QLineEdit | QSpinBox | QComboBox] = {}
        form = QFormLayout()
        for spec in SPECS:
            if spec.key in HIDDEN:
                continue
            editor: QLineEdit | QSpinBox | QComboBox
            value = settings.get(spec.key)
            if spec.key == "print.template" and templates:
                editor = QComboBox()
                for template_id, title in templates:
                    editor.addItem(title, template_id)
                editor.setCurrentIndex(max(0, editor.findData(value)))
            elif spec.choices:
                editor = QComboBox()
                for choice, text in spec.choices:
                    editor.addItem(text, choice)
                editor.setCurrentIndex(max(0, editor.findData(value)))
            elif spec.type is int:
                editor = QSpinBox()
                editor.setRange(
                    spec.minimum if spec.minimum is not None else 0,
                    spec.maximum if spec.maximum is not None else 1_000_000,
                )
                editor.setValue(int(str(value)))
            else:
                editor = QLineEdit(str(value))
            editor.setToolTip(spec.help)
            # Whole on one line: a wrapped caption was given the height of its one-line editor and cut.
            caption = QLabel(spec.label)
            caption.setToolTip(spec.help)
            form.addRow(caption, editor)
            self.editors[spec.key] = editor
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
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
        self.resize(720, 520)

    def values(self) -> dict[str, object]:
        """What the dialog holds now."""
        out: dict[str, object] = {}
        for key, editor in self.editors.items():
            if isinstance(editor, QSpinBox):
                out[key] = editor.value()
            elif isinstance(editor, QComboBox):
                out[key] = editor.currentData()
            else:
                out[key] = editor.text().strip()
        return out

    def save(self) -> None:
        """Store every value; on a bad one say which and keep the dialog open with what was typed."""
        try:
            for key, value in self.values().items():
                self.settings.set(key, value)
        except SettingsError as exc:
            self.error.setText(exc.message)
            return
        self.accept()
