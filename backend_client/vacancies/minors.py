"""Which work the law allows a person under 18 (ТК РФ ст. 63, 92, 94, 96, 265, 268), as pure functions.

The store keeps, for every vacancy, the youngest age it is legal for in school time and in free time
(``youngest_legal_age``), so a search filters minors with one indexed comparison; this module is the rule
both of those columns and of the card. Decisions taken where the law leaves the bot to choose:

- An unknown age counts as 14, the youngest who may work at all: what is legal at 14 is legal at every
  age up to 18, so nothing shown can be unlawful for the person. Under 14: nothing (ст. 63 allows only
  culture and the arts, with the guardianship body's consent, which no vacancy here arranges).
- Any declared hazard excludes the vacancy (night, overtime, weekends, business trips, harmful work,
  alcohol and tobacco, gambling and night life: ст. 96, 265, 268), as do the rotation («вахта») and
  irregular schedules, which imply overtime and travel.
- Hours are the employer's statement; unstated hours of a full-day job count as the normal 8 a day and
  40 a week (ст. 91), unstated hours of part-day, flexible or shift work as within the limits (the
  employer who takes minors must keep to them, and the card shows them).
- «Целевое обучение» is a contract about studies: the work it promises starts after graduation, so the
  hour limits do not apply to the offer (its minimum age and hazards still do).
- School time: a pupil or student outside the school holidays gets the school-year limits (half the
  weekly hours, shorter days); anyone else, or anyone in the holidays, the general limits for the age.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from backend_client.vacancies.models import Schedule, VacancyDraft, VacancyKind

YOUNGEST_WORKER = 14  # ст. 63: from 14 with a parent's written consent, light work in free time
ADULT = 18
UNKNOWN_AGE_COUNTS_AS = YOUNGEST_WORKER
FORBIDDEN_SCHEDULES = frozenset({Schedule.ROTATION, Schedule.IRREGULAR})
NORMAL_DAY, NORMAL_WEEK = 8.0, 40.0  # ст. 91: what a full-day job without stated hours is taken to mean
HOURS_EXEMPT_KINDS = frozenset({VacancyKind.TARGETED})


@dataclass(frozen=True, slots=True)
class HourLimits:
    """The most a person may work; None: no limit for minors (an adult: the general rules)."""

    per_day: float | None
    per_week: float | None


# (age from, age to inclusive) -> (per day, per week): ст. 94 (day) and ст. 92 (week).
_FREE_TIME = {14: (4.0, 24.0), 15: (5.0, 24.0), 16: (7.0, 35.0), 17: (7.0, 35.0)}
# Pupils and students during the school year: ст. 94 part 2 (day) and ст. 92 part 3 (half the week).
_SCHOOL_TIME = {14: (2.5, 12.0), 15: (2.5, 12.0), 16: (4.0, 17.5), 17: (4.0, 17.5)}

# School holidays in the Samara region, as (first day, last day) by month and day, every year alike. An
# approximation of the regional calendar (the exact dates move by a few days from year to year): the
# law's limits differ only between school time and holidays, and a day off either side matters little.
SCHOOL_HOLIDAYS: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = (
    ((1, 1), (1, 11)),  # winter, after the New Year
    ((3, 23), (3, 31)),  # spring
    ((6, 1), (8, 31)),  # summer
    ((10, 27), (11, 4)),  # autumn
    ((12, 29), (12, 31)),  # winter, before the New Year
)


def school_holidays(day: date) -> bool:
    """Whether ``day`` falls in the Samara school holidays (approximated, see ``SCHOOL_HOLIDAYS``)."""
    key = (day.month, day.day)
    return any(first <= key <= last for first, last in SCHOOL_HOLIDAYS)


def school_time(day: date, *, studying: bool) -> bool:
    """Whether the school-year limits apply: a pupil or student on a school day."""
    return studying and not school_holidays(day)


def hour_limits(age: int, *, studying: bool, holidays: bool) -> HourLimits:
    """The daily and weekly limits for ``age``: zero under 14, none from 18."""
    if age < YOUNGEST_WORKER:
        return HourLimits(0.0, 0.0)
    if age >= ADULT:
        return HourLimits(None, None)
    table = _SCHOOL_TIME if studying and not holidays else _FREE_TIME
    per_day, per_week = table[age]
    return HourLimits(per_day, per_week)


def legal_for(vacancy: VacancyDraft, age: int | None, *, on: date, studying: bool = True) -> bool:
    """Whether ``vacancy`` is lawful work for a person of ``age`` on the day ``on`` (None: unknown age,
    taken as 14). Only the law: whether the vacancy is still open is the caller's question."""
    known = UNKNOWN_AGE_COUNTS_AS if age is None else age
    return legal_at(vacancy, known, school_time=school_time(on, studying=studying))


def legal_at(vacancy: VacancyDraft, age: int, *, school_time: bool) -> bool:
    """``legal_for`` with the period decided: ``school_time`` is a pupil or student on a school day."""
    if age >= ADULT:
        return True
    if age < YOUNGEST_WORKER or age < vacancy.min_age:
        return False
    if vacancy.hazards or vacancy.schedule in FORBIDDEN_SCHEDULES:
        return False
    if vacancy.kind in HOURS_EXEMPT_KINDS:
        return True
    return _within(vacancy, hour_limits(age, studying=school_time, holidays=False))


def _within(vacancy: VacancyDraft, limits: HourLimits) -> bool:
    full_day = vacancy.schedule is Schedule.FULL_DAY
    per_day = vacancy.hours_per_day if vacancy.hours_per_day is not None else (NORMAL_DAY if full_day else 0)
    per_week = (
        vacancy.hours_per_week if vacancy.hours_per_week is not None else (NORMAL_WEEK if full_day else 0)
    )
    return per_day <= (limits.per_day or 0) and per_week <= (limits.per_week or 0)


def youngest_legal_age(vacancy: VacancyDraft, *, school_time: bool) -> int:
    """The youngest age (14–18) at which the vacancy is lawful; 18: adults only. Legality only grows with
    age (the limits only widen), so ``legal_at(v, a)`` is exactly ``a >= youngest_legal_age(v)``."""
    for age in range(YOUNGEST_WORKER, ADULT):
        if legal_at(vacancy, age, school_time=school_time):
            return age
    return ADULT
