"""Putting notices into the outbox, and withdrawing them, inside another use case's transaction.

The producer's transaction is the outbox's: a consent answer, a campaign chunk or a guardian link and
the messages about it commit together or not at all (``SqlOutbox.enqueue`` is the same in a transaction
of its own).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Row

from backend_client.outreach import Notice, OutboxStatus
from backend_client.sql.infra.arrays import insert_new
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.tables import channel_accounts, outbox

ENQUEUE_CHUNK = 5_000  # rows per INSERT
# A claimed row may still be withdrawn: its relay then finds it gone when it is about to send.
NOT_YET_SENT = (OutboxStatus.PENDING.value, OutboxStatus.CLAIMED.value)


async def enqueue_in(connection: DbConnection, notices: Sequence[Notice], now: datetime) -> int:
    """Fan ``notices`` out to the people's channel accounts inside the caller's transaction.

    Accounts that blocked the bot get nothing. A key enqueued before is skipped, so producers may run as
    often as they like. Returns the number of rows added.
    """
    if not notices:
        return 0
    person_ids = {notice.person_id for notice in notices}
    accounts = (
        await connection.execute(
            select(channel_accounts.c.person_id, channel_accounts.c.channel, channel_accounts.c.chat_id)
            .where(channel_accounts.c.person_id.in_(person_ids), channel_accounts.c.blocked_at.is_(None))
            .order_by(channel_accounts.c.id)
        )
    ).all()
    by_person: dict[int, list[Row[Any]]] = {}
    for account in accounts:
        by_person.setdefault(account.person_id, []).append(account)
    rows = [
        (
            f"{notice.key}|{account.channel}",
            notice.person_id,
            account.channel,
            account.chat_id,
            notice.category.value,
            int(notice.priority),
            notice.critical,
            notice.text,
            notice.campaign_id,
            notice.not_before,
            notice.expires_at,
            OutboxStatus.PENDING.value,
            0,
            now,
        )
        for notice in notices
        for account in by_person.get(notice.person_id, ())
    ]
    # One statement per chunk whose text does not depend on the row count (``infra/arrays.py``): a
    # multi-row VALUES cost more to compile than to run, and an executemany's rowcount is unknown on
    # asyncpg. Chunks keep a transaction's statements short on either database.
    added = 0
    for first in range(0, len(rows), ENQUEUE_CHUNK):
        chunk = rows[first : first + ENQUEUE_CHUNK]
        added += len(await insert_new(connection, outbox, _COLUMNS, chunk, ("id",)))
    return added


_COLUMNS = (
    "key",
    "person_id",
    "channel",
    "chat_id",
    "category",
    "priority",
    "critical",
    "text",
    "campaign_id",
    "not_before",
    "expires_at",
    "status",
    "attempts",
    "created_at",
)


async def withdraw_naming(
    connection: DbConnection, name: str, recipients: Collection[int], now: datetime
) -> int:
    """Rows addressed to ``recipients`` whose text names ``name`` (as a whole word), in the caller's
    transaction: the ones not sent yet are withdrawn, and every one loses its text, so an erased
    person's name does not outlive them in someone else's reminders. Returns the rows blanked."""
    if not name or not recipients:
        return 0
    word = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
    candidates = await connection.execute(
        select(outbox.c.id, outbox.c.text).where(
            outbox.c.person_id.in_(sorted(recipients)),
            outbox.c.text.contains(name, autoescape=True),
        )
    )
    ids = [row.id for row in candidates if word.search(row.text)]
    if not ids:
        return 0
    await connection.execute(
        update(outbox)
        .where(outbox.c.id.in_(ids), outbox.c.status.in_(NOT_YET_SENT))
        .values(status=OutboxStatus.CANCELLED.value, finished_at=now, last_error="erased")
    )
    await connection.execute(update(outbox).where(outbox.c.id.in_(ids)).values(text=""))
    return len(ids)
