"""Tests of working-day arithmetic and the shipped Indonesian holidays file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.printing.errors import PrintDataError
from app.printing.workdays import (
    CUTI_BERSAMA,
    NATIONAL,
    Holiday,
    HolidayCalendar,
    add_working_days,
    default_holidays,
    load_holidays,
)

D = dt.date


def test_weekends_are_skipped() -> None:
    empty = HolidayCalendar(years=[2030])
    friday = D(2030, 1, 4)
    assert add_working_days(friday, 1, empty) == D(2030, 1, 7)  # Monday
    assert add_working_days(friday, 5, empty) == D(2030, 1, 11)
    assert add_working_days(D(2030, 1, 5), 1, empty) == D(2030, 1, 7)  # from a Saturday: Monday


def test_zero_days_is_the_start_and_negative_days_are_refused() -> None:
    empty = HolidayCalendar()
    assert add_working_days(D(2030, 1, 5), 0, empty) == D(2030, 1, 5)
    with pytest.raises(ValueError, match="negative"):
        add_working_days(D(2030, 1, 5), -1, empty)


def test_a_holiday_is_skipped() -> None:
    calendar = HolidayCalendar([Holiday(D(2030, 1, 8), "Hari libur uji")])
    assert add_working_days(D(2030, 1, 7), 1, calendar) == D(2030, 1, 9)
    assert not calendar.is_working_day(D(2030, 1, 8))
    assert calendar.holiday(D(2030, 1, 8)) == Holiday(D(2030, 1, 8), "Hari libur uji")


def test_christmas_and_cuti_bersama_are_skipped() -> None:
    holidays = default_holidays()
    # 24 Dec 2026 cuti bersama (Thu), 25 Dec Natal (Fri), weekend.
    assert add_working_days(D(2026, 12, 23), 1, holidays) == D(2026, 12, 28)
    assert add_working_days(D(2026, 12, 23), 1, holidays.without(CUTI_BERSAMA)) == D(2026, 12, 24)


def test_the_year_end_is_crossed() -> None:
    holidays = default_holidays()
    # 31 Dec 2026 is a Thursday; 1 Jan 2027 (Friday) is Tahun Baru.
    assert add_working_days(D(2026, 12, 31), 1, holidays) == D(2027, 1, 4)
    # 31 Dec, 4 Jan, then 5 Jan is Isra Mikraj: 6 Jan.
    assert add_working_days(D(2026, 12, 30), 3, holidays) == D(2027, 1, 6)


def test_lebaran_week_2026() -> None:
    holidays = default_holidays()
    # 18 cuti Nyepi, 19 Nyepi, 20 cuti Idul Fitri, 21-22 Idul Fitri (weekend), 23-24 cuti Idul Fitri.
    assert add_working_days(D(2026, 3, 17), 1, holidays) == D(2026, 3, 25)
    assert add_working_days(D(2026, 3, 13), 3, holidays) == D(2026, 3, 25)


def test_certainty_follows_the_data() -> None:
    holidays = default_holidays()
    assert holidays.is_certain(D(2026, 10, 12), D(2026, 10, 15))
    assert not holidays.is_certain(D(2027, 3, 5), D(2027, 3, 16))  # Idul Fitri 1448 H is not yet confirmed
    assert holidays.is_certain(D(2027, 1, 1), D(2027, 1, 4))  # Tahun Baru is a fixed date
    assert not holidays.is_certain(D(2028, 1, 3), D(2028, 1, 5))  # no data for 2028
    assert add_working_days(D(2028, 1, 7), 1, holidays) == D(2028, 1, 10)  # weekends still count


def test_shipped_file_covers_three_years_as_the_skb_lists_them() -> None:
    holidays = default_holidays()
    assert {2025, 2026, 2027} <= holidays.years
    counts = {
        year: (
            sum(h.kind == NATIONAL for h in holidays.holidays(year)),
            sum(h.kind == CUTI_BERSAMA for h in holidays.holidays(year)),
        )
        for year in (2025, 2026, 2027)
    }
    # 2025: 17 + 10 cuti bersama + 18 Aug added in August; 2026: 17 + 8; 2027: Isra Mikraj twice.
    assert counts == {2025: (17, 11), 2026: (17, 8), 2027: (18, 8)}
    for holiday in holidays.holidays():
        assert holiday.name.strip()
        if holiday.kind == CUTI_BERSAMA:
            assert holiday.name.startswith("Cuti Bersama"), holiday
            assert holiday.date.weekday() < 5, holiday  # a cuti bersama on a weekend would be a typo
    assert all(h.confirmed for h in holidays.holidays(2026))
    assert holidays.holiday(D(2026, 8, 17)).name == "Proklamasi Kemerdekaan Republik Indonesia"  # type: ignore[union-attr]
    assert not holidays.holiday(D(2027, 3, 10)).confirmed  # type: ignore[union-attr]


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "libur.yaml"
    path.write_text(body, encoding="utf-8")
    return path


GOOD = """
country: Indonesia
years:
  2030:
    libur_nasional:
      - {date: 2030-01-01, name: Tahun Baru 2030 Masehi}
      - {date: "2030-08-17", name: Proklamasi, confirmed: false, note: contoh}
    cuti_bersama:
      - {date: 2030-12-24, name: Cuti Bersama Natal}
"""


def test_a_holidays_file_is_read(tmp_path: Path) -> None:
    calendar = load_holidays(_write(tmp_path, GOOD))
    assert calendar.years == {2030}
    assert [h.date for h in calendar.holidays()] == [D(2030, 1, 1), D(2030, 8, 17), D(2030, 12, 24)]
    assert calendar.holiday(D(2030, 8, 17)) == Holiday(D(2030, 8, 17), "Proklamasi", NATIONAL, False, "contoh")
    assert calendar.holiday(D(2030, 12, 24)).kind == CUTI_BERSAMA  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (GOOD.replace("2030-01-01", "2031-01-01"), "years.2030.libur_nasional[0].date: 2031-01-01 is not in 2030"),
        (GOOD.replace("2030-08-17", "2030-01-01"), "already years.2030.libur_nasional[0]"),
        (
            GOOD.replace("2030-12-24", "24-12-2030"),
            "years.2030.cuti_bersama[0].date: '24-12-2030' is not a date written YYYY-MM-DD",
        ),
        (GOOD.replace("note: contoh", "catatan: contoh"), "years.2030.libur_nasional[1]: unknown key 'catatan'"),
        (GOOD.replace("name: Cuti Bersama Natal", "name: ''"), "years.2030.cuti_bersama[0].name: must not be empty"),
        (GOOD.replace("  2030:", "  tahun:"), "a year must be a number"),
        (
            GOOD.replace("confirmed: false", "confirmed: belum"),
            "years.2030.libur_nasional[1].confirmed: must be true or false, not 'belum'",
        ),
        ("years: []", "libur.yaml: years: must be a mapping"),
        ("years: {2030: {cuti_bersama: []}}", "years.2030: needs 'libur_nasional'"),
    ],
)
def test_a_bad_holidays_file_names_the_entry(tmp_path: Path, body: str, problem: str) -> None:
    with pytest.raises(PrintDataError) as caught:
        load_holidays(_write(tmp_path, body))
    assert caught.value.file == "libur.yaml"
    assert problem in str(caught.value)
