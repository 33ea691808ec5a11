"""«Профтуры и профпробы» over SQL: the catalogue, people's sign-ups and what reminder rules read.

Capacity is enforced in the database: a sign-up locks the event row (``FOR UPDATE`` on PostgreSQL;
SQLite's ``BEGIN IMMEDIATE`` already serialises writers), counts the active sign-ups and inserts in the
same transaction, so of two people racing for the last place exactly one gets it. The unique
(event, person) pair makes a repeated sign-up one sign-up.

Operator use cases check the role inside their own transaction and write an audit line with ids only,
as ``backend_client/sql/broadcasts.py`` does.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, insert, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.sql import Select

from backend_client.broadcasts import Actor
from backend_client.errors import ConsentRequired
from backend_client.events import (
    AGE_RANK,
    BadEvent,
    Event,
    EventAudience,
    EventClosed,
    EventDraft,
    EventKind,
    EventMove,
    EventNotFound,
    EventStatus,
    ImportResult,
    ReminderTarget,
    Signup,
    SignupOutcome,
    SignupStatus,
    check_draft,
)
from backend_client.models import AgeBand, Role
from backend_client.reference import municipality
from backend_client.sql import reads
from backend_client.sql.base import SqlUseCases
from backend_client.sql.broadcasts import operator_check
from backend_client.sql.engine import DbConnection
from backend_client.sql.tables import (
    event_moves,
    event_signups,
    events,
    guardian_links,
    profiles,
)

log = logging.getLogger(__name__)

ACTIVE = SignupStatus.ACTIVE.value
# Active sign-ups per event, as a correlated sub-query: the catalogue shows places left.
_COUNTED = event_signups.alias("counted")  # its own name: the outer query may join event_signups too
_TAKEN_COUNT = (
    select(func.count())
    .where(_COUNTED.c.event_id == events.c.id, _COUNTED.c.status == ACTIVE)
    .correlate(events)
    .scalar_subquery()
)
_TAKEN = _TAKEN_COUNT.label("taken")


def _roles_column(roles: Sequence[Role]) -> str:
    return f",{','.join(role.value for role in roles)}," if roles else ""


def _event_from(row: Row[Any], taken: int | None = None) -> Event:
    """An ``events`` row; ``taken`` when the row was read without the sign-up count."""
    roles = tuple(Role(value) for value in row.roles.strip(",").split(",") if value)
    return Event(
        id=row.id,
        kind=EventKind(row.kind),
        title=row.title,
        organisation=row.organisation,
        municipality=row.municipality,
        address=row.address,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        capacity=row.capacity,
        audience=EventAudience(
            roles=roles,
            grade_from=row.grade_from,
            grade_to=row.grade_to,
            course_from=row.course_from,
            course_to=row.course_to,
            min_age_band=AgeBand(row.min_age_band) if row.min_age_band else None,
        ),
        status=EventStatus(row.status),
        version=row.version,
        taken=taken if taken is not None else int(row.taken or 0),
        created_at=row.created_at,
        updated_at=row.updated_at,
        external_id=row.external_id,
        cancelled_at=row.cancelled_at,
    )


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


def _select_events() -> Select[Any]:
    return select(*events.c, _TAKEN)


async def signups_in(connection: DbConnection, person_id: int) -> list[Signup]:
    """The person's sign-ups (active and cancelled), soonest event first; for the export too."""
    query = (
        select(
            *events.c,
            _TAKEN,
            event_signups.c.status.label("signup_status"),
            event_signups.c.created_at.label("signed_up_at"),
        )
        .select_from(event_signups.join(events, events.c.id == event_signups.c.event_id))
        .where(event_signups.c.person_id == person_id)
        .order_by(events.c.starts_at, events.c.id)
    )
    return [
        Signup(_event_from(row), person_id, SignupStatus(row.signup_status), row.signed_up_at)
        for row in await connection.execute(query)
    ]


