"""Reading a graduation date as people write it: «06.2026», «6/2026», «2026-06», «июнь 2026», «в июне
2026 года» or a whole date «30.06.2026». A month and year is enough: the first of that month is kept."""

from __future__ import annotations

import re
from datetime import date

from backend_client.plans import parse_day

# The month names in the case forms people write them in («июнь», «июня», «в июне»; «март», «в марте»).
_SOFT = ("январ", "феврал", "апрел", "июн", "июл", "сентябр", "октябр", "ноябр", "декабр")
_MONTHS: dict[str, int] = {
    **{
        stem + ending: number
        for number, stem in zip((1, 2, 4, 6, 7, 9, 10, 11, 12), _SOFT, strict=True)
        for ending in ("ь", "я", "е", "ю")
    },
    **{
        stem + ending: number
        for number, stem in ((3, "март"), (8, "август"))
        for ending in ("", "а", "е", "у")
    },
    **dict.fromkeys(("май", "мая", "мае", "маю"), 5),
}
_NUMERIC = re.compile(r"^\s*(\d{1,2})\s*[./-]\s*(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})\s*-\s*(\d{1,2})\s*$")
_WORDS = re.compile(r"^\s*(?:в\s+)?([а-яё]+)\s+(\d{4})(?:\s*(?:года|год|г\.?))?\s*$")


def _month_of(word: str) -> int | None:
    return _MONTHS.get(word.casefold().replace("ё", "е"))


def parse_graduation(text: str) -> date | None:
    """The graduation date, or None when the text is not a month and year (or a real day)."""
    day = parse_day(text)
    if day is not None:
        return day
    month: int | None
    found = _NUMERIC.match(text)
    if found:
        month, year = int(found.group(1)), int(found.group(2))
    elif found := _ISO.match(text):
        year, month = int(found.group(1)), int(found.group(2))
    elif found := _WORDS.match(text.casefold()):
        month, year = _month_of(found.group(1)), int(found.group(2))
    else:
        return None
    if month is None or not 1 <= month <= 12:
        return None
    return date(year, month, 1)
