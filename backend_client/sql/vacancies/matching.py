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
from typing import Any

from sqlalchemy import Select, select, union_all

from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.vacancies.rows import vacancies_by_id
from backend_client.sql.vacancies.search import conditions, walk
from backend_client.sql.vacancies.tables import vacancies, vacancy_terms
from backend_client.vacancies.matching import has_fit, score, seeker_stems
from backend_client.vacancies.models import Employment, Match, SeekerFacts, VacancyKind, VacancyQuery
from backend_client.vacancies.nearby import neighbours
from backend_client.vacancies.terms import PREFIX_MARK

PER_STEM = 30
NEAR_HOME = 60
MAX_STEMS = 12  # prefixes looked up: the specialty's and the first test professions'
MAX_RANKED = 100  # matches a person can page through


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


def candidates_query(seeker: SeekerFacts, today: date) -> Any:
    """One statement of candidate ids: a branch per title prefix (the last PER_STEM to come in that the
    law allows, one index range read in order) and the newest near home (a vacancy may come twice)."""
    branches = [
        walk(vacancy_terms.c.term == f"{PREFIX_MARK}{stem}", seeker, VacancyQuery(), today).limit(PER_STEM)
        for stem in seeker_stems(seeker)[:MAX_STEMS]
    ]
    if seeker.municipality or not branches:
        branches.append(_near_home(seeker, today))
    subqueries = [branch.subquery(f"b{n}") for n, branch in enumerate(branches)]
    return union_all(*(select(subquery.c.id) for subquery in subqueries))


def _near_home(seeker: SeekerFacts, today: date) -> Select[Any]:
    """The newest NEAR_HOME vacancies in the person's municipality and those around it (anywhere when the
    municipality is unknown): the newest of each place, one range of the place index apiece, merged."""
    if not seeker.municipality:
        newest = select(vacancies.c.id).where(*conditions(seeker, VacancyQuery(), today))
        return newest.order_by(vacancies.c.listed_at.desc(), vacancies.c.id.desc()).limit(NEAR_HOME)
    places = sorted({seeker.municipality, *neighbours(seeker.municipality)})
    each = [
        select(vacancies.c.id, vacancies.c.listed_at)
        .where(*conditions(seeker, VacancyQuery(municipality=place), today))
        .order_by(vacancies.c.listed_at.desc(), vacancies.c.id.desc())
        .limit(NEAR_HOME)
        .subquery(f"p{n}")
        for n, place in enumerate(places)
    ]
    merged = union_all(*(select(place.c.id, place.c.listed_at) for place in each)).subquery("near")
    return select(merged.c.id).order_by(merged.c.listed_at.desc(), merged.c.id.desc()).limit(NEAR_HOME)


async def candidates(connection: DbConnection, seeker: SeekerFacts, today: date) -> list[_Candidate]:
    ids = list(dict.fromkeys(row.id for row in await connection.execute(candidates_query(seeker, today))))
    if not ids:
        return []
    rows = await connection.execute(select(*_NARROW).where(vacancies.c.id.in_(ids)))
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
