"""Search in SQL: the query's filters, the minors' law and the words, then one page and the total.

The minors' law is one comparison: each row stores the youngest age it is lawful for in school time and
in free time (``minors.youngest_legal_age``), so «lawful for a 15-year-old pupil in October» is
``legal_from_school <= 15``. Every filtered column is in the search indexes, so a page and its count
read an index alone; the count stops at MAX_TOTAL.

Words go through ``vacancy_terms``, the postings of open vacancies: every query word must be there (a
word no vacancy has at all is dropped, so a typo does not empty the page). The word with the fewest
postings leads: its postings are read in index order — title first, then newest. Each posting carries a
copy of its vacancy's filtered columns, so the filters are checked on the index entry itself, and only
the postings that pass are checked for the other words (``_other``); the walk stops at MAX_TOTAL + 1 and
gives the page and the count. No vacancy row is read until the page is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, Table, and_, func, literal, or_, select
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
MAX_TOTAL = 1_000  # counting stops here (``VacancyPage.capped``)
# Postings counted per word to find the rarest; beyond it a word is simply common (and, when it does not
# lead, probed per posting rather than read into a hashed set: ``_other``).
PROBE = 10_000
PART_TIME_SCHEDULES = (Schedule.PART_DAY.value, Schedule.FLEXIBLE.value)


@dataclass(frozen=True, slots=True)
class Law:
    """The minors' law for one person on one day as the shape of a condition: ``column`` (one of the two
    ``legal_from_*``) at most ``age``; no column: an adult, no condition; ``nobody``: under 14, nothing."""

    column: str | None
    age: int
    nobody: bool = False

    def over(self, table: Table, age: Any = None) -> ColumnElement[bool] | None:
        """The condition on ``table``'s columns; ``age``: a bound parameter to compare with instead."""
        if self.nobody:
            return literal(False)
        if self.column is None:
            return None
        return table.c[self.column] <= (self.age if age is None else age)


def law(seeker: SeekerFacts, today: date) -> Law:
    age = UNKNOWN_AGE_COUNTS_AS if seeker.age is None else seeker.age
    if age >= ADULT:
        return Law(None, age)
    if age < YOUNGEST_WORKER:
        return Law(None, age, nobody=True)
    studying = school_time(today, studying=seeker.studying)
    return Law("legal_from_school" if studying else "legal_from_free", age)


def lawful(seeker: SeekerFacts, today: date, table: Table = vacancies) -> ColumnElement[bool] | None:
    """The minors' law as a predicate for this person today: None for adults (no condition)."""
    return law(seeker, today).over(table)


def filters(seeker: SeekerFacts, query: VacancyQuery, today: date, table: Table) -> list[ColumnElement[bool]]:
    """The law and the query's filters over ``table``'s columns: ``vacancies``, or ``vacancy_terms`` whose
    postings carry copies of the same columns under the same names."""
    found: list[ColumnElement[bool]] = []
    law = lawful(seeker, today, table)
    if law is not None:
        found.append(law)
    if query.municipality is not None:
        found.append(table.c.municipality == query.municipality)
    if query.kinds:
        found.append(table.c.kind.in_(sorted(kind.value for kind in query.kinds)))
    if query.part_time:
        found.append(
            or_(table.c.employment == Employment.PART.value, table.c.schedule.in_(PART_TIME_SCHEDULES))
        )
    if query.salary_from is not None:
        # Pay reaching the wish: the top of the range, or its bottom when no top is stated.
        found.append(func.coalesce(table.c.salary_to, table.c.salary_from) >= query.salary_from)
    if query.no_experience:
        found.append(table.c.experience_required.is_(False))
    if query.remote:
        found.append(table.c.employment == Employment.REMOTE.value)
    return found


def conditions(seeker: SeekerFacts, query: VacancyQuery, today: date) -> list[ColumnElement[bool]]:
    """Which vacancies a search without words finds: the open ones passing ``filters``."""
    return [vacancies.c.status == VacancyStatus.OPEN.value, *filters(seeker, query, today, vacancies)]


async def posting_counts(connection: DbConnection, terms: tuple[str, ...]) -> dict[str, int]:
    """How many open vacancies have each word (counted up to PROBE), in one statement."""
    if not terms:
        return {}
    probes = [
        select(func.count())
        .select_from(
            select(vacancy_terms.c.vacancy_id).where(vacancy_terms.c.term == term).limit(PROBE).subquery()
        )
        .scalar_subquery()
        .label(f"t{n}")
        for n, term in enumerate(terms)
    ]
    row = (await connection.execute(select(*probes))).one()
    return {term: int(row[n]) for n, term in enumerate(terms)}


