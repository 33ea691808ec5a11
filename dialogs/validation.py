"""Format-logical control of what people type: each parser returns a clean value or raises ``InputError``.

``InputError`` carries the key of a friendly text that says what is expected, so no handler ever stores a
value it could not check.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from backend_client.models import ContactTime, Role
from backend_client.reference import MUNICIPALITIES, Municipality


class InputError(ValueError):
    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True, slots=True)
class AgeLimits:
    low: int
    high: int


AGE_LIMITS: dict[Role, AgeLimits] = {
    Role.PUPIL: AgeLimits(9, 19),
    Role.COLLEGE_STUDENT: AgeLimits(14, 60),
    Role.UNIVERSITY_STUDENT: AgeLimits(15, 70),
    Role.GRADUATE: AgeLimits(16, 70),
    Role.PARENT: AgeLimits(18, 100),
    Role.JOBSEEKER: AgeLimits(14, 80),
}

_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"\d+")
_DATE = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")


def clean(text: str) -> str:
    """Normalise Unicode, drop control characters and squeeze whitespace."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in " \t\n")
    return _SPACES.sub(" ", text).strip()


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def parse_name(text: str) -> str:
    name = clean(text)
    if any(ch.isdigit() for ch in name):
        raise InputError("valid.name_digits")
    if not name or _letters(name) == 0:
        raise InputError("valid.name_letters")
    if len(name) > 40:
        raise InputError("valid.name_long", limit=40)
    if any(not (ch.isalpha() or ch in " -'’.") for ch in name):
        raise InputError("valid.name_symbols")
    return name


def parse_age(text: str, role: Role, today: date) -> int:
    """Age in full years from "15", "мне 15 лет", a birth year "2011" or a date "12.05.2011"."""
    value = clean(text).lower()
    limits = AGE_LIMITS[role]
    if match := _DATE.match(value):
        day, month, year = (int(part) for part in match.groups())
        try:
            born = date(year, month, day)
        except ValueError:
            raise InputError("valid.age_bad_date") from None
        if born > today:
            raise InputError("valid.age_future")
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    else:
        numbers = _NUMBER.findall(value)
        if len(numbers) != 1 or _letters(value) > 12:
            raise InputError("valid.age_number")
        number = int(numbers[0])
        if len(numbers[0]) == 4:
            if number > today.year:
                raise InputError("valid.age_future")
            age = today.year - number
        elif len(numbers[0]) <= 3:
            age = number
        else:
            raise InputError("valid.age_number")
    if not limits.low <= age <= limits.high:
        raise InputError(f"valid.age_range.{role.value}", low=limits.low, high=limits.high)
    return age


def birth_year_of(age: int, today: date) -> int:
    """The birth year stored for an age typed as a number (may be one year early; the person can edit it)."""
    return today.year - age


def parse_grade(text: str) -> int:
    match = re.fullmatch(r"(\d{1,2})\s*-?\s*[а-яёa-z]?\s*(?:класс|кл\.?)?", clean(text).lower())
    if not match or not 5 <= int(match.group(1)) <= 11:
        raise InputError("valid.grade")
    return int(match.group(1))


def parse_course(text: str, highest: int) -> int:
    match = re.fullmatch(r"(\d)\s*(?:-?\s*(?:й|ой|ий))?\s*(?:курс)?", clean(text).lower())
    if not match or not 1 <= int(match.group(1)) <= highest:
        raise InputError("valid.course", highest=highest)
    return int(match.group(1))


def parse_free_text(text: str, *, limit: int, min_letters: int = 2) -> str:
    value = clean(text)
    if _letters(value) < min_letters:
        raise InputError("valid.text_letters")
    if len(value) > limit:
        raise InputError("valid.text_long", limit=limit)
    return value


_CONTACT_WORDS: dict[ContactTime, tuple[str, ...]] = {
    ContactTime.MORNING: ("утр",),
    ContactTime.AFTERNOON: ("днем", "днём", "день", "обед"),
    ContactTime.EVENING: ("вечер",),
    ContactTime.ANY: ("любо", "всё равно", "все равно", "неважно", "не важно"),
}


def parse_contact_time(text: str) -> ContactTime:
    value = clean(text).lower()
    found = {slot for slot, words in _CONTACT_WORDS.items() if any(word in value for word in words)}
    if len(found) != 1:
        raise InputError("valid.contact_time")
    return found.pop()


# -- municipalities -------------------------------------------------------------------------------
_NOISE = re.compile(
    r"\b(?:г|гор|город|го|г\s?о|городской округ|округ|в|во|из|район|р\s?н|муниципальный|м\s?р|мр)\b"
)


def _fold(text: str) -> str:
    text = clean(text).lower().replace("ё", "е")
    text = re.sub(r"[^\w\s-]", " ", text)
    text = _NOISE.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class MunicipalityMatch:
    found: Municipality | None
    candidates: tuple[Municipality, ...] = field(default_factory=tuple)


@cache
def _folded_municipalities() -> dict[Municipality, str]:
    return {m: _fold(m.name) for m in MUNICIPALITIES}


def match_municipality(text: str) -> MunicipalityMatch:
    """Find a municipality by name, tolerant to case endings ("в Самаре"), "г."/"район" and ё/е.

    Exactly one candidate is a match; several are returned for the person to choose; none is an error.
    """
    query = _fold(text)
    if len(query) < 3:
        raise InputError("valid.municipality")
    names = _folded_municipalities()
    exact = [m for m, name in names.items() if name == query]
    if len(exact) == 1:
        return MunicipalityMatch(exact[0])

    def close(name: str) -> bool:
        stem = name[: max(4, len(name) - 2)]
        return query.startswith(stem) or (len(query) >= 4 and name.startswith(query))

    candidates = tuple(m for m, name in names.items() if close(name))
    if len(candidates) == 1:
        return MunicipalityMatch(candidates[0])
    if not candidates:
        raise InputError("valid.municipality")
    return MunicipalityMatch(None, candidates)
