"""Ranking vacancies for a person: a sum of named weights, each with the reason the person is shown.

Nothing is learnt: an adviser can read the weights below and say why a vacancy came first. Words are
compared by their first letters (``terms.PREFIX``), so «Программирование» (a specialty) meets
«Программист» (a title); the SQL pre-filter (``backend_client/sql/vacancies/matching.py``) looks up the
same prefixes, so every vacancy this module would reward is among the candidates it scores.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Protocol

from backend_client.vacancies.models import Employment, Reason, SeekerFacts, VacancyKind
from backend_client.vacancies.nearby import neighbours
from backend_client.vacancies.spheres import SPHERES
from backend_client.vacancies.terms import PREFIX, words

SPECIALTY = 4.0  # the title names what the person studies or studied: «вы учитесь на …»
TEST_PROFESSION = 3.0  # a profession of the person's leading test sphere: «подходит по тесту: …»
TEST_SECOND_SPHERE = 2.0  # the same for the second sphere
NEAR_HOME = 2.0  # in the person's municipality: «рядом с домом»
NEARBY = 1.0  # in a municipality within a daily commute (``nearby.py``): «недалеко от дома»
FAR_AWAY = -2.5  # beyond a daily commute and not remote: shown lower, never hidden
NO_EXPERIENCE = 1.0  # no experience needed, and the person has none
EXPERIENCE_MISSING = -1.5  # experience needed that the person lacks: shown lower, never hidden
FOR_TEENS = 1.0  # a minor, and the employer takes people under 18 on purpose
MIN_WORD = 3  # shorter words («и», «1с») say nothing about the work
GENERIC = frozenset(
    {
        "дело",
        "производство",
        "система",
        "обслуживание",
        "эксплуатация",
        "организация",
        "техника",
        "технический",
        "управление",
        "ремонт",
        "оборудование",
        "специалист",
        "работа",
        "деятельность",
        "общий",
        "профиль",
    }
)


class Scorable(Protocol):
    """What scoring reads of a vacancy (a ``VacancyDraft`` has it all)."""

    @property
    def title(self) -> str: ...
    @property
    def profession(self) -> str: ...
    @property
    def municipality(self) -> str | None: ...
    @property
    def experience_required(self) -> bool: ...
    @property
    def min_age(self) -> int: ...
    @property
    def kind(self) -> VacancyKind: ...
    @property
    def employment(self) -> Employment: ...


@dataclass(frozen=True, slots=True)
class Scored:
    score: float
    reasons: tuple[Reason, ...]


@lru_cache(maxsize=50_000)
def stems(text: str) -> frozenset[str]:
    """First letters of the significant words of ``text``."""
    return frozenset(word[:PREFIX] for word in words(text) if len(word) >= MIN_WORD and word not in GENERIC)


def specialty_stems(specialty: str | None) -> frozenset[str]:
    return stems(specialty or "")


def profession_stem(profession: str) -> str:
    """A profession's head word, the one a vacancy title carries («Оператор станков с ЧПУ» -> «опер»)."""
    found = words(profession)
    return found[0][:PREFIX] if found else ""


@lru_cache(maxsize=1_000)
def profession_stems(profession: str) -> frozenset[str]:
    """Every significant word of the profession: a title must carry them all («Администратор зала» is not
    «Системный администратор»)."""
    return frozenset(
        word[:PREFIX] for word in words(profession) if len(word) >= MIN_WORD and word not in GENERIC
    )


def seeker_stems(seeker: SeekerFacts) -> tuple[str, ...]:
    """Every prefix the person's facts could match, the specialty's first, then the test professions' in
    their order: what the SQL pre-filter looks up."""
    heads = (profession_stem(p) for p in seeker.professions)
    return tuple(dict.fromkeys(stem for stem in (*sorted(specialty_stems(seeker.specialty)), *heads) if stem))


def score(vacancy: Scorable, seeker: SeekerFacts) -> Scored:
    """The vacancy's score for the person and the reasons behind every positive part of it."""
    title = stems(f"{vacancy.title} {vacancy.profession}")
    parts: list[tuple[float, Reason | None]] = []
    if seeker.specialty and specialty_stems(seeker.specialty) & title:
        parts.append((SPECIALTY, Reason("specialty", seeker.specialty)))
    elif vacancy.kind is VacancyKind.PRACTICE:
        return Scored(0.0, ())  # a practice is in one's own specialty, or it is no suggestion
    parts.extend(_test_parts(title, seeker))
    parts.extend(_place_parts(vacancy, seeker))
    if not seeker.has_experience:
        if vacancy.experience_required:
            parts.append((EXPERIENCE_MISSING, None))
        else:
            parts.append((NO_EXPERIENCE, Reason("no_experience")))
    if (seeker.age is None or seeker.age < 18) and vacancy.min_age < 18:
        parts.append((FOR_TEENS, Reason("age", str(vacancy.min_age))))
    return Scored(sum(points for points, _ in parts), tuple(reason for _, reason in parts if reason))


def _place_parts(vacancy: Scorable, seeker: SeekerFacts) -> list[tuple[float, Reason | None]]:
    if not seeker.municipality or not vacancy.municipality:
        return []
    if vacancy.municipality == seeker.municipality:
        return [(NEAR_HOME, Reason("near_home", seeker.municipality))]
    if vacancy.municipality in neighbours(seeker.municipality):
        return [(NEARBY, Reason("nearby", vacancy.municipality))]
    return [] if vacancy.employment is Employment.REMOTE else [(FAR_AWAY, None)]


def _test_parts(title: frozenset[str], seeker: SeekerFacts) -> Iterable[tuple[float, Reason | None]]:
    """The first of the person's test professions the title names, with its sphere."""
    for profession in seeker.professions:
        if profession_stems(profession) <= title:
            rank, sphere = _sphere_of(profession, seeker.test_spheres)
            points = TEST_PROFESSION if rank == 0 else TEST_SECOND_SPHERE
            reasons = [Reason("test_profession", profession)]
            if sphere:
                reasons.insert(0, Reason("test_sphere", sphere))
            return [(points, reasons[0]), *((0.0, r) for r in reasons[1:])]
    return []


def _sphere_of(profession: str, spheres: tuple[str, ...]) -> tuple[int, str]:
    """Which of the person's spheres (by rank) lists the profession; (0, "") when none does."""
    for rank, name in enumerate(spheres):
        if profession in _professions_of(name):
            return rank, name
    return 0, ""


@cache
def _professions_of(sphere_name: str) -> frozenset[str]:
    return frozenset(
        profession
        for instrument in SPHERES.values()
        for sphere in instrument.values()
        if sphere.name == sphere_name
        for profession in sphere.professions
    )


def has_fit(scored: Scored) -> bool:
    """Whether anything about the person made the vacancy a suggestion (not just «no experience»)."""
    return any(
        reason.code in {"specialty", "test_profession", "near_home", "nearby"} for reason in scored.reasons
    )
