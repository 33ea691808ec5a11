"""Scoring is a sum of named weights, each positive part with its reason."""

from __future__ import annotations

import pytest

from backend_client.vacancies import matching
from backend_client.vacancies.models import Employer, Employment, SeekerFacts, VacancyDraft, VacancyKind
from backend_client.vacancies.spheres import facts_of_result

TOGLIATTI, ZHIGULEVSK, SYZRAN = "36440", "36404", "36435"


def vacancy(title: str, place: str | None = TOGLIATTI, **more) -> VacancyDraft:
    return VacancyDraft("t", "1", more.pop("kind", VacancyKind.JOB), title, Employer("ООО"), place, **more)


WELDER = SeekerFacts(age=20, municipality=TOGLIATTI, specialty="Сварочное производство", studying=False)


@pytest.mark.parametrize(
    ("draft", "points", "codes"),
    [
        (
            vacancy("Сварщик"),
            matching.SPECIALTY + matching.NEAR_HOME + matching.NO_EXPERIENCE,
            ["specialty", "near_home", "no_experience"],
        ),
        (
            vacancy("Сварщик", ZHIGULEVSK),
            matching.SPECIALTY + matching.NEARBY + matching.NO_EXPERIENCE,
            ["specialty", "nearby", "no_experience"],
        ),
        (
            vacancy("Сварщик", SYZRAN),
            matching.SPECIALTY + matching.FAR_AWAY + matching.NO_EXPERIENCE,
            ["specialty", "no_experience"],
        ),
        (
            vacancy("Сварщик", SYZRAN, employment=Employment.REMOTE),
            matching.SPECIALTY + matching.NO_EXPERIENCE,
            ["specialty", "no_experience"],
        ),
        (
            vacancy("Сварщик", experience_required=True),
            matching.SPECIALTY + matching.NEAR_HOME + matching.EXPERIENCE_MISSING,
            ["specialty", "near_home"],
        ),
        (vacancy("Повар"), matching.NEAR_HOME + matching.NO_EXPERIENCE, ["near_home", "no_experience"]),
        (vacancy("Практика: повар", kind=VacancyKind.PRACTICE), 0.0, []),
        (
            vacancy("Практика: сварщик", kind=VacancyKind.PRACTICE),
            matching.SPECIALTY + matching.NEAR_HOME + matching.NO_EXPERIENCE,
            ["specialty", "near_home", "no_experience"],
        ),
    ],
    ids=[
        "home",
        "nearby",
        "far",
        "remote",
        "experience",
        "no-fit-but-home",
        "practice-elsewhere",
        "practice-own",
    ],
)
def test_score_of_a_welder(draft: VacancyDraft, points: float, codes: list[str]) -> None:
    scored = matching.score(draft, WELDER)
    assert scored.score == pytest.approx(points)
    assert [reason.code for reason in scored.reasons] == codes


def test_a_test_profession_needs_all_its_words_and_names_its_sphere() -> None:
    spheres, professions = facts_of_result("klimov", {"people": 9, "art": 4, "tech": 0})
    assert spheres == ("Человек — человек", "Человек — художественный образ")
    seeker = SeekerFacts(age=30, professions=professions, test_spheres=spheres, studying=False)
    hall = matching.score(vacancy("Администратор зала", None), seeker)
    assert [(r.code, r.value) for r in hall.reasons][:2] == [
        ("test_sphere", "Человек — человек"),
        ("test_profession", "Администратор зала"),
    ]
    assert not matching.has_fit(matching.score(vacancy("Системный администратор", None), seeker))
    cook = matching.score(vacancy("Повар", None), seeker)  # the second sphere counts less
    assert cook.score == matching.TEST_SECOND_SPHERE + matching.NO_EXPERIENCE


def test_minors_get_work_meant_for_them_first() -> None:
    teen = SeekerFacts(age=15, municipality=TOGLIATTI)
    meant = matching.score(vacancy("Курьер", min_age=14), teen)
    other = matching.score(vacancy("Курьер"), teen)
    assert meant.score - other.score == matching.FOR_TEENS
    assert ("age", "14") in [(r.code, r.value) for r in meant.reasons]


def test_an_unknown_test_says_nothing() -> None:
    assert facts_of_result("unknown", {"x": 3}) == ((), ())
