"""The vacancy catalogue over SQL: imports (all or nothing per call) and the operators' view of applications.

An import writes in bulk: the batch's existing rows are read by natural key (source, source id) in one
statement per chunk; new vacancies are inserted many rows per statement, changed ones updated, and a row
whose digest is unchanged is not written at all, so a nightly full pull touches only what moved.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import bindparam, delete, func, insert, select, update

from backend_client.broadcasts import Actor
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.operators import operator_check
from backend_client.sql.vacancies.rows import (
    application_from,
    digest,
    new_listing,
    row_values,
    select_full,
    text_values,
    vacancy_from,
)
from backend_client.sql.vacancies.tables import applications, vacancies, vacancy_terms, vacancy_texts
from backend_client.vacancies.checks import batch_problems
from backend_client.vacancies.models import Application, ImportReport, Vacancy, VacancyDraft, VacancyStatus
from backend_client.vacancies.terms import vacancy_terms as terms_of

CHUNK = 500  # drafts per statement: well under both databases' limits on bound parameters
_CLOSED = {VacancyStatus.CLOSED.value, VacancyStatus.EXPIRED.value}


class SqlVacancyCatalogue(SqlUseCases):
    """``backend_client.ports.VacancyCatalogue`` over SQLite or PostgreSQL."""

    async def upsert_vacancies(self, drafts: Sequence[VacancyDraft]) -> ImportReport:
        """Add new vacancies and update changed ones in one transaction. A batch with any problem (listed
        by row, duplicated ids included) writes nothing and comes back with ``problems`` only."""
        problems = batch_problems(drafts)
        if problems:
            return ImportReport(problems=problems)
        counts: Counter[str] = Counter()
        async with self._engine.begin() as connection:
            for start in range(0, len(drafts), CHUNK):
                counts += await self._upsert_chunk(connection, drafts[start : start + CHUNK])
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

    async def _upsert_chunk(self, connection: DbConnection, drafts: Sequence[VacancyDraft]) -> Counter[str]:
        existing = await _existing(connection, drafts)
        fresh: list[tuple[VacancyDraft, str]] = []
        changed: list[tuple[int, VacancyDraft, str]] = []
        counts: Counter[str] = Counter()
        for draft in drafts:
            fingerprint = digest(draft)
            known = existing.get((draft.source, draft.source_id))
            if known is None:
                fresh.append((draft, fingerprint))
            elif known[1] == fingerprint:
                counts["unchanged"] += 1
            else:
                changed.append((known[0], draft, fingerprint))
                closing = draft.status.value in _CLOSED and known[2] not in _CLOSED
                counts["closed" if closing else "updated"] += 1
        counts["added"] = len(fresh)
        await self._insert(connection, fresh)
        await self._update(connection, changed)
        return counts

    async def _insert(self, connection: DbConnection, fresh: list[tuple[VacancyDraft, str]]) -> None:
        if not fresh:
            return
        now = self._clock.now()
        rows = [
            {
                **row_values(draft),
                "digest": mark,
                "listed_at": new_listing(draft, now),
                "created_at": now,
                "updated_at": now,
            }
            for draft, mark in fresh
        ]
        result = await connection.execute(
            insert(vacancies).returning(vacancies.c.id, sort_by_parameter_order=True), rows
        )
        ids = [row.id for row in result]
        drafts = [draft for draft, _ in fresh]
        await connection.execute(
            insert(vacancy_texts),
            [{"vacancy_id": i, **text_values(d)} for i, d in zip(ids, drafts, strict=True)],
        )
        await _write_terms(connection, ids, drafts)

    async def _update(self, connection: DbConnection, changed: list[tuple[int, VacancyDraft, str]]) -> None:
        if not changed:
            return
        now = self._clock.now()
        await connection.execute(
            update(vacancies).where(vacancies.c.id == bindparam("v_id")),
            [{"v_id": i, **row_values(d), "digest": mark, "updated_at": now} for i, d, mark in changed],
        )
        for i, draft, _ in changed:
            if draft.published_at is not None:
                await connection.execute(
                    update(vacancies).where(vacancies.c.id == i).values(listed_at=draft.published_at)
                )
        await connection.execute(
            update(vacancy_texts).where(vacancy_texts.c.vacancy_id == bindparam("v_id")),
            [{"v_id": i, **text_values(d)} for i, d, _ in changed],
        )
        ids = [i for i, _, _ in changed]
        await connection.execute(delete(vacancy_terms).where(vacancy_terms.c.vacancy_id.in_(ids)))
        await _write_terms(connection, ids, [d for _, d, _ in changed])

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
                await connection.execute(
                    update(vacancies)
                    .where(vacancies.c.id.in_(gone[start : start + CHUNK]))
                    .values(status=VacancyStatus.CLOSED.value, updated_at=now, digest="")
                )
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
        query = (
            select_full()
            .add_columns(*_APPLICATION_LABELS)
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


_APPLICATION_LABELS = tuple(column.label(f"a_{column.name}") for column in applications.c)


async def _existing(
    connection: DbConnection, drafts: Sequence[VacancyDraft]
) -> dict[tuple[str, str], tuple[int, str, str]]:
    """(source, source id) -> (id, digest, status) of the drafts already stored."""
    found: dict[tuple[str, str], tuple[int, str, str]] = {}
    by_source: dict[str, list[str]] = {}
    for draft in drafts:
        by_source.setdefault(draft.source, []).append(draft.source_id)
    for source, ids in by_source.items():
        rows = await connection.execute(
            select(vacancies.c.id, vacancies.c.source_id, vacancies.c.digest, vacancies.c.status).where(
                vacancies.c.source == source, vacancies.c.source_id.in_(ids)
            )
        )
        found.update({(source, row.source_id): (row.id, row.digest, row.status) for row in rows})
    return found


async def _write_terms(connection: DbConnection, ids: Sequence[int], drafts: Sequence[VacancyDraft]) -> None:
    rows = [
        {"term": term, "vacancy_id": i, "weight": weight}
        for i, draft in zip(ids, drafts, strict=True)
        for term, weight in terms_of(draft).items()
    ]
    if rows:
        await connection.execute(insert(vacancy_terms), rows)