def page_queries(
    seeker: SeekerFacts,
    query: VacancyQuery,
    today: date,
    terms: tuple[str, ...],
    counts: dict[str, int] | None = None,
) -> tuple[Select[Any], Select[Any] | None]:
    """(the page's ids in order, the count up to MAX_TOTAL). ``terms``: the rarest word first; ``counts``:
    their postings, as ``posting_counts`` gives them (unknown: every word is taken as common).

    With words there is no separate count: the first statement reads up to MAX_TOTAL + 1 ids in order,
    the page is cut from them and their number is the count (one ordered walk of the postings)."""
    per_page = max(1, min(query.per_page, MAX_PER_PAGE))
    if terms:
        # the filters first: only the postings that pass them are probed for the other words
        known = counts or {}
        others = (_other(term, few=known.get(term, PROBE) < PROBE) for term in terms[1:])
        where = [*filters(seeker, query, today, vacancy_terms), *others]
        return walk(vacancy_terms.c.term == terms[0], where).limit(MAX_TOTAL + 1), None
    base = select(vacancies.c.id).where(and_(*conditions(seeker, query, today)))
    page = base.order_by(vacancies.c.listed_at.desc(), vacancies.c.id.desc())
    page = page.limit(per_page).offset(max(0, query.page) * per_page)
    total = select(func.count()).select_from(base.limit(MAX_TOTAL + 1).subquery("found"))
    return page, total


def walk(lead: ColumnElement[bool], where: list[ColumnElement[bool]]) -> Select[Any]:
    """The ids of the postings meeting ``lead`` (one term's) and ``where``, best placed and newest first:
    one index range read in order, the conditions checked on the postings' own columns."""
    return (
        select(vacancy_terms.c.vacancy_id.label("id"))
        .where(lead, *where)
        .order_by(
            vacancy_terms.c.weight.desc(), vacancy_terms.c.recency.desc(), vacancy_terms.c.vacancy_id.desc()
        )
    )


def _other(term: str, *, few: bool) -> ColumnElement[bool]:
    """The posting's vacancy has ``term`` too.

    A word with ``few`` postings (fewer than PROBE) is read once into a hashed set that each posting is
    looked up in; a common one is probed per posting in the (vacancy, term) index, which stops with the
    walk. Probes cost PostgreSQL some 4 µs each: «стажировка программист» (6,000 postings each, a quarter
    of them shared) took 15 ms in probes and 3–6 ms hashed, while «подработка летом» (15,000 each, all
    shared) takes 2 ms in probes and 10 ms hashed. The set is a filter, not a join (``IS TRUE`` keeps
    PostgreSQL from turning it into a semi-join that reads and sorts every posting of the lead word)."""
    other = vacancy_terms.alias("other")
    if few:
        having = select(other.c.vacancy_id).where(other.c.term == term)
        return vacancy_terms.c.vacancy_id.in_(having).is_(True)
    probe = select(literal(1)).where(other.c.vacancy_id == vacancy_terms.c.vacancy_id, other.c.term == term)
    return probe.limit(1).scalar_subquery().is_not(None)


async def search_page(
    connection: DbConnection, seeker: SeekerFacts, query: VacancyQuery, today: date
) -> VacancyPage:
    per_page = max(1, min(query.per_page, MAX_PER_PAGE))
    empty = VacancyPage((), 0, max(0, query.page), per_page)
    wanted = query_terms(query.text)
    # One word needs no counting: the walk itself finds whether any vacancy has it.
    counts = await posting_counts(connection, wanted) if len(wanted) > 1 else dict.fromkeys(wanted, 1)
    terms = tuple(sorted((t for t in wanted if counts[t]), key=lambda t: counts[t]))
    if wanted and not terms:  # nothing has any of the words: nothing found, not everything
        return empty
    page, total = page_queries(seeker, query, today, terms, counts)
    ids = [row.id for row in await connection.execute(page)]
    if total is None:  # words: ``ids`` is the whole ordered walk, up to the cap
        count = len(ids)
        start = max(0, query.page) * per_page
        ids = ids[start : start + per_page]
    else:
        count = int((await connection.execute(total)).scalar_one())
    items = await vacancies_by_id(connection, ids)
    return VacancyPage(
        tuple(items), min(count, MAX_TOTAL), max(0, query.page), per_page, capped=count > MAX_TOTAL
    )
