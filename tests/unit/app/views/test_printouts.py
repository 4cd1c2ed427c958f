"""The `print.template` setting governs the form print-outs: A4 for the national template, F4 for Ngawi's."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

from app.paths import DataPaths
from app.settings import Settings
from app.store import applications as apps
from app.views.printouts import make_forms
from tests.helpers.stores import new_store

POINTS_PER_MM = 72 / 25.4


def _page_mm(pdf: Path) -> tuple[int, int]:
    document = pdfium.PdfDocument(str(pdf))
    try:
        width, height = document[0].get_size()
    finally:
        document.close()
    return round(width / POINTS_PER_MM), round(height / POINTS_PER_MM)


def test_the_print_template_setting_chooses_the_paper_of_the_forms(tmp_path: Path) -> None:
    """Changing print.template from pmdn109 to ngawi turns the printed F-1.02 from A4 into F4 (215 x 330 mm)."""
    store = new_store(tmp_path)
    try:
        application = apps.create_draft(store, "KTPEL-BARU-WNI", applicant_name="Dewi Lestari")
        apps.save_answers(store, application, "F-1.02", {"pemohon": {"nama": "DEWI LESTARI"}})
        paths = DataPaths(tmp_path)
        settings = Settings(paths.settings)
        [national] = make_forms(paths, settings, application.client_id)
        assert _page_mm(national) == (210, 297)
        settings.set("print.template", "ngawi")
        [ngawi] = make_forms(paths, settings, application.client_id)
        assert _page_mm(ngawi) == (215, 330)
    finally:
        store.close()
