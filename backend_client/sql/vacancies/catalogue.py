"""The vacancy catalogue over SQL: imports (all or nothing per call) and the operators' view of applications.

An import writes in bulk: the batch's existing rows are read by natural key (source, source id) in one
statement per chunk; new vacancies are inserted many rows per statement, changed ones updated, and a row
whose digest is unchanged is not written at all, so a nightly full pull touches only what moved. The
search postings (``vacancy_terms``) exist for open vacancies only: written with them, rewritten when a
vacancy changes, removed when it closes.

Vacancies added or reopened are matched against the saved searches before the import commits
(``backend_client/sql/alerts/matching.py``): they and their alerts are written together or not at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update

from backend_client.broadcasts import Actor
from backend_client.sql.alerts.matching import match_in
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.operators import operator_check
from backend_client.sql.vacancies.bulk import insert_many
from backend_client.sql.vacancies.rows import (
    application_from,
    digest,
    new_listing,
    row_values,
    select_full,
    text_values,
    vacancy_from,
)
from backend_client.sql.vacancies.tables import POSTED, applications, vacancies, vacancy_terms, vacancy_texts
from backend_client.vacancies.checks import batch_problems
from backend_client.vacancies.models import Application, ImportReport, Vacancy, VacancyDraft, VacancyStatus
from backend_client.vacancies.terms import PREFIX_MARK, SKILL
from backend_client.vacancies.terms import vacancy_terms as terms_of

CHUNK = 1_000  # drafts per statement: well under both databases' limits on bound parameters
_CLOSED = {VacancyStatus.CLOSED.value, VacancyStatus.EXPIRED.value}
_POSTING = ("term", "weight", "recency", "vacancy_id", *POSTED)
_TEXT = ("vacancy_id", "duties", "requirements", "skills")


class SqlVacancyCatalogue(SqlUseCases):
    """``backend_client.ports.VacancyCatalogue`` over SQLite or PostgreSQL."""

    async def upsert_vacancies(self, drafts: Sequence[VacancyDraft]) -> ImportReport:
        """Add new vacancies and update changed ones in one transaction. A batch with any problem (listed
        by row, duplicated ids included) writes nothing and comes back with ``problems`` only."""
        problems = batch_problems(drafts)
        if problems:
            return ImportReport(problems=problems)
        counts: Counter[str] = Counter()
        arrived: list[int] = []  # added or reopened, open: what saved searches are matched against
        async with self._engine.begin() as connection:
            for start in range(0, len(drafts), CHUNK):
                counts += await self._upsert_chunk(connection, drafts[start : start + CHUNK], arrived)
            await match_in(connection, arrived, self._clock.now())
            if drafts:
                await self._audit(
                    connection,
                    "vacancy.import",
                    actor=None,
                    subject=None,
                    source=drafts[0].source,
                    **{name: str(value) for name, value in counts.items()},
                )
        return ImportReport(
            added=counts["added"],
            updated=counts["updated"],
            closed=counts["closed"],
            unchanged=counts["unchanged"],
        )

    async def _upsert_chunk(
        self, connection: DbConnection, drafts: Sequence[VacancyDraft], arrived: list[int]
    ) -> Counter[str]:
        existing = await _existing(connection, drafts)
        now = self._clock.now()
        fresh: list[tuple[VacancyDraft, dict[str, Any]]] = []
        changed: list[tuple[int, VacancyDraft, dict[str, Any]]] = []
        counts: Counter[str] = Counter()
        for draft in drafts:
            values = row_values(draft)
            values["digest"] = digest(values, draft)
            known = existing.get((draft.source, draft.source_id))
            if known is None:
                values.update(listed_at=new_listing(draft, now), created_at=now, updated_at=now)
                fresh.append((draft, values))
            elif known.digest == values["digest"]:
                counts["unchanged"] += 1
            else:
                values.update(listed_at=draft.published_at or known.listed_at, updated_at=now)
                changed.append((known.id, draft, values))
                closing = draft.status.value in _CLOSED and known.status not in _CLOSED
                counts["closed" if closing else "updated"] += 1
                if known.status in _CLOSED and draft.status is VacancyStatus.OPEN:
                    arrived.append(known.id)  # reopened
        counts["added"] = len(fresh)
        added = await _insert(connection, fresh)
        arrived.extend(
            i for i, (draft, _) in zip(added, fresh, strict=True) if draft.status is VacancyStatus.OPEN
        )
        await _update(connection, changed)
        return counts

    async def close_missing(self, source: str, seen: Iterable[str], *, before: datetime) -> int:
        """Close the source's open vacancies that a full pull begun at ``before`` did not see (those first
        stored after ``before`` came from another import meanwhile and stay)."""
        present = set(seen)
        async with self._engine.begin() as connection:
            rows = await connection.execute(
                select(vacancies.c.id, vacancies.c.source_id).where(
                    vacancies.c.source == source,
                    vacancies.c.status == VacancyStatus.OPEN.value,
                    vacancies.c.created_at < before,
                )
            )
            gone = [row.id for row in rows if row.source_id not in present]
            now = self._clock.now()
            for start in range(0, len(gone), CHUNK):
                ids = gone[start : start + CHUNK]
                await connection.execute(
                    update(vacancies)
                    .where(vacancies.c.id.in_(ids))
                    .values(status=VacancyStatus.CLOSED.value, updated_at=now, digest="")
                )
                await connection.execute(delete(vacancy_terms).where(vacancy_terms.c.vacancy_id.in_(ids)))
            if gone:
                await self._audit(
                    connection,
                    "vacancy.close_missing",
                    actor=None,
                    subject=None,
                    source=source,
                    closed=str(len(gone)),
                )
        return len(gone)

    async def import_cursor(self, source: str) -> datetime | None:
        async with self._quick.connect() as connection:
            query = select(func.max(vacancies.c.modified_at)).where(vacancies.c.source == source)
            value = (await connection.execute(query)).scalar()
        return value if isinstance(value, datetime) else None

    async def applications(
        self, actor: Actor, *, vacancy_id: int | None = None, employer_inn: str | None = None
    ) -> list[tuple[Application, Vacancy]]:
        """Applications with their vacancies, oldest first, narrowed to one vacancy or one employer."""
        labelled = (column.label(f"a_{column.name}") for column in applications.c)
        query = (
            select_full()
            .add_columns(*labelled)
            .join(applications, applications.c.vacancy_id == vacancies.c.id)
        )
        if vacancy_id is not None:
            query = query.where(vacancies.c.id == vacancy_id)
        if employer_inn is not None:
            query = query.where(vacancies.c.employer_inn == employer_inn)
        async with self._engine.begin() as connection:
            person = await operator_check(connection, actor)
            rows = (
                await connection.execute(query.order_by(applications.c.created_at, applications.c.id))
            ).all()
            await self._audit(
                connection, "vacancy.applications", actor=person, subject=None, count=str(len(rows))
            )
        return [(application_from(row, "a_"), vacancy_from(row)) for row in rows]


async def _existing(connection: DbConnection, drafts: Sequence[VacancyDraft]) -> dict[tuple[str, str], Any]:
    """(source, source id) -> the stored row's id, digest, status and listed_at, for the drafts stored."""
    found: dict[tuple[str, str], Any] = {}
    by_source: dict[str, list[str]] = {}
    for draft in drafts:
        by_source.setdefault(draft.source, []).append(draft.source_id)
    columns = (
        vacancies.c.id,
        vacancies.c.source_id,
        vacancies.c.digest,
        vacancies.c.status,
        vacancies.c.listed_at,
    )
    for source, ids in by_source.items():
        rows = await connection.execute(
            select(*columns).where(vacancies.c.source == source, vacancies.c.source_id.in_(ids))
        )
        found.update({(source, row.source_id): row for row in rows})
    return found


