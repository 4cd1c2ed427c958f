"""Demo residents carry the biodata a member row is filled from when their NIK is typed."""

from __future__ import annotations

import datetime as dt

from app.demo.people import PeopleGenerator
from app.demo.populate import resident_records
from app.forms import load_form
from app.forms.carry import resident_values


def test_a_demo_resident_fills_a_member_row_of_f101() -> None:
    records = list(resident_records(PeopleGenerator(3, today=dt.date(2026, 3, 15)), 12))
    anggota = load_form("F-1.01").section("anggota")
    assert anggota is not None
    for record in records:
        facts = {"name": record.name, "birth_date": record.birth_date, "sex": record.sex, **record.details}
        values = resident_values(anggota, facts)
        assert len(values) >= 15, values  # name, sex, birth, place, religion, education, job, parents, ...
        assert "nik" not in record.details
