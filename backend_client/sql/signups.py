"""Sign-ups for «Профтуры и профпробы» over SQL: what a person may join, signing up and cancelling.

Capacity is enforced in the database: a sign-up locks the event row (``FOR UPDATE`` on PostgreSQL;
SQLite's ``BEGIN IMMEDIATE`` already serialises writers), counts the active sign-ups and inserts in the
same transaction, so of two people racing for the last place exactly one gets it. The unique
(event, person) pair makes a repeated sign-up one sign-up.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, func, insert, or_, select, update

from backend_client.errors import ConsentRequired
from backend_client.events import (
    AGE_RANK,
    Event,
    EventNotFound,
    EventStatus,
    Signup,
    SignupOutcome,
    SignupStatus,
)
from backend_client.models import AgeBand, Role
from backend_client.sql import reads
from backend_client.sql.event_rows import ACTIVE, TAKEN, TAKEN_COUNT, event_from, select_events
from backend_client.sql.export import ExportSection, iso
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.tables import event_signups, events


async def signups_in(connection: DbConnection, person_id: int) -> list[Signup]:
    """The person's sign-ups (active and cancelled), soonest event first; for the export too."""
    query = (
        select(
            *events.c,
            TAKEN,
            event_signups.c.status.label("signup_status"),
            event_signups.c.created_at.label("signed_up_at"),
        )
        .select_from(event_signups.join(events, events.c.id == event_signups.c.event_id))
        .where(event_signups.c.person_id == person_id)
        .order_by(events.c.starts_at, events.c.id)
    )
    return [
        Signup(event_from(row), person_id, SignupStatus(row.signup_status), row.signed_up_at)
        for row in await connection.execute(query)
    ]


