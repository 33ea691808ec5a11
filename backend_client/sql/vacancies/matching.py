"""Matching over SQL: a bounded set of candidates found by index, ranked in Python by
``backend_client/vacancies/matching.py``.

Candidates are the open vacancies lawful for the person whose title words share a prefix with the
person's specialty or test professions (for each prefix the ``PER_STEM`` that came in last: prefix
postings are kept in order of arrival, ``tables.vacancy_terms``; the law is checked on the postings' own
copies of the columns), and the newest ``NEAR_HOME`` in their municipality and those around it. Scoring
reads a few narrow columns of each; only the page shown is read whole. A vacancy found by neither way
scores at most the small bonuses, so the bounds cost little: matching stays a few short reads whatever
the catalogue's size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, Table, bindparam, select, union_all
from sqlalchemy.sql.elements import ColumnElement

from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.infra.prepared import Prepared
from backend_client.sql.vacancies.rows import vacancies_by_id
from backend_client.sql.vacancies.search import Law, law, walk
from backend_client.sql.vacancies.tables import vacancies, vacancy_terms
from backend_client.vacancies.matching import has_fit, score, seeker_stems
from backend_client.vacancies.models import Employment, Match, SeekerFacts, VacancyKind, VacancyStatus
from backend_client.vacancies.nearby import neighbours
from backend_client.vacancies.terms import PREFIX_MARK

PER_STEM = 30
NEAR_HOME = 60
MAX_STEMS = 12  # prefixes looked up: the specialty's and the first test professions'
MAX_RANKED = 100  # matches a person can page through
OPEN = VacancyStatus.OPEN.value


@dataclass(frozen=True, slots=True)
class _Candidate:
    id: int
    title: str
    profession: str
    municipality: str | None
    experience_required: bool
    min_age: int
    kind: VacancyKind
    employment: Employment
    listed_at: datetime


_NARROW = (
    vacancies.c.id,
    vacancies.c.title,
    vacancies.c.profession,
    vacancies.c.municipality,
    vacancies.c.experience_required,
    vacancies.c.min_age,
    vacancies.c.kind,
    vacancies.c.employment,
    vacancies.c.listed_at,
)


def candidates_query(seeker: SeekerFacts, today: date) -> tuple[Prepared, dict[str, Any]]:
    """The statement of the person's candidates (their narrow columns, each vacancy once) and its
    parameters. The candidates come from a branch per title prefix (the last PER_STEM to come in that the
    law allows, one index range read in order) and from the newest near home. Statements differ only in
    their shape (how many prefixes and places, which law), so each shape is built and compiled once:
    building the union cost more than running it."""
    stems = seeker_stems(seeker)[:MAX_STEMS]
    places = sorted({seeker.municipality, *neighbours(seeker.municipality)}) if seeker.municipality else []
    rule = law(seeker, today)
    statement = _candidates_statement(len(stems), len(places), Law(rule.column, 0, rule.nobody))
    parameters: dict[str, Any] = {"age": rule.age}
    parameters.update({f"stem{n}": f"{PREFIX_MARK}{stem}" for n, stem in enumerate(stems)})
    parameters.update({f"place{n}": place for n, place in enumerate(places)})
    return statement, parameters


@lru_cache(maxsize=1_024)
def _candidates_statement(stems: int, places: int, rule: Law) -> Prepared:
    """Candidates for ``stems`` prefixes (parameters ``stem0``…) and ``places`` municipalities
    (``place0``…; none: the newest anywhere when there are no prefixes either), lawful by ``rule`` for the
    age in the parameter ``age``: the union of the branches' ids, then those vacancies' narrow columns."""

    def allowed(table: Table) -> list[ColumnElement[bool]]:
        condition = rule.over(table, bindparam("age"))
        return [] if condition is None else [condition]

    branches = [
        walk(vacancy_terms.c.term == bindparam(f"stem{n}"), allowed(vacancy_terms)).limit(PER_STEM)
        for n in range(stems)
    ]
    if places or not stems:
        branches.append(_near_home(places, [vacancies.c.status == OPEN, *allowed(vacancies)]))
    subqueries = [branch.subquery(f"b{n}") for n, branch in enumerate(branches)]
    found = union_all(*(select(subquery.c.id) for subquery in subqueries)).subquery("found")
    return Prepared(select(*_NARROW).where(vacancies.c.id.in_(select(found.c.id))))


def _near_home(places: int, where: list[ColumnElement[bool]]) -> Select[Any]:
    """The newest NEAR_HOME vacancies meeting ``where`` in the ``places`` municipalities (anywhere when
    none): the newest of each place, one range of the place index apiece, merged."""
    newest = (vacancies.c.listed_at.desc(), vacancies.c.id.desc())
    if not places:
        return select(vacancies.c.id).where(*where).order_by(*newest).limit(NEAR_HOME)
    each = [
        select(vacancies.c.id, vacancies.c.listed_at)
        .where(*where, vacancies.c.municipality == bindparam(f"place{n}"))
        .order_by(*newest)
        .limit(NEAR_HOME)
        .subquery(f"p{n}")
        for n in range(places)
    ]
    merged = union_all(*(select(place.c.id, place.c.listed_at) for place in each)).subquery("near")
    return select(merged.c.id).order_by(merged.c.listed_at.desc(), merged.c.id.desc()).limit(NEAR_HOME)


async def candidates(connection: DbConnection, seeker: SeekerFacts, today: date) -> list[_Candidate]:
    statement, parameters = candidates_query(seeker, today)
    rows = (await statement.run(connection, parameters)).rows
    return [
        _Candidate(
            row.id,
            row.title,
            row.profession,
            row.municipality,
            row.experience_required,
            row.min_age,
            VacancyKind(row.kind),
            Employment(row.employment),
            row.listed_at,
        )
        for row in rows
    ]


async def match_for(
    connection: DbConnection, seeker: SeekerFacts, today: date, *, limit: int, offset: int
) -> list[Match]:
    """The person's best matches, highest score first (newest first among equals)."""
    anything_known = bool(seeker.specialty or seeker.professions or seeker.municipality)
    ranked = []
    for candidate in await candidates(connection, seeker, today):
        scored = score(candidate, seeker)
        if has_fit(scored) or not anything_known:
            ranked.append((scored, candidate))
    ranked.sort(key=lambda pair: (-pair[0].score, -pair[1].listed_at.timestamp(), -pair[1].id))
    start = max(0, offset)
    shown = ranked[:MAX_RANKED][start : start + max(0, limit)]
    full = await vacancies_by_id(connection, [candidate.id for _, candidate in shown])
    return [
        Match(vacancy, scored.score, scored.reasons) for vacancy, (scored, _) in zip(full, shown, strict=True)
    ]
