"""Matching over SQL: a bounded set of candidates found by index, ranked in Python by
``backend_client/vacancies/matching.py``.

Candidates are the open vacancies lawful for the person whose title words share a prefix with the
person's specialty or test professions (for each prefix the newest ``PER_STEM``, read in index order),
and the newest ``NEAR_HOME`` in their municipality and those around it. Scoring reads a few narrow
columns of each; only the page shown is read whole. A vacancy found by neither way scores at most the
small bonuses, so the bounds cost little: matching stays a few short reads whatever the catalogue's size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, select

from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.vacancies.rows import vacancies_by_id
from backend_client.sql.vacancies.search import conditions
from backend_client.sql.vacancies.tables import vacancies, vacancy_terms
from backend_client.vacancies.matching import has_fit, score, seeker_stems
from backend_client.vacancies.models import Employment, Match, SeekerFacts, VacancyKind, VacancyQuery
from backend_client.vacancies.nearby import neighbours

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


async def candidate_ids(connection: DbConnection, seeker: SeekerFacts, today: date) -> list[int]:
    where = and_(*conditions(seeker, VacancyQuery(), today))
    found: dict[int, None] = {}
    prefixes = [f"~{stem}" for stem in seeker_stems(seeker)][:MAX_STEMS]
    for prefix in prefixes:
        by_title = (
            select(vacancy_terms.c.vacancy_id)
            .join(vacancies, vacancies.c.id == vacancy_terms.c.vacancy_id)
            .where(vacancy_terms.c.term == prefix, where)
            .order_by(
                vacancy_terms.c.weight.desc(),
                vacancy_terms.c.listed_at.desc(),
                vacancy_terms.c.vacancy_id.desc(),
            )
            .limit(PER_STEM)
        )
        found.update((row.vacancy_id, None) for row in await connection.execute(by_title))
    if seeker.municipality or not prefixes:
        near = select(vacancies.c.id).where(where)
        if seeker.municipality:
            around = sorted({seeker.municipality, *neighbours(seeker.municipality)})
            near = near.where(vacancies.c.municipality.in_(around))
        near = near.order_by(vacancies.c.listed_at.desc(), vacancies.c.id.desc()).limit(NEAR_HOME)
        found.update((row.id, None) for row in await connection.execute(near))
    return list(found)


async def _candidates(connection: DbConnection, ids: list[int]) -> list[_Candidate]:
    columns = (
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
    rows = await connection.execute(select(*columns).where(vacancies.c.id.in_(ids)))
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
    ids = await candidate_ids(connection, seeker, today)
    if not ids:
        return []
    anything_known = bool(seeker.specialty or seeker.professions or seeker.municipality)
    ranked = []
    for candidate in await _candidates(connection, ids):
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
