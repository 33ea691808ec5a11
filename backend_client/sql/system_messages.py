"""System messages over SQL: planned works and emergencies, each sent as campaigns to every account."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Row

from backend_client.broadcasts import (
    Actor,
    Audience,
    CampaignDraft,
    CampaignKind,
    CampaignStatus,
    MaintenanceTexts,
    SystemKind,
    SystemMessage,
    check_maintenance,
    check_text,
    eve_reminder_at,
)
from backend_client.calendar import WorkingDays
from backend_client.clock import Clock
from backend_client.sql.campaigns import SqlCampaigns
from backend_client.sql.infra.engine import DbConnection, SqlEngine
from backend_client.sql.infra.presses import earlier_result, effect_key, remember
from backend_client.sql.operators import operator_check
from backend_client.sql.tables import campaigns, system_messages


class SqlSystemMessages(SqlCampaigns):
    """The system-message part of ``backend_client.ports.Broadcasts``: planned works (refused without 3
    working days' notice in ``zone``) and emergencies, sent through the campaigns they create."""

    def __init__(self, engine: SqlEngine, clock: Clock, *, zone: ZoneInfo, days: WorkingDays) -> None:
        super().__init__(engine, clock)
        self._zone = zone
        self._days = days

    async def plan_maintenance(
        self, actor: Actor, starts_at: datetime, ends_at: datetime, texts: MaintenanceTexts
    ) -> SystemMessage:
        """Planned works: refused unless announced 3 working days ahead (NoticeTooShort, BadWindow)."""
        now = self._clock.now()
        check_maintenance(now, starts_at, ends_at, self._zone, self._days)
        everyone = Audience(all_accounts=True)
        async with self._engine.begin() as connection:
            person = await operator_check(connection, actor)
            press = effect_key("maintenance", actor.press)
            earlier = await earlier_result(connection, press, now)
            if earlier is not None:
                return await self._message_row(connection, int(earlier))
            message = await self._insert_message(
                connection, SystemKind.MAINTENANCE, texts.announcement, starts_at, ends_at, person, now
            )
            await remember(connection, press, message.id)
            stages = (
                (CampaignKind.MAINTENANCE, texts.announcement, now),
                (CampaignKind.MAINTENANCE_EVE, texts.eve, eve_reminder_at(starts_at, self._zone)),
                (CampaignKind.MAINTENANCE_DONE, texts.done, ends_at),
            )
            for kind, text, moment in stages:
                if kind is CampaignKind.MAINTENANCE_EVE and moment <= now:
                    continue  # announced the day before (only possible with a long weekend in between)
                draft = CampaignDraft(kind, text, everyone, moment, system_message_id=message.id)
                await self._insert_campaign(connection, draft, check_text(text), person, now)
            await self._audit(
                connection,
                "system.maintenance",
                actor=person,
                subject=None,
                message=str(message.id),
                via=actor.channel,
            )
        return message

    async def announce_emergency(self, actor: Actor, text: str) -> SystemMessage:
        """An emergency notice: critical, to every account, at once (silent at night)."""
        cleaned = check_text(text)
        now = self._clock.now()
        async with self._engine.begin() as connection:
            person = await operator_check(connection, actor)
            press = effect_key("emergency", actor.press)
            earlier = await earlier_result(connection, press, now)
            if earlier is not None:
                return await self._message_row(connection, int(earlier))
            message = await self._insert_message(
                connection, SystemKind.EMERGENCY, cleaned, now, None, person, now
            )
            await remember(connection, press, message.id)
            draft = CampaignDraft(
                CampaignKind.EMERGENCY,
                cleaned,
                Audience(all_accounts=True),
                now,
                system_message_id=message.id,
            )
            await self._insert_campaign(connection, draft, cleaned, person, now)
            await self._audit(
                connection,
                "system.emergency",
                actor=person,
                subject=None,
                message=str(message.id),
                via=actor.channel,
            )
        return message

    async def cancel_system_message(
        self, actor: Actor, message_id: int, *, works_off: str, resolved: str | None = None
    ) -> bool:
        """Call off planned works (reminders withdrawn; those already told hear ``works_off``) or withdraw
        an emergency (what has not gone yet is taken back; ``resolved``, when given, tells everyone the
        problem is fixed). An emergency is never announced as works called off."""
        now = self._clock.now()
        async with self._engine.begin() as connection:
            person = await operator_check(connection, actor)
            row = (
                await connection.execute(
                    update(system_messages)
                    .where(system_messages.c.id == message_id, system_messages.c.cancelled_at.is_(None))
                    .values(cancelled_at=now)
                    .returning(system_messages.c.id, system_messages.c.kind)
                )
            ).first()
            if row is None:
                return False
            told = (
                await connection.execute(
                    select(func.count()).where(
                        campaigns.c.system_message_id == message_id,
                        campaigns.c.status == CampaignStatus.SENT.value,
                    )
                )
            ).scalar()
            await self._cancel_campaigns(connection, campaigns.c.system_message_id == message_id)
            after: tuple[CampaignKind, str] | None = None
            if row.kind == SystemKind.EMERGENCY.value:
                after = (CampaignKind.EMERGENCY_RESOLVED, resolved) if resolved is not None else None
            elif told:
                after = (CampaignKind.MAINTENANCE_CANCELLED, works_off)
            if after is not None:
                kind, text = after
                draft = CampaignDraft(kind, text, Audience(all_accounts=True), now, message_id)
                await self._insert_campaign(connection, draft, check_text(text), person, now)
            await self._audit(
                connection,
                "system.cancel",
                actor=person,
                subject=None,
                message=str(message_id),
                kind=row.kind,
                told=after[0].value if after else "nobody",
                via=actor.channel,
            )
        return True

    async def _insert_message(
        self,
        connection: DbConnection,
        kind: SystemKind,
        text: str,
        starts_at: datetime,
        ends_at: datetime | None,
        person: int | None,
        now: datetime,
    ) -> SystemMessage:
        row = (
            await connection.execute(
                insert(system_messages)
                .values(
                    kind=kind.value,
                    text=text,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    created_by=person,
                    created_at=now,
                )
                .returning(*system_messages.c)
            )
        ).one()
        return _system_message(row)

    @staticmethod
    async def _message_row(connection: DbConnection, message_id: int) -> SystemMessage:
        query = select(system_messages).where(system_messages.c.id == message_id)
        return _system_message((await connection.execute(query)).one())

    async def system_messages(self) -> list[SystemMessage]:
        """Current and upcoming system messages, for everyone to read from the menu (newest first)."""
        now = self._clock.now()
        async with self._quick.connect() as connection:
            rows = await connection.execute(
                select(system_messages)
                .where(system_messages.c.cancelled_at.is_(None))
                .order_by(system_messages.c.starts_at.desc(), system_messages.c.id.desc())
                .limit(20)
            )
            return [message for message in map(_system_message, rows) if message.current(now)]

    async def maintenance_windows(self) -> list[tuple[datetime, datetime]]:
        """Planned works not cancelled and not over: other reminders due inside them wait for the end."""
        now = self._clock.now()
        async with self._quick.connect() as connection:
            rows = await connection.execute(
                select(system_messages.c.starts_at, system_messages.c.ends_at).where(
                    system_messages.c.kind == SystemKind.MAINTENANCE.value,
                    system_messages.c.cancelled_at.is_(None),
                    system_messages.c.ends_at > now,
                )
            )
            return [(row.starts_at, row.ends_at) for row in rows]


def _system_message(row: Row[Any]) -> SystemMessage:
    return SystemMessage(
        id=row.id,
        kind=SystemKind(row.kind),
        text=row.text,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        created_at=row.created_at,
        cancelled_at=row.cancelled_at,
    )
