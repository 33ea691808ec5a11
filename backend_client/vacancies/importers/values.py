"""Readers of one value of a local vacancy file: each returns the value or raises ValueError saying what a
good value looks like (the file's importer puts the column and the row in front)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import TypeVar
from zoneinfo import ZoneInfo

from backend_client.vacancies.importers.places import municipality_named
from backend_client.vacancies.importers.text import plain_line
from backend_client.vacancies.importers.trudvsem import MAX_ID, MAX_NAME, SALARY_CEILING, SALARY_FLOOR

T = TypeVar("T")
E = TypeVar("E", bound=Enum)
_ID = re.compile(rf"^[\w.-]{{1,{MAX_ID}}}$")
_YES, _NO = {"yes", "да", "true", "1", "нужен", "требуется"}, {"no", "нет", "false", "0", "не нужен", ""}


def identifier(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(f"an id is 1-{MAX_ID} letters, digits, '.', '_' or '-'")
    return value


def name_line(value: str) -> str:
    text = plain_line(value, MAX_NAME + 1)
    if len(text) > MAX_NAME:
        raise ValueError(f"longer than {MAX_NAME} characters")
    return text


def normal(value: str) -> str:
    return " ".join(value.lower().replace("ё", "е").split())


def choice(table: Mapping[str, T]) -> Callable[[str], T]:
    def parse(value: str) -> T:
        try:
            return table[normal(value)]
        except KeyError:
            raise ValueError(f"is not one of {', '.join(sorted(table))}") from None

    return parse


def enumeration(kind: type[E], stems: Sequence[tuple[str, E]]) -> Callable[[str], E]:
    values = {member.value: member for member in kind}

    def parse(value: str) -> E:
        key = normal(value)
        found = values.get(key) or next((member for stem, member in stems if stem in key), None)
        if found is None:
            raise ValueError(f"is not one of {', '.join(values)} (or their Russian names)")
        return found

    return parse


def municipality(value: str) -> str:
    code = municipality_named(value)
    if code is None:
        raise ValueError("not a municipality of the region: write its name (Тольятти) or OKATO code")
    return code


def parse_number(value: str) -> float:
    try:
        amount = float(value.replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except ValueError:
        raise ValueError("is not a number") from None
    if not math.isfinite(amount):
        raise ValueError("is not a number")
    return amount


def within(low: float, high: float) -> Callable[[str], float]:
    def parse(value: str) -> float:
        amount = parse_number(value)
        if not low <= amount <= high:
            raise ValueError(f"is outside {low:g} to {high:g}")
        return amount

    return parse


def whole(low: int, high: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        amount = parse_number(value)
        if amount != int(amount) or not low <= amount <= high:
            raise ValueError(f"is not a whole number from {low} to {high}")
        return int(amount)

    return parse


def salary(value: str) -> int:
    amount = parse_number(value)
    if not SALARY_FLOOR <= amount <= SALARY_CEILING:
        raise ValueError(f"is not a monthly salary: {SALARY_FLOOR} to {SALARY_CEILING} roubles")
    return round(amount)


def digits(*lengths: int) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if not value.isdigit() or len(value) not in lengths:
            raise ValueError(f"is not {' or '.join(map(str, lengths))} digits")
        return value

    return parse


def yes_no(value: str) -> bool:
    key = normal(value)
    if key in _YES or key in _NO:
        return key in _YES
    raise ValueError("write yes or no (да / нет)")


def https_link(value: str) -> str:
    if not value.startswith("https://") or len(value) > 400 or " " in value:
        raise ValueError("a link is https://… (at most 400 characters)")
    return value


def day(zone: ZoneInfo) -> Callable[[str], datetime]:
    """A date, as the start of that day in the region."""

    def parse(value: str) -> datetime:
        try:
            found = date.fromisoformat(value[:10])
        except ValueError:
            raise ValueError("a date is YYYY-MM-DD") from None
        return datetime(found.year, found.month, found.day, tzinfo=zone)

    return parse
