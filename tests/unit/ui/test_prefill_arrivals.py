"""Arrivals from abroad (services 19 and 20): the catalogue's `prefill` sets F-1.03's request type and the abroad
switch, so the origin asks for the country instead of a desa before the officer touches it (issue 16)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.catalog import load_catalog
from app.forms import default_registry, evaluate
from app.forms.carry import Known, proposals
from app.settings import Settings
from tests.unit.ui.editors import EditorMaker, make_editor  # noqa: F401 - the fixture
from ui.editor.editor import ApplicationEditor

DESA = "35.21.01.2001"
TODAY = dt.date(2026, 11, 22)
ARRIVALS = [("DATANG-LUAR-NEGERI", 1), ("SKTT-OA-DATANG", 4)]  # F-1.03 jenis 1 SK Kependudukan, 4 SKTT


@pytest.mark.parametrize(("code", "jenis"), ARRIVALS)
def test_the_service_implies_the_request_type_and_an_origin_abroad(code: str, jenis: int) -> None:
    service = load_catalog().service(code)
    known = Known(outpost={"region": DESA}, applicant={"name": "BUDI SANTOSO"}, service=dict(service.prefill))
    got = proposals(default_registry().get("F-1.03"), {}, known)
    assert (got["permohonan.jenis_permohonan"], got["asal.luar_negeri"]) == (jenis, True)


def test_a_move_between_kabupaten_is_not_abroad() -> None:
    service = load_catalog().service("PINDAH-WNI")
    got = proposals(default_registry().get("F-1.03"), {}, Known(service=dict(service.prefill), today=TODAY))
    assert "asal.luar_negeri" not in got


@pytest.mark.parametrize(("code", "jenis"), ARRIVALS)
def test_the_editor_opens_f103_asking_for_the_country_of_origin(
    make_editor: EditorMaker,  # noqa: F811 - the fixture
    code: str,
    jenis: int,
) -> None:
    Settings(make_editor.store.paths.settings).set("outpost.region", DESA)
    editor: ApplicationEditor = make_editor(code)
    editor.applicant.load("BUDI SANTOSO", "3521011705800001", "3521010101100001")
    editor.tabs.setCurrentWidget(editor.requirements)  # leaving the applicant page carries over
    answers = editor.answers["F-1.03"]
    assert answers["permohonan"] == {"jenis_permohonan": jenis}
    origin = answers["asal"]
    assert isinstance(origin, dict) and origin["luar_negeri"] is True
    view = editor.form_view("F-1.03")
    view.build_all()
    assert view.rows["asal.luar_negeri"].editor.value() is True
    visible = evaluate(default_registry().get("F-1.03"), view.answers()).visible
    assert {"asal.negara", "asal.alamat"} <= visible
    assert not {"asal.kode_desa", "asal.rt", "asal.rw", "asal.kode_pos"} & visible
