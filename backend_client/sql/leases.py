"""Named leases in SQL: one holder at a time, taken over only after the holder stopped renewing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, or_

from backend_client.clock import Clock
from backend_client.sql.infra.dialects import upsert
from backend_client.sql.infra.engine import SqlEngine, single_statements
from backend_client.sql.tables import leases


class SqlLeases:
    def __init__(self, engine: SqlEngine, clock: Clock) -> None:
        self._engine = single_statements(engine)  # each method is one statement
        self._clock = clock

    async def hold(self, name: str, holder: str, ttl: timedelta) -> bool:
        """One upsert: insert, or take over when the row is ours or expired; otherwise nothing changes."""
        now = self._clock.now()
        async with self._engine.begin() as connection:
            statement = upsert(connection, leases).values(name=name, holder=holder, expires_at=now + ttl)
            result = await connection.execute(
                statement.on_conflict_do_update(
                    index_elements=[leases.c.name],
                    set_={"holder": holder, "expires_at": now + ttl},
                    where=or_(leases.c.holder == holder, leases.c.expires_at < now),
                )
            )
        return result.rowcount == 1

    async def let_go(self, name: str, holder: str) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(delete(leases).where(leases.c.name == name, leases.c.holder == holder))
