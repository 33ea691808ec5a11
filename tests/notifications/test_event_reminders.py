"""Event reminders follow the records: eve and two-hour reminders to the person and their parents, new
keys when the event moves, nothing after a cancelled sign-up, one notice when the event is cancelled, and
the relay's quiet hours and category choices on top."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from backend_client.broadcasts import CLI
from backend_client.events import EventDraft, EventKind
from backend_client.models import AgeBand, InvitePurpose, Role
from backend_client.outreach import Category, DeliveryMode
from backend_client.sql.tables import outbox
from notifications.moments import resolve
from notifications.rules import RuleRun, apply_rule
from notifications.rules.event_reminders import EventRemindersRule
from tests.notifications.test_relay import drain, emulator, member, relay  # noqa: F401  (fixtures)

SAMARA = ZoneInfo("Europe/Samara")
MONDAY_NOON = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 12:00 in Samara
WEDNESDAY_10 = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)  # 10:00 in Samara


def draft(start: datetime = WEDNESDAY_10) -> EventDraft:
    return EventDraft(
        kind=EventKind.EXCURSION,
        title="Как собирают автомобиль",
        organisation="Автозавод",
        municipality="36440",
        address="Южное шоссе, 36",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=10,
    )


async def family(records, account: str = "kid", parent_account: str = "mum") -> tuple[int, int]:
    """A 15-year-old pupil named Аня and a linked parent, both consenting."""
    child = await records.identify("test", account, account)
    await records.choose_role(child.id, Role.PUPIL, AgeBand.MINOR)
    await records.give_own_consent(child.id, version="v1", channel="test")
    await records.save_profile(child.id, {"display_name": "Аня"})
    parent = await records.identify("test", parent_account, parent_account)
    await records.choose_role(parent.id, Role.PARENT, AgeBand.ADULT)
    await records.give_own_consent(parent.id, version="v1", channel="test")
    invite = await records.create_invite(child.id, InvitePurpose.LINK, timedelta(days=7))
    await records.answer_invite(invite.code, parent.id, accept=True, version="v1", channel="test")
    return int(child.id), int(parent.id)


async def telegram_parent(database, emulator, user_id: int) -> int:  # noqa: F811
    emulator.user(user_id, started=True)
    person = await database.records.identify("telegram", str(user_id), str(user_id))
    await database.records.choose_role(person.id, Role.PARENT, AgeBand.ADULT)
    await database.records.give_own_consent(person.id, version="v1", channel="telegram")
    return int(person.id)


@pytest.fixture
def rule(database) -> EventRemindersRule:
    return EventRemindersRule(database.events, SAMARA)


async def rows(database, prefix: str = "event:") -> dict[str, tuple[str, datetime, str]]:
    """Outbox rows under ``prefix``: notice key -> (status, not_before, text)."""
    async with database.engine.connect() as connection:
        found = await connection.execute(
            select(outbox.c.key, outbox.c.status, outbox.c.not_before, outbox.c.text).where(
                outbox.c.key.startswith(prefix)
            )
        )
        return {row.key.rpartition("|")[0]: (row.status, row.not_before, row.text) for row in found}


async def test_eve_and_soon_reminders_reach_the_person_and_the_parent(database, rule, clock):
    records = database.records
    clock.set(MONDAY_NOON)
    child, parent = await family(records)
    event = await records.create_event(CLI, draft())
    await records.sign_up(child, event.id)
    run = await apply_rule(rule, database.outbox, clock.now())
    assert run.enqueued == 4
    base = f"event:{event.id}:v1"
    found = await rows(database)
    assert set(found) == {
        f"{base}:eve:{child}:{child}",
        f"{base}:eve:{child}:{parent}",
        f"{base}:soon:{child}:{child}",
        f"{base}:soon:{child}:{parent}",
    }
    status, at, text = found[f"{base}:eve:{child}:{child}"]
    assert (status, at) == ("pending", datetime(2026, 11, 24, 14, 0, tzinfo=UTC))  # Tuesday 18:00 local
    # the day is worded when it is sent: at Tuesday 18:00 the Wednesday event is «завтра»
    assert resolve(text, at, SAMARA).startswith("🔔 Завтра в 10:00: Профтур «Как собирают автомобиль»")
    assert "ср, 25 ноября, 10:00–12:00" in text
    assert found[f"{base}:soon:{child}:{child}"][1] == datetime(2026, 11, 25, 4, 0, tzinfo=UTC)  # 08:00
    assert "Аня идёт на мероприятие" in found[f"{base}:eve:{child}:{parent}"][2]
    assert (await apply_rule(rule, database.outbox, clock.now())).enqueued == 0  # idempotent


async def test_a_moved_event_gets_new_reminders_and_the_old_ones_are_withdrawn(database, rule, clock):
    records = database.records
    clock.set(MONDAY_NOON)
    child, parent = await family(records)
    event = await records.create_event(CLI, draft())
    await records.sign_up(child, event.id)
    await apply_rule(rule, database.outbox, clock.now())
    await records.move_event(CLI, event.id, WEDNESDAY_10 + timedelta(hours=1))
    run = await apply_rule(rule, database.outbox, clock.now())
    assert (run.enqueued, run.withdrawn) == (4, 4)
    found = await rows(database)
    assert {key for key, (status, _, _) in found.items() if status == "cancelled"} == {
        f"event:{event.id}:v1:{stage}:{child}:{who}" for stage in ("eve", "soon") for who in (child, parent)
    }
    pending = {key: at for key, (status, at, _) in found.items() if status == "pending"}
    assert pending[f"event:{event.id}:v2:soon:{child}:{child}"] == datetime(2026, 11, 25, 5, 0, tzinfo=UTC)
    assert len(pending) == 4


async def test_no_reminder_after_the_sign_up_is_cancelled(database, rule, clock):
    records = database.records
    clock.set(MONDAY_NOON)
    child, _ = await family(records)
    other, _ = await family(records, "kid2", "dad")
    event = await records.create_event(CLI, draft())
    await records.sign_up(child, event.id)
    await records.sign_up(other, event.id)
    await apply_rule(rule, database.outbox, clock.now())
    await records.cancel_signup(other, event.id)
    run = await apply_rule(rule, database.outbox, clock.now())
    assert (run.enqueued, run.withdrawn) == (0, 4)
    wanted = await database.outbox.pending_keys("event:")
    assert wanted
    assert all(f":{other}:" not in key for key in wanted)


async def test_a_cancelled_event_withdraws_reminders_and_tells_each_person_once(database, rule, clock):
    records = database.records
    clock.set(MONDAY_NOON)
    child, parent = await family(records)
    event = await records.create_event(CLI, draft())
    await records.sign_up(child, event.id)
    await apply_rule(rule, database.outbox, clock.now())
    clock.advance(timedelta(hours=1))
    await records.cancel_event(CLI, event.id)
    run = await apply_rule(rule, database.outbox, clock.now())
    assert (run.enqueued, run.withdrawn) == (2, 4)
    pending = {
        key: (at, text) for key, (status, at, text) in (await rows(database)).items() if status == "pending"
    }
    assert set(pending) == {f"event:{event.id}:cancelled:{child}:{who}" for who in (child, parent)}
    at, text = pending[f"event:{event.id}:cancelled:{child}:{child}"]
    assert at == clock.now()
    assert text.startswith("❌ Мероприятие отменено")
    assert "Аня" in pending[f"event:{event.id}:cancelled:{child}:{parent}"][1]
    assert (await apply_rule(rule, database.outbox, clock.now())).enqueued == 0


async def test_late_sign_ups_get_the_eve_reminder_at_once_or_only_the_two_hour_one(database, rule, clock):
    records = database.records
    child, _ = await family(records)
    late, _ = await family(records, "kid2", "dad")
    event = await records.create_event(CLI, draft())
    clock.set(datetime(2026, 11, 24, 16, 0, tzinfo=UTC))  # Tuesday 20:00 local, after the eve moment
    await records.sign_up(child, event.id)
    clock.set(datetime(2026, 11, 25, 3, 0, tzinfo=UTC))  # Wednesday 07:00, three hours before
    await records.sign_up(late, event.id)
    await apply_rule(rule, database.outbox, clock.now())
    found = await rows(database)
    assert found[f"event:{event.id}:v1:eve:{child}:{child}"][1] == datetime(2026, 11, 24, 16, 0, tzinfo=UTC)
    assert f"event:{event.id}:v1:eve:{late}:{late}" not in found
    assert f"event:{event.id}:v1:soon:{late}:{late}" in found


async def test_events_far_ahead_wait_and_started_ones_want_nothing(database, rule, clock):
    records = database.records
    clock.set(MONDAY_NOON)
    child, _ = await family(records)
    far = await records.create_event(CLI, draft(WEDNESDAY_10 + timedelta(days=7)))
    await records.sign_up(child, far.id)
    assert (await apply_rule(rule, database.outbox, clock.now())).enqueued == 0
    clock.set(WEDNESDAY_10 + timedelta(days=5, minutes=1))  # two days before the start
    assert (await apply_rule(rule, database.outbox, clock.now())).enqueued == 4
    clock.set(WEDNESDAY_10 + timedelta(days=7, minutes=1))
    # No relay ran here: what had not gone by the start is withdrawn, and nothing new is made.
    assert await apply_rule(rule, database.outbox, clock.now()) == RuleRun(enqueued=0, withdrawn=4)


async def test_through_the_relay_the_minor_waits_for_the_morning_and_a_switched_off_parent_gets_none(
    database,
    emulator,  # noqa: F811  (the fixture imported above)
    relay,  # noqa: F811
    clock,
):
    records = database.records
    child = await member(database, emulator, 601, AgeBand.MINOR)
    parent = await telegram_parent(database, emulator, 602)
    invite = await records.create_invite(child, InvitePurpose.LINK, timedelta(days=7))
    await records.answer_invite(invite.code, parent, accept=True, version="v1", channel="telegram")
    other_parent = await telegram_parent(database, emulator, 603)
    invite = await records.create_invite(child, InvitePurpose.LINK, timedelta(days=7))
    await records.answer_invite(invite.code, other_parent, accept=True, version="v1", channel="telegram")
    await records.set_delivery_mode(other_parent, Category.EVENTS, DeliveryMode.OFF)
    event = await records.create_event(CLI, draft())  # Wednesday 10:00 local
    await records.sign_up(child, event.id)
    await apply_rule(EventRemindersRule(database.events, SAMARA), database.outbox, clock.now())

    def firsts(chat: int) -> list[str]:
        return [m["text"].split("\n")[0] for m in emulator.transcript(chat)]

    clock.set(datetime(2026, 11, 24, 14, 0, tzinfo=UTC))  # Tuesday 18:00 local
    await drain(relay, clock, rounds=3)
    assert [line for line in firsts(601) if line.startswith("🔔")] == [
        "🔔 Завтра в 10:00: Профтур «Как собирают автомобиль»"
    ]
    assert firsts(602)[-1].startswith("🔔 Завтра в 10:00 ваш ребёнок идёт на мероприятие")
    assert "~stop:events" in str(emulator.transcript(602)[-1]["reply_markup"])
    clock.set(datetime(2026, 11, 25, 4, 0, tzinfo=UTC))  # Wednesday 08:00: the adult's night is over
    await drain(relay, clock, rounds=3)
    assert firsts(602)[-1].startswith("🔔 Скоро начало — сегодня в 10:00 ваш ребёнок")
    assert not any(line.startswith("🔔 Скоро начало") for line in firsts(601))  # a minor: 21:00-09:00
    clock.set(datetime(2026, 11, 25, 5, 0, tzinfo=UTC))  # 09:00
    await drain(relay, clock, rounds=3)
    assert firsts(601)[-1] == "🔔 Скоро начало — сегодня в 10:00: Профтур «Как собирают автомобиль»"
    assert emulator.transcript(603) == []  # this parent switched «Профтуры и профпробы» off
