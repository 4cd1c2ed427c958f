"""What the outpost sends for hidden fields: nothing. The Dinas checks, shows and prints only what the officer saw."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.forms import evaluate, load_form
from app.printing.forms import render_form
from app.store import applications as apps
from app.store.models import OutboxItem
from sync.client.package import build_package
from sync.protocol import content_hash
from sync.server.backoffice import formview
from sync.server.reference import Reference
from sync.server.validation import validate
from tests.helpers.stores import new_store
from tests.unit.app.printing.pdfs import read_pdf

OUTPOST_DESA = "3521012001"  # Wonosari: what carry-over puts in the origin before the abroad switch is set


def _arrival(abroad: bool) -> dict[str, Any]:
    return {
        "pemohon": {"no_kk": "3521010101100001", "nama": "BUDI SANTOSO", "nik": "3521011204850001"},
        "permohonan": {"jenis_permohonan": 1},
        "asal": {
            "alamat": "JALAN AMPANG 12 KUALA LUMPUR",
            "luar_negeri": abroad,
            "rt": "007",
            "rw": "009",
            "kode_desa": OUTPOST_DESA,
            "kode_pos": "63264",
            "negara": "MALAYSIA",
            "tanggal_datang": "2026-11-20",
        },
        "kepindahan": {"alasan": 1, "jenis_kepindahan": 1, "status_kk_pindah": 2},
        "tujuan": {"alamat": "JL. RAYA NGRAMBE 3", "rt": "001", "rw": "002", "kode_desa": "3521022001"},
        "orang_asing": {"nama_sponsor": "PT LAMA"},  # left from an SKTT draft: the section is hidden for jenis 1
        "anggota_pindah": [{"nik": "3521011204850001", "nama_lengkap": "BUDI SANTOSO", "shdk": 1, "x_lama": 1}],
    }


def _package_of(tmp_path: Path, answers: dict[str, Any]) -> Any:
    store = new_store(tmp_path)
    try:
        application = apps.create_draft(
            store, "DATANG-LUAR-NEGERI", applicant_name="Budi Santoso", applicant_nik="3521011204850001"
        )
        apps.save_answers(store, application, "F-1.03", answers)
        apps.submit(store, application)
        item = OutboxItem.get()
        first, again = build_package(item), build_package(OutboxItem.get_by_id(item.id))
        assert content_hash(first) == content_hash(again), "a rebuilt package must keep its hash"
        return first
    finally:
        store.close()


def test_an_arrival_from_abroad_is_sent_without_the_hidden_origin_desa(tmp_path: Path) -> None:
    package = _package_of(tmp_path, _arrival(True))
    sent = package.forms[0].answers
    assert sent["asal"] == {
        "alamat": "JALAN AMPANG 12 KUALA LUMPUR",
        "luar_negeri": True,
        "negara": "MALAYSIA",
        "tanggal_datang": "2026-11-20",
    }
    assert "orang_asing" not in sent  # a hidden section goes nowhere
    assert sent["anggota_pindah"] == [
        {"nik": "3521011204850001", "nama_lengkap": "BUDI SANTOSO", "shdk": 1, "x_lama": 1}
    ], "an unknown answer is the engine's to report, not pruning's to drop"
    # The Dinas evaluates what it received as the outpost did: the same fields show, every sent answer among them.
    day = package.submitted_at.date()
    schema = load_form("F-1.03")
    assert evaluate(schema, sent, day).visible == evaluate(schema, _arrival(True), day).visible
    reference = Reference.load()
    reasons = validate(package, reference, day)
    assert not [r for r in reasons if r.path.startswith("F-1.03:asal") or r.code == "applicant_mismatch"], reasons
    view = formview.render_forms(package, reference, day)
    shown = [f.value for s in view[0].sections for f in s.fields]
    assert not [v for v in shown if "Wonosari" in v or OUTPOST_DESA in v], shown
    assert "MALAYSIA" in shown
    assert "Wonosari" not in read_pdf(render_form(schema, sent, today=day)).text


def test_a_domestic_arrival_keeps_its_origin_and_drops_the_country(tmp_path: Path) -> None:
    sent = _package_of(tmp_path, _arrival(False)).forms[0].answers
    assert sent["asal"]["kode_desa"] == OUTPOST_DESA and sent["asal"]["rt"] == "007"
    assert "negara" not in sent["asal"] and "tanggal_datang" not in sent["asal"]
