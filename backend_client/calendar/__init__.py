"""Working days in Russia: weekends, public holidays and days moved by the government's yearly decree.

The calendar is data (``production_calendar.yaml``), updated when the next decree is published. A year
the file does not cover is counted from the Labour Code alone (art. 112: the fixed holidays, and a
holiday on a weekend moves to the next working day); such years are reported as provisional.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources

import yaml

# Labour Code art. 112: the public holidays (month, day).
FIXED_HOLIDAYS = (
    (1, 1),
    (1, 2),
    (1, 3),
    (1, 4),
    (1, 5),
    (1, 6),
    (1, 7),
    (1, 8),
    (2, 23),
    (3, 8),
    (5, 1),
    (5, 9),
    (6, 12),
    (11, 4),
)


@dataclass(frozen=True, slots=True)
class YearCalendar:
    days_off: frozenset[date]  # beyond Saturdays and Sundays
    working_weekends: frozenset[date]
    provisional: bool


class WorkingDays:
    """Which days are working days. ``WorkingDays.russian()`` reads the packaged calendar."""

    def __init__(self, years: dict[int, YearCalendar]) -> None:
        self._years = years

    @classmethod
    def russian(cls) -> WorkingDays:
        return _packaged()

    def provisional(self, year: int) -> bool:
        """True when the year is counted from the Labour Code alone (its decree is not in the data)."""
        known = self._years.get(year)
        return known is None or known.provisional

    def is_working(self, day: date) -> bool:
        calendar = self._years.get(day.year) or _from_labour_code(day.year)
        if day in calendar.working_weekends:
            return True
        return day.weekday() < 5 and day not in calendar.days_off

    def between(self, first: date, last: date) -> int:
        """Working days strictly after ``first`` and strictly before ``last``."""
        count, day = 0, first + timedelta(days=1)
        while day < last:
            count += self.is_working(day)
            day += timedelta(days=1)
        return count

    def earliest_after(self, first: date, working_days: int) -> date:
        """The first day with ``working_days`` whole working days between ``first`` and it."""
        day = first + timedelta(days=1)
        while self.between(first, day) < working_days:
            day += timedelta(days=1)
        return day


def _from_labour_code(year: int) -> YearCalendar:
    """Holidays by art. 112 alone; a weekend holiday moves to the next working day (January ones stay)."""
    days_off: set[date] = set()
    for month, day in FIXED_HOLIDAYS:
        holiday = date(year, month, day)
        days_off.add(holiday)
        if month != 1 and holiday.weekday() >= 5:
            moved = holiday + timedelta(days=1)
            while moved.weekday() >= 5 or moved in days_off:
                moved += timedelta(days=1)
            days_off.add(moved)
    return YearCalendar(frozenset(days_off), frozenset(), provisional=True)


def _days(entries: list[object]) -> frozenset[date]:
    found: set[date] = set()
    for entry in entries:
        if isinstance(entry, date):
            found.add(entry)
            continue
        first, _, last = str(entry).partition("..")
        day, end = date.fromisoformat(first), date.fromisoformat(last or first)
        while day <= end:
            found.add(day)
            day += timedelta(days=1)
    return frozenset(found)


@cache
def _packaged() -> WorkingDays:
    text = resources.files(__package__).joinpath("production_calendar.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    years = {
        int(year): YearCalendar(
            _days(entry.get("days_off") or []),
            _days(entry.get("working_weekends") or []),
            bool(entry.get("provisional", False)),
        )
        for year, entry in raw.items()
    }
    return WorkingDays(years)
