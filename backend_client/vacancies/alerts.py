"""Vacancy alerts: saved searches that write first when a vacancy they want arrives, as pure rules.

A saved search keeps a search's filters (``VacancyQuery``) and exclude words. When vacancies arrive (added
or reopened by an import), the store finds the searches that can match each one through an index and
decides here, exactly, whether it does (``fits`` and, for minors, ``allowed``); each (person, vacancy)
pair is then alerted once. At sending time an alert lists the vacancies still open, ranked by the
person's 👍/👎 (``rank``).

Matching follows the search screen's filters (``backend_client/sql/vacancies/search.py``), with one
difference: every word of a saved search must be in the vacancy, even a word no vacancy has yet (a search
drops such a word so a typo does not empty the page; an alert exists precisely for what is not there yet).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

from backend_client.errors import DomainError
from backend_client.vacancies.minors import ADULT, UNKNOWN_AGE_COUNTS_AS, YOUNGEST_WORKER, youngest_legal_age
from backend_client.vacancies.models import (
    Employment,
    Schedule,
    Vacancy,
    VacancyDraft,
    VacancyKind,
    VacancyQuery,
)
from backend_client.vacancies.terms import query_terms, vacancy_terms, words

MAX_SEARCHES = 10  # saved searches per person
SHOWN = 5  # vacancies listed in one alert; the rest are «и ещё N — показать все»
MAX_EXCLUDE_TERMS = 10
ALERT_ZONE = ZoneInfo("Europe/Samara")
DAILY_AT = time(18, 0)  # local time of a daily alert: the relay's digest hour (notifications/quiet.py)
PART_TIME_SCHEDULES = frozenset({Schedule.PART_DAY.value, Schedule.FLEXIBLE.value})


class AlertFrequency(StrEnum):
    INSTANT = "instant"  # as soon as a vacancy arrives (quiet hours and the person's digest choice apply)
    DAILY = "daily"  # gathered into one alert a day, at DAILY_AT


class UnsubscribeReason(StrEnum):
    FOUND_JOB = "found_job"  # «нашёл работу»: counted as an outcome
    NOT_RELEVANT = "not_relevant"  # «присылают не то»
    TOO_MANY = "too_many"  # «слишком часто»
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class SavedSearch:
    id: int
    person_id: int
    query: VacancyQuery  # its page fields mean nothing here
    exclude: str = ""  # words a vacancy must not have, as typed
    frequency: AlertFrequency = AlertFrequency.INSTANT
    paused: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def filters(self) -> AlertFilters:
        return filters_of(self.query, self.exclude)


@dataclass(frozen=True, slots=True)
class AlertFilters:
    """What matching reads of a saved search: its words as search terms and its filters."""

    terms: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()
    municipality: str | None = None
    kinds: frozenset[str] = frozenset()  # VacancyKind values; empty: every kind
    part_time: bool = False
    salary_from: int | None = None
    no_experience: bool = False
    remote: bool = False

    @property
    def empty(self) -> bool:
        """Nothing asked for: such a search would send every vacancy of the region."""
        return not (
            self.terms
            or self.municipality
            or self.kinds
            or self.part_time
            or self.salary_from
            or self.no_experience
            or self.remote
        )


@dataclass(frozen=True, slots=True)
class ArrivedVacancy:
    """What matching reads of a vacancy: the filtered columns, the minors' ages and the search terms."""

    id: int
    kind: str
    municipality: str | None
    employment: str
    schedule: str
    salary_from: int | None
    salary_to: int | None
    experience_required: bool
    legal_from_school: int  # the youngest age it is lawful for in school time (minors.youngest_legal_age)
    legal_from_free: int
    terms: frozenset[str]


def exclude_terms(text: str) -> frozenset[str]:
    return frozenset(list(dict.fromkeys(words(text)))[:MAX_EXCLUDE_TERMS])


def filters_of(query: VacancyQuery, exclude: str = "") -> AlertFilters:
    return AlertFilters(
        terms=frozenset(query_terms(query.text)),
        exclude=exclude_terms(exclude),
        municipality=query.municipality,
        kinds=frozenset(kind.value for kind in query.kinds),
        part_time=query.part_time,
        salary_from=query.salary_from,
        no_experience=query.no_experience,
        remote=query.remote,
    )


def arrived_of(vacancy_id: int, draft: VacancyDraft) -> ArrivedVacancy:
    """A draft as matching reads it from the store (for tests and the benchmark's checks)."""
    return ArrivedVacancy(
        id=vacancy_id,
        kind=draft.kind.value,
        municipality=draft.municipality,
        employment=draft.employment.value,
        schedule=draft.schedule.value,
        salary_from=draft.salary_from,
        salary_to=draft.salary_to,
        experience_required=draft.experience_required,
        legal_from_school=youngest_legal_age(draft, school_time=True),
        legal_from_free=youngest_legal_age(draft, school_time=False),
        terms=frozenset(vacancy_terms(draft)),
    )


def fits(search: AlertFilters, vacancy: ArrivedVacancy) -> bool:
    """Whether the vacancy is what the search asks for (the minors' law is ``allowed``)."""
    if search.municipality is not None and vacancy.municipality != search.municipality:
        return False
    if search.kinds and vacancy.kind not in search.kinds:
        return False
    if not search.terms <= vacancy.terms or search.exclude & vacancy.terms:
        return False
    return _conditions(search, vacancy)


