"""What reminder rules read from the records: small queries that return ids and versions, never texts.

``SqlReminderSources``: people who stopped half-way; ``SqlEventReminderSources``: the sign-ups that
event reminders and move or cancellation notices are about.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, exists, or_, select

from backend_client.clock import Clock
from backend_client.events import EventMove, EventStatus, ReminderTarget
from backend_client.models import ConsentStatus
from backend_client.sql.event_rows import ACTIVE, TAKEN, event_from
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.infra.engine import SqlEngine, single_statements
from backend_client.sql.tables import (
    channel_accounts,
    event_moves,
    event_signups,
    events,
    guardian_links,
    people,
    profiles,
)


class SqlReminderSources:
    def __init__(self, engine: SqlEngine, clock: Clock) -> None:
        self._engine = single_statements(engine)
        self._clock = clock

    async def unfinished_starts(
        self, started_after: datetime, started_before: datetime
    ) -> list[tuple[int, str]]:
        """People who began in the window and stopped half-way: ``(person_id, stage)``.

        ``onboarding``: no role yet, or not asked for consent yet (a refusal is respected: no nudge);
        ``profile``: consent given but the profile was never filled in. Blocked accounts are left out.
        """
        reachable = exists().where(
            channel_accounts.c.person_id == people.c.id, channel_accounts.c.blocked_at.is_(None)
        )
        no_profile = or_(profiles.c.person_id.is_(None), profiles.c.display_name.is_(None))
        onboarding = or_(people.c.role.is_(None), people.c.consent_status == ConsentStatus.NONE.value)
        profile = and_(people.c.consent_status == ConsentStatus.GRANTED.value, no_profile)
        query = (
            select(people.c.id, onboarding.label("onboarding"))
            .select_from(people.outerjoin(profiles, profiles.c.person_id == people.c.id))
            .where(
                people.c.created_at > started_after,
                people.c.created_at <= started_before,
                reachable,
                or_(onboarding, profile),
            )
            .order_by(people.c.id)
        )
        async with self._engine.connect() as connection:
            rows = await connection.execute(query)
            return [(row.id, "onboarding" if row.onboarding else "profile") for row in rows]


class SqlEventReminderSources(SqlUseCases):
    """``backend_client.ports.EventReminderSources`` over SQLite or PostgreSQL."""

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
                TAKEN,
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
                event=event_from(row),
                person_id=row.person_id,
                display_name=row.display_name,
                signed_up_at=row.signed_up_at,
                guardian_ids=tuple(parents.get(row.person_id, ())),
                moves=tuple(m for m in moves.get(row.id, ()) if m.moved_at > row.signed_up_at),
            )
            for row in rows
        ]
