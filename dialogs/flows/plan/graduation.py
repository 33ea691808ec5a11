"""Reading a graduation date as people write it: «06.2026», «6/2026», «2026-06», «июнь 2026», «в июне
2026 года» or a whole date «30.06.2026». A month and year is enough: the first of that month is kept."""

from __future__ import annotations

import re
from datetime import date

from backend_client.plans import parse_day

# Stems of the month names in every case form («июнь», «июне», «июня»; «май», «мае», «мая»).
_MONTHS = (
    "январ",
    "феврал",
    "март",
    "апрел",
    "ма",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
)
_NUMERIC = re.compile(r"^\s*(\d{1,2})\s*[./-]\s*(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})\s*-\s*(\d{1,2})\s*$")
_WORDS = re.compile(r"^\s*(?:в\s+)?([а-яё]+)\s+(\d{4})(?:\s*(?:года|год|г\.?))?\s*$")


def _month_of(word: str) -> int | None:
    word = word.casefold().replace("ё", "е")
    if word in ("май", "мая", "мае", "маю", "маем"):
        return 5
    for number, stem in enumerate(_MONTHS, start=1):
        if stem != "ма" and word.startswith(stem):
            return number
    return None


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
