"""Campaigns over SQL: drafting, the figures, cancelling and the fan-out into the outbox.

A campaign is fanned out when it starts: its audience is read and one notice per person goes into the
outbox in the same transaction that marks the campaign sent, so a crash leaves either nothing or all.
Every operator use case checks the role in its own transaction first (``operator_check``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func, insert, or_, select, update
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
    check_text,
)
from backend_client.models import ConsentStatus
from backend_client.outreach import Notice, OutboxStatus
from backend_client.sql.enqueue import NOT_YET_SENT, enqueue_in
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.infra.presses import earlier_result, effect_key, remember
from backend_client.sql.operators import operator_check
from backend_client.sql.tables import campaigns, channel_accounts, outbox, people, profiles

FAN_OUT_CHUNK = 1000  # people per enqueue statement (keeps IN lists well under SQLite's variable limit)


class SqlCampaigns(SqlUseCases):
    """The campaign half of ``backend_client.ports.Broadcasts``."""

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
