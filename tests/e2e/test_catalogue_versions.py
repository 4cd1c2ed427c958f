"""A catalogue version from the Dinas in the app: the officer is told what changed, new applications use
it, and a draft started before keeps its own version (shown in the editor's header)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.catalog import load_catalog
from app.reference import bundle, library_at, signing
from app.reference.bundle import open_signed
from sync.client.catalog_update import record_update, unseen_notice
from tests.helpers.reference import NEW_REQUIREMENT, catalogue_version
from ui.controller import Controller
from ui.main_window import MainWindow

from .conftest import db_value
from .test_ktpel_flow import open_new


def test_a_new_version_is_announced_used_for_new_drafts_and_old_drafts_keep_theirs(
    app_session: tuple[Controller, MainWindow], qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    controller, window = app_session
    shipped = load_catalog().version
    old = open_new(qtbot, window, "KTPEL-BARU-WNI", monkeypatch)
    old_id = old.application.client_id
    assert old.version_label.text().endswith(f"katalog versi {shipped}")
    assert old.service.requirement(NEW_REQUIREMENT) is None
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.editor is None, timeout=5000)

    # What a sync run does once the Dinas' bundle is verified: install it, record the notice.
    key = signing.new_private_key()
    files = bundle.data_files(catalogue_version(tmp_path / "2027", "2027.01-1"))
    data = bundle.build(files, sequence=1, catalog_version="2027.01-1", forms=[], private_key=key)
    library = library_at(controller.paths.reference)

    def receive() -> bool:
        previous = library.newest()
        record_update(previous, library.install(open_signed(data, signing.public_key_of(key))))
        return True

    db_value(qtbot, controller, receive)
    window.check_catalog_notice()
    qtbot.waitUntil(lambda: window.catalog.version == "2027.01-1", timeout=10_000)
    assert window.message.text() == "Katalog diperbarui: versi 2027.01-1"
    told = window.catalog_notice.informativeText()
    assert "persyaratan baru 'Surat Pengantar RT/RW' (wajib)" in told
    assert db_value(qtbot, controller, lambda: unseen_notice() is None)  # told once
    qtbot.keyClick(window.catalog_notice, Qt.Key.Key_Return)  # the officer reads it and closes it
    qtbot.waitUntil(lambda: not window.catalog_notice.isVisible(), timeout=5000)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)

    new = open_new(qtbot, window, "KTPEL-BARU-WNI", monkeypatch)
    assert new.version_label.text().endswith("katalog versi 2027.01-1")
    assert new.service.requirement(NEW_REQUIREMENT) is not None
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.editor is None, timeout=5000)

    with qtbot.waitSignal(window.editor_opened, timeout=10_000) as opened:
        window.open_application(old_id)
    reopened = opened.args[0]
    assert reopened.version_label.text().endswith(f"katalog versi {shipped}")
    assert reopened.service.requirement(NEW_REQUIREMENT) is None
