"""Format-logical control of what people type: each parser returns a clean value or raises ``InputError``.

``InputError`` carries the key of a friendly text that says what is expected, so no handler ever stores a
value it could not check.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache

from backend_client.models import AgeBand, ContactTime, Role
from backend_client.reference import BY_CODE, MUNICIPALITIES, PLACES, Municipality


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


# What an age may look like: "15", "15 лет", "мне 15", "мне уже 15 лет". Anything else around the number
# («через 15 лет», «15 месяцев», «15 кг», «-15») changes its meaning, so it is refused rather than guessed.
_AGE = re.compile(r"^(?:мне\s+)?(?:уже\s+)?(\d{1,3})(?:\s*(?:лет|год|года|годиков))?(?:\s+уже)?$")
# A birth year: "2011", "2011 г.", "2011 г.р.", "2011 года рождения", "родился в 2011".
_YEAR = re.compile(
    r"^(?:я\s+)?(?:родил(?:ся|ась)\s+)?(?:в\s+)?(\d{4})"
    r"(?:\s*(?:г\.?\s*р\.?|г\.?|год|году|года)(?:\s+рождения)?)?$"
)


def parse_birth(text: str, role: Role, today: date) -> tuple[int, int]:
    """(age in full years, birth year) from "15", "мне 15 лет", a birth year "2011" or a date "12.05.2011".

    Age decides the consent path, so it is read on the safe side: a birth year alone means the youngest
    age it allows (the birthday may be ahead), and a year that allows ages on both sides of 14 or 18
    (2012 in December: 13 or 14) is asked again as an age or a date (``valid.age_year_ambiguous``). A
    typed age gives the year it most likely means (``birth_year_of``).
    """
    value = clean(text).lower().rstrip("!. ")
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
        youngest = oldest = age
    elif match := _YEAR.match(value):
        year = int(match.group(1))
        if year > today.year:
            raise InputError("valid.age_future")
        oldest = today.year - year
        # Only on 31 December has everyone born in the year had this year's birthday.
        youngest = oldest if (today.month, today.day) == (12, 31) else max(oldest - 1, 0)
        if AgeBand.of_age(youngest) is not AgeBand.of_age(oldest):
            raise InputError("valid.age_year_ambiguous", year=year, younger=youngest, older=oldest)
    elif match := _AGE.match(value):
        youngest = oldest = int(match.group(1))
        year = birth_year_of(youngest, today)
    else:
        raise InputError("valid.age_number")
    if oldest < limits.low or youngest > limits.high:
        raise InputError(f"valid.age_range.{role.value}", low=limits.low, high=limits.high)
    # Within one band either way: the youngest age, or the role's lowest where the year allows it.
    return max(youngest, limits.low), year


def parse_age(text: str, role: Role, today: date) -> int:
    """Age in full years, read on the safe side (``parse_birth``)."""
    return parse_birth(text, role, today)[0]


def youngest_age(birth_year: int, today: date) -> int:
    """The youngest age a person born in ``birth_year`` may be today (a stored year has no month)."""
    oldest = today.year - birth_year
    return oldest if (today.month, today.day) == (12, 31) else max(oldest - 1, 0)


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
    ContactTime.AFTERNOON: ("днем", "днём", "день", "дня", "обед"),
    ContactTime.EVENING: ("вечер",),
}
_ANY_TIME = re.compile(r"\b(?:любо\w*|вс[её] равно|не ?важно|когда угодно)\b")
_NEGATED = re.compile(r"\bне\s+(?:в\s+|во\s+|по\s+|с\s+)?(\w+)")


def parse_contact_time(text: str) -> ContactTime:
    """«вечером» -> evening. A negated slot («не утром») is excluded, never taken for itself; when what is
    left is not one slot, the person is asked again (``valid.contact_time_negated`` names the slot)."""
    value = clean(text).lower()
    if _ANY_TIME.search(value):
        return ContactTime.ANY
    negated_words = _NEGATED.findall(value)

    def slots_in(words: str) -> set[ContactTime]:
        return {slot for slot, stems in _CONTACT_WORDS.items() if any(stem in words for stem in stems)}

    refused = slots_in(" ".join(negated_words))
    remaining = _NEGATED.sub(" ", value)
    found = slots_in(remaining) - refused
    if len(found) == 1:
        return found.pop()
    if refused and not found:
        raise InputError("valid.contact_time_negated")
    raise InputError("valid.contact_time")


# -- words that are buttons, not answers ----------------------------------------------------------
@lru_cache(maxsize=4096)  # labels are a fixed few dozen, compared with every typed answer
def label_key(text: str) -> str:
    """A label or a typed line reduced to its words: icons, brackets, punctuation and case dropped."""
    text = clean(text).casefold().replace("ё", "е")
    text = re.sub(r"\([^)]*\)", " ", text)  # «Согласен(на)», «Утро (9–12)»
    text = re.sub(r"[^\w\s]", " ", text)
    return _SPACES.sub(" ", text).strip()


def _distance(first: str, second: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment): one typo, one swap, one missing letter."""
    previous2: list[int] = []
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, 1):
        current = [i] + [0] * len(second)
        for j, b in enumerate(second, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b))
            if i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def same_words(typed: str, label: str) -> bool:
    """Whether ``typed`` is ``label`` or a close variant of it: one typo in a label of 10+ characters
    («Пропустит»). Shorter labels must match exactly, as one letter turns «Родитель» into «Водитель»."""
    return _same_keys(label_key(typed), label_key(label))


