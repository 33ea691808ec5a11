"""Saved searches over SQL: subscribe, list, change, pause, delete, unsubscribe with a reason.

A subscription is personal data: only with consent, deleted with the person. Subscribing is once per
press (``Ctx.press``) and the same filters twice give the first search back; the limit of MAX_SEARCHES is
counted with the person's row locked, so two replicas cannot both add the eleventh.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update

from backend_client.errors import ConsentRequired
from backend_client.sql.alerts.rows import filters_from, search_from, search_values, write_keys
from backend_client.sql.alerts.tables import alert_unsubscribes, saved_searches
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.infra.dialects import upsert
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.infra.presses import earlier_result, effect_key, remember
from backend_client.sql.tables import counters
from backend_client.vacancies.alerts import (
    MAX_SEARCHES,
    AlertFrequency,
    EmptySearch,
    SavedSearch,
    SavedSearchNotFound,
    TooManySearches,
    UnsubscribeReason,
    filters_of,
)
from backend_client.vacancies.models import VacancyQuery

FOUND_JOB_COUNTER = "alerts.found_job"  # anonymous: outlives the people who said it


class SqlSavedSearches(SqlUseCases):
    """``backend_client.ports.SavedSearches`` over SQLite or PostgreSQL."""

    async def subscribe(
        self,
        person_id: int,
        query: VacancyQuery,
        *,
        exclude: str = "",
        frequency: AlertFrequency = AlertFrequency.INSTANT,
        press: str = "",
    ) -> SavedSearch:
        now = self._clock.now()
        values = search_values(query, exclude)
        if filters_of(query, exclude).empty:
            raise EmptySearch()
        async with self._engine.begin() as connection:
            person = await self._person(connection, person_id, lock=True)
            if not person.may_store_personal_data:
                raise ConsentRequired(str(person_id))
            key = effect_key("alert.subscribe", press)
            earlier = await earlier_result(connection, key, now)
            mine = await _searches_of(connection, person_id)
            same = [row for row in mine if _same(row, values) or str(row.id) == earlier]
            if same:
                return search_from(same[0])  # a repeated press, or these filters are followed already
            if len(mine) >= MAX_SEARCHES:
                raise TooManySearches(str(person_id))
            row = (
                await connection.execute(
                    saved_searches.insert()
                    .values(
                        person_id=person_id,
                        frequency=frequency.value,
                        paused=False,
                        created_at=now,
                        updated_at=now,
                        **values,
                    )
                    .returning(*saved_searches.c)
                )
            ).one()
            await write_keys(connection, row.id, filters_from(row), paused=False)
            await remember(connection, key, row.id)
            await self._audit(connection, "alert.subscribe", actor=person_id, subject=person_id)
        return search_from(row)

    async def saved_searches(self, person_id: int) -> list[SavedSearch]:
        """The person's subscriptions, oldest first."""
        async with self._quick.connect() as connection:
            return [search_from(row) for row in await _searches_of(connection, person_id)]

    async def saved_search(self, person_id: int, search_id: int) -> SavedSearch:
        async with self._quick.connect() as connection:
            return search_from(await _search_of(connection, person_id, search_id))

    async def change_search(
        self,
        person_id: int,
        search_id: int,
        *,
        query: VacancyQuery | None = None,
        exclude: str | None = None,
        frequency: AlertFrequency | None = None,
        paused: bool | None = None,
    ) -> SavedSearch:
        """Change what is given; the index follows (a paused search leaves it)."""
        async with self._engine.begin() as connection:
            current = await _search_of(connection, person_id, search_id, lock=True)
            before = search_from(current)
            changes: dict[str, Any] = search_values(
                query or before.query, before.exclude if exclude is None else exclude
            )
            if filters_of(query or before.query, changes["exclude"]).empty:
                raise EmptySearch()
            if frequency is not None:
                changes["frequency"] = frequency.value
            if paused is not None:
                changes["paused"] = paused
            row = (
                await connection.execute(
                    update(saved_searches)
                    .where(saved_searches.c.id == search_id)
                    .values(updated_at=self._clock.now(), **changes)
                    .returning(*saved_searches.c)
                )
            ).one()
            await write_keys(connection, search_id, filters_from(row), paused=bool(row.paused))
            await self._audit(connection, "alert.change", actor=person_id, subject=person_id)
        return search_from(row)

    async def delete_search(self, person_id: int, search_id: int) -> bool:
        """False when there was no such search of the person (deleted already, or someone else's)."""
        async with self._engine.begin() as connection:
            result = await connection.execute(
                delete(saved_searches).where(
                    saved_searches.c.id == search_id, saved_searches.c.person_id == person_id
                )
            )
            if result.rowcount:
                await self._audit(connection, "alert.delete", actor=person_id, subject=person_id)
            return bool(result.rowcount)

    async def unsubscribe(self, person_id: int, search_id: int, *, press: str = "") -> int:
        """Delete the search and note it; the note's id is what ``unsubscribe_reason`` answers. A repeated
        press gets the same id back; a search gone otherwise raises SavedSearchNotFound."""
        now = self._clock.now()
        async with self._engine.begin() as connection:
            key = effect_key("alert.unsubscribe", press)
            earlier = await earlier_result(connection, key, now)
            if earlier:
                return int(earlier)
            row = await _search_of(connection, person_id, search_id, lock=True)
            noted = (
                await connection.execute(
                    alert_unsubscribes.insert()
                    .values(
                        person_id=person_id,
                        text=row.text,
                        municipality=row.municipality,
                        kinds=row.kinds,
                        reason=None,
                        at=now,
                    )
                    .returning(alert_unsubscribes.c.id)
                )
            ).scalar_one()
            await connection.execute(delete(saved_searches).where(saved_searches.c.id == search_id))
            await remember(connection, key, noted)
            await self._audit(connection, "alert.unsubscribe", actor=person_id, subject=person_id)
        return int(noted)

    async def unsubscribe_reason(
        self, person_id: int, unsubscribe_id: int, reason: UnsubscribeReason
    ) -> bool:
        """The optional «почему?» after unsubscribing, once: False when a reason was given already.
        «нашёл работу» also counts as an outcome in an anonymous counter."""
        async with self._engine.begin() as connection:
            result = await connection.execute(
                update(alert_unsubscribes)
                .where(
                    alert_unsubscribes.c.id == unsubscribe_id,
                    alert_unsubscribes.c.person_id == person_id,
                    alert_unsubscribes.c.reason.is_(None),
                )
                .values(reason=reason.value)
            )
            if not result.rowcount:
                mine = await connection.execute(
                    select(alert_unsubscribes.c.id).where(
                        alert_unsubscribes.c.id == unsubscribe_id, alert_unsubscribes.c.person_id == person_id
                    )
                )
                if mine.first() is None:
                    raise SavedSearchNotFound(str(unsubscribe_id))
                return False
            if reason is UnsubscribeReason.FOUND_JOB:
                await _count(connection, FOUND_JOB_COUNTER)
            await self._audit(
                connection,
                "alert.unsubscribe_reason",
                actor=person_id,
                subject=person_id,
                reason=reason.value,
            )
        return True


