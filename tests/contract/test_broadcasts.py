"""Operators, campaigns and system messages over SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from backend_client.broadcasts import (
    CLI,
    Actor,
    Audience,
    BadWindow,
    CampaignClosed,
    CampaignDraft,
    CampaignKind,
    CampaignStatus,
    MaintenanceTexts,
    NoticeTooShort,
    NotOperator,
)
from backend_client.models import AgeBand, Role
from backend_client.outreach import OutboxStatus
from backend_client.sql.tables import audit_log, outbox

SAMARA = ZoneInfo("Europe/Samara")
OPERATOR = Actor("test", "op")
TEXTS = MaintenanceTexts("Плановые работы", "Завтра работы", "Работы закончены")


async def person(records, account: str, role: Role = Role.PUPIL, *, consent: bool = True, **profile) -> int:
    someone = await records.identify("test", account, f"chat-{account}")
    band = AgeBand.ADULT if role in (Role.GRADUATE, Role.PARENT) else AgeBand.MINOR
    await records.choose_role(someone.id, role, band)
    if consent:
        await records.give_own_consent(someone.id, version="v1", channel="test")
        if profile:
            await records.save_profile(someone.id, profile)
    return int(someone.id)


@pytest.fixture
async def operator(database):
    await person(database.records, "op", Role.GRADUATE)
    assert await database.broadcasts.grant_operator("test", "op", by="test")
    return OPERATOR


def news(
    text: str = "Новость", audience: Audience | None = None, at: datetime | None = None
) -> CampaignDraft:
    return CampaignDraft(
        CampaignKind.NEWS, text, audience or Audience(), at or datetime(2000, 1, 1, tzinfo=UTC)
    )


async def test_granting_is_idempotent_and_revoking_takes_the_power_away(database):
    broadcasts = database.broadcasts
    assert await broadcasts.grant_operator("test", "a", by="cli")
    assert not await broadcasts.grant_operator("test", "a", by="cli")
    assert await broadcasts.is_operator("test", "a")
    assert await broadcasts.operator_accounts() == [("test", "a")]
    assert await broadcasts.revoke_operator("test", "a", by="cli")
    assert not await broadcasts.is_operator("test", "a")
    with pytest.raises(NotOperator):
        await broadcasts.create_campaign(Actor("test", "a"), news())


async def test_every_operator_call_checks_the_role(database):
    broadcasts = database.broadcasts
    stranger = Actor("test", "nobody")
    calls = [
        broadcasts.audience_size(stranger, Audience()),
        broadcasts.create_campaign(stranger, news()),
        broadcasts.campaign(stranger, 1),
        broadcasts.recent_campaigns(stranger),
        broadcasts.cancel_campaign(stranger, 1),
        broadcasts.announce_emergency(stranger, "Авария"),
        broadcasts.cancel_system_message(stranger, 1, works_off="Отмена"),
    ]
    for call in calls:
        with pytest.raises(NotOperator):
            await call


async def test_audience_filters_combine_and_reach_only_consenting_reachable_people(database, operator):
    records = database.records
    await person(records, "p1", Role.PUPIL, municipality="36440", grade=9, institution="Школа № 1")
    await person(records, "p2", Role.PUPIL, municipality="36440", grade=8)
    await person(records, "p3", Role.PUPIL, municipality="36401", grade=9)
    await person(records, "s1", Role.COLLEGE_STUDENT, course=2)
    await person(records, "silent", Role.PUPIL, consent=False)
    blocked = await person(records, "gone", Role.PUPIL, municipality="36440", grade=9)
    await records.set_blocked("test", "gone", True)
    assert blocked
    size = database.broadcasts.audience_size
    assert await size(operator, Audience()) == 5  # four people and the operator; not "silent", not "gone"
    assert await size(operator, Audience(roles=(Role.PUPIL,))) == 3
    assert await size(operator, Audience(municipalities=("36440",), grades=(9,))) == 1
    assert await size(operator, Audience(grades=(8, 9))) == 3
    assert await size(operator, Audience(courses=(2,))) == 1
    assert await size(operator, Audience(institutions=("Школа № 1",))) == 1
    assert await size(operator, Audience(all_accounts=True)) == 6  # system messages: consent not needed


async def test_a_campaign_starts_when_due_once_and_fans_out(database, clock, operator):
    records = database.records
    for n in range(3):
        await person(records, f"p{n}", Role.PUPIL, grade=9)
    later = clock.now() + timedelta(hours=2)
    campaign = await database.broadcasts.create_campaign(
        operator, news(audience=Audience(grades=(9,)), at=later)
    )
    assert campaign.status is CampaignStatus.SCHEDULED
    assert await database.broadcasts.start_due_campaigns() == []
    clock.advance(timedelta(hours=2))
    assert await database.broadcasts.start_due_campaigns() == [campaign.id]
    assert await database.broadcasts.start_due_campaigns() == []  # started once
    stats = await database.broadcasts.campaign(operator, campaign.id)
    assert stats is not None
    assert stats.campaign.status is CampaignStatus.SENT
    assert stats.campaign.recipients == 3
    assert stats.by_status == {"pending": 3}
    assert stats.queued == 3


async def test_cancelling_during_sending_withdraws_what_is_left(database, clock, operator):
    for n in range(3):
        await person(database.records, f"p{n}")
    campaign = await database.broadcasts.create_campaign(
        operator, news(audience=Audience(roles=(Role.PUPIL,)))
    )
    await database.broadcasts.start_due_campaigns()
    [first, *_] = await database.outbox.claim(owner="r", limit=1, lease=timedelta(minutes=1))
    assert await database.outbox.start_sending(first.id, owner="r")
    await database.outbox.delivered(first.id, owner="r", sent_message_id="1")
    assert await database.broadcasts.cancel_campaign(operator, campaign.id) == 2
    with pytest.raises(CampaignClosed):
        await database.broadcasts.cancel_campaign(operator, campaign.id)
    stats = await database.broadcasts.campaign(operator, campaign.id)
    assert stats is not None
    assert stats.by_status == {"delivered": 1, "cancelled": 2}


async def test_a_cancelled_scheduled_campaign_never_starts(database, clock, operator):
    await person(database.records, "p1")
    campaign = await database.broadcasts.create_campaign(operator, news(at=clock.now() + timedelta(hours=1)))
    assert await database.broadcasts.cancel_campaign(operator, campaign.id) == 0
    clock.advance(timedelta(hours=2))
    assert await database.broadcasts.start_due_campaigns() == []


async def test_operator_actions_are_audited_with_ids_only(database, operator):
    await database.broadcasts.create_campaign(operator, news("Секретный текст"))
    async with database.engine.connect() as connection:
        rows = (await connection.execute(select(audit_log.c.action, audit_log.c.details))).all()
    actions = [row.action for row in rows]
    assert "operator.grant" in actions
    assert "campaign.create" in actions
    assert "Секретный текст" not in str(rows)


def local(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00").replace(tzinfo=SAMARA)


async def test_maintenance_needs_three_whole_working_days(database, clock, operator):
    clock.set(local("2026-11-23"))  # Monday
    plan = database.broadcasts.plan_maintenance
    with pytest.raises(NoticeTooShort) as refused:
        await plan(operator, local("2026-11-26", 22), local("2026-11-27", 2), TEXTS)  # Thursday
    assert refused.value.earliest.isoformat() == "2026-11-27"
    message = await plan(operator, local("2026-11-27", 22), local("2026-11-28", 2), TEXTS)  # crosses midnight
    assert message.ends_at is not None


async def test_weekends_and_holidays_do_not_count(database, clock, operator):
    clock.set(local("2026-10-30"))  # Friday before the 4 November holiday
    plan = database.broadcasts.plan_maintenance
    with pytest.raises(NoticeTooShort) as refused:
        await plan(operator, local("2026-11-05", 22), local("2026-11-05", 23), TEXTS)
    assert refused.value.earliest.isoformat() == "2026-11-06"  # Mon 2, Tue 3, (Wed 4 off), Thu 5
    clock.set(local("2026-12-29"))
    with pytest.raises(NoticeTooShort) as refused:
        await plan(operator, local("2027-01-11", 22), local("2027-01-11", 23), TEXTS)
    assert refused.value.earliest.isoformat() == "2027-01-13"


async def test_an_announcement_late_in_the_evening_counts_from_the_next_day(database, clock, operator):
    clock.set(local("2026-11-23", 21))  # Monday 21:00: minors get it on Tuesday morning
    with pytest.raises(NoticeTooShort):
        await database.broadcasts.plan_maintenance(
            operator, local("2026-11-27", 22), local("2026-11-28", 1), TEXTS
        )


async def test_an_empty_or_past_window_is_refused(database, clock, operator):
    clock.set(local("2026-11-23"))
    with pytest.raises(BadWindow):
        await database.broadcasts.plan_maintenance(
            operator, local("2026-12-01", 3), local("2026-12-01", 1), TEXTS
        )
    with pytest.raises(BadWindow):
        await database.broadcasts.plan_maintenance(
            operator, local("2026-11-20", 1), local("2026-11-20", 3), TEXTS
        )


async def test_maintenance_announces_reminds_on_the_eve_and_says_when_done(database, clock, operator):
    clock.set(local("2026-11-23"))
    await person(database.records, "p1")
    await person(database.records, "silent", consent=False)  # system messages reach every account
    message = await database.broadcasts.plan_maintenance(
        operator, local("2026-11-27", 22), local("2026-11-28", 2), TEXTS
    )
    assert [m.id for m in await database.broadcasts.system_messages()] == [message.id]
    assert await database.broadcasts.maintenance_windows() == [
        (local("2026-11-27", 22), local("2026-11-28", 2))
    ]
    started = await database.broadcasts.start_due_campaigns()
    assert len(started) == 1  # the announcement
    clock.set(local("2026-11-26", 12))
    assert (
        len(await database.broadcasts.start_due_campaigns()) == 1
    )  # the eve reminder, at noon the day before
    clock.set(local("2026-11-28", 2))
    assert len(await database.broadcasts.start_due_campaigns()) == 1  # works finished
    async with database.engine.connect() as connection:
        texts = (await connection.execute(select(outbox.c.text).order_by(outbox.c.id))).scalars().all()
    assert texts == [*["Плановые работы"] * 3, *["Завтра работы"] * 3, *["Работы закончены"] * 3]


async def test_calling_off_works_withdraws_the_reminders_and_tells_people(database, clock, operator):
    clock.set(local("2026-11-23"))
    await person(database.records, "p1")
    message = await database.broadcasts.plan_maintenance(
        operator, local("2026-11-27", 22), local("2026-11-28", 2), TEXTS
    )
    await database.broadcasts.start_due_campaigns()
    off = "Работы отменены"
    assert await database.broadcasts.cancel_system_message(operator, message.id, works_off=off)
    assert not await database.broadcasts.cancel_system_message(operator, message.id, works_off=off)
    assert await database.broadcasts.system_messages() == []
    assert await database.broadcasts.maintenance_windows() == []
    assert len(await database.broadcasts.start_due_campaigns()) == 1  # the cancellation notice
    clock.set(local("2026-11-29"))
    assert await database.broadcasts.start_due_campaigns() == []  # no eve, no "finished"
    async with database.engine.connect() as connection:
        rows = (await connection.execute(select(outbox.c.text, outbox.c.status).order_by(outbox.c.id))).all()
    assert [(row.text, row.status) for row in rows if row.text == "Работы отменены"] == [
        ("Работы отменены", OutboxStatus.PENDING.value)
    ] * 2


async def test_withdrawing_an_emergency_tells_nobody_unless_resolved_is_asked(database, clock, operator):
    await person(database.records, "p1")
    quiet = await database.broadcasts.announce_emergency(operator, "Сбой входа")
    await database.broadcasts.start_due_campaigns()
    assert await database.broadcasts.cancel_system_message(operator, quiet.id, works_off="Работы отменены")
    assert await database.broadcasts.start_due_campaigns() == []  # no «works called off» for an emergency
    fixed = await database.broadcasts.announce_emergency(operator, "Сбой оплаты")
    await database.broadcasts.start_due_campaigns()
    assert await database.broadcasts.cancel_system_message(
        operator, fixed.id, works_off="Работы отменены", resolved="Неполадка устранена"
    )
    assert len(await database.broadcasts.start_due_campaigns()) == 1
    async with database.engine.connect() as connection:
        rows = (await connection.execute(select(outbox.c.text, outbox.c.status).order_by(outbox.c.id))).all()
    texts = [row.text for row in rows]
    assert "Работы отменены" not in texts
    assert texts.count("Неполадка устранена") == 2  # the person and the operator
    assert {row.status for row in rows if row.text != "Неполадка устранена"} == {OutboxStatus.CANCELLED.value}


async def test_an_emergency_goes_at_once_as_critical(database, clock, operator):
    await person(database.records, "p1")
    message = await database.broadcasts.announce_emergency(
        operator, "Сбой: запись на профтуры временно недоступна"
    )
    assert await database.broadcasts.system_messages() == [message]
    await database.broadcasts.start_due_campaigns()
    rows = await database.outbox.claim(owner="r", limit=10, lease=timedelta(minutes=1))
    assert len(rows) == 2  # the pupil and the operator
    assert all(row.critical for row in rows)


async def test_the_command_line_needs_no_grant(database):
    campaign = await database.broadcasts.create_campaign(CLI, news())
    assert campaign.id > 0


async def test_a_fan_out_goes_in_chunks_and_resumes_after_a_crash(database, operator, monkeypatch):
    monkeypatch.setattr("backend_client.sql.campaigns.FAN_OUT_CHUNK", 2)
    for n in range(4):
        await person(database.records, f"p{n}")
    campaign = await database.broadcasts.create_campaign(operator, news())
    assert await database.broadcasts._fan_out_step(campaign.id) is False  # one chunk, then the process died
    stats = await database.broadcasts.campaign(operator, campaign.id)
    assert stats is not None
    assert stats.campaign.status is CampaignStatus.SENDING
    assert stats.campaign.recipients == 2
    assert await database.broadcasts.start_due_campaigns() == [campaign.id]  # the next sweep resumes
    stats = await database.broadcasts.campaign(operator, campaign.id)
    assert stats is not None
    assert stats.campaign.status is CampaignStatus.SENT
    assert stats.campaign.recipients == 5  # four people and the operator, each once
    assert stats.by_status == {"pending": 5}


async def test_cancelling_stops_a_fan_out_half_way(database, operator, monkeypatch):
    monkeypatch.setattr("backend_client.sql.campaigns.FAN_OUT_CHUNK", 2)
    for n in range(4):
        await person(database.records, f"p{n}")
    campaign = await database.broadcasts.create_campaign(operator, news())
    await database.broadcasts._fan_out_step(campaign.id)
    assert await database.broadcasts.cancel_campaign(operator, campaign.id) == 2
    assert await database.broadcasts.start_due_campaigns() == []
    stats = await database.broadcasts.campaign(operator, campaign.id)
    assert stats is not None
    assert stats.by_status == {"cancelled": 2}
