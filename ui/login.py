"""Log-in, first-run and password dialogs. Unlocking (scrypt, ~0.5 s) runs on the task runner."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import KnownError
from app.paths import DataPaths
from ui import palette
from ui.tasks import TaskRunner

if TYPE_CHECKING:
    from app.store import Store

# Kept in step with app.store.store.MIN_PASSWORD_LENGTH (a test checks); not imported so that the
# log-in window does not wait for the database modules.
MIN_PASSWORD_LENGTH = 10


def _store_class() -> type[Store]:
    from app.store import Store  # noqa: PLC0415 - imported on the worker thread, after the window shows

    return Store


def _title(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.4)
    font.setBold(True)
    label.setFont(font)
    return label


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("error")
    label.setWordWrap(True)
    label.setStyleSheet(palette.style(palette.ERROR))
    label.hide()
    return label


class _StoreDialog(QDialog):
    """A dialog whose OK runs a store operation on the task runner and closes on success."""

    unlocked = Signal(object)  # the Store

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.store: Store | None = None
        # Work to do on the worker thread after a successful unlock, before the main window is built
        # (imports and caches), so that building it does not hold the GUI thread.
        self.prepare: Callable[[], object] | None = None
        self.error = _error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Batal"))
        self.buttons.rejected.connect(self.reject)
        self.setMinimumWidth(420)

    def show_error(self, message: str) -> None:
        """Show what is wrong, keep everything typed so far."""
        self.error.setText(message)
        self.error.show()
        self.setEnabled(True)

    def run(self, label: str, fn: Callable[[], Store]) -> None:
        """Run the store operation; on success emit `unlocked` and accept."""
        self.error.hide()
        self.setEnabled(False)

        def done(store: Store) -> None:
            self.store = store
            self.setEnabled(True)
            self.unlocked.emit(store)
            self.accept()

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, KnownError):
                self.setEnabled(True)
                raise exc
            self.show_error(exc.message)

        prepare = self.prepare

        def unlock_and_prepare() -> Store:
            store = fn()
            if prepare is not None:
                prepare()
            return store

        self.runner.db(label, unlock_and_prepare, done, failed)


class LoginDialog(_StoreDialog):
    """Offline log-in of an officer of this installation."""

    def __init__(
        self,
        runner: TaskRunner,
        paths: DataPaths,
        parent: QWidget | None = None,
        username: str = "",
        locked: Store | None = None,
    ) -> None:
        super().__init__(runner, parent)
        self.paths = paths
        self.locked_store = locked
        self.setWindowTitle(self.tr("Loket — Masuk"))
        self.username = QLineEdit(username)
        self.username.setEnabled(locked is None)
        self.username.setPlaceholderText(self.tr("nama pengguna"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("kata sandi"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Masuk"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            self.tr("Ganti petugas") if locked is not None else self.tr("Keluar")
        )
        form = QFormLayout()
        form.addRow(self.tr("Nama pengguna"), self.username)
        form.addRow(self.tr("Kata sandi"), self.password)
        layout = QVBoxLayout(self)
        heading = self.tr("Terkunci") if locked is not None else self.tr("Masuk ke Loket")
        layout.addWidget(_title(heading))
        if locked is not None:
            # One text for every lock (Ctrl+L, idle, the 12-hour re-login): "karena tidak aktif" was wrong
            # for Ctrl+L.
            note = QLabel(
                self.tr("Loket terkunci; data permohonan disembunyikan. Masukkan kata sandi untuk melanjutkan.")
            )
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        (self.password if username else self.username).setFocus()

    def submit(self) -> None:
        """Unlock with the typed credentials."""
        name, password = self.username.text().strip(), self.password.text()
        if not name or not password:
            self.show_error(self.tr("Isi nama pengguna dan kata sandi."))
            return
        store = self.locked_store
        if store is not None:
            self.run("reconfirm", lambda: store.reconfirm(password))
        else:
            self.run("unlock", lambda: _store_class().unlock(self.paths, name, password))

    def show_error(self, message: str) -> None:
        """Wrong password: clear only the password field."""
        super().show_error(message)
        self.password.clear()
        self.password.setFocus()


class FirstRunDialog(_StoreDialog):
    """First start on this laptop: create the first supervisor (and with it the encrypted database)."""

    def __init__(self, runner: TaskRunner, paths: DataPaths, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.paths = paths
        self.setWindowTitle(self.tr("Loket — Persiapan pertama"))
        self.username = QLineEdit()
        self.full_name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.buttons.accepted.connect(self.submit)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Buat"))
        form = QFormLayout()
        form.addRow(self.tr("Nama pengguna supervisor"), self.username)
        form.addRow(self.tr("Nama lengkap"), self.full_name)
        form.addRow(self.tr("Kata sandi"), self.password)
        form.addRow(self.tr("Ulangi kata sandi"), self.repeat)
        layout = QVBoxLayout(self)
        layout.addWidget(_title(self.tr("Selamat datang di Loket")))
        intro = QLabel(
            self.tr(
                "Laptop ini belum berisi data Loket. Buat akun supervisor pertama; data akan disimpan terenkripsi "
                "dan hanya dapat dibuka dengan kata sandi petugas."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.username.setFocus()

    def submit(self) -> None:
        """Check the input, then create the installation."""
        name, full, password = self.username.text().strip(), self.full_name.text().strip(), self.password.text()
        if not name or not full:
            self.show_error(self.tr("Isi nama pengguna dan nama lengkap supervisor."))
            return
        if len(password) < MIN_PASSWORD_LENGTH:
            self.show_error(self.tr("Kata sandi minimal %n karakter.", "", MIN_PASSWORD_LENGTH))
            return
        if password != self.repeat.text():
            self.show_error(self.tr("Kedua kata sandi tidak sama. Ketik ulang."))
            self.repeat.clear()
            self.repeat.setFocus()
            return
        self.run("initialise", lambda: _store_class().initialise(self.paths, name, full, password))


class ChangePasswordDialog(QDialog):
    """The officer sets a new password (required after a supervisor's reset)."""

    def __init__(self, runner: TaskRunner, store: Store, parent: QWidget | None = None, required: bool = False) -> None:
        super().__init__(parent)
        self.runner = runner
        self.store = store
        self.setWindowTitle(self.tr("Ganti kata sandi"))
        self.old = QLineEdit()
        self.new = QLineEdit()
        self.repeat = QLineEdit()
        for field in (self.old, self.new, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = _error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Simpan"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Batal"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Kata sandi sekarang"), self.old)
        form.addRow(self.tr("Kata sandi baru"), self.new)
        form.addRow(self.tr("Ulangi kata sandi baru"), self.repeat)
        layout = QVBoxLayout(self)
        if required:
            note = QLabel(
                self.tr(
                    "Kata sandi Anda perlu diganti sekarang: diatur ulang oleh supervisor, atau belum memenuhi aturan "
                    "(minimal 10 karakter, bukan kata sandi yang umum dipakai). Buat kata sandi baru."
                )
            )
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.old.setFocus()
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)

    def submit(self) -> None:
        """Re-wrap this officer's key copy under the new password."""
        if self.new.text() != self.repeat.text():
            self.error.setText(self.tr("Kedua kata sandi baru tidak sama."))
            self.error.show()
            return
        old, new = self.old.text(), self.new.text()

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, KnownError):
                raise exc
            self.error.setText(exc.message)
            self.error.show()
            self.setEnabled(True)

        self.setEnabled(False)
        self.runner.db("change password", lambda: self.store.change_password(old, new), lambda _: self.accept(), failed)
