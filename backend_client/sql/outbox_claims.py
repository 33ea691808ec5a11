"""Claiming due outbox rows for a relay, with each person's delivery modes, quiet hours and contact time.

Claiming is one statement per kind of row: an UPDATE of the due rows chosen by a sub-select, returning
them. On PostgreSQL the sub-select takes ``FOR UPDATE SKIP LOCKED``, so several relays claim disjoint rows
without waiting for each other; SQLite has one writer, and ``BEGIN IMMEDIATE`` serialises claims instead.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy.engine import Row

from backend_client.clock import Clock
from backend_client.models import AgeBand, ContactTime
from backend_client.outreach import (
    ALWAYS_ON,
    MINOR_QUIET_HOURS,
    Category,
    DeliveryMode,
    OutboxStatus,
    OutgoingMessage,
    QuietHours,
)
from backend_client.quiet import default_quiet_hours
from backend_client.sql.infra.engine import DbConnection, SqlEngine
from backend_client.sql.preferences import quiet_from
from backend_client.sql.tables import notification_modes, outbox, people, profiles, quiet_hours

ACTIVE = (OutboxStatus.CLAIMED.value, OutboxStatus.SENDING.value)


class SqlOutboxClaims:
    """``claim`` of ``backend_client.ports.Outbox``; ``SqlOutbox`` builds on it."""

    _engine: SqlEngine
    _clock: Clock

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
            mode=DeliveryMode.INSTANT
            if row.category in ALWAYS_ON
            else DeliveryMode(modes.get(row.category, DeliveryMode.INSTANT.value)),
            quiet=quiet,
        )
