"""A referral is shown before any form is filled: in the service picker, on the applicant page (with the slip)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.catalog import load_catalog
from tests.unit.ui.editors import WAIT, EditorMaker, make_editor  # noqa: F401 - the fixture
from ui.printouts import Viewer
from ui.service_browser import service_html


def test_the_service_picker_says_which_cases_go_elsewhere() -> None:
    text = service_html(load_catalog().service("KAWIN-WNI"))
    assert "rujuk ke instansi lain" in text and "Kantor Urusan Agama (KUA) Kecamatan" in text
    assert "rujuk" not in service_html(load_catalog().service("LAHIR-WNI"))


def test_the_applicant_page_refers_a_muslim_marriage_and_prints_the_slip(
    qtbot: QtBot,
    make_editor: EditorMaker,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    editor = make_editor("KAWIN-WNI", name="AHMAD FAUZI")
    page = editor.applicant
    assert page.referral_box is not None and not page.referral_box.isHidden()
    assert page.referral_message.isHidden() and page.referral_button.isHidden()
    box = editor.requirements.fact_boxes["kedua_mempelai_islam"]
    box.setCurrentIndex(box.findData(True))
    qtbot.waitUntil(lambda: not page.referral_message.isHidden(), timeout=WAIT)
    assert "KUA Kecamatan" in page.referral_message.text()
    opened: list[Path] = []
    monkeypatch.setattr(Viewer, "open", staticmethod(opened.append))
    page.referral_button.click()
    qtbot.waitUntil(lambda: bool(opened), timeout=WAIT)
    assert opened[0].read_bytes().startswith(b"%PDF")
    box.setCurrentIndex(box.findData(False))
    qtbot.waitUntil(page.referral_message.isHidden, timeout=WAIT)


def test_a_service_without_referrals_has_no_box(make_editor: EditorMaker) -> None:  # noqa: F811
    assert make_editor("LAHIR-WNI", name="RINA").applicant.referral_box is None
