"""Operators, campaigns and system messages over SQL.

Every operator action checks the role inside its own transaction and writes an audit line there too,
so a revoked operator cannot act with a screen opened before the revocation. ``CLI`` (an ``Actor``) stands for
the command line, which runs with the database's own credentials and needs no grant.

A campaign is fanned out when it starts: its audience is read and one notice per person goes into the
outbox in the same transaction that marks the campaign sent, so a crash leaves either nothing or all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, delete, exists, func, insert, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.sql import Select

from backend_client.broadcasts import (
    Actor,
    Audience,
    Campaign,
    CampaignClosed,
    CampaignDraft,
    CampaignKind,
    CampaignStats,
    CampaignStatus,
    MaintenanceTexts,
    NotOperator,
    SystemKind,
    SystemMessage,
    check_maintenance,
    check_text,
    eve_reminder_at,
)
from backend_client.calendar import WorkingDays
from backend_client.clock import Clock
from backend_client.models import ConsentStatus
from backend_client.outreach import Notice, OutboxStatus
from backend_client.sql.base import SqlUseCases
from backend_client.sql.dialects import upsert
from backend_client.sql.engine import DbConnection, SqlEngine
from backend_client.sql.outbox import NOT_YET_SENT, enqueue_in
from backend_client.sql.prepared import Prepared
from backend_client.sql.presses import earlier_result, effect_key, remember
from backend_client.sql.tables import (
    campaigns,
    channel_accounts,
    operators,
    outbox,
    people,
    profiles,
    system_messages,
)

FAN_OUT_CHUNK = 1000  # people per enqueue statement (keeps IN lists well under SQLite's variable limit)


class SqlBroadcasts(SqlUseCases):
    """``backend_client.ports.Broadcasts`` over SQLite or PostgreSQL."""

    def __init__(self, engine: SqlEngine, clock: Clock, *, zone: ZoneInfo, days: WorkingDays) -> None:
        super().__init__(engine, clock)
        self._zone = zone
        self._days = days

    # -- operators --------------------------------------------------------------------------------
    async def is_operator(self, channel: str, account_id: str) -> bool:
        async with self._quick.connect() as connection:
            return await _granted(connection, channel, account_id)

    async def grant_operator(self, channel: str, account_id: str, *, by: str) -> bool:
        """Grant the role (idempotent); False when the account already held it."""
        async with self._engine.begin() as connection:
            result = await connection.execute(
                upsert(connection, operators)
                .values(channel=channel, external_id=account_id, granted_at=self._clock.now(), granted_by=by)
                .on_conflict_do_nothing()
            )
            added = result.rowcount == 1
            if added:
                await self._audit(
                    connection, "operator.grant", actor=None, subject=None, channel=channel, by=by
                )
        return added

    async def revoke_operator(self, channel: str, account_id: str, *, by: str) -> bool:
        async with self._engine.begin() as connection:
            result = await connection.execute(
                delete(operators).where(operators.c.channel == channel, operators.c.external_id == account_id)
            )
            removed = result.rowcount == 1
            if removed:
                await self._audit(
                    connection, "operator.revoke", actor=None, subject=None, channel=channel, by=by
                )
        return removed

    async def operator_accounts(self) -> list[tuple[str, str]]:
        async with self._quick.connect() as connection:
            rows = await connection.execute(
                select(operators.c.channel, operators.c.external_id).order_by(
                    operators.c.channel, operators.c.external_id
                )
            )
            return [(row.channel, row.external_id) for row in rows]

    # -- campaigns --------------------------------------------------------------------------------
    async def audience_size(self, actor: Actor, audience: Audience) -> int:
        async with self._engine.begin() as connection:
            await operator_check(connection, actor)
            query = _audience(audience).with_only_columns(func.count()).order_by(None)
            return int((await connection.execute(query)).scalar() or 0)

    async def create_campaign(self, actor: Actor, draft: CampaignDraft) -> Campaign:
        """Store a campaign due at ``draft.not_before`` (now or later); the sweep starts it when due."""
        text = check_text(draft.text)
        now = self._clock.now()
        async with self._engine.begin() as connection:
            person = await operator_check(connection, actor)
            press = effect_key("campaign", actor.press)
            earlier = await earlier_result(connection, press, now)
            if earlier is not None:
                return await self._campaign_row(connection, int(earlier))
            campaign = await self._insert_campaign(connection, draft, text, person, now)
            await remember(connection, press, campaign.id)
            await self._audit(
                connection,
                "campaign.create",
                actor=person,
                subject=None,
                campaign=str(campaign.id),
                kind=draft.kind.value,
                via=actor.channel,
            )
        return campaign

    async def _insert_campaign(
        self, connection: DbConnection, draft: CampaignDraft, text: str, person: int | None, now: datetime
    ) -> Campaign:
        row = (
            await connection.execute(
                insert(campaigns)
                .values(
                    kind=draft.kind.value,
                    text=text,
                    audience=draft.audience.as_json(),
                    status=CampaignStatus.SCHEDULED.value,
                    not_before=max(draft.not_before, now),
                    system_message_id=draft.system_message_id,
                    created_by=person,
                    created_at=now,
                )
                .returning(*campaigns.c)
            )
        ).one()
        return _campaign(row)

    @staticmethod
    async def _campaign_row(connection: DbConnection, campaign_id: int) -> Campaign:
        return _campaign(
            (await connection.execute(select(campaigns).where(campaigns.c.id == campaign_id))).one()
        )

    async def campaign(self, actor: Actor, campaign_id: int) -> CampaignStats | None:
        async with self._engine.begin() as connection:
            await operator_check(connection, actor)
            query = select(*campaigns.c, _UNSETTLED).where(campaigns.c.id == campaign_id)
            row = (await connection.execute(query)).first()
            if row is None:
                return None
            mine = outbox.c.campaign_id == campaign_id
            by_status = {
                status: int(count)
                for status, count in await connection.execute(
                    select(outbox.c.status, func.count()).where(mine).group_by(outbox.c.status)
                )
            }
            failures = {
                reason or "": int(count)
                for reason, count in await connection.execute(
                    select(outbox.c.last_error, func.count())
                    .where(mine, outbox.c.status == OutboxStatus.FAILED.value)
                    .group_by(outbox.c.last_error)
                )
            }
            held = (
                await connection.execute(
                    select(func.count()).where(
                        mine,
                        outbox.c.status == OutboxStatus.PENDING.value,
                        outbox.c.last_error == "quiet hours",
                    )
                )
            ).scalar()
        return CampaignStats(_campaign(row), by_status, failures, int(held or 0))

    async def recent_campaigns(self, actor: Actor, *, limit: int = 10) -> list[Campaign]:
        async with self._engine.begin() as connection:
            await operator_check(connection, actor)
            rows = await connection.execute(
                select(*campaigns.c, _UNSETTLED)
                .order_by(campaigns.c.created_at.desc(), campaigns.c.id.desc())
                .limit(limit)
            )
            return [_campaign(row) for row in rows]

    async def cancel_campaign(self, actor: Actor, campaign_id: int) -> int:
        """Stop a campaign before or during sending; returns the messages withdrawn from the outbox."""
        async with self._engine.begin() as connection:
            person = await operator_check(connection, actor)
            withdrawn = await self._cancel_campaigns(connection, campaigns.c.id == campaign_id)
            if withdrawn is None:
                raise CampaignClosed()
            await self._audit(
                connection,
                "campaign.cancel",
                actor=person,
                subject=None,
                campaign=str(campaign_id),
                via=actor.channel,
            )
        return withdrawn

    async def _cancel_campaigns(self, connection: DbConnection, which: Any) -> int | None:
        """Cancel the open campaigns ``which`` selects and their unsent rows; None when none was open."""
        now = self._clock.now()
        ids = (
            (
                await connection.execute(
                    update(campaigns)
                    .where(which, campaigns.c.status != CampaignStatus.CANCELLED.value)
                    .values(status=CampaignStatus.CANCELLED.value, cancelled_at=now)
                    .returning(campaigns.c.id)
                )
            )
            .scalars()
            .all()
        )
        if not ids:
            return None
        result = await connection.execute(
            update(outbox)
            .where(outbox.c.campaign_id.in_(ids), outbox.c.status.in_(NOT_YET_SENT))
            .values(status=OutboxStatus.CANCELLED.value, finished_at=now, last_error="campaign cancelled")
        )
        return int(result.rowcount or 0)

    async def start_due_campaigns(self, *, limit: int = 10) -> list[int]:
        """Fan out campaigns whose time came, and finish fan-outs a crash interrupted (the sweep).

        A fan-out goes in chunks of ``FAN_OUT_CHUNK`` people, one transaction each, with the last person
        id reached stored on the campaign: a restart resumes there, and the event loop is never held for
        a whole audience (on inline SQLite a 100,000-person campaign in one transaction would freeze the
        bot for seconds). Keys are per person, so a chunk that is repeated enqueues nothing twice.
        """
        now = self._clock.now()
        due_or_unfinished = or_(
            and_(campaigns.c.status == CampaignStatus.SCHEDULED.value, campaigns.c.not_before <= now),
            campaigns.c.status == CampaignStatus.SENDING.value,
        )
        async with self._quick.connect() as connection:
            result = await connection.execute(
                select(campaigns.c.id)
                .where(due_or_unfinished)
                .order_by(campaigns.c.not_before, campaigns.c.id)
                .limit(limit)
            )
            due = result.scalars().all()
        started = []
        for campaign_id in due:
            if await self._fan_out(campaign_id):
                started.append(campaign_id)
        return started

    async def _fan_out(self, campaign_id: int) -> bool:
        """Chunk after chunk until the audience is covered; False when the campaign was not ours to send."""
        moved = False
        while True:
            step = await self._fan_out_step(campaign_id)
            if step is None:
                return moved
            moved = True
            if step:
                return True
            await asyncio.sleep(0)  # let updates in between chunks

    async def _fan_out_step(self, campaign_id: int) -> bool | None:
        """One chunk: True when the fan-out is complete, False when more remains, None when not ours."""
        now = self._clock.now()
        async with self._engine.begin() as connection:
            query = select(campaigns).where(
                campaigns.c.id == campaign_id,
                campaigns.c.status.in_((CampaignStatus.SCHEDULED.value, CampaignStatus.SENDING.value)),
            )
            if connection.dialect.name == "postgresql":
                query = query.with_for_update()  # SQLite: BEGIN IMMEDIATE already serialises
            row = (await connection.execute(query)).first()
            if row is None:
                return None  # cancelled meanwhile, or finished by another scheduler
            campaign = _campaign(row)
            draft = CampaignDraft(campaign.kind, campaign.text, campaign.audience, campaign.not_before)
            audience = (
                _audience(campaign.audience).where(people.c.id > (row.cursor or 0)).limit(FAN_OUT_CHUNK)
            )
            person_ids = (await connection.execute(audience)).scalars().all()
            notices = [
                Notice(
                    key=f"campaign:{campaign.id}:{person_id}",
                    person_id=person_id,
                    category=draft.category,
                    text=campaign.text,
                    not_before=now,
                    priority=draft.priority,
                    critical=draft.critical,
                    campaign_id=campaign.id,
                )
                for person_id in person_ids
            ]
            await enqueue_in(connection, notices, now)
            done = len(person_ids) < FAN_OUT_CHUNK
            await connection.execute(
                update(campaigns)
                .where(campaigns.c.id == campaign_id)
                .values(
                    status=(CampaignStatus.SENT if done else CampaignStatus.SENDING).value,
                    started_at=row.started_at or now,
                    cursor=person_ids[-1] if person_ids else row.cursor,
                    recipients=(row.recipients or 0) + len(person_ids),
                )
            )
        return done

    # -- system messages ----------------------------------------------------------------------------
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


# Asked for every menu shown, so built once.
_GRANTED = Prepared(
    select(
        exists()
        .where(operators.c.channel == bindparam("channel"), operators.c.external_id == bindparam("account"))
        .label("granted")
    )
)


async def operator_check(connection: DbConnection, actor: Actor) -> int | None:
    """Every operator use case's first step, inside its own transaction (a revocation stops the very next
    call): the actor's person id for the audit line (None for the CLI); NotOperator without a grant."""
    if actor.is_cli:
        return None
    if not await _granted(connection, actor.channel, actor.account_id):
        raise NotOperator()
    return (
        await connection.execute(
            select(channel_accounts.c.person_id).where(
                channel_accounts.c.channel == actor.channel,
                channel_accounts.c.external_id == actor.account_id,
            )
        )
    ).scalar()


