"""The minors' law (ТК РФ ст. 63, 92, 94, 265, 268) as a table of cases.

Every case is the same base vacancy and person (a 16-year-old pupil on a school day, a part-day summer job
of 4 h a day and 17.5 h a week: lawful, exactly at both limits) with one dimension changed. A meta-test
checks that each case changes only its own dimension and that every dimension has lawful and unlawful
cases, so the table cannot pass by a rule that ignores a dimension.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from backend_client.vacancies.minors import (
    HourLimits,
    hour_limits,
    legal_at,
    legal_for,
    school_holidays,
    youngest_legal_age,
)
from backend_client.vacancies.models import Employer, Hazard, Schedule, VacancyDraft, VacancyKind

SCHOOL_DAY, SUMMER = date(2026, 10, 12), date(2026, 7, 15)
BASE: dict[str, Any] = {
    "age": 16,
    "schedule": Schedule.PART_DAY,
    "day": 4.0,
    "week": 17.5,
    "kind": VacancyKind.TEMPORARY,
    "hazards": frozenset(),
    "on": SCHOOL_DAY,
    "studying": True,
    "min_age": 14,
}
DIMENSIONS = {
    "age": {"age"},
    "schedule": {"schedule"},
    "hours": {"day", "week"},
    "kind": {"kind"},
    "hazards": {"hazards"},
    "period": {"on", "studying"},
    "min_age": {"min_age"},
    "combined": set(BASE),  # cases that need two dimensions at once
}


def case(name: str, dimension: str, legal: bool, **changes: Any) -> Any:
    return pytest.param(dimension, changes, legal, id=f"{dimension}-{name}")


CASES = [
    case("base", "age", True),
    case("15-school-day", "age", False, age=15),
    case("13", "age", False, age=13),
    case("18", "age", True, age=18),
    case("17", "age", True, age=17),
    case("rotation", "schedule", False, schedule=Schedule.ROTATION),
    case("irregular", "schedule", False, schedule=Schedule.IRREGULAR),
    case("shifts-by-day", "schedule", True, schedule=Schedule.SHIFTS),
    case("flexible", "schedule", True, schedule=Schedule.FLEXIBLE),
    case("full-day-stated-4h", "schedule", True, schedule=Schedule.FULL_DAY),
    case("day-over-school-limit", "hours", False, day=4.5),
    case("week-over-school-limit", "hours", False, week=18.0),
    case("well-under", "hours", True, day=2.0, week=8.0),
    case("full-time-hours", "hours", False, day=8.0, week=40.0),
    case("targeted-full-time", "combined", True, kind=VacancyKind.TARGETED, day=8.0, week=40.0),
    case("job-full-time", "combined", False, kind=VacancyKind.JOB, day=8.0, week=40.0),
    case("job", "kind", True, kind=VacancyKind.JOB),
    case("practice", "kind", True, kind=VacancyKind.PRACTICE),
    case("targeted-rotation", "combined", False, kind=VacancyKind.TARGETED, schedule=Schedule.ROTATION),
    case("internship-over", "combined", False, kind=VacancyKind.INTERNSHIP, day=5.0, week=20.0),
    *(case(h.value, "hazards", False, hazards=frozenset({h})) for h in Hazard),
    case("none", "hazards", True, hazards=frozenset()),
    case(
        "targeted-harmful", "combined", False, kind=VacancyKind.TARGETED, hazards=frozenset({Hazard.HARMFUL})
    ),
    case("summer", "period", True, on=SUMMER),
    case("not-studying", "period", True, studying=False),
    case("summer-not-studying", "period", True, on=SUMMER, studying=False),
    case("15-summer-5h-24h", "combined", True, age=15, on=SUMMER, day=5.0, week=24.0),
    case("15-school-5h-24h", "combined", False, age=15, day=5.0, week=24.0),
    case("15-not-studying-5h-24h", "combined", True, age=15, studying=False, day=5.0, week=24.0),
    case("14-summer-4h-24h", "combined", True, age=14, on=SUMMER, week=24.0),
    case("14-summer-5h", "combined", False, age=14, on=SUMMER, day=5.0),
    case("16-summer-7h-35h", "combined", True, on=SUMMER, day=7.0, week=35.0),
    case("16-summer-7.5h", "combined", False, on=SUMMER, day=7.5, week=35.0),
    case("16-summer-36h", "combined", False, on=SUMMER, day=7.0, week=36.0),
    case("16-school-7h-35h", "combined", False, day=7.0, week=35.0),
    case(
        "full-day-unstated-summer",
        "combined",
        False,
        on=SUMMER,
        schedule=Schedule.FULL_DAY,
        day=None,
        week=None,
    ),
    case("part-day-unstated", "combined", True, day=None, week=None),
    case("unknown-age-2h", "combined", True, age=None, day=2.0, week=10.0),
    case("unknown-age-4h", "combined", False, age=None),
    case("employer-16", "min_age", True, min_age=16),
    case("employer-17", "min_age", False, min_age=17),
    case("employer-18", "min_age", False, min_age=18),
    case("17-employer-17", "combined", True, age=17, min_age=17),
]


def vacancy(facts: dict[str, Any]) -> VacancyDraft:
    return VacancyDraft(
        source="test",
        source_id="1",
        kind=facts["kind"],
        title="Помощник",
        employer=Employer("ООО «Тест»"),
        municipality=None,
        schedule=facts["schedule"],
        hours_per_day=facts["day"],
        hours_per_week=facts["week"],
        hazards=facts["hazards"],
        min_age=facts["min_age"],
    )


@pytest.mark.parametrize(("dimension", "changes", "legal"), CASES)
def test_the_law_for_each_case(dimension: str, changes: dict[str, Any], legal: bool) -> None:
    facts = {**BASE, **changes}
    assert legal_for(vacancy(facts), facts["age"], on=facts["on"], studying=facts["studying"]) is legal


@pytest.mark.parametrize(("dimension", "changes", "legal"), CASES)
def test_the_stored_youngest_age_agrees_with_the_rule(
    dimension: str, changes: dict[str, Any], legal: bool
) -> None:
    facts = {**BASE, **changes}
    draft = vacancy(facts)
    for school in (True, False):
        youngest = youngest_legal_age(draft, school_time=school)
        assert all(legal_at(draft, age, school_time=school) is (age >= youngest) for age in range(10, 25))


def test_the_table_cannot_pass_by_accident() -> None:
    """For every dimension, two cases alike in everything else with opposite outcomes: a rule that ignored
    the dimension would fail one of them."""
    cases = [({**BASE, **param.values[1]}, param.values[2]) for param in CASES]
    assert cases[0] == (BASE, True)  # the base is lawful
    for dimension, fields in DIMENSIONS.items():
        if dimension == "combined":
            continue
        rest = [name for name in BASE if name not in fields]
        pairs = [
            (one, other)
            for one, lawful in cases
            for other, unlawful in cases
            if lawful and not unlawful and all(one[n] == other[n] for n in rest)
        ]
        assert pairs, f"no lawful/unlawful pair that differs only in {dimension}"


@pytest.mark.parametrize(
    ("age", "studying", "holidays", "limits"),
    [
        (13, False, True, HourLimits(0.0, 0.0)),
        (14, False, True, HourLimits(4.0, 24.0)),
        (14, True, False, HourLimits(2.5, 12.0)),
        (14, True, True, HourLimits(4.0, 24.0)),
        (15, False, False, HourLimits(5.0, 24.0)),
        (15, True, False, HourLimits(2.5, 12.0)),
        (16, False, False, HourLimits(7.0, 35.0)),
        (16, True, False, HourLimits(4.0, 17.5)),
        (17, True, True, HourLimits(7.0, 35.0)),
        (18, True, False, HourLimits(None, None)),
    ],
)
def test_hour_limits(age: int, studying: bool, holidays: bool, limits: HourLimits) -> None:
    assert hour_limits(age, studying=studying, holidays=holidays) == limits


@pytest.mark.parametrize(
    ("day", "holidays"),
    [
        (date(2027, 1, 5), True),
        (date(2027, 1, 12), False),
        (date(2027, 3, 25), True),
        (date(2027, 3, 20), False),
        (date(2027, 6, 1), True),
        (date(2027, 8, 31), True),
        (date(2027, 9, 1), False),
        (date(2026, 11, 2), True),
        (date(2026, 11, 10), False),
        (date(2026, 12, 30), True),
        (date(2026, 12, 20), False),
    ],
    ids=str,
)
def test_school_holidays(day: date, holidays: bool) -> None:
    assert school_holidays(day) is holidays


def test_replacing_a_field_keeps_the_rule_pure() -> None:
    draft = vacancy(BASE)
    assert legal_for(replace(draft, hazards=frozenset({Hazard.WEEKENDS})), 17, on=SUMMER) is False
    assert legal_for(draft, 17, on=SUMMER) is True