class EventsSql(SqlUseCases):
    """``backend_client.ports.Events`` over SQLite or PostgreSQL."""

    # -- people ---------------------------------------------------------------------------------
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
                events.c.capacity > _TAKEN_COUNT,
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
                _select_events()
                .where(*conditions)
                .order_by(
                    case((events.c.municipality == (home or ""), 0), else_=1), events.c.starts_at, events.c.id
                )
                .limit(limit)
                .offset(offset)
            )
            return [_event_from(row) for row in await connection.execute(query)]

    async def event(self, event_id: int) -> Event | None:
        async with self._quick.connect() as connection:
            row = (await connection.execute(_select_events().where(events.c.id == event_id))).first()
        return _event_from(row) if row else None

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
            audience = _event_from(row, taken=0).audience
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

    # -- operators ------------------------------------------------------------------------------
    async def list_events(self, actor: Actor, *, include_past: bool = False) -> list[Event]:
        async with self._engine.begin() as connection:
            await operator_check(connection, actor)
            query = _select_events().order_by(events.c.starts_at, events.c.id)
            if not include_past:
                query = query.where(events.c.ends_at > self._clock.now())
            return [_event_from(row) for row in await connection.execute(query)]

    async def create_event(self, actor: Actor, draft: EventDraft) -> Event:
        check_draft(draft, municipality(draft.municipality) is not None)
        async with self._engine.begin() as connection:
            person = await operator_check(connection, actor)
            event_id = await self._insert(connection, draft, person)
            await self._audit(
                connection, "event.create", actor=person, subject=None, event=str(event_id), via=actor.channel
            )
            return await _event_in(connection, event_id)

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
            current = await _event_in(connection, event_id, lock=True)
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
            return await _event_in(connection, event_id)

    async def cancel_event(self, actor: Actor, event_id: int) -> Event:
        """Cancel: version + 1; sign-ups stay as they were (the reminder rule tells those people)."""
        now = self._clock.now()
        async with self._engine.begin() as connection:
            person = await operator_check(connection, actor)
            current = await _event_in(connection, event_id, lock=True)
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
            return await _event_in(connection, event_id)

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
            await _record_move(connection, _event_from(row, taken=0), self._clock.now())
        await connection.execute(
            update(events)
            .where(events.c.id == row.id)
            .values(**changed, version=events.c.version + bump, updated_at=self._clock.now())
        )
        return "updated"

    # -- reminder rules -------------------------------------------------------------------------
    async def reminder_targets(
        self, *, starting_before: datetime, cancelled_since: datetime, moved_since: datetime | None = None
    ) -> list[ReminderTarget]:
        """Active sign-ups of events that have not started yet and either start before
        ``starting_before`` or were moved since ``moved_since`` (scheduled: reminders, move notices) or
        were cancelled since ``cancelled_since`` (notices), each with the display name, the ids of linked
        parents and the event's moves since the sign-up. Blocked accounts are the outbox's job."""
        now = self._clock.now()
        scheduled = events.c.status == EventStatus.SCHEDULED.value
        soon_or_moved = events.c.starts_at < starting_before
        if moved_since is not None:
            recently_moved = (
                select(event_moves.c.id)
                .where(event_moves.c.event_id == events.c.id, event_moves.c.moved_at >= moved_since)
                .exists()
            )
            soon_or_moved = or_(soon_or_moved, recently_moved)
        wanted = or_(
            and_(scheduled, soon_or_moved),
            and_(events.c.status == EventStatus.CANCELLED.value, events.c.cancelled_at >= cancelled_since),
        )
        query = (
            select(
                *events.c,
                _TAKEN,
                event_signups.c.person_id,
                event_signups.c.created_at.label("signed_up_at"),
                profiles.c.display_name,
            )
            .select_from(
                event_signups.join(events, events.c.id == event_signups.c.event_id).outerjoin(
                    profiles, profiles.c.person_id == event_signups.c.person_id
                )
            )
            .where(event_signups.c.status == ACTIVE, events.c.starts_at > now, wanted)
            .order_by(events.c.id, event_signups.c.person_id)
        )
        async with self._quick.connect() as connection:
            rows = (await connection.execute(query)).all()
            people = {row.person_id for row in rows}
            parents: dict[int, list[int]] = {}
            if people:
                links = await connection.execute(
                    select(guardian_links.c.child_id, guardian_links.c.guardian_id)
                    .where(guardian_links.c.child_id.in_(people))
                    .order_by(guardian_links.c.guardian_id)
                )
                for child, guardian in links:
                    parents.setdefault(child, []).append(guardian)
            moves: dict[int, list[EventMove]] = {}
            moved = {row.id for row in rows if row.version > 1}
            if moved:
                found = await connection.execute(
                    select(event_moves)
                    .where(event_moves.c.event_id.in_(moved))
                    .order_by(event_moves.c.event_id, event_moves.c.version)
                )
                for m in found:
                    moves.setdefault(m.event_id, []).append(
                        EventMove(m.version, m.starts_at, m.municipality, m.address, m.moved_at)
                    )
        return [
            ReminderTarget(
                event=_event_from(row),
                person_id=row.person_id,
                display_name=row.display_name,
                signed_up_at=row.signed_up_at,
                guardian_ids=tuple(parents.get(row.person_id, ())),
                moves=tuple(m for m in moves.get(row.id, ()) if m.moved_at > row.signed_up_at),
            )
            for row in rows
        ]


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


async def _event_in(connection: DbConnection, event_id: int, *, lock: bool = False) -> Event:
    query = _select_events().where(events.c.id == event_id)
    if lock and connection.dialect.name == "postgresql":
        query = select(events).where(events.c.id == event_id).with_for_update()
        row = (await connection.execute(query)).first()
        if row is None:
            raise EventNotFound(str(event_id))
        return _event_from(row, taken=0)
    found = (await connection.execute(query)).first()
    if found is None:
        raise EventNotFound(str(event_id))
    return _event_from(found)
