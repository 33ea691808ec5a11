"""Date and time expressions, normalised without a clock; ``resolve`` turns them into dates later.

Values: ``before_yesterday``, ``yesterday``, ``today``, ``tomorrow``, ``after_tomorrow``, ``weekday:fri``,
``weekend``, ``this_week``, ``next_week``, ``--05-25`` (ISO 8601 month and day), ``month:05``,
``season:summer``; times ``14:30`` and ``part:morning``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from nlu.types import Entity

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
_MONTH_FORMS = (
    r"(январ[ьяе]|феврал[ьяе]|марта?|марте|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|августа?|августе"
    r"|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе])"
)
_WEEKDAYS = {
    "понедельник": "mon", "вторник": "tue", "сред": "wed", "четверг": "thu",
    "пятниц": "fri", "суббот": "sat", "воскресень": "sun",
}  # fmt: skip
_WEEKDAY_NUMBER = {
    name: number for number, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
}

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bпослезавтра\b"), "after_tomorrow"),
    (re.compile(r"\bзавтра\b"), "tomorrow"),
    (re.compile(r"\bсегодня\b"), "today"),
    (re.compile(r"\bпозавчера\b"), "before_yesterday"),
    (re.compile(r"\bвчера\b"), "yesterday"),
    (re.compile(r"\b(?:на\s+)?(?:этой|текущей)\s+неделе\b"), "this_week"),
    (re.compile(r"\b(?:на\s+)?следующей\s+неделе\b"), "next_week"),
    (re.compile(r"\b(?:в\s+|на\s+|по\s+)?(?:эти\s+|ближайшие\s+)?выходн(?:ые|ых|ым)\b"), "weekend"),
    (re.compile(r"\b(?:на\s+)?(?:летних\s+)?каникулах\b|\bлетом\b|\bна\s+лето\b"), "season:summer"),
)
_WEEKDAY = re.compile(r"\b(?:в|во|на|к)?\s*(" + "|".join(_WEEKDAYS) + r")[а-я]*\b")
_DAY_MONTH = re.compile(r"\b([0-3]?\d)\s+" + _MONTH_FORMS + r"\b")
_NUMERIC = re.compile(r"(?<![\d.])([0-3]?\d)\.([01]?\d)(?:\.(?:\d{4}|\d{2}))?(?![\d.])")
_IN_MONTH = re.compile(r"\b(?:в|во|на)\s+" + _MONTH_FORMS + r"\b")
_CLOCK = re.compile(r"(?<![\d.])([01]?\d|2[0-3])[:.]([0-5]\d)(?![\d.])")
_PART = re.compile(r"\b(утром|днем|вечером|ночью)\b")
_PARTS = {"утром": "morning", "днем": "afternoon", "вечером": "evening", "ночью": "night"}


def _month(word: str) -> int:
    return next(
        i
        for i, stem in enumerate(_MONTHS, start=1)
        if word.startswith(stem) and (stem != "ма" or len(word) <= 3)
    )


def dates(folded: str) -> list[Entity]:
    found = _days(folded)
    covered = [(e.start, e.end) for e in found]
    for m in _IN_MONTH.finditer(folded):
        if not any(start <= m.start(1) < end for start, end in covered):
            found.append(Entity("date", f"month:{_month(m.group(1)):02d}", m.start(), m.end()))
    for m in _CLOCK.finditer(folded):
        if not any(start <= m.start() < end for start, end in covered):
            found.append(Entity("time", f"{int(m.group(1)):02d}:{m.group(2)}", m.start(), m.end()))
    found += [
        Entity("time", f"part:{_PARTS[m.group(1)]}", m.start(), m.end()) for m in _PART.finditer(folded)
    ]
    return found


def _days(folded: str) -> list[Entity]:
    """Words and numbers that name a day: «завтра», «в пятницу», «25 мая», «25.05»."""
    found: list[Entity] = []
    for pattern, value in _RULES:
        found += [Entity("date", value, m.start(), m.end()) for m in pattern.finditer(folded)]
    for m in _WEEKDAY.finditer(folded):
        stem = next(s for s in _WEEKDAYS if m.group(1).startswith(s))
        found.append(Entity("date", f"weekday:{_WEEKDAYS[stem]}", m.start(1), m.end()))
    for m in _DAY_MONTH.finditer(folded):
        day, month = int(m.group(1)), _month(m.group(2))
        if 1 <= day <= 31:
            found.append(Entity("date", f"--{month:02d}-{day:02d}", m.start(), m.end()))
    for m in _NUMERIC.finditer(folded):
        day, month = int(m.group(1)), int(m.group(2))
        if 1 <= day <= 31 and 1 <= month <= 12:
            found.append(Entity("date", f"--{month:02d}-{day:02d}", m.start(), m.end()))
    return found


_DAYS_FROM_TODAY = {"before_yesterday": -2, "yesterday": -1, "today": 0, "tomorrow": 1, "after_tomorrow": 2}


def resolve(value: str, today: date) -> tuple[date, date] | None:
    """The first and last day a date value means, seen from ``today``; None for values without a day."""
    if value in _DAYS_FROM_TODAY:
        day = today + timedelta(days=_DAYS_FROM_TODAY[value])
        return day, day
    if value in ("this_week", "next_week", "weekend"):
        return _week_part(value, today)
    if value.startswith("weekday:"):
        wanted = _WEEKDAY_NUMBER.get(value.removeprefix("weekday:"))
        if wanted is None:
            return None
        day = today + timedelta(days=(wanted - today.weekday()) % 7)
        return day, day
    if value.startswith("--"):
        return _day_of_month(value, today)
    return None


def _week_part(value: str, today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday())
    if value == "this_week":
        return today, monday + timedelta(days=6)
    if value == "next_week":
        return monday + timedelta(days=7), monday + timedelta(days=13)
    saturday = monday + timedelta(days=5)  # the weekend: what is left of it
    return max(today, saturday), saturday + timedelta(days=1)


def _day_of_month(value: str, today: date) -> tuple[date, date] | None:
    """``--MM-DD``: that day this year, or next year once it has passed («25 мая» said in June)."""
    try:
        month, day_of_month = int(value[2:4]), int(value[5:7])
        day = date(today.year, month, day_of_month)
        if day < today:
            day = date(today.year + 1, month, day_of_month)
    except ValueError:
        return None
    return day, day
