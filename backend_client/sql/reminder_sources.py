"""What reminder rules read from the records: small queries that return ids and versions, never texts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, exists, or_, select

from backend_client.clock import Clock
from backend_client.models import ConsentStatus
from backend_client.sql.engine import SqlEngine, single_statements
from backend_client.sql.tables import channel_accounts, people, profiles


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
