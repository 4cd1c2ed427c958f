"""Working days: Monday to Friday except Indonesian national holidays and cuti bersama (resources/holidays).

The expected completion date of an application is its submission date plus the service's SLA in
working days (`add_working_days`). The submission time of day is ignored: an application handed in
after office hours counts from the same date as one handed in at opening time, and a submission on a
Saturday (a mobile team at a school) counts from that Saturday. Kept simple on purpose; the receipt
says "perkiraan" when the dates in the period are not all confirmed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field, StrictBool, StringConstraints
from pydantic.dataclasses import dataclass

from app.datafiles import load_yaml
from app.datamodels import DATA_FILE, validate
from app.printing.errors import PrintDataError
from app.resources import resource_path

NATIONAL = "libur_nasional"
CUTI_BERSAMA = "cuti_bersama"
KINDS = (NATIONAL, CUTI_BERSAMA)
_SATURDAY = 5


def _iso_date(value: object) -> object:
    """A date as YAML gives it (unquoted) or as text YYYY-MM-DD; nothing else (not a time, not a number)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a date written YYYY-MM-DD")


def _text_or_empty(value: object) -> object:
    return "" if value is None else value


def _none_as_list(value: object) -> object:
    return [] if value is None else value


@dataclass(frozen=True, config=DATA_FILE)
class Holiday:
    """A day off: a national holiday or a cuti bersama, with its name as on the SKB (an entry of the file)."""

    date: Annotated[dt.date, BeforeValidator(_iso_date)]
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    kind: str = NATIONAL  # from the list the entry is in
    confirmed: StrictBool = True
    note: Annotated[str, BeforeValidator(_text_or_empty), StringConstraints(strip_whitespace=True)] = ""


class _Year(BaseModel, frozen=True):
    """One year of the holidays file."""

    model_config = DATA_FILE
    source: str = ""
    libur_nasional: Annotated[list[Holiday], Field(min_length=1)]
    cuti_bersama: Annotated[list[Holiday], BeforeValidator(_none_as_list)] = Field(default_factory=list)


class _HolidaysFile(BaseModel, frozen=True):
    """resources/holidays/indonesia.yaml (the comment at its top tells the keys)."""

    model_config = DATA_FILE
    country: str = ""
    source: str = ""
    years: dict[int | str, _Year]


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
    """Read and check a holidays file; raise PrintDataError naming the file, the entry and the field."""
    where = path.name
    data = validate(_HolidaysFile, load_yaml(path, PrintDataError), file=where, error=PrintDataError)
    holidays: list[Holiday] = []
    seen: dict[dt.date, str] = {}
    for year_key, body in data.years.items():
        year = _year(where, year_key)
        for kind in KINDS:
            for index, entry in enumerate(getattr(body, kind)):
                holiday = dataclasses.replace(entry, kind=kind)
                place = f"years.{year}.{kind}[{index}]"
                if holiday.date.year != year:
                    raise PrintDataError(where, f"{place}.date", f"{holiday.date} is not in {year}")
                if holiday.date in seen:
                    raise PrintDataError(where, f"{place}.date", f"{holiday.date} is already {seen[holiday.date]}")
                seen[holiday.date] = place
                holidays.append(holiday)
    return HolidayCalendar(holidays, (_year(where, y) for y in data.years))


def _year(where: str, value: object) -> int:
    try:
        year = int(str(value))
    except ValueError:
        raise PrintDataError(where, f"years.{value}", "a year must be a number such as 2027") from None
    if not 2000 <= year <= 2100:
        raise PrintDataError(where, f"years.{value}", "a year must be between 2000 and 2100")
    return year


@functools.cache
def default_holidays() -> HolidayCalendar:
    """The shipped calendar (resources/holidays/indonesia.yaml), loaded once."""
    return load_holidays(resource_path("holidays", "indonesia.yaml"))
