"""Matching and the capped count over SQLite and PostgreSQL."""

from __future__ import annotations

from backend_client.vacancies.models import SeekerFacts, VacancyKind, VacancyQuery
from tests.contract.test_vacancies import ADULT, SAMARA, SYZRAN, TOGLIATTI, draft


async def test_matching_ranks_by_specialty_test_and_home_with_reasons(database):
    zhigulevsk = "36404"  # a daily commute from Togliatti
    await database.vacancy_catalogue.upsert_vacancies(
        [
            draft(1, title="Программист 1С", municipality=SYZRAN),
            draft(2, title="Сварщик", municipality=TOGLIATTI, experience_required=True),
            draft(3, title="Продавец-кассир", municipality=TOGLIATTI),
            draft(4, title="Инженер-программист", municipality=TOGLIATTI),
            draft(5, title="Повар", municipality=SAMARA),
            draft(6, title="Инженер-технолог", municipality=zhigulevsk),
            draft(7, title="Практика: сварщик", kind=VacancyKind.PRACTICE, municipality=TOGLIATTI),
        ]
    )
    seeker = SeekerFacts(
        age=20,
        municipality=TOGLIATTI,
        specialty="Информационные системы и программирование",
        professions=("Сварщик", "Инженер"),
        test_spheres=("Человек — техника",),
        studying=True,
    )
    matches = await database.vacancies.match(seeker)
    # 4+3+2+1, 3+1+1, 3+2-1.5, 2+1, 4+1-2.5; the cook fits in nothing, a practice outside the specialty
    # is no suggestion
    assert [(m.vacancy.source_id, m.score) for m in matches] == [
        ("v4", 10.0),
        ("v6", 5.0),
        ("v2", 3.5),
        ("v3", 3.0),
        ("v1", 2.5),
    ]
    best = matches[0]
    assert [r.code for r in best.reasons] == [
        "specialty",
        "test_sphere",
        "test_profession",
        "near_home",
        "no_experience",
    ]
    assert (best.reasons[0].value, best.reasons[1].value, best.reasons[2].value) == (
        "Информационные системы и программирование",
        "Человек — техника",
        "Инженер",
    )
    assert [(r.code, r.value) for r in matches[1].reasons if r.code == "nearby"] == [("nearby", zhigulevsk)]
    assert [r.code for r in matches[4].reasons] == ["specialty", "no_experience"]  # far away: no place reason
    assert [m.vacancy.source_id for m in await database.vacancies.match(seeker, limit=2, offset=1)] == [
        "v6",
        "v2",
    ]
    nothing_known = await database.vacancies.match(SeekerFacts(age=30, studying=False))
    assert len(nothing_known) == 5  # no facts: the newest lawful ones
    assert await database.vacancies.match(SeekerFacts(age=13)) == []


async def test_counting_stops_at_the_cap(database, monkeypatch):
    from backend_client.sql.vacancies import search

    monkeypatch.setattr(search, "MAX_TOTAL", 3)
    await database.vacancy_catalogue.upsert_vacancies([draft(n, title=f"Сварщик {n}") for n in range(1, 6)])
    for text in ("", "сварщик"):
        first = await database.vacancies.search(ADULT, VacancyQuery(text=text, per_page=2))
        assert (len(first.items), first.total, first.capped) == (2, 3, True), text
    exact = await database.vacancies.search(ADULT, VacancyQuery(text="сварщик", municipality=SYZRAN))
    assert (exact.total, exact.capped) == (0, False)