async def _insert(connection: DbConnection, fresh: list[tuple[VacancyDraft, dict[str, Any]]]) -> list[int]:
    """Insert the new vacancies with their texts and postings; their ids, in order."""
    if not fresh:
        return []
    columns = tuple(fresh[0][1])
    await insert_many(
        connection, vacancies, columns, [tuple(values[c] for c in columns) for _, values in fresh]
    )
    stored = await _existing(connection, [draft for draft, _ in fresh])  # one read beats RETURNING per row
    ids = [stored[(draft.source, draft.source_id)].id for draft, _ in fresh]
    texts = [text_values(draft) for draft, _ in fresh]
    await insert_many(
        connection,
        vacancy_texts,
        _TEXT,
        [(i, t["duties"], t["requirements"], t["skills"]) for i, t in zip(ids, texts, strict=True)],
    )
    await _post(connection, [(i, draft, values) for i, (draft, values) in zip(ids, fresh, strict=True)])
    return ids


async def _update(connection: DbConnection, changed: list[tuple[int, VacancyDraft, dict[str, Any]]]) -> None:
    if not changed:
        return
    await connection.execute(
        update(vacancies).where(vacancies.c.id == bindparam("v_id")),
        [{"v_id": i, **values} for i, _, values in changed],
    )
    await connection.execute(
        update(vacancy_texts).where(vacancy_texts.c.vacancy_id == bindparam("v_id")),
        [{"v_id": i, **text_values(d)} for i, d, _ in changed],
    )
    await connection.execute(
        delete(vacancy_terms).where(vacancy_terms.c.vacancy_id.in_([i for i, _, _ in changed]))
    )
    await _post(connection, changed)


async def _post(connection: DbConnection, rows: Sequence[tuple[int, VacancyDraft, dict[str, Any]]]) -> None:
    """Write the search postings of the open ones among ``rows`` (id, draft, its column values): each
    with its ``recency`` (``tables.vacancy_terms``) and a copy of the vacancy's filtered columns."""
    postings: list[tuple[Any, ...]] = []
    for i, draft, values in rows:
        if draft.status is not VacancyStatus.OPEN:
            continue
        listed = int(values["listed_at"].timestamp())
        copied = tuple(values[column] for column in POSTED)
        postings.extend(
            (term, weight, listed if weight >= SKILL and term[0] != PREFIX_MARK else i, i, *copied)
            for term, weight in terms_of(draft).items()
        )
    # In key order (the first four values are the primary key, so no two rows compare further): each
    # index insert then descends the pages the one before it did; PostgreSQL's COPY took a sixth less.
    postings.sort()
    await insert_many(connection, vacancy_terms, _POSTING, postings)
