"""The requirements page's questions about the applicant: every question readable in full."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app.catalog import load_catalog
from ui.editor.requirements import RequirementsPage


def test_no_question_about_the_applicant_is_cut_off(qtbot: QtBot) -> None:
    """Word-wrapped questions used to be drawn in a third of their column and cut to the height of
    the answer box ("Permohonan diajukan di daerah mana?" lost its first and last lines)."""
    services = [service for service in load_catalog().services if service.facts]
    assert services
    for service in services:
        page = RequirementsPage(service, {})
        qtbot.addWidget(page)
        page.resize(1100, 600)  # the page's width in the editor at 1366x768
        page.show()
        QApplication.processEvents()
        questions = [label for label in page.findChildren(QLabel) if label.text() in {f.label for f in service.facts}]
        assert len(questions) == len(service.facts)
        for label in questions:
            needed = label.heightForWidth(label.width())
            assert label.height() >= needed, f"{service.code}: {label.text()!r} cut off"
            assert label.width() >= 250, f"{service.code}: {label.text()!r} squeezed into {label.width()} px"
        page.close()
