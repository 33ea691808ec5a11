"""Receipts of inbound updates over SQL: a receipt is a row; the primary key makes recording it atomic.

``SqlConversationStore`` records a turn's receipt in the transaction that saves the turn's state (see
``ConversationStore``); this module builds those statements and prunes old receipts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from backend_client.clock import Clock
from backend_client.ports import Receipt
from backend_client.sql.engine import DbConnection, SqlEngine, single_statements
from backend_client.sql.tables import seen_updates

_ROW: dict[str, Any] = {
    "source": bindparam("source"),
    "update_id": bindparam("update_id"),
    "seen_at": bindparam("seen_at"),
}
# Built once per dialect (they spell ON CONFLICT alike, SQLAlchemy builds it per dialect): one runs per
# update. A receipt seen before inserts nothing, so the row count says who was first; on PostgreSQL a
# second transaction inserting the same receipt waits for the first and then counts 0.
_RECORD = {
    "sqlite": sqlite.insert(seen_updates).values(_ROW).on_conflict_do_nothing(),
    "postgresql": postgresql.insert(seen_updates).values(_ROW).on_conflict_do_nothing(),
}
_HANDLED = select(seen_updates.c.update_id).where(
    seen_updates.c.source == bindparam("source"), seen_updates.c.update_id == bindparam("update_id")
)


async def record_receipt(connection: DbConnection, receipt: Receipt, now: datetime) -> bool:
    """Insert the receipt in the caller's transaction; False when it was there already."""
    parameters: dict[str, Any] = {"source": receipt.source, "update_id": receipt.update_id, "seen_at": now}
    result = await connection.execute(_RECORD[connection.dialect.name], parameters)
    return result.rowcount == 1


async def receipt_exists(connection: DbConnection, receipt: Receipt) -> bool:
    parameters = {"source": receipt.source, "update_id": receipt.update_id}
    return (await connection.execute(_HANDLED, parameters)).first() is not None


class SqlUpdateJournal:
    def __init__(self, engine: SqlEngine, clock: Clock) -> None:
        self._engine = single_statements(engine)  # every method is one statement
        self._clock = clock

    async def prune(self, before: datetime) -> int:
        async with self._engine.begin() as connection:
            result = await connection.execute(delete(seen_updates).where(seen_updates.c.seen_at < before))
        return int(result.rowcount or 0)
