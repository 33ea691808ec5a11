"""The durable outbox over SQL: enqueue in the producer's transaction, claim with leases, record outcomes.

Claiming is one statement: an UPDATE of the due rows chosen by a sub-select, returning them. On PostgreSQL
the sub-select takes ``FOR UPDATE SKIP LOCKED``, so several relays claim disjoint rows without waiting for
each other; SQLite has one writer, and ``BEGIN IMMEDIATE`` serialises claims instead.

A row is ``claimed`` while a relay holds it and ``sending`` only during the messenger call. A relay that
fails or stops releases the rows it has not started (``release``); one that dies leaves its lease behind,
and once the lease expires the row is claimed again. A ``claimed`` row was never
sent, so nothing is duplicated; a ``sending`` row may have reached the person (the same as an API timeout
after acceptance) and is sent again: a rare duplicate beats a missing reminder or maintenance notice.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.engine import Row

from backend_client.clock import Clock
from backend_client.models import AgeBand, ContactTime
from backend_client.outreach import (
    ADULT_QUIET_HOURS,
    DIGEST_REASON,
    MINOR_QUIET_HOURS,
    Category,
    DeliveryMode,
    Notice,
    OutboxStatus,
    OutgoingMessage,
    QuietHours,
)
from backend_client.sql.dialects import upsert
from backend_client.sql.engine import DbConnection, SqlEngine, single_statements
from backend_client.sql.tables import (
    channel_accounts,
    notification_modes,
    outbox,
    people,
    profiles,
    quiet_hours,
)

log = logging.getLogger(__name__)
ENQUEUE_CHUNK = 500  # rows per INSERT (15 parameters each)
ERROR_LIMIT = 200  # characters of an API's reason kept in ``last_error``
ACTIVE = (OutboxStatus.CLAIMED.value, OutboxStatus.SENDING.value)
# A claimed row may still be withdrawn: its relay then finds it gone when it is about to send.
NOT_YET_SENT = (OutboxStatus.PENDING.value, OutboxStatus.CLAIMED.value)


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


def default_quiet_hours(age_band: AgeBand | None) -> QuietHours:
    """Minors get the longer night; an unknown age is treated as a minor (the safer side)."""
    return ADULT_QUIET_HOURS if age_band is AgeBand.ADULT else MINOR_QUIET_HOURS


def quiet_from(row: Row[Any]) -> QuietHours:
    """A ``quiet_hours`` row (minutes after local midnight) as ``QuietHours``."""
    return QuietHours(_time_of(row.start_minute), _time_of(row.end_minute))


def minutes_of(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _time_of(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


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
        {
            "key": f"{notice.key}|{account.channel}",
            "person_id": notice.person_id,
            "channel": account.channel,
            "chat_id": account.chat_id,
            "category": notice.category.value,
            "priority": int(notice.priority),
            "critical": notice.critical,
            "text": notice.text,
            "campaign_id": notice.campaign_id,
            "not_before": notice.not_before,
            "expires_at": notice.expires_at,
            "status": OutboxStatus.PENDING.value,
            "attempts": 0,
            "created_at": now,
        }
        for notice in notices
        for account in by_person.get(notice.person_id, ())
    ]
    added = 0
    # Multi-row VALUES with RETURNING: an executemany's rowcount is unknown on asyncpg, and each chunk
    # stays far below both databases' limit on bound parameters.
    for first in range(0, len(rows), ENQUEUE_CHUNK):
        statement = (
            upsert(connection, outbox)
            .values(rows[first : first + ENQUEUE_CHUNK])
            .on_conflict_do_nothing()
            .returning(outbox.c.id)
        )
        added += len((await connection.execute(statement)).all())
    return added


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


class SqlOutbox:
    """``backend_client.ports.Outbox`` over SQLite or PostgreSQL."""

    def __init__(self, engine: SqlEngine, clock: Clock) -> None:
        self._engine = engine
        self._quick = single_statements(engine)
        self._clock = clock

    async def enqueue(self, notices: Sequence[Notice]) -> int:
        async with self._engine.begin() as connection:
            return await enqueue_in(connection, notices, self._clock.now())

    async def claim(
        self,
        *,
        owner: str,
        limit: int,
        lease: timedelta,
        channels: Collection[str] | None = None,
        chats: Collection[str] | None = None,
    ) -> list[OutgoingMessage]:
        now = self._clock.now()
        # Two reads, each walking ``ix_outbox_claim`` in send order and stopping after ``limit`` rows. One
        # read with ``pending OR lease expired`` sorted every due row instead: 64 ms per claim with 100,000
        # rows waiting on PostgreSQL (0.1 ms now), which held a large campaign to ~900 messages/s.
        pending = and_(outbox.c.status == OutboxStatus.PENDING.value, outbox.c.not_before <= now)
        abandoned = and_(outbox.c.status.in_(ACTIVE), outbox.c.lease_until <= now)  # their relay died
        order = (outbox.c.priority, outbox.c.not_before, outbox.c.id)
        async with self._engine.begin() as connection:
            due: list[Any] = []
            for condition in (pending, abandoned):
                if channels is not None:
                    condition = and_(condition, outbox.c.channel.in_(sorted(channels)))
                if chats is not None:
                    condition = and_(condition, outbox.c.chat_id.in_(sorted(chats)))
                query = select(*order).where(condition).order_by(*order).limit(limit)
                if connection.dialect.name == "postgresql":
                    query = query.with_for_update(skip_locked=True)
                due += (await connection.execute(query)).all()
            chosen = [row.id for row in sorted(due, key=lambda row: tuple(row))[:limit]]
            if not chosen:
                return []
            claimed = (
                await connection.execute(
                    update(outbox)
                    .where(outbox.c.id.in_(chosen))
                    .values(status=OutboxStatus.CLAIMED.value, lease_until=now + lease, leased_by=owner)
                    .returning(
                        outbox.c.id,
                        outbox.c.person_id,
                        outbox.c.channel,
                        outbox.c.chat_id,
                        outbox.c.category,
                        outbox.c.text,
                        outbox.c.critical,
                        outbox.c.attempts,
                        outbox.c.expires_at,
                        outbox.c.priority,
                        outbox.c.not_before,
                    )
                )
            ).all()
            settings = await self._settings_of(connection, {row.person_id for row in claimed})
            contacts = await self._contact_times(connection, {row.person_id for row in claimed})
        # RETURNING gives no order: send in priority order within the batch too.
        ordered = sorted(claimed, key=lambda row: (row.priority, row.not_before, row.id))
        return [
            replace(self._outgoing(row, settings), contact=contacts.get(row.person_id)) for row in ordered
        ]

    @staticmethod
    async def _contact_times(connection: DbConnection, person_ids: set[int | None]) -> dict[int, ContactTime]:
        """The contact time each person chose in the profile (the relay holds non-urgent rows to it)."""
        ids = [person_id for person_id in person_ids if person_id is not None]
        if not ids:
            return {}
        rows = await connection.execute(
            select(profiles.c.person_id, profiles.c.contact_time).where(
                profiles.c.person_id.in_(ids), profiles.c.contact_time.is_not(None)
            )
        )
        return {
            row.person_id: ContactTime(row.contact_time)
            for row in rows
            if row.contact_time in ContactTime._value2member_map_
        }

    @staticmethod
    async def _settings_of(
        connection: DbConnection, person_ids: set[int | None]
    ) -> dict[int, tuple[dict[str, str], QuietHours]]:
        ids = [person_id for person_id in person_ids if person_id is not None]
        if not ids:
            return {}
        query = select(people.c.id, people.c.age_band).where(people.c.id.in_(ids))
        bands: dict[int, str | None] = {row.id: row.age_band for row in await connection.execute(query)}
        settings: dict[int, tuple[dict[str, str], QuietHours]] = {
            person_id: ({}, default_quiet_hours(AgeBand(band) if band else None))
            for person_id, band in bands.items()
        }
        for row in await connection.execute(
            select(notification_modes).where(notification_modes.c.person_id.in_(ids))
        ):
            settings[row.person_id][0][row.category] = row.mode
        for row in await connection.execute(select(quiet_hours).where(quiet_hours.c.person_id.in_(ids))):
            settings[row.person_id] = (settings[row.person_id][0], quiet_from(row))
        return settings

    @staticmethod
    def _outgoing(row: Row[Any], settings: dict[int, tuple[dict[str, str], QuietHours]]) -> OutgoingMessage:
        modes, quiet = settings.get(row.person_id, ({}, MINOR_QUIET_HOURS))
        return OutgoingMessage(
            id=row.id,
            person_id=row.person_id,
            channel=row.channel,
            chat_id=row.chat_id,
            category=Category(row.category),
            text=row.text,
            critical=row.critical,
            attempts=row.attempts,
            expires_at=row.expires_at,
            mode=DeliveryMode(modes.get(row.category, DeliveryMode.INSTANT.value)),
            quiet=quiet,
        )

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
        conditions = []
        key_list = list(keys)
        if key_list:
            conditions.append(or_(*(outbox.c.key.startswith(f"{key}|", autoescape=True) for key in key_list)))
        if campaign_id is not None:
            conditions.append(outbox.c.campaign_id == campaign_id)
        if not conditions:
            return 0
        async with self._quick.begin() as connection:
            result = await connection.execute(
                update(outbox)
                .where(or_(*conditions), outbox.c.status.in_(NOT_YET_SENT))
                .values(status=OutboxStatus.CANCELLED.value, finished_at=self._clock.now())
            )
        return int(result.rowcount or 0)

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
