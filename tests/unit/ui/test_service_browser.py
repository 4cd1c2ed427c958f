"""Tests of the service catalogue browser: loads off the GUI thread, searches, shows a service."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.catalog import load_catalog
from ui.service_browser import ServiceBrowser, matches, service_html


def test_browser_loads_and_filters(qtbot: QtBot) -> None:
    window = ServiceBrowser()
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.show()
    assert window.catalog is not None
    assert "43 layanan" in window.status.text()
    qtbot.keyClicks(window.search, "akta kelahiran")
    current = window.tree.currentItem()
    assert current is not None
    assert "Kelahiran" in current.text(0)
    assert "Persyaratan" in window.detail.toPlainText()
    with qtbot.waitSignal(window.chosen, timeout=2000) as chosen:
        qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert chosen.args == [window.current_code()]
    window.search.clear()
    qtbot.keyClicks(window.search, "zzzz tidak ada")
    root = window.tree.invisibleRootItem()
    assert all(item.isHidden() for i in range(root.childCount()) if (item := root.child(i)) is not None)


def test_matches_word_starts() -> None:
    service = load_catalog().service(9)
    assert matches(service, "ktp")
    assert matches(service, "KTP-el baru")
    assert matches(service, "9")
    assert not matches(service, "tp")
    assert matches(service, "")


def test_service_html_lists_requirements_and_fee() -> None:
    service = load_catalog().service(21)
    text = service_html(service)
    assert service.title in text
    assert "Gratis" in text
    for requirement in service.requirements:
        assert requirement.title.split("<")[0][:20].replace("&", "&amp;") in text


def test_login_password_rule_matches_the_store() -> None:
    from app.store.store import MIN_PASSWORD_LENGTH as STORE_MINIMUM
    from ui.login import MIN_PASSWORD_LENGTH

    assert MIN_PASSWORD_LENGTH == STORE_MINIMUM