def _conditions(search: AlertFilters, vacancy: ArrivedVacancy) -> bool:
    if search.part_time and not (
        vacancy.employment == Employment.PART.value or vacancy.schedule in PART_TIME_SCHEDULES
    ):
        return False
    if search.salary_from is not None:
        # Pay reaching the wish: the top of the range, or its bottom when no top is stated (as search does).
        pay = vacancy.salary_to if vacancy.salary_to is not None else vacancy.salary_from
        if pay is None or pay < search.salary_from:
            return False
    if search.no_experience and vacancy.experience_required:
        return False
    return not (search.remote and vacancy.employment != Employment.REMOTE.value)


def allowed(vacancy: ArrivedVacancy, age: int | None, *, school_time: bool) -> bool:
    """The minors' law for the person the alert is for: an unknown age counts as 14, under 14 nothing."""
    known = UNKNOWN_AGE_COUNTS_AS if age is None else age
    if known >= ADULT:
        return True
    if known < YOUNGEST_WORKER:
        return False
    youngest = vacancy.legal_from_school if school_time else vacancy.legal_from_free
    return known >= youngest


def key_term(terms: frozenset[str], postings: dict[str, int]) -> str | None:
    """The word a search is indexed by: the one fewest open vacancies have (``postings``), so matching
    a vacancy reads only the searches keyed by one of its words, and few of those fail the other words.
    Ties go to the longer word, then the first in order; no words: None."""
    if not terms:
        return None
    return min(sorted(terms), key=lambda term: (postings.get(term, 0), -len(term)))


def index_keys(search: AlertFilters, key: str | None) -> list[tuple[str, str, str]]:
    """The search's rows in the matching index: (key word or "", municipality or "", kind or "")."""
    place = search.municipality or ""
    kinds = sorted(search.kinds) or [""]
    return [(key or "", place, kind) for kind in kinds]


@dataclass(frozen=True, slots=True)
class Feedback:
    """One 👍/👎 the person gave an alert's vacancy: what later alerts are ranked by."""

    employer: str
    title_terms: frozenset[str]
    useful: bool


def rank(vacancies: Sequence[Vacancy], history: Sequence[Feedback]) -> list[Vacancy]:
    """Vacancies like those marked 👍 first and like those marked 👎 last (the same employer counts
    twice a shared title word), otherwise in the order given (newest first)."""
    if not history:
        return list(vacancies)

    def score(vacancy: Vacancy) -> int:
        titled = frozenset(words(vacancy.title))
        total = 0
        for given in history:
            sign = 1 if given.useful else -1
            total += sign * (2 * (given.employer == vacancy.employer.name) + len(given.title_terms & titled))
        return total

    return sorted(vacancies, key=lambda vacancy: -score(vacancy))


@dataclass(frozen=True, slots=True)
class AlertContents:
    """An alert as it goes out: its subscription and the vacancies still open, ranked."""

    alert_id: int
    person_id: int
    search: SavedSearch | None  # None: the subscription was deleted since
    vacancies: tuple[Vacancy, ...]

    @property
    def shown(self) -> tuple[Vacancy, ...]:
        return self.vacancies[:SHOWN]

    @property
    def more(self) -> int:
        """How many are «и ещё N»."""
        return max(0, len(self.vacancies) - SHOWN)


@dataclass(frozen=True, slots=True)
class AlertMatchRun:
    """What one matching pass did."""

    vacancies: int = 0  # open vacancies matched
    candidates: int = 0  # (search, vacancy) pairs the index offered
    matched: int = 0  # (person, vacancy) pairs that fit (before the once-only check)
    new_pairs: int = 0  # pairs never alerted before: the ones this pass will send
    notices: int = 0  # outbox rows added


@dataclass(frozen=True, slots=True)
class AlertsReport:
    """`frontdoor report alerts`."""

    active: int = 0
    paused: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)  # "" for «любой вид»
    by_municipality: dict[str, int] = field(default_factory=dict)  # "" for «весь регион»
    by_frequency: dict[str, int] = field(default_factory=dict)
    alerts_sent: int = 0
    vacancies_sent: int = 0
    opened: int = 0
    applications: int = 0  # applications to a vacancy after an alert brought it
    useful: int = 0
    not_useful: int = 0
    unsubscribes: dict[str, int] = field(default_factory=dict)  # reason ("" for none given) -> count
    found_job: int = 0  # outcomes, including people erased since


def kinds_text(kinds: frozenset[VacancyKind]) -> str:
    """The kinds column: ",job,internship," or "" (any), read anywhere by a LIKE."""
    return f",{','.join(sorted(kind.value for kind in kinds))}," if kinds else ""


def kinds_of(column: str) -> frozenset[VacancyKind]:
    return frozenset(VacancyKind(kind) for kind in column.split(",") if kind)


class TooManySearches(DomainError):
    """A person has MAX_SEARCHES saved searches already."""

    code = "too_many_searches"


class EmptySearch(DomainError):
    """A search with no words and no filter: it would send every vacancy there is."""

    code = "empty_search"


class SavedSearchNotFound(DomainError):
    """No such saved search of this person (someone else's is never found)."""

    code = "saved_search_not_found"


class AlertVacancyNotFound(DomainError):
    """The vacancy never came to this person in an alert (feedback on it is refused)."""

    code = "alert_vacancy_not_found"
