"""The durable outbox over SQL: enqueue in the producer's transaction, claim with leases, record outcomes.

Claiming is one statement: an UPDATE of the due rows chosen by a sub-select, returning them. On PostgreSQL
the sub-select takes ``FOR UPDATE SKIP LOCKED``, so several relays claim disjoint rows without waiting for
each other; SQLite has one writer, and ``BEGIN IMMEDIATE`` serialises claims instead.

A row is ``claimed`` while a relay holds it and ``sending`` only during the messenger call. A relay that
fails or stops releases the rows it has not started (``release``); one that dies leaves its lease behind,
and once the lease expires the row is claimed again. A ``claimed`` row was never
sent, so nothing is duplicated; a ``sending`` row may have reached the person (the same as an API timeout
after acceptance) and is sent again: a rare duplicate beats a missing reminder or maintenance notice.

Claiming lives in ``sql/outbox_claims.py``, enqueueing inside a producer's transaction in ``sql/enqueue.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import and_, bindparam, func, or_, select, update

from backend_client.clock import Clock
from backend_client.outreach import DIGEST_REASON, Notice, OutboxStatus
from backend_client.sql.enqueue import NOT_YET_SENT, enqueue_in
from backend_client.sql.infra.engine import SqlEngine, single_statements
from backend_client.sql.outbox_claims import ACTIVE, SqlOutboxClaims
from backend_client.sql.tables import channel_accounts, outbox

log = logging.getLogger(__name__)
ERROR_LIMIT = 200  # characters of an API's reason kept in ``last_error``
CANCEL_CHUNK = 200  # notice keys withdrawn per statement


# The two statements of every message sent, built once: building and cache-keying an UPDATE per call
# cost about as much as executing it (measured with benchmarks/broadcast.py).
_HELD = and_(
    outbox.c.id == bindparam("row"),
    outbox.c.leased_by == bindparam("owner"),
)
_START_SENDING = (
    update(outbox)
    .where(_HELD, outbox.c.status == OutboxStatus.CLAIMED.value)
    .values(status=OutboxStatus.SENDING.value, attempts=outbox.c.attempts + 1)
)
_DELIVERED = (
    update(outbox)
    # two equalities rather than IN: an expanding IN cannot run as executemany (delivered_many)
    .where(_HELD, or_(*(outbox.c.status == status for status in ACTIVE)))
    .values(
        status=OutboxStatus.DELIVERED.value,
        finished_at=bindparam("at"),
        lease_until=None,
        sent_message_id=bindparam("sent"),
    )
)


class SqlOutbox(SqlOutboxClaims):
    """``backend_client.ports.Outbox`` over SQLite or PostgreSQL."""

    def __init__(self, engine: SqlEngine, clock: Clock) -> None:
        self._engine = engine
        self._quick = single_statements(engine)
        self._clock = clock

    async def enqueue(self, notices: Sequence[Notice]) -> int:
        async with self._engine.begin() as connection:
            return await enqueue_in(connection, notices, self._clock.now())

    async def start_sending(self, message_id: int, *, owner: str) -> bool:
        """``claimed`` → ``sending`` just before the messenger call; False when the lease was lost."""
        async with self._quick.begin() as connection:
            result = await connection.execute(_START_SENDING, {"row": message_id, "owner": owner})
        return result.rowcount == 1

    async def start_sending_many(self, message_ids: Sequence[int], *, owner: str) -> set[int]:
        """``start_sending`` for a wave of rows in one statement; the ids that may be sent."""
        if not message_ids:
            return set()
        async with self._quick.begin() as connection:
            result = await connection.execute(
                update(outbox)
                .where(
                    outbox.c.id.in_(message_ids),
                    outbox.c.leased_by == owner,
                    outbox.c.status == OutboxStatus.CLAIMED.value,
                )
                .values(status=OutboxStatus.SENDING.value, attempts=outbox.c.attempts + 1)
                .returning(outbox.c.id)
            )
            return set(result.scalars())

    async def delivered_many(self, rows: Sequence[tuple[int, str | None]], *, owner: str) -> None:
        """``delivered`` for a wave: (row id, the messenger's message id) pairs, one batch of parameters."""
        if not rows:
            return
        now = self._clock.now()
        params = [{"row": row, "owner": owner, "at": now, "sent": sent} for row, sent in rows]
        async with self._quick.begin() as connection:
            await connection.execute(_DELIVERED, params)

    async def delivered(self, message_id: int, *, owner: str, sent_message_id: str | None) -> None:
        values = {"row": message_id, "owner": owner, "at": self._clock.now(), "sent": sent_message_id}
        async with self._quick.begin() as connection:
            await connection.execute(_DELIVERED, values)

    async def finish(self, message_id: int, status: OutboxStatus, *, owner: str, reason: str = "") -> None:
        """A final outcome other than delivery (failed, cancelled, expired, blocked)."""
        if not status.final or status is OutboxStatus.DELIVERED:
            raise ValueError(f"{status} is not a final non-delivery status")
        await self._finish(message_id, owner, status, last_error=reason[:ERROR_LIMIT] or None)

    async def _finish(self, message_id: int, owner: str, status: OutboxStatus, **values: str | None) -> None:
        await self._update_held(
            message_id, owner, status=status.value, finished_at=self._clock.now(), lease_until=None, **values
        )

    async def postpone(self, message_id: int, *, owner: str, until: datetime, reason: str = "") -> None:
        """Back to ``pending`` until ``until`` (quiet hours, a rate-limit pause, a retry after an error)."""
        await self._update_held(
            message_id,
            owner,
            status=OutboxStatus.PENDING.value,
            not_before=until,
            lease_until=None,
            leased_by=None,
            last_error=reason[:ERROR_LIMIT] or None,
        )

    async def release(self, message_ids: Sequence[int], *, owner: str) -> int:
        """Rows ``owner`` claimed and has not started sending go back to ``pending`` at once. Their
        priority and time are left as they were, so they keep their place ahead of later rows."""
        if not message_ids:
            return 0
        async with self._quick.begin() as connection:
            result = await connection.execute(
                update(outbox)
                .where(
                    outbox.c.id.in_(message_ids),
                    outbox.c.leased_by == owner,
                    outbox.c.status == OutboxStatus.CLAIMED.value,
                )
                .values(status=OutboxStatus.PENDING.value, lease_until=None, leased_by=None)
            )
        return int(result.rowcount or 0)

    async def _update_held(self, message_id: int, owner: str, **values: object) -> None:
        """Change a row only while ``owner`` still holds it: a relay whose lease ran out changes nothing."""
        async with self._quick.begin() as connection:
            await connection.execute(
                update(outbox)
                .where(outbox.c.id == message_id, outbox.c.leased_by == owner, outbox.c.status.in_(ACTIVE))
                .values(**values)
            )

    async def absorb_digest(self, message_id: int, *, owner: str, header: str, limit: int) -> str | None:
        """Fold the chat's other digest rows of the same category into this one, in one transaction.

        Rows waiting for the digest hour (pending, or claimed by this relay in the same batch) become
        ``merged`` and their texts join this row's, oldest first, while the text stays within ``limit``
        characters. Returns the new text, or None when there was nothing to fold in.
        """
        async with self._engine.begin() as connection:
            mine = (
                await connection.execute(
                    select(outbox.c.channel, outbox.c.chat_id, outbox.c.category, outbox.c.text).where(
                        outbox.c.id == message_id,
                        outbox.c.leased_by == owner,
                        outbox.c.status == OutboxStatus.CLAIMED.value,
                    )
                )
            ).first()
            if mine is None:
                return None
            waiting = or_(
                and_(outbox.c.status == OutboxStatus.PENDING.value, outbox.c.last_error == DIGEST_REASON),
                and_(outbox.c.status == OutboxStatus.CLAIMED.value, outbox.c.leased_by == owner),
            )
            others = (
                await connection.execute(
                    select(outbox.c.id, outbox.c.text)
                    .where(
                        outbox.c.id != message_id,
                        outbox.c.channel == mine.channel,
                        outbox.c.chat_id == mine.chat_id,
                        outbox.c.category == mine.category,
                        outbox.c.not_before <= self._clock.now(),
                        waiting,
                    )
                    .order_by(outbox.c.not_before, outbox.c.id)
                )
            ).all()
            texts, taken = [mine.text], []
            for other in others:
                if len(header) + sum(len(text) + 2 for text in texts) + len(other.text) > limit:
                    break
                texts.append(other.text)
                taken.append(other.id)
            if not taken:
                return None
            text = header + "\n\n" + "\n\n".join(f"• {item}" for item in texts)
            await connection.execute(
                update(outbox)
                .where(outbox.c.id.in_(taken))
                .values(
                    status=OutboxStatus.MERGED.value,
                    finished_at=self._clock.now(),
                    lease_until=None,
                    last_error=f"digest {message_id}",
                )
            )
            await connection.execute(update(outbox).where(outbox.c.id == message_id).values(text=text))
        return text

    async def stop_account(self, channel: str, chat_id: str, *, reason: str) -> int:
        """The person blocked the bot: the account is marked and nothing more waits for this chat.

        The mark is lifted when the messenger says they are back (``Accounts.set_blocked``)."""
        now = self._clock.now()
        async with self._engine.begin() as connection:
            await connection.execute(
                update(channel_accounts)
                .where(
                    channel_accounts.c.channel == channel,
                    channel_accounts.c.chat_id == chat_id,
                    channel_accounts.c.blocked_at.is_(None),
                )
                .values(blocked_at=now)
            )
            result = await connection.execute(
                update(outbox)
                .where(
                    outbox.c.channel == channel,
                    outbox.c.chat_id == chat_id,
                    outbox.c.status == OutboxStatus.PENDING.value,
                )
                .values(status=OutboxStatus.BLOCKED.value, finished_at=now, last_error=reason[:ERROR_LIMIT])
            )
        return int(result.rowcount or 0)

    async def cancel(self, keys: Iterable[str] = (), *, campaign_id: int | None = None) -> int:
        """Withdraw messages not yet sent: by notice key, or every message of a campaign."""
        key_list = list(keys)
        # Keys go CANCEL_CHUNK to a statement: SQLite refuses an expression tree over 1,000 deep, and a
        # rule's sweep may withdraw thousands at once (a cohort's check-ins closing on one day).
        conditions = [
            or_(
                *(
                    outbox.c.key.startswith(f"{key}|", autoescape=True)
                    for key in key_list[at : at + CANCEL_CHUNK]
                )
            )
            for at in range(0, len(key_list), CANCEL_CHUNK)
        ]
        if campaign_id is not None:
            conditions.append(outbox.c.campaign_id == campaign_id)
        if not conditions:
            return 0
        cancelled = 0
        async with self._engine.begin() as connection:
            for condition in conditions:
                result = await connection.execute(
                    update(outbox)
                    .where(condition, outbox.c.status.in_(NOT_YET_SENT))
                    .values(status=OutboxStatus.CANCELLED.value, finished_at=self._clock.now())
                )
                cancelled += int(result.rowcount or 0)
        return cancelled

    async def pending_keys(self, prefix: str) -> set[str]:
        """Notice keys (without the channel) under ``prefix`` not sent yet: what a rule may withdraw."""
        async with self._quick.connect() as connection:
            keys = await connection.execute(
                select(outbox.c.key).where(
                    outbox.c.key.startswith(prefix, autoescape=True), outbox.c.status.in_(NOT_YET_SENT)
                )
            )
            return {key.rpartition("|")[0] for key in keys.scalars()}

    async def counts(self, *, campaign_id: int | None = None) -> dict[str, int]:
        """Rows per status, optionally of one campaign."""
        query = select(outbox.c.status, func.count()).group_by(outbox.c.status)
        if campaign_id is not None:
            query = query.where(outbox.c.campaign_id == campaign_id)
        async with self._quick.connect() as connection:
            return {status: int(count) for status, count in (await connection.execute(query)).all()}

    async def failures(self, *, campaign_id: int | None = None) -> dict[str, int]:
        """Failed rows per reason."""
        query = (
            select(outbox.c.last_error, func.count())
            .where(outbox.c.status == OutboxStatus.FAILED.value)
            .group_by(outbox.c.last_error)
        )
        if campaign_id is not None:
            query = query.where(outbox.c.campaign_id == campaign_id)
        async with self._quick.connect() as connection:
            return {reason or "": int(count) for reason, count in (await connection.execute(query)).all()}

    async def forget_texts(self, finished_before: datetime, limit: int = 1000) -> int:
        """Blank the text of up to ``limit`` rows that ended (sent, merged, withdrawn, failed ...) before
        ``finished_before``: the outbox keeps who was sent what kind of message and how it went, not the
        words. Returns how many rows lost their text."""
        final = [status.value for status in OutboxStatus if status.final]
        async with self._engine.begin() as connection:
            chosen = (
                (
                    await connection.execute(
                        select(outbox.c.id)
                        .where(
                            outbox.c.status.in_(final),
                            # a final row without an end time (none should be) counts from its creation
                            func.coalesce(outbox.c.finished_at, outbox.c.created_at) < finished_before,
                            outbox.c.text != "",
                        )
                        .limit(limit)
                    )
                )
                .scalars()
                .all()
            )
            if not chosen:
                return 0
            await connection.execute(update(outbox).where(outbox.c.id.in_(chosen)).values(text=""))
        return len(chosen)

    async def next_due(self) -> datetime | None:
        """When the next row becomes claimable: a pending row's time, or a dead relay's lease running out
        (for the relay to sleep until then)."""
        async with self._quick.connect() as connection:
            pending = select(func.min(outbox.c.not_before)).where(
                outbox.c.status == OutboxStatus.PENDING.value
            )
            leased = select(func.min(outbox.c.lease_until)).where(outbox.c.status.in_(ACTIVE))
            moments = [(await connection.execute(query)).scalar() for query in (pending, leased)]
        return min((moment for moment in moments if moment is not None), default=None)