async def _searches_of(connection: DbConnection, person_id: int) -> list[Any]:
    query = (
        select(saved_searches)
        .where(saved_searches.c.person_id == person_id)
        .order_by(saved_searches.c.created_at, saved_searches.c.id)
    )
    return list((await connection.execute(query)).all())


async def _search_of(connection: DbConnection, person_id: int, search_id: int, *, lock: bool = False) -> Any:
    query = select(saved_searches).where(
        saved_searches.c.id == search_id, saved_searches.c.person_id == person_id
    )
    if lock and connection.dialect.name == "postgresql":
        query = query.with_for_update()
    row = (await connection.execute(query)).first()
    if row is None:
        raise SavedSearchNotFound(str(search_id))
    return row


def _same(row: Any, values: dict[str, Any]) -> bool:
    """The same filters (the words compared as terms, so «повара» is «повар»)."""
    compared = ("terms", "exclude_terms", "municipality", "kinds", "part_time", "salary_from")
    flags = ("no_experience", "remote")
    return all(getattr(row, name) == values[name] for name in compared) and all(
        bool(getattr(row, name)) == values[name] for name in flags
    )


async def _count(connection: DbConnection, name: str) -> None:
    statement = upsert(connection, counters).values(name=name, value=1)
    await connection.execute(
        statement.on_conflict_do_update(
            index_elements=[counters.c.name], set_={"value": counters.c.value + 1}
        )
    )
