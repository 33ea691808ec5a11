"""The demo catalogue in the store: it loads once into an empty catalogue, and the SQL filter for minors
picks exactly what ``minors.legal_for`` allows, for every age, period and status of study — on the
vacancies and on the search postings' copies of their columns alike."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import and_, select

from backend_client.sql.vacancies.search import conditions, filters
from backend_client.sql.vacancies.tables import vacancies, vacancy_terms
from backend_client.vacancies.demo import demo_vacancies, seed_demo_vacancies
from backend_client.vacancies.minors import legal_for
from backend_client.vacancies.models import SeekerFacts, VacancyQuery, VacancyStatus

DAYS = {"school": date(2026, 10, 12), "summer": date(2026, 7, 15), "winter-break": date(2027, 1, 5)}


async def test_the_demo_loads_into_an_empty_catalogue_only(database, clock):
    catalogue = database.vacancy_catalogue
    report = await seed_demo_vacancies(catalogue, clock.now())
    assert report is not None
    assert (report.added, report.problems) == (len(demo_vacancies(today=clock.now().date())), ())
    assert await seed_demo_vacancies(catalogue, clock.now()) is None
    page = await database.vacancies.search(SeekerFacts(age=30, studying=False), VacancyQuery())
    assert page.total == report.added


@pytest.mark.parametrize("period", sorted(DAYS))
async def test_the_sql_filter_for_minors_is_the_python_rule(database, clock, period):
    day = DAYS[period]
    clock.set(datetime(day.year, day.month, day.day, 9, tzinfo=UTC))
    await seed_demo_vacancies(database.vacancy_catalogue, datetime(2026, 12, 1, tzinfo=UTC))
    drafts = {d.source_id: d for d in demo_vacancies()}
    seekers = [
        SeekerFacts(age=age, studying=s)
        for age in (None, 12, 13, 14, 15, 16, 17, 18, 25)
        for s in (True, False)
    ]
    async with database.engine.connect() as connection:
        in_sql = [await _lawful_vacancies(connection, seeker, day) for seeker in seekers]
        in_postings = [await _lawful_postings(connection, seeker, day) for seeker in seekers]
    for seeker, found, posted in zip(seekers, in_sql, in_postings, strict=True):
        by_rule = {
            key
            for key, draft in drafts.items()
            if draft.status is VacancyStatus.OPEN
            and legal_for(draft, seeker.age, on=day, studying=seeker.studying)
        }
        assert found == by_rule, seeker
        assert posted == by_rule, seeker
        if seeker.age is not None and 14 <= seeker.age < 18:
            assert by_rule, f"the demo offers nothing lawful for {seeker}: the check would be empty"
        assert (await database.vacancies.search(seeker, VacancyQuery())).total == len(by_rule)


async def _lawful_vacancies(connection, seeker: SeekerFacts, day: date) -> set[str]:
    query = select(vacancies.c.source_id).where(and_(*conditions(seeker, VacancyQuery(), day)))
    return {row.source_id for row in await connection.execute(query)}


async def _lawful_postings(connection, seeker: SeekerFacts, day: date) -> set[str]:
    """The vacancies having a posting that passes the filter on the posting's copied columns."""
    query = (
        select(vacancies.c.source_id)
        .join(vacancy_terms, vacancy_terms.c.vacancy_id == vacancies.c.id)
        .where(*filters(seeker, VacancyQuery(), day, vacancy_terms))
        .distinct()
    )
    return {row.source_id for row in await connection.execute(query)}
