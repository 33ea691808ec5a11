"""Ranking vacancies for a person: a sum of named weights, each with the reason the person is shown.

Nothing is learnt: an adviser can read the weights below and say why a vacancy came first. Words are
compared by their first letters (``terms.PREFIX``), so «Программирование» (a specialty) meets
«Программист» (a title); the SQL pre-filter (``backend_client/sql/vacancies/matching.py``) looks up the
same prefixes, so every vacancy this module would reward is among the candidates it scores.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from backend_client.vacancies.models import Reason, SeekerFacts, VacancyDraft
from backend_client.vacancies.spheres import SPHERES
from backend_client.vacancies.terms import PREFIX, words

SPECIALTY = 4.0  # the title names what the person studies or studied: «вы учитесь на …»
TEST_PROFESSION = 3.0  # a profession of the person's leading test sphere: «подходит по тесту: …»
TEST_SECOND_SPHERE = 2.0  # the same for the second sphere
NEAR_HOME = 2.0  # in the person's municipality: «рядом с домом»
NO_EXPERIENCE = 1.0  # no experience needed, and the person has none
EXPERIENCE_MISSING = -1.5  # experience needed that the person lacks: shown lower, never hidden
FOR_TEENS = 1.0  # a minor, and the employer takes people under 18 on purpose
MIN_WORD = 4  # shorter words of a specialty («и», «дело») say nothing about it
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


@dataclass(frozen=True, slots=True)
class Scored:
    score: float
    reasons: tuple[Reason, ...]


def stems(text: str) -> frozenset[str]:
    """First letters of the significant words of ``text``."""
    return frozenset(word[:PREFIX] for word in words(text) if len(word) >= MIN_WORD and word not in GENERIC)


def specialty_stems(specialty: str | None) -> frozenset[str]:
    return stems(specialty or "")


def profession_stem(profession: str) -> str:
    """A profession's head word, the one a vacancy title carries («Оператор станков с ЧПУ» -> «опера»)."""
    found = words(profession)
    return found[0][:PREFIX] if found else ""


def seeker_stems(seeker: SeekerFacts) -> frozenset[str]:
    """Every prefix the person's facts could match: what the SQL pre-filter looks up."""
    heads = {profession_stem(p) for p in seeker.professions}
    return frozenset((specialty_stems(seeker.specialty) | heads) - {""})


def score(vacancy: VacancyDraft, seeker: SeekerFacts) -> Scored:
    """The vacancy's score for the person and the reasons behind every positive part of it."""
    title = stems(f"{vacancy.title} {vacancy.profession}")
    parts: list[tuple[float, Reason | None]] = []
    if seeker.specialty and specialty_stems(seeker.specialty) & title:
        parts.append((SPECIALTY, Reason("specialty", seeker.specialty)))
    parts.extend(_test_parts(title, seeker))
    if seeker.municipality and vacancy.municipality == seeker.municipality:
        parts.append((NEAR_HOME, Reason("near_home", seeker.municipality)))
    if not seeker.has_experience:
        if vacancy.experience_required:
            parts.append((EXPERIENCE_MISSING, None))
        else:
            parts.append((NO_EXPERIENCE, Reason("no_experience")))
    if (seeker.age is None or seeker.age < 18) and vacancy.min_age < 18:
        parts.append((FOR_TEENS, Reason("age", str(vacancy.min_age))))
    return Scored(sum(points for points, _ in parts), tuple(reason for _, reason in parts if reason))


def _test_parts(title: frozenset[str], seeker: SeekerFacts) -> Iterable[tuple[float, Reason | None]]:
    """The first of the person's test professions the title names, with its sphere."""
    for profession in seeker.professions:
        if profession_stem(profession) in title:
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
        for instrument in SPHERES.values():
            if any(s.name == name and profession in s.professions for s in instrument.values()):
                return rank, name
    return 0, ""


def has_fit(scored: Scored) -> bool:
    """Whether anything about the person made the vacancy a suggestion (not just «no experience»)."""
    return any(reason.code in {"specialty", "test_profession", "near_home"} for reason in scored.reasons)
