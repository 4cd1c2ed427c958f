"""Escape as an officer expects it: it clears a search box (a popup closes by itself) and never closes work."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit


class _ClearOnEscape(QObject):
    """Clears its line edit on Escape while it holds text; an empty one lets Escape go on (a dialog closes)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Take Escape when there is a search to clear."""
        if (
            event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and isinstance(watched, QLineEdit)
            and watched.text()
        ):
            if event.type() == QEvent.Type.KeyPress:
                watched.clear()
            event.accept()  # a ShortcutOverride accepted: no shortcut of the window takes this Escape
            return True
        return False


def clear_on_escape(field: QLineEdit) -> None:
    """Make Escape in `field` clear its text first."""
    field.installEventFilter(_ClearOnEscape(field))
