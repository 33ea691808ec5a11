"""Matching over SQL: a bounded set of candidates found by index, ranked in Python by
``backend_client/vacancies/matching.py``.

Candidates are the open vacancies lawful for the person whose title words share a prefix with the
person's specialty or test professions (the newest ``BY_TITLE`` of them), and the newest ``NEAR_HOME`` in
their municipality. A vacancy that fits by neither way scores at most the small bonuses, so it could
not outrank a candidate; the bounds keep a profile's matching one short read whatever the catalogue size.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, select

from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.vacancies.rows import select_full, vacancy_from
from backend_client.sql.vacancies.search import conditions
from backend_client.sql.vacancies.tables import vacancies, vacancy_terms
from backend_client.vacancies.matching import has_fit, score, seeker_stems
from backend_client.vacancies.models import Match, SeekerFacts, VacancyQuery

BY_TITLE = 300
NEAR_HOME = 100
MAX_RANKED = 100  # matches a person can page through


async def candidate_ids(connection: DbConnection, seeker: SeekerFacts, today: date) -> list[int]:
    where = and_(*conditions(seeker, VacancyQuery(), today))
    found: dict[int, None] = {}
    prefixes = sorted(f"~{stem}" for stem in seeker_stems(seeker))
    if prefixes:
        by_title = (
            select(vacancies.c.id)
            .where(
                where,
                vacancies.c.id.in_(
                    select(vacancy_terms.c.vacancy_id).where(vacancy_terms.c.term.in_(prefixes))
                ),
            )
            .order_by(vacancies.c.listed_at.desc(), vacancies.c.id.desc())
            .limit(BY_TITLE)
        )
        found.update((row.id, None) for row in await connection.execute(by_title))
    if seeker.municipality or not prefixes:
        near = select(vacancies.c.id).where(where)
        if seeker.municipality:
            near = near.where(vacancies.c.municipality == seeker.municipality)
        near = near.order_by(vacancies.c.listed_at.desc(), vacancies.c.id.desc()).limit(NEAR_HOME)
        found.update((row.id, None) for row in await connection.execute(near))
    return list(found)


async def match_for(
    connection: DbConnection, seeker: SeekerFacts, today: date, *, limit: int, offset: int
) -> list[Match]:
    """The person's best matches, highest score first (newest first among equals)."""
    ids = await candidate_ids(connection, seeker, today)
    if not ids:
        return []
    rows = (
        await connection.execute(
            select_full()
            .where(vacancies.c.id.in_(ids))
            .order_by(vacancies.c.listed_at.desc(), vacancies.c.id.desc())
        )
    ).all()
    ranked: list[Match] = []
    for row in rows:  # newest first: a stable sort by score keeps that order among equals
        vacancy = vacancy_from(row)
        scored = score(vacancy, seeker)
        if has_fit(scored) or not (seeker.specialty or seeker.professions or seeker.municipality):
            ranked.append(Match(vacancy, scored.score, scored.reasons))
    ranked.sort(key=lambda match: -match.score)
    start = max(0, offset)
    return ranked[:MAX_RANKED][start : start + max(0, limit)]