async def _granted(connection: DbConnection, channel: str, account_id: str) -> bool:
    rows = (await _GRANTED.run(connection, {"channel": channel, "account": account_id})).rows
    return bool(rows[0].granted)


def _audience(audience: Audience) -> Select[tuple[int]]:
    """The ids of the people a campaign reaches: the filters, and an account that did not block us."""
    reachable = exists().where(
        channel_accounts.c.person_id == people.c.id, channel_accounts.c.blocked_at.is_(None)
    )
    query = (
        select(people.c.id)
        .select_from(people.outerjoin(profiles, profiles.c.person_id == people.c.id))
        .where(reachable)
        .order_by(people.c.id)
    )
    if not audience.all_accounts:
        query = query.where(people.c.consent_status == ConsentStatus.GRANTED.value)
    filters: Sequence[tuple[Any, Sequence[object]]] = (
        (people.c.role, [role.value for role in audience.roles]),
        (profiles.c.municipality, audience.municipalities),
        (profiles.c.institution, audience.institutions),
        (profiles.c.grade, audience.grades),
        (profiles.c.course, audience.courses),
    )
    conditions = [column.in_(values) for column, values in filters if values]
    return query.where(and_(*conditions)) if conditions else query


# Whether any outbox row of the campaign still waits or is under way: a sent campaign without such rows
# is shown as finished («завершена»), with its figures.
_WAITING = (*NOT_YET_SENT, OutboxStatus.SENDING.value)
_UNSETTLED = (
    select(outbox.c.id)
    .where(outbox.c.campaign_id == campaigns.c.id, outbox.c.status.in_(_WAITING))
    .exists()
    .label("unsettled")
)


def _campaign(row: Row[Any]) -> Campaign:
    """A ``campaigns`` row; read with ``_UNSETTLED``, a sent campaign with nothing left is FINISHED."""
    status = CampaignStatus(row.status)
    if status is CampaignStatus.SENT and "unsettled" in row._fields and not row.unsettled:
        status = CampaignStatus.FINISHED
    return Campaign(
        id=row.id,
        kind=CampaignKind(row.kind),
        text=row.text,
        audience=Audience.from_json(dict(row.audience)),
        status=status,
        not_before=row.not_before,
        created_at=row.created_at,
        recipients=row.recipients,
        system_message_id=row.system_message_id,
    )


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
