"""Follows settings.json on disk: a change made by another process (loket-admin) reaches the app's observers."""

from __future__ import annotations

import logging

from PySide6.QtCore import QFileSystemWatcher, QObject

from app.settings import Settings

log = logging.getLogger("loket.ui")


class SettingsWatcher(QObject):
    """Reloads the installation's settings when their file changes; `Settings` tells its observers."""

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.watcher = QFileSystemWatcher(self)
        folder = settings.path.parent
        if folder.exists():
            # The file is replaced by a rename (atomic write): the folder's entry changes with it.
            self.watcher.addPath(str(folder))
        self._watch_file()
        self.watcher.fileChanged.connect(self.changed)
        self.watcher.directoryChanged.connect(self.changed)

    def _watch_file(self) -> None:
        path = str(self.settings.path)
        if self.settings.path.exists() and path not in self.watcher.files():
            self.watcher.addPath(path)

    def changed(self, _path: str = "") -> None:
        """The file or its folder changed: read the settings again."""
        self._watch_file()
        changed = self.settings.reload()
        if changed:
            log.info("settings changed on disk: %s", ", ".join(changed))
