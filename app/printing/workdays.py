"""Working days: Monday to Friday except Indonesian national holidays and cuti bersama (resources/holidays).

The expected completion date of an application is its submission date plus the service's SLA in
working days (`add_working_days`). The submission time of day is ignored: an application handed in
after office hours counts from the same date as one handed in at opening time, and a submission on a
Saturday (a mobile team at a school) counts from that Saturday. Kept simple on purpose; the receipt
says "perkiraan" when the dates in the period are not all confirmed.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from app.datafiles import load_yaml
from app.printing.errors import PrintDataError
from app.resources import resource_path

NATIONAL = "libur_nasional"
CUTI_BERSAMA = "cuti_bersama"
KINDS = (NATIONAL, CUTI_BERSAMA)
_YEAR_KEYS = frozenset({"source", *KINDS})
_ENTRY_KEYS = frozenset({"date", "name", "confirmed", "note"})
_FILE_KEYS = frozenset({"country", "source", "years"})
_SATURDAY = 5


@dataclass(frozen=True)
class Holiday:
    """A day off: a national holiday or a cuti bersama, with its name as on the SKB."""

    date: dt.date
    name: str
    kind: str = NATIONAL
    confirmed: bool = True
    note: str = ""


class HolidayCalendar:
    """The days off of the years the data covers; outside those years only weekends are days off."""

    def __init__(self, holidays: Iterable[Holiday] = (), years: Iterable[int] = ()) -> None:
        self._by_date: dict[dt.date, Holiday] = {}
        for holiday in holidays:
            self._by_date.setdefault(holiday.date, holiday)
        self.years = frozenset(years) | {d.year for d in self._by_date}

    def holiday(self, day: dt.date) -> Holiday | None:
        """The holiday on this date, or None."""
        return self._by_date.get(day)

    def is_working_day(self, day: dt.date) -> bool:
        """Monday to Friday and not a holiday."""
        return day.weekday() < _SATURDAY and day not in self._by_date

    def covers(self, year: int) -> bool:
        """Whether the data lists this year's holidays (else only weekends are known)."""
        return year in self.years

    def holidays(self, year: int | None = None) -> list[Holiday]:
        """The holidays of one year (or all), in date order."""
        return sorted((h for h in self._by_date.values() if year is None or h.date.year == year), key=_date_of)

    def is_certain(self, start: dt.date, end: dt.date) -> bool:
        """Whether the working days from `start` to `end` are known for sure: years covered, dates confirmed."""
        if any(not self.covers(year) for year in range(start.year, end.year + 1)):
            return False
        return all(h.confirmed for day, h in self._by_date.items() if start <= day <= end)

    def without(self, kind: str) -> HolidayCalendar:
        """The same calendar without one kind of day off (e.g. for an office that serves on cuti bersama)."""
        return HolidayCalendar((h for h in self._by_date.values() if h.kind != kind), self.years)


def _date_of(holiday: Holiday) -> dt.date:
    return holiday.date


def add_working_days(start: dt.date, days: int, holidays: HolidayCalendar) -> dt.date:
    """The date `days` working days after `start` (`start` itself never counts; 0 days gives `start`)."""
    if days < 0:
        raise ValueError(f"days must not be negative, not {days}")
    current = start
    remaining = days
    while remaining:
        current += dt.timedelta(days=1)
        if holidays.is_working_day(current):
            remaining -= 1
    return current


def load_holidays(path: Path) -> HolidayCalendar:
    """Read and check a holidays file; raise PrintDataError naming the file and the entry."""
    data = load_yaml(path, PrintDataError)
    where = path.name
    if not isinstance(data, dict) or not isinstance(data.get("years"), dict):
        raise PrintDataError(where, "", "expected a mapping with 'years'")
    unknown = set(data) - _FILE_KEYS
    if unknown:
        raise PrintDataError(where, "", f"unknown keys {sorted(unknown)}")
    holidays: list[Holiday] = []
    seen: dict[dt.date, str] = {}
    for year_key, body in data["years"].items():
        year = _year(where, year_key)
        if not isinstance(body, dict):
            raise PrintDataError(where, f"years.{year}", "a year must be a mapping with 'libur_nasional'")
        unknown = set(body) - _YEAR_KEYS
        if unknown:
            raise PrintDataError(where, f"years.{year}", f"unknown keys {sorted(unknown)}")
        if not body.get(NATIONAL):
            raise PrintDataError(where, f"years.{year}", "needs a non-empty 'libur_nasional' list")
        for kind in KINDS:
            entries = body.get(kind) or []
            if not isinstance(entries, list):
                raise PrintDataError(where, f"years.{year}.{kind}", "must be a list")
            for index, entry in enumerate(entries):
                holiday = _entry(where, f"years.{year}.{kind}[{index}]", entry, year, kind)
                if holiday.date in seen:
                    raise PrintDataError(
                        where, f"years.{year}.{kind}[{index}]", f"date {holiday.date} is already {seen[holiday.date]}"
                    )
                seen[holiday.date] = f"years.{year}.{kind}[{index}]"
                holidays.append(holiday)
    return HolidayCalendar(holidays, (_year(where, y) for y in data["years"]))


def _year(where: str, value: object) -> int:
    try:
        year = int(str(value))
    except ValueError:
        raise PrintDataError(where, f"years.{value}", "a year must be a number such as 2027") from None
    if not 2000 <= year <= 2100:
        raise PrintDataError(where, f"years.{value}", "a year must be between 2000 and 2100")
    return year


def _entry(where: str, entry: str, data: object, year: int, kind: str) -> Holiday:
    if not isinstance(data, dict):
        raise PrintDataError(where, entry, "must be a mapping {date, name}")
    unknown = set(data) - _ENTRY_KEYS
    if unknown:
        raise PrintDataError(where, entry, f"unknown keys {sorted(unknown)}")
    raw = data.get("date")
    day = raw if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime) else None
    if day is None and isinstance(raw, str):
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError:
            day = None
    if day is None:
        raise PrintDataError(where, entry, f"date {raw!r} is not a date written YYYY-MM-DD")
    if day.year != year:
        raise PrintDataError(where, entry, f"date {day} is not in {year}")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise PrintDataError(where, entry, "needs a 'name' in Bahasa Indonesia")
    confirmed = data.get("confirmed", True)
    if not isinstance(confirmed, bool):
        raise PrintDataError(where, entry, "'confirmed' must be true or false")
    return Holiday(day, name.strip(), kind, confirmed, str(data.get("note") or "").strip())


@functools.cache
def default_holidays() -> HolidayCalendar:
    """The shipped calendar (resources/holidays/indonesia.yaml), loaded once."""
    return load_holidays(resource_path("holidays", "indonesia.yaml"))