class SqlSignups(SqlUseCases):
    """``backend_client.ports.Events`` over SQLite or PostgreSQL."""

    async def upcoming_events(
        self,
        person_id: int,
        *,
        municipality: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 5,
        offset: int = 0,
    ) -> list[Event]:
        """Scheduled events not started yet, with free places, for the person's role (and grade, course,
        age; a parent sees every audience, as they look for their children): events in ``municipality``
        (default: the person's own) first, then by start. ``since`` and ``until`` narrow the start (e.g.
        «завтра»). Reads only: no write lock is taken."""
        async with self._quick.connect() as connection:
            person = await self._person(connection, person_id)
            profile = await reads.profile_of(connection, person_id)
            home = municipality or profile.municipality
            now = self._clock.now()
            conditions = [
                events.c.status == EventStatus.SCHEDULED.value,
                events.c.starts_at > max(now, since) if since else events.c.starts_at > now,
                events.c.capacity > TAKEN_COUNT,
            ]
            if until is not None:
                conditions.append(events.c.starts_at < until)
            if municipality is not None:
                conditions.append(events.c.municipality == municipality)
            if person.role is not Role.PARENT:  # parents look for their children: every audience
                conditions.extend(
                    _audience_filter(person.role, person.age_band, profile.grade, profile.course)
                )
            query = (
                select_events()
                .where(*conditions)
                .order_by(
                    case((events.c.municipality == (home or ""), 0), else_=1), events.c.starts_at, events.c.id
                )
                .limit(limit)
                .offset(offset)
            )
            return [event_from(row) for row in await connection.execute(query)]

    async def event(self, event_id: int) -> Event | None:
        async with self._quick.connect() as connection:
            row = (await connection.execute(select_events().where(events.c.id == event_id))).first()
        return event_from(row) if row else None

    async def sign_up(self, person_id: int, event_id: int) -> SignupOutcome:
        """Sign the person up. Raises ConsentRequired without consent and EventNotFound."""
        now = self._clock.now()
        async with self._engine.begin() as connection:
            person = await self._person(connection, person_id)
            if not person.may_store_personal_data:
                raise ConsentRequired(str(person_id))
            locked = select(events).where(events.c.id == event_id)
            if connection.dialect.name == "postgresql":
                locked = locked.with_for_update()  # SQLite: BEGIN IMMEDIATE holds the write lock already
            row = (await connection.execute(locked)).first()
            if row is None:
                raise EventNotFound(str(event_id))
            existing = (
                await connection.execute(
                    select(event_signups.c.id, event_signups.c.status).where(
                        event_signups.c.event_id == event_id, event_signups.c.person_id == person_id
                    )
                )
            ).first()
            if existing is not None and existing.status == ACTIVE:
                return SignupOutcome.ALREADY
            if row.status != EventStatus.SCHEDULED.value or row.starts_at <= now:
                return SignupOutcome.CLOSED
            profile = await reads.profile_of(connection, person_id)
            audience = event_from(row, taken=0).audience
            if not audience.admits(person.role, person.age_band, profile.grade, profile.course):
                return SignupOutcome.NOT_FOR_YOU
            taken = (
                await connection.execute(
                    select(func.count()).where(
                        event_signups.c.event_id == event_id, event_signups.c.status == ACTIVE
                    )
                )
            ).scalar_one()
            if taken >= row.capacity:
                return SignupOutcome.FULL
            if existing is None:
                await connection.execute(
                    insert(event_signups).values(
                        event_id=event_id, person_id=person_id, status=ACTIVE, created_at=now
                    )
                )
            else:
                await connection.execute(
                    update(event_signups)
                    .where(event_signups.c.id == existing.id)
                    .values(status=ACTIVE, created_at=now, cancelled_at=None)
                )
            await self._audit(
                connection, "event.signup", actor=person_id, subject=person_id, event=str(event_id)
            )
        return SignupOutcome.SIGNED_UP

    async def cancel_signup(self, person_id: int, event_id: int) -> bool:
        """Cancel the person's active sign-up; False when there was none."""
        now = self._clock.now()
        async with self._engine.begin() as connection:
            result = await connection.execute(
                update(event_signups)
                .where(
                    event_signups.c.event_id == event_id,
                    event_signups.c.person_id == person_id,
                    event_signups.c.status == ACTIVE,
                )
                .values(status=SignupStatus.CANCELLED.value, cancelled_at=now)
            )
            cancelled = result.rowcount == 1
            if cancelled:
                await self._audit(
                    connection,
                    "event.signup_cancel",
                    actor=person_id,
                    subject=person_id,
                    event=str(event_id),
                )
        return cancelled

    async def signups_of(self, person_id: int, *, active_only: bool = True) -> list[Signup]:
        """The person's sign-ups, soonest first (active ones only unless told)."""
        async with self._quick.connect() as connection:
            found = await signups_in(connection, person_id)
        return [s for s in found if s.status is SignupStatus.ACTIVE] if active_only else found


def _audience_filter(
    role: Role | None, age_band: AgeBand | None, grade: int | None, course: int | None
) -> list[Any]:
    """The SQL side of ``EventAudience.admits``."""
    conditions: list[Any] = [
        or_(events.c.roles == "", events.c.roles.contains(f",{role.value},", autoescape=True))
        if role
        else events.c.roles == ""
    ]
    bands = [band.value for band in AgeBand if age_band is not None and AGE_RANK[band] <= AGE_RANK[age_band]]
    conditions.append(or_(events.c.min_age_band.is_(None), events.c.min_age_band.in_(bands)))
    if grade is not None:
        conditions.append(or_(events.c.grade_from.is_(None), events.c.grade_from <= grade))
        conditions.append(or_(events.c.grade_to.is_(None), events.c.grade_to >= grade))
    if course is not None:
        conditions.append(or_(events.c.course_from.is_(None), events.c.course_from <= course))
        conditions.append(or_(events.c.course_to.is_(None), events.c.course_to >= course))
    return conditions


# «Мои данные»: the sign-ups, active and cancelled, with what the event was.
async def export_signups(connection: DbConnection, person_id: int) -> list[dict[str, Any]]:
    return [
        {
            "event_id": signup.event.id,
            "kind": signup.event.kind.value,
            "title": signup.event.title,
            "organisation": signup.event.organisation,
            "starts_at": iso(signup.event.starts_at),
            "event_status": signup.event.status.value,
            "status": signup.status.value,
            "signed_up_at": iso(signup.created_at),
        }
        for signup in await signups_in(connection, person_id)
    ]


EXPORT = (ExportSection("event_signups", export_signups),)
