"""Conversation state in SQL: one row per conversation, saved with an optimistic version check."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from backend_client.clock import Clock
from backend_client.errors import ConversationConflict, DuplicateUpdate
from backend_client.ports import Receipt, StoredConversation
from backend_client.sql.infra.engine import DbConnection, SqlEngine, single_statements
from backend_client.sql.infra.journal import (
    mark_sent,
    pending_replies,
    receipt_exists,
    record_receipt,
    unsent_replies,
)
from backend_client.sql.infra.prepared import Prepared
from backend_client.sql.tables import conversations

# Built once: these run for every message, and a prebuilt statement skips construction and cache-key work.
_LOAD = Prepared(
    select(conversations.c.blob, conversations.c.version).where(conversations.c.key == bindparam("key"))
)
_INSERT = Prepared(
    insert(conversations).values(
        key=bindparam("key"), blob=bindparam("blob"), version=bindparam("version"), updated_at=bindparam("at")
    )
)
_UPDATE = Prepared(
    update(conversations)
    .where(conversations.c.key == bindparam("k"), conversations.c.version == bindparam("expected"))
    .values(blob=bindparam("blob"), version=bindparam("version"), updated_at=bindparam("at"))
)
_DELETE = delete(conversations).where(conversations.c.key == bindparam("key"))


class SqlConversationStore:
    """``ConversationStore`` in the ``conversations`` table: load is one read, save one statement, or one
    transaction of two (the receipt in ``seen_updates``, then the state) when the turn has a receipt."""

    def __init__(self, engine: SqlEngine, clock: Clock) -> None:
        self._engine = engine
        self._quick = single_statements(engine)  # for the methods that are one statement
        self._clock = clock

    async def load(self, key: str) -> StoredConversation | None:
        async with self._quick.connect() as connection:
            rows = (await _LOAD.run(connection, {"key": key})).rows
        return StoredConversation(rows[0].blob, rows[0].version) if rows else None

    async def save(
        self,
        key: str,
        blob: str,
        expected_version: int,
        receipt: Receipt | None = None,
        replies: str | None = None,
    ) -> int:
        """INSERT for version 0 (a duplicate key conflicts), else UPDATE guarded by the expected version."""
        if expected_version < 0:
            raise ValueError("expected_version is 0 (nothing stored) or a version returned by save")
        now = self._clock.now()
        version = expected_version + 1
        try:
            async with (self._quick if receipt is None else self._engine).begin() as connection:
                await self._record(connection, receipt, replies)
                if expected_version == 0:
                    await _INSERT.run(connection, {"key": key, "blob": blob, "version": version, "at": now})
                    return version
                result = await _UPDATE.run(
                    connection,
                    {"k": key, "expected": expected_version, "blob": blob, "version": version, "at": now},
                )
                if result.rowcount != 1:
                    raise ConversationConflict(key)
        except IntegrityError as error:
            raise ConversationConflict(key) from error
        return version

    async def delete(self, key: str, receipt: Receipt | None = None, replies: str | None = None) -> None:
        async with (self._quick if receipt is None else self._engine).begin() as connection:
            await self._record(connection, receipt, replies)
            await connection.execute(_DELETE, {"key": key})

    async def record(self, receipt: Receipt, replies: str | None = None) -> None:
        async with self._quick.begin() as connection:
            await self._record(connection, receipt, replies)

    async def handled(self, receipt: Receipt) -> bool:
        async with self._quick.connect() as connection:
            return await receipt_exists(connection, receipt)

    async def unsent_replies(self, receipt: Receipt) -> str | None:
        async with self._quick.connect() as connection:
            return await pending_replies(connection, receipt)

    async def replies_sent(self, receipt: Receipt) -> None:
        async with self._quick.begin() as connection:
            await mark_sent(connection, receipt)

    async def unsent(self, source: str, before: datetime, limit: int = 100) -> list[tuple[Receipt, str]]:
        async with self._quick.connect() as connection:
            return await unsent_replies(connection, source, before, limit)

    async def _record(self, connection: DbConnection, receipt: Receipt | None, replies: str | None) -> None:
        # First in the transaction: on PostgreSQL a racing delivery waits here, before any other write.
        if receipt is not None and not await record_receipt(connection, receipt, self._clock.now(), replies):
            raise DuplicateUpdate(f"{receipt.source}:{receipt.update_id}")
