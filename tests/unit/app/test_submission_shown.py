"""The outpost checks what the Dinas will receive: an answer of a field the form hides (kept by the editor
in case the officer switches back) is not sent (sync.client.package prunes it), so it neither feeds the
catalogue's conditions nor the findings at the review."""

from __future__ import annotations

import datetime as dt

from app.catalog import load_catalog
from app.submission import check_submission

TODAY = dt.date(2026, 12, 6)


def _item(check: object, requirement: str) -> object:
    return next(i for i in check.checklist if i.requirement.id == requirement)  # type: ignore[attr-defined]


def test_a_hidden_answer_does_not_decide_a_requirement() -> None:
    service = load_catalog().service("PINDAH-WNI")
    facts = {"daerah": "asal"}
    # 'Klasifikasi Kepindahan' is hidden for a move abroad (jenis 3); its old answer 'dalam satu desa' stays
    # stored, and the KTP-el requirement reads it.
    hidden = {"F-1.03": {"permohonan": {"jenis_permohonan": 3}, "kepindahan": {"klasifikasi": 1}}}
    shown = {"F-1.03": {"permohonan": {"jenis_permohonan": 3}}}
    with_hidden = check_submission(service, hidden, facts, {}, TODAY)
    without = check_submission(service, shown, facts, {}, TODAY)
    assert _item(with_hidden, "ktp_el_alamat_lama") == _item(without, "ktp_el_alamat_lama")
    assert with_hidden.forms["F-1.03"].findings == without.forms["F-1.03"].findings
    # Shown, the same answer decides it.
    moving = {"F-1.03": {"permohonan": {"jenis_permohonan": 2}, "kepindahan": {"klasifikasi": 1}}}
    assert _item(check_submission(service, moving, facts, {}, TODAY), "ktp_el_alamat_lama").applies  # type: ignore[attr-defined]
