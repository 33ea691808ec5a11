"""Matching a saved search to an arriving vacancy, as a table of cases (filters × vacancy fields, minors).

Every case is a base search with every filter on and a base vacancy that fits it, with one thing
changed on either side. A meta-test checks that every filter has cases that fit and cases that do not,
so the table cannot pass by a rule that ignores a filter. The contract tests run the same rule through
the store (tests/contract/test_vacancy_alerts.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from backend_client.vacancies.alerts import (
    AlertFilters,
    Feedback,
    allowed,
    arrived_of,
    filters_of,
    fits,
    index_keys,
    key_term,
    rank,
)
from backend_client.vacancies.models import (
    Employer,
    Employment,
    Hazard,
    Schedule,
    Vacancy,
    VacancyDraft,
    VacancyKind,
    VacancyQuery,
)

SAMARA, SYZRAN = "36401", "36435"
SEARCH = VacancyQuery(
    text="повар кондитер",
    municipality=SAMARA,
    kinds=frozenset({VacancyKind.JOB, VacancyKind.TEMPORARY}),
    part_time=True,
    salary_from=40_000,
    no_experience=True,
)
VACANCY = VacancyDraft(
    source="test",
    source_id="1",
    kind=VacancyKind.JOB,
    title="Повар-кондитер",
    employer=Employer("Кафе «Жигули»"),
    municipality=SAMARA,
    salary_from=45_000,
    employment=Employment.PART,
    schedule=Schedule.PART_DAY,
    duties="Готовить десерты",
)

# (filter, search changes, vacancy changes, fits)
CASES: list[tuple[str, dict[str, Any], dict[str, Any], bool]] = [
    ("base", {}, {}, True),
    ("words", {"text": "повар"}, {}, True),
    ("words", {}, {"title": "Повар"}, False),  # «кондитер» missing
    ("words", {"text": "Повара-кондитера"}, {}, True),  # forms are one word
    ("words", {"text": "кондитер"}, {"title": "Кондитер", "duties": "Работа с тестом"}, True),
    ("words", {"text": "пекарь"}, {}, False),  # no vacancy has it yet: still required
    ("exclude", {"exclude": "десерт"}, {}, False),  # a duty's word
    ("exclude", {"exclude": "ночь"}, {}, True),
    ("municipality", {}, {"municipality": SYZRAN}, False),
    ("municipality", {"municipality": None}, {"municipality": SYZRAN}, True),
    ("municipality", {}, {"municipality": None}, False),
    ("kinds", {}, {"kind": VacancyKind.TEMPORARY}, True),
    ("kinds", {}, {"kind": VacancyKind.INTERNSHIP}, False),
    ("kinds", {"kinds": frozenset()}, {"kind": VacancyKind.INTERNSHIP}, True),
    ("part_time", {}, {"employment": Employment.FULL, "schedule": Schedule.FLEXIBLE}, True),
    ("part_time", {}, {"employment": Employment.FULL, "schedule": Schedule.FULL_DAY}, False),
    ("part_time", {"part_time": False}, {"employment": Employment.FULL, "schedule": Schedule.FULL_DAY}, True),
    ("salary_from", {}, {"salary_from": 30_000}, False),
    ("salary_from", {}, {"salary_from": 30_000, "salary_to": 40_000}, True),  # the top reaches it
    ("salary_from", {}, {"salary_from": None}, False),  # pay not stated
    ("salary_from", {"salary_from": None}, {"salary_from": None}, True),
    ("no_experience", {}, {"experience_required": True}, False),
    ("no_experience", {"no_experience": False}, {"experience_required": True}, True),
    ("remote", {"remote": True}, {}, False),
    ("remote", {"remote": True}, {"employment": Employment.REMOTE, "schedule": Schedule.FLEXIBLE}, True),
]


def case(search: dict[str, Any], vacancy: dict[str, Any]) -> bool:
    exclude = search.pop("exclude", "")
    query = replace(SEARCH, **search)
    return fits(filters_of(query, exclude), arrived_of(1, replace(VACANCY, **vacancy)))


@pytest.mark.parametrize(("name", "search", "vacancy", "expected"), CASES, ids=[c[0] for c in CASES])
def test_matching(name: str, search: dict[str, Any], vacancy: dict[str, Any], expected: bool) -> None:
    assert case(dict(search), vacancy) is expected


def test_every_filter_has_cases_that_fit_and_cases_that_do_not() -> None:
    outcomes: dict[str, set[bool]] = {}
    for name, _, _, expected in CASES:
        outcomes.setdefault(name, set()).add(expected)
    filters = {
        "words",
        "exclude",
        "municipality",
        "kinds",
        "part_time",
        "salary_from",
        "no_experience",
        "remote",
    }
    assert {name for name, seen in outcomes.items() if seen == {True, False}} == filters


LIGHT = replace(VACANCY, kind=VacancyKind.TEMPORARY, min_age=14, hours_per_day=2.0, hours_per_week=10.0)


# (vacancy, age, school time, allowed)
MINORS: list[tuple[VacancyDraft, int | None, bool, bool]] = [
    (LIGHT, 14, True, True),
    (LIGHT, 13, False, False),  # under 14: nothing
    (LIGHT, None, True, True),  # unknown age counts as 14
    (replace(LIGHT, hours_per_day=4.0, hours_per_week=20.0), 14, True, False),  # over a school day's 2.5
    (replace(LIGHT, hours_per_day=4.0, hours_per_week=20.0), 14, False, True),  # within free time's 4
    (replace(LIGHT, hours_per_day=4.0, hours_per_week=20.0), 16, True, False),  # over 17.5 a week
    (replace(LIGHT, hours_per_day=4.0, hours_per_week=17.5), 16, True, True),
    (replace(LIGHT, hazards=frozenset({Hazard.NIGHT})), 17, False, False),
    (replace(LIGHT, hazards=frozenset({Hazard.NIGHT})), 18, True, True),
    (replace(LIGHT, schedule=Schedule.ROTATION), 16, False, False),
    (replace(LIGHT, min_age=16), 15, False, False),
    (replace(LIGHT, min_age=16), 16, True, True),
    (VACANCY, 17, False, False),  # min_age 18 by default
    (VACANCY, None, False, False),
]


@pytest.mark.parametrize(("vacancy", "age", "school", "expected"), MINORS)
def test_minors_law(vacancy: VacancyDraft, age: int | None, school: bool, expected: bool) -> None:
    assert allowed(arrived_of(1, vacancy), age, school_time=school) is expected


def test_the_rarest_word_keys_the_search_and_each_kind_has_a_row() -> None:
    terms = frozenset({"повар", "кондитер"})
    assert key_term(terms, {"повар": 900, "кондитер": 12}) == "кондитер"
    assert key_term(terms, {}) == "кондитер"  # none posted: the longer word
    assert key_term(frozenset(), {}) is None
    search = filters_of(SEARCH)
    assert index_keys(search, "кондитер") == [("кондитер", SAMARA, "job"), ("кондитер", SAMARA, "temporary")]
    assert index_keys(AlertFilters(remote=True), None) == [("", "", "")]
    assert filters_of(VacancyQuery()).empty
    assert not filters_of(VacancyQuery(remote=True)).empty


def test_feedback_ranks_like_vacancies_first_and_unlike_last() -> None:
    def vacancy(n: int, title: str, employer: str) -> Vacancy:
        return Vacancy(**{**vars_of(VACANCY), "title": title, "employer": Employer(employer)}, id=n)

    found = [vacancy(1, "Повар", "Кафе"), vacancy(2, "Кондитер", "Пекарня"), vacancy(3, "Повар", "Столовая")]
    assert rank(found, []) == found
    history = [Feedback("Кафе", frozenset({"повар"}), useful=False), Feedback("Пекарня", frozenset(), True)]
    assert [v.id for v in rank(found, history)] == [2, 3, 1]


def vars_of(draft: VacancyDraft) -> dict[str, Any]:
    return {name: getattr(draft, name) for name in VacancyDraft.__dataclass_fields__}
