"""Dates and times typed at the desk: «27.11 22:00» or «27.11.2026 22:00», local time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from dialogs.context import Ctx

WHEN = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})(?:\.(\d{4}))?\s+(\d{1,2})[:.](\d{2})\s*$")


@dataclass(frozen=True, slots=True)
class Typed:
    """A typed local moment: ``moment`` as written (this year when no year was given)."""

    moment: datetime
    year_given: bool


def parse_when(text: str, ctx: Ctx) -> Typed | None:
    """Without a year, this year's such day (the caller asks before taking next year's)."""
    found = WHEN.match(text)
    if found is None:
        return None
    day, month, year, hour, minute = found.groups()
    try:
        moment = datetime(
            int(year or ctx.local_now().year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            tzinfo=ctx.services.timezone,
        )
    except ValueError:
        return None
    return Typed(moment, year is not None)


def next_year(moment: datetime) -> datetime | None:
    """The same day and time a year later (None for 29 February)."""
    try:
        return moment.replace(year=moment.year + 1)
    except ValueError:
        return None
