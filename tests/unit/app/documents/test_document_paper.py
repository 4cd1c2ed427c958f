"""The requirement's document decides the paper: a photographed Kartu Keluarga (an A4 or F4 sheet lying
landscape, which a phone photo can make look like an ID-1 card) is kept as a sheet and stays readable; a KTP-el
is kept as a card."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from app.cardread.reader import read_card
from app.documents import process_page
from app.documents.paper import A4, F4, ID_CARD, SHEETS, nearest_paper, paper_for_document, papers_for_document
from app.documents.pipeline import Options
from tests.helpers.camera import FakeCameras
from tests.helpers.cards.samples import kk_sample, ktp_sample
from tests.helpers.fakes import FakeScanner
from ui.capture import CaptureDialog
from ui.editor.editor import read_pages

# Photographed KK samples whose page, seen at an angle, measures 1.475-1.51 long over short: nearer F4 and
# ID-1 than A4, so without the document they were stored as 1011 x 638 cards.
CARD_LOOKING_KK = (3, 4, 19)


def _as_file(image: np.ndarray, path: Path) -> str:
    cv2.imwrite(str(path), cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 92])
    return str(path)


def test_papers_by_document() -> None:
    assert papers_for_document("kk") == (A4, F4)
    assert papers_for_document("akta_kelahiran") == SHEETS
    assert papers_for_document("surat_pengantar_rt_rw") == SHEETS
    assert papers_for_document("ktp_el") == (ID_CARD,)
    assert papers_for_document("pas_foto_anak") == ()
    assert paper_for_document("kk") is None
    assert paper_for_document("ktp_el") is ID_CARD


def test_a_sheet_is_never_taken_for_a_card() -> None:
    assert nearest_paper(1.58, landscape=True) is ID_CARD
    assert nearest_paper(1.58, landscape=True, among=SHEETS) is F4
    assert nearest_paper(1.48, landscape=True, among=SHEETS) is F4
    assert nearest_paper(1.44, landscape=True, among=SHEETS) is A4
    assert nearest_paper(1.58, landscape=False, among=(ID_CARD,)) is ID_CARD


@pytest.mark.parametrize("number", CARD_LOOKING_KK)
def test_photographed_kk_is_stored_as_a_landscape_sheet(number: int) -> None:
    image = kk_sample(number, "photo").image
    assert process_page(image, source="file", options=Options(find="optional")).paper == ID_CARD.key
    page = process_page(image, source="file", options=Options(find="optional", papers=papers_for_document("kk")))
    assert page.paper in (A4.key, F4.key)
    assert (page.width, page.height) in (A4.pixels(200, landscape=True), F4.pixels(200, landscape=True))


def test_kk_photo_imported_for_the_kk_requirement_is_read(tmp_path: Path) -> None:
    sample = kk_sample(3, "photo")
    [(data, fields)] = read_pages([_as_file(sample.image, tmp_path / "kk.jpg")], "kk")
    assert (fields["width"], fields["height"]) in (A4.pixels(200, landscape=True), F4.pixels(200, landscape=True))
    stored = tmp_path / "page.bin"
    stored.write_bytes(data)
    reading = read_card(stored, "kk")
    assert not reading.problems
    read = {row.values["nik"].value for row in reading.rows if "nik" in row.values}
    exact = sum(member.nik in read for member in sample.family.members)
    assert len(reading.rows) == len(sample.family.members)
    assert exact >= len(sample.family.members) - 1


def test_ktp_photo_imported_for_the_ktp_requirement_is_a_card(tmp_path: Path) -> None:
    sample = ktp_sample(2, "photo")
    [(_, fields)] = read_pages([_as_file(sample.image, tmp_path / "ktp.jpg")], "ktp_el")
    assert (fields["width"], fields["height"]) == ID_CARD.pixels(300, landscape=True)


def test_capture_dialog_imports_a_kk_photo_as_a_sheet(qtbot: QtBot, tmp_path: Path) -> None:
    path = _as_file(kk_sample(3, "photo").image, tmp_path / "kk.jpg")
    dialog = CaptureDialog(
        "Kartu Keluarga (KK)",
        papers=papers_for_document("kk"),
        source="files",
        cameras=FakeCameras(None),
        scanners=FakeScanner([]),
    )
    qtbot.addWidget(dialog)
    assert dialog.paper.currentData() is None  # "Otomatis", among the KK's papers
    dialog.import_paths([Path(path)])
    qtbot.waitUntil(lambda: len(dialog.pages()) == 1 and not dialog.jobs.busy, timeout=30_000)
    page = dialog.pages()[0].page
    dialog.reject()  # stops the dialog's own task runner
    assert page.paper in (A4.key, F4.key)
    assert (page.width, page.height) in (A4.pixels(200, landscape=True), F4.pixels(200, landscape=True))
