"""Search in SQL: the query's filters, the minors' law and the text, then one page and the total.

The minors' law is one comparison: each row stores the youngest age it is lawful for in school time and
in free time (``minors.youngest_legal_age``), so «legal for a 15-year-old pupil in October» is
``legal_from_school <= 15``. Text goes through ``vacancy_terms``: every query term must match (a term no
vacancy has at all is dropped, so a typo or a word we do not index does not empty the page); the best
weighed first, then the newest.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, and_, exists, func, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement

from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.vacancies.rows import vacancies_by_id
from backend_client.sql.vacancies.tables import vacancies, vacancy_terms
from backend_client.vacancies.minors import ADULT, UNKNOWN_AGE_COUNTS_AS, YOUNGEST_WORKER, school_time
from backend_client.vacancies.models import (
    Employment,
    Schedule,
    SeekerFacts,
    VacancyPage,
    VacancyQuery,
    VacancyStatus,
)
from backend_client.vacancies.terms import query_terms

MAX_PER_PAGE = 20
PART_TIME_SCHEDULES = (Schedule.PART_DAY.value, Schedule.FLEXIBLE.value)


def lawful(seeker: SeekerFacts, today: date) -> ColumnElement[bool] | None:
    """The minors' law as a predicate for this person today: None for adults (no condition)."""
    age = UNKNOWN_AGE_COUNTS_AS if seeker.age is None else seeker.age
    if age >= ADULT:
        return None
    if age < YOUNGEST_WORKER:
        return literal(False)
    column = (
        vacancies.c.legal_from_school
        if school_time(today, studying=seeker.studying)
        else vacancies.c.legal_from_free
    )
    return column <= age


def conditions(seeker: SeekerFacts, query: VacancyQuery, today: date) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = [vacancies.c.status == VacancyStatus.OPEN.value]
    law = lawful(seeker, today)
    if law is not None:
        found.append(law)
    if query.municipality is not None:
        found.append(vacancies.c.municipality == query.municipality)
    if query.kinds:
        found.append(vacancies.c.kind.in_(sorted(kind.value for kind in query.kinds)))
    if query.part_time:
        found.append(
            or_(
                vacancies.c.employment == Employment.PART.value, vacancies.c.schedule.in_(PART_TIME_SCHEDULES)
            )
        )
    if query.salary_from is not None:
        # Pay reaching the wish: the top of the range, or its bottom when no top is stated.
        found.append(func.coalesce(vacancies.c.salary_to, vacancies.c.salary_from) >= query.salary_from)
    if query.no_experience:
        found.append(vacancies.c.experience_required.is_(False))
    if query.remote:
        found.append(vacancies.c.employment == Employment.REMOTE.value)
    return found


async def known_terms(connection: DbConnection, terms: tuple[str, ...]) -> tuple[str, ...]:
    """The terms some vacancy has (open or not): one indexed probe each, in one statement."""
    if not terms:
        return ()
    probes = [exists().where(vacancy_terms.c.term == term).label(f"t{n}") for n, term in enumerate(terms)]
    row = (await connection.execute(select(*probes))).one()
    return tuple(term for n, term in enumerate(terms) if row[n])


def _ranked(terms: tuple[str, ...]) -> Any:
    """Vacancy ids having every term, with the sum of the terms' weights."""
    return (
        select(vacancy_terms.c.vacancy_id, func.sum(vacancy_terms.c.weight).label("rank"))
        .where(vacancy_terms.c.term.in_(terms))
        .group_by(vacancy_terms.c.vacancy_id)
        .having(func.count() == len(terms))
        .subquery("matched")
    )


def page_queries(
    where: list[ColumnElement[bool]], terms: tuple[str, ...], query: VacancyQuery
) -> tuple[Select[Any], Select[Any]]:
    """(the page's ids in order, the total count)."""
    per_page = max(1, min(query.per_page, MAX_PER_PAGE))
    if terms:
        matched = _ranked(terms)
        base = (
            select(vacancies.c.id).join(matched, matched.c.vacancy_id == vacancies.c.id).where(and_(*where))
        )
        order: tuple[Any, ...] = (matched.c.rank.desc(), vacancies.c.listed_at.desc(), vacancies.c.id.desc())
    else:
        base = select(vacancies.c.id).where(and_(*where))
        order = (vacancies.c.listed_at.desc(), vacancies.c.id.desc())
    page = base.order_by(*order).limit(per_page).offset(max(0, query.page) * per_page)
    total = select(func.count()).select_from(base.subquery("found"))
    return page, total


async def search_page(
    connection: DbConnection, seeker: SeekerFacts, query: VacancyQuery, today: date
) -> VacancyPage:
    per_page = max(1, min(query.per_page, MAX_PER_PAGE))
    wanted = query_terms(query.text)
    terms = await known_terms(connection, wanted)
    if wanted and not terms:  # nothing has any of the words: nothing found, not everything
        return VacancyPage((), 0, max(0, query.page), per_page)
    page, total = page_queries(conditions(seeker, query, today), terms, query)
    ids = [row.id for row in await connection.execute(page)]
    count = int((await connection.execute(total)).scalar_one())
    items = await vacancies_by_id(connection, ids)
    return VacancyPage(tuple(items), count, max(0, query.page), per_page)
