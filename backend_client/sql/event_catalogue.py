"""The «Профтуры и профпробы» catalogue over SQL, for operators and the import.

Operator use cases check the role inside their own transaction and write an audit line with ids only,
as ``backend_client/sql/campaigns.py`` does. A move keeps what the event was (``event_moves``), so the
people signed up can be told «было … → стало …».
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update

from backend_client.broadcasts import Actor
from backend_client.events import (
    BadEvent,
    Event,
    EventClosed,
    EventDraft,
    EventStatus,
    ImportResult,
    check_draft,
)
from backend_client.models import Role
from backend_client.reference import municipality
from backend_client.sql.event_rows import event_from, event_in, select_events
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.operators import operator_check
from backend_client.sql.tables import event_moves, events


class SqlEventCatalogue(SqlUseCases):
    """``backend_client.ports.EventCatalogue`` over SQLite or PostgreSQL."""

    async def list_events(self, actor: Actor, *, include_past: bool = False) -> list[Event]:
        async with self._engine.begin() as connection:
            await operator_check(connection, actor)
            query = select_events().order_by(events.c.starts_at, events.c.id)
            if not include_past:
                query = query.where(events.c.ends_at > self._clock.now())
            return [event_from(row) for row in await connection.execute(query)]

    async def create_event(self, actor: Actor, draft: EventDraft) -> Event:
        check_draft(draft, municipality(draft.municipality) is not None)
        async with self._engine.begin() as connection:
            person = await operator_check(connection, actor)
            event_id = await self._insert(connection, draft, person)
            await self._audit(
                connection, "event.create", actor=person, subject=None, event=str(event_id), via=actor.channel
            )
            return await event_in(connection, event_id)

    async def _insert(self, connection: DbConnection, draft: EventDraft, person: int | None) -> int:
        now = self._clock.now()
        result = await connection.execute(
            insert(events)
            .values(
                **_draft_values(draft),
                external_id=draft.external_id,
                status=EventStatus.SCHEDULED.value,
                version=1,
                created_by=person,
                created_at=now,
                updated_at=now,
            )
            .returning(events.c.id)
        )
        return int(result.scalar_one())

    async def move_event(
        self,
        actor: Actor,
        event_id: int,
        starts_at: datetime,
        ends_at: datetime | None = None,
        *,
        address: str | None = None,
        municipality_code: str | None = None,
    ) -> Event:
        """A new time (the length kept unless ``ends_at``) and optionally place: version + 1.
        EventNotFound, EventClosed for a cancelled event, BadEvent for a time that cannot be."""
        async with self._engine.begin() as connection:
            person = await operator_check(connection, actor)
            current = await event_in(connection, event_id, lock=True)
            if current.status is EventStatus.CANCELLED:
                raise EventClosed(str(event_id))
            moved = EventDraft(
                kind=current.kind,
                title=current.title,
                organisation=current.organisation,
                municipality=municipality_code or current.municipality,
                address=address or current.address,
                starts_at=starts_at,
                ends_at=ends_at or starts_at + (current.ends_at - current.starts_at),
                capacity=current.capacity,
                audience=current.audience,
            )
            check_draft(moved, municipality(moved.municipality) is not None)
            if moved.starts_at <= self._clock.now():
                raise BadEvent("in_the_past")
            await _record_move(connection, current, self._clock.now())
            await connection.execute(
                update(events)
                .where(events.c.id == event_id)
                .values(
                    starts_at=moved.starts_at,
                    ends_at=moved.ends_at,
                    address=moved.address,
                    municipality=moved.municipality,
                    version=events.c.version + 1,
                    updated_at=self._clock.now(),
                )
            )
            await self._audit(connection, "event.move", actor=person, subject=None, event=str(event_id))
            return await event_in(connection, event_id)

    async def cancel_event(self, actor: Actor, event_id: int) -> Event:
        """Cancel: version + 1; sign-ups stay as they were (the reminder rule tells those people)."""
        now = self._clock.now()
        async with self._engine.begin() as connection:
            person = await operator_check(connection, actor)
            current = await event_in(connection, event_id, lock=True)
            if current.status is EventStatus.CANCELLED:
                raise EventClosed(str(event_id))
            await connection.execute(
                update(events)
                .where(events.c.id == event_id)
                .values(
                    status=EventStatus.CANCELLED.value,
                    version=events.c.version + 1,
                    cancelled_at=now,
                    updated_at=now,
                )
            )
            await self._audit(connection, "event.cancel", actor=person, subject=None, event=str(event_id))
            return await event_in(connection, event_id)

    async def import_events(self, actor: Actor, drafts: Sequence[EventDraft]) -> ImportResult:
        """Create or update events by ``external_id`` in one transaction; importing the same catalogue
        again changes nothing. A changed time or place bumps the version; cancelled events are skipped.
        BadEvent (nothing stored) when a draft is invalid or has no external id."""
        for draft in drafts:
            if not draft.external_id:
                raise BadEvent("external_id")
            check_draft(draft, municipality(draft.municipality) is not None)
        counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
        async with self._engine.begin() as connection:
            person = await operator_check(connection, actor)
            for draft in drafts:
                counts[await self._import_one(connection, draft, person)] += 1
            await self._audit(
                connection,
                "event.import",
                actor=person,
                subject=None,
                via=actor.channel,
                **{name: str(value) for name, value in counts.items()},
            )
        return ImportResult(**counts)

    async def _import_one(self, connection: DbConnection, draft: EventDraft, person: int | None) -> str:
        row = (
            await connection.execute(select(events).where(events.c.external_id == draft.external_id))
        ).first()
        if row is None:
            await self._insert(connection, draft, person)
            return "created"
        if row.status == EventStatus.CANCELLED.value:
            return "skipped"
        values = _draft_values(draft)
        changed = {name: value for name, value in values.items() if getattr(row, name) != value}
        if not changed:
            return "unchanged"
        bump = 1 if any(name in changed for name in _MOVING) else 0
        if bump:
            await _record_move(connection, event_from(row, taken=0), self._clock.now())
        await connection.execute(
            update(events)
            .where(events.c.id == row.id)
            .values(**changed, version=events.c.version + bump, updated_at=self._clock.now())
        )
        return "updated"


def _roles_column(roles: Sequence[Role]) -> str:
    return f",{','.join(role.value for role in roles)}," if roles else ""


def _draft_values(draft: EventDraft) -> dict[str, Any]:
    audience = draft.audience
    return {
        "kind": draft.kind.value,
        "title": draft.title.strip(),
        "organisation": draft.organisation.strip(),
        "municipality": draft.municipality,
        "address": draft.address.strip(),
        "starts_at": draft.starts_at,
        "ends_at": draft.ends_at,
        "capacity": draft.capacity,
        "roles": _roles_column(audience.roles),
        "grade_from": audience.grade_from,
        "grade_to": audience.grade_to,
        "course_from": audience.course_from,
        "course_to": audience.course_to,
        "min_age_band": audience.min_age_band.value if audience.min_age_band else None,
    }


# Changing these moves the event for the people signed up: their reminders are made anew.
_MOVING = ("starts_at", "ends_at", "municipality", "address")


async def _record_move(connection: DbConnection, before: Event, now: datetime) -> None:
    """Keep what the event was before this move (its next version), for the «было … → стало …» notice."""
    await connection.execute(
        insert(event_moves).values(
            event_id=before.id,
            version=before.version + 1,
            starts_at=before.starts_at,
            municipality=before.municipality,
            address=before.address,
            moved_at=now,
        )
    )