@lru_cache(maxsize=4096)
def _same_keys(a: str, b: str) -> bool:
    if not a or not b:
        return False
    return a == b or (len(b) >= 10 and abs(len(a) - len(b)) <= 1 and _distance(a, b) <= 1)


def button_word(typed: str, labels: Iterable[str]) -> str | None:
    """The label among ``labels`` that ``typed`` repeats, if any."""
    return next((label for label in labels if same_words(typed, label)), None)


# -- municipalities -------------------------------------------------------------------------------
_NOISE = re.compile(
    r"\b(?:городской округ|г\s?о|город|гор|го|г|округ|в|во|из|районе|район|р\s?н|муниципальный|м\s?р|мр"
    r"|селе|село|с|пгт|поселке|поселок|п|станция|ст|ж\s?д)\b"
)


def _fold(text: str) -> str:
    text = clean(text).lower().replace("ё", "е")
    text = re.sub(r"[^\w\s]", " ", text)  # «Кинель-Черкассы» and «кинель черкассы» read the same
    text = _NOISE.sub(" ", _SPACES.sub(" ", text))
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class MunicipalityMatch:
    """``found``: the place named (a form of its name). Otherwise ``candidates`` to choose from; when
    ``guessed``, they were found by tolerating a typo and the person must confirm before anything is kept."""

    found: Municipality | None
    candidates: tuple[Municipality, ...] = field(default_factory=tuple)
    guessed: bool = False


def _word_forms(word: str) -> set[str]:
    """The case forms of one word of a place name («самара» -> самары, самаре, самару, самарой …)."""
    endings: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("ий", ("ий", "ого", "ому", "им", "ом")),
        ("ый", ("ый", "ого", "ому", "ым", "ом")),
        ("ая", ("ая", "ой", "ую", "ою")),
        ("ое", ("ое", "ого", "ому", "ым", "ом")),
        ("ье", ("ье", "ья", "ью", "ьем")),
        ("а", ("а", "ы", "и", "е", "у", "ой", "ою")),
        ("о", ("о", "а", "у", "ом", "е")),
        ("ь", ("ь", "я", "ю", "ем", "е", "и", "ью")),
        ("ы", ("ы", "ах", "ам", "ами")),
        ("и", ("и", "ах", "ам", "ами")),
    )
    for ending, forms in endings:
        if word.endswith(ending):
            stem = word[: -len(ending)]
            return {stem + form for form in forms}
    if word[-1:] in "аеиоуыэюяй":
        return {word}
    return {word + form for form in ("", "а", "у", "ом", "е")}  # Новокуйбышевск, Октябрьск, Яр


def _name_forms(name: str) -> set[str]:
    forms = {""}
    for word in _fold(name).split():
        forms = {f"{head} {tail}".strip() for head in forms for tail in _word_forms(word)}
    return forms


@cache
def _municipality_forms() -> dict[str, frozenset[Municipality]]:
    """Every case form of every municipality's name and of the places that stand for one."""
    found: dict[str, set[Municipality]] = {}
    named = [(m.name, m) for m in MUNICIPALITIES] + [(place, BY_CODE[code]) for place, code in PLACES.items()]
    for name, place in named:
        for form in _name_forms(name):
            found.setdefault(form, set()).add(place)
    return {form: frozenset(places) for form, places in found.items()}


def _ordered(places: Iterable[Municipality]) -> tuple[Municipality, ...]:
    order = {m: i for i, m in enumerate(MUNICIPALITIES)}
    return tuple(sorted(set(places), key=order.__getitem__))


def match_municipality(text: str) -> MunicipalityMatch:
    """Find a municipality of the region by name, in any case form («в Самаре», «Кинельского района»),
    by its district centre («Кинель-Черкассы») or by its OKATO code, ignoring «г.», «район» and ё/е.

    Only whole names count: «Самарканд» is not Самара and «Красноярск» is not the Красноярский district.
    A name with one typo («Тольяти») is a guess (``guessed``), to be confirmed; none is an error.
    """
    if clean(text) in BY_CODE:
        return MunicipalityMatch(BY_CODE[clean(text)])
    query = _fold(text)
    if len(query) < 3:
        raise InputError("valid.municipality")
    forms = _municipality_forms()
    exact = _ordered(forms.get(query, ()))
    if len(exact) == 1:
        return MunicipalityMatch(exact[0])
    if exact:
        return MunicipalityMatch(None, exact)
    if len(query) >= 4:
        close = _ordered(
            place
            for form, places in forms.items()
            if len(form) >= 5 and abs(len(form) - len(query)) <= 1 and _distance(query, form) <= 1
            for place in places
        )
        if close:
            return MunicipalityMatch(None, close, guessed=True)
    raise InputError("valid.municipality")
