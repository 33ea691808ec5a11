"""Search terms of a vacancy and of a query: dictionary forms of the words (pymorphy3), the same on both
databases, so «сварщиком» finds «Сварщик» and «программиста» finds «Программист».

A vacancy's terms are weighed by where they stand: the title and the profession count most, skills next,
the employer, the kind, the place and the first words of the duties least. The duties are cut to their
first words: they are long and mostly say the same things, and every term is a row in the index.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache

import pymorphy3

from backend_client.reference import municipality as municipality_of
from backend_client.vacancies.models import Employment, Schedule, VacancyDraft, VacancyKind

TITLE, SKILL, OTHER = 3, 2, 1
MAX_TERM = 40  # characters; the column's width
MAX_QUERY_TERMS = 6  # a query is a few words; the rest of a pasted text is dropped
DUTY_TERMS = 8  # first distinct terms of duties and requirements indexed
PREFIX = 4  # letters of a title word kept as its prefix term («свар»: сварщик, сварочное производство)
_WORD = re.compile(r"[0-9a-zа-я]+")

# Words that say nothing about which vacancy: dropped from queries and from the index alike.
_STOP_TEXT = """
    и в во на с со к по для от до из за у о об без не ни а но или что как так же это весь свой мы вы он она
    они я ты быть который работа вакансия искать ищу хотеть найти нужный требоваться опыт год предлагать
    компания наш ваш мочь
"""
STOPWORDS = frozenset(_STOP_TEXT.split())

# Words that name a kind, an employment or a schedule, so «стажировка», «подработка на лето»,
# «удалённо» find vacancies whose title does not say it.
KIND_WORDS = {
    VacancyKind.JOB: "постоянный",
    VacancyKind.INTERNSHIP: "стажировка стажер",
    VacancyKind.PRACTICE: "практика практикант",
    VacancyKind.TEMPORARY: "подработка временный лето летний сезонный",
    VacancyKind.TARGETED: "целевой обучение",
}
EMPLOYMENT_WORDS = {Employment.REMOTE: "удаленный удаленно", Employment.PART: "частичный"}
SCHEDULE_WORDS = {
    Schedule.FLEXIBLE: "гибкий",
    Schedule.SHIFTS: "сменный смена",
    Schedule.PART_DAY: "неполный",
}


@cache
def _morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()  # ~0.1 s and ~15 MB once per process


@lru_cache(maxsize=200_000)
def _lemma(word: str) -> str:
    if not ("а" <= word[0] <= "я"):
        return word
    return str(_morph().parse(word)[0].normal_form).replace("ё", "е")


@lru_cache(maxsize=50_000)
def words(text: str) -> tuple[str, ...]:
    """Dictionary forms of the words of ``text``, stopwords and one-letter words left out, in order."""
    folded = text.lower().replace("ё", "е")
    found = []
    for word in _WORD.findall(folded):
        if len(word) < 2:
            continue
        term = _lemma(word)[:MAX_TERM]
        if term not in STOPWORDS:
            found.append(term)
    return tuple(found)


PREFIX_MARK = "~"  # no word starts with it (``_WORD``), so a prefix term never meets a query's word


def prefix(term: str) -> str:
    """A title word's first letters as a term of its own: «программирование» in a specialty finds
    «Программист», «электроснабжение» finds «Электромонтёр» (the matching's loose handle)."""
    return f"{PREFIX_MARK}{term[:PREFIX]}"


def query_terms(text: str) -> tuple[str, ...]:
    """The distinct terms of a search, in the order typed, at most MAX_QUERY_TERMS."""
    return tuple(dict.fromkeys(words(text)))[:MAX_QUERY_TERMS]


def vacancy_terms(draft: VacancyDraft) -> dict[str, int]:
    """Term -> weight (the highest place it stands in) for the search index."""
    weights: dict[str, int] = {}
    body = list(dict.fromkeys(words(f"{draft.duties} {draft.requirements}")))[:DUTY_TERMS]
    place = municipality_of(draft.municipality) if draft.municipality else None
    extra = " ".join(
        (
            draft.employer.name,
            KIND_WORDS[draft.kind],
            EMPLOYMENT_WORDS.get(draft.employment, ""),
            SCHEDULE_WORDS.get(draft.schedule, ""),
            place.name if place else "",
        )
    )
    _add(weights, body, OTHER)
    _add(weights, words(extra), OTHER)
    _add(weights, words(" ".join(draft.skills)), SKILL)
    titled = words(f"{draft.title} {draft.profession}")
    _add(weights, titled, TITLE)
    _add(weights, (prefix(term) for term in titled), TITLE)
    return weights


def _add(weights: dict[str, int], terms: Iterable[str], weight: int) -> None:
    for term in terms:
        weights[term] = max(weight, weights.get(term, 0))
