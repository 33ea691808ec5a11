"""Reminders that tell the truth, read as transcripts of what people get (issue 13).

Days are worded for the day a reminder actually goes (a reminder for later today says «сегодня», one held
from the night to the morning too); a moved event is announced once per move, «было … → стало …», to the
person and the linked parents; the contact time chosen in the profile holds what can wait and nothing
that cannot. Real outbox (SQLite and PostgreSQL), real aiogram client, the Bot API emulator, virtual time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backend_client.broadcasts import CLI
from backend_client.models import AgeBand, InvitePurpose
from backend_client.outreach import Category, Notice, Priority
from notifications.rules import apply_rule
from notifications.rules.event_reminders import EventRemindersRule
from tests.notifications.test_event_reminders import SAMARA, draft, telegram_parent
from tests.notifications.test_relay import drain, emulator, member, relay  # noqa: F401  (fixtures)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of November 2026 given in Samara time (UTC+4)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=SAMARA).astimezone(UTC)


def firsts(emulator, chat: int) -> list[str]:  # noqa: F811
    return [m["text"].split("\n")[0] for m in emulator.transcript(chat)]


async def sweep(database, clock) -> None:
    await apply_rule(EventRemindersRule(database.events, SAMARA), database.outbox, clock.now())


async def linked(database, child: int, parent: int) -> None:
    records = database.records
    invite = await records.create_invite(child, InvitePurpose.LINK, timedelta(days=7))
    await records.answer_invite(invite.code, parent, accept=True, version="v1", channel="telegram")


async def test_a_reminder_for_an_event_later_today_says_today(database, emulator, relay, clock):  # noqa: F811
    pupil = await member(database, emulator, 701)  # an adult student: no quiet hours at 09:00
    event = await database.records.create_event(CLI, draft(local(25, 16)))  # Wednesday 16:00
    clock.set(local(25, 9))  # Wednesday 09:00: more than six hours before, so the eve reminder goes now
    await database.records.sign_up(pupil, event.id)
    await sweep(database, clock)
    await drain(relay, clock, rounds=3)
    assert firsts(emulator, 701) == ["🔔 Сегодня в 16:00: Профтур «Как собирают автомобиль»"]


async def test_a_reminder_held_for_the_night_is_worded_for_the_morning_it_goes(
    database,
    emulator,  # noqa: F811
    relay,  # noqa: F811
    clock,
):
    child = await member(database, emulator, 702, AgeBand.MINOR)  # quiet 21:00-09:00
    event = await database.records.create_event(CLI, draft(local(25, 16)))  # Wednesday 16:00
    clock.set(local(24, 22))  # Tuesday 22:00: the eve reminder is due at once, but it is the minor's night
    await database.records.sign_up(child, event.id)
    await sweep(database, clock)
    await drain(relay, clock, rounds=3)
    assert emulator.transcript(702) == []
    clock.set(local(25, 9))
    await drain(relay, clock, rounds=3)
    assert firsts(emulator, 702) == ["🔔 Сегодня в 16:00: Профтур «Как собирают автомобиль»"]


async def test_the_eve_reminder_says_tomorrow_and_the_two_hour_one_says_today(
    database,
    emulator,  # noqa: F811
    relay,  # noqa: F811
    clock,
):
    person = await member(database, emulator, 703)
    event = await database.records.create_event(CLI, draft(local(26, 10)))  # Thursday 10:00
    clock.set(local(23, 12))
    await database.records.sign_up(person, event.id)
    clock.set(local(25, 17, 59))
    await sweep(database, clock)
    clock.set(local(25, 18))
    await drain(relay, clock, rounds=3)
    clock.set(local(26, 8))
    await drain(relay, clock, rounds=3)
    assert firsts(emulator, 703) == [
        "🔔 Завтра в 10:00: Профтур «Как собирают автомобиль»",
        "🔔 Скоро начало — сегодня в 10:00: Профтур «Как собирают автомобиль»",
    ]


async def test_a_moved_event_is_announced_once_per_move_to_the_person_and_the_parent(
    database,
    emulator,  # noqa: F811
    relay,  # noqa: F811
    clock,
):
    records = database.records
    child = await member(database, emulator, 704, AgeBand.MINOR)
    parent = await telegram_parent(database, emulator, 705)
    await linked(database, child, parent)
    await records.save_profile(child, {"display_name": "Злата"})
    event = await records.create_event(CLI, draft(local(25, 10)))  # Wednesday 10:00
    clock.set(local(23, 12))  # Monday noon
    await records.sign_up(child, event.id)
    await sweep(database, clock)
    clock.advance(timedelta(minutes=30))
    await records.move_event(CLI, event.id, local(27, 15))  # to Friday 15:00, beyond the reminders' horizon
    await sweep(database, clock)
    await sweep(database, clock)  # a sweep again enqueues nothing new
    await drain(relay, clock, rounds=3)
    [child_sees] = emulator.transcript(704)
    assert child_sees["text"].startswith("🔁 Мероприятие перенесено: Профтур «Как собирают автомобиль»")
    assert "Было: 25 ноября в 10:00 → стало: 27 ноября в 15:00" in child_sees["text"]
    [parent_sees] = emulator.transcript(705)
    assert parent_sees["text"].startswith("🔁 Перенесено мероприятие, на которое записан(а) Злата")
    assert "Было: 25 ноября в 10:00 → стало: 27 ноября в 15:00" in parent_sees["text"]
    # A second move is a second notice, and «было» is still what the person signed up for.
    await records.move_event(CLI, event.id, local(24, 14), address="ул. Новая, 1")
    await sweep(database, clock)
    await drain(relay, clock, rounds=3)
    assert len(emulator.transcript(704)) == 2
    assert (
        "Было: 25 ноября в 10:00, г. о. Тольятти, Южное шоссе, 36 → стало: завтра в 14:00, "
        "г. о. Тольятти, ул. Новая, 1"
    ) in emulator.transcript(704)[-1]["text"]
    await sweep(database, clock)
    await drain(relay, clock, rounds=3)
    assert len(emulator.transcript(704)) == len(emulator.transcript(705)) == 2


async def test_a_move_before_the_sign_up_is_not_announced(database, emulator, relay, clock):  # noqa: F811
    records = database.records
    person = await member(database, emulator, 706)
    event = await records.create_event(CLI, draft(local(25, 10)))
    clock.set(local(23, 12))
    await records.move_event(CLI, event.id, local(25, 11))
    clock.advance(timedelta(minutes=5))
    await records.sign_up(person, event.id)
    await sweep(database, clock)
    await drain(relay, clock, rounds=3)
    assert not any(line.startswith("🔁") for line in firsts(emulator, 706))


async def test_the_evening_contact_time_holds_what_can_wait_and_not_the_two_hour_reminder(
    database,
    emulator,  # noqa: F811
    relay,  # noqa: F811
    clock,
):
    records = database.records
    child = await member(database, emulator, 707, AgeBand.MINOR)
    parent = await telegram_parent(database, emulator, 708)
    await linked(database, child, parent)
    await records.save_profile(parent, {"display_name": "Ольга", "contact_time": "evening"})
    event = await records.create_event(CLI, draft(local(25, 10)))  # Wednesday 10:00
    clock.set(local(23, 12))
    await records.sign_up(child, event.id)
    await sweep(database, clock)
    news = Notice("news:1", parent, Category.NEWS, "Ярмарка вакансий в субботу", local(25, 8), Priority.BULK)
    await database.outbox.enqueue([news])
    clock.set(local(24, 18))
    await drain(relay, clock, rounds=3)  # Tuesday 18:00: inside «вечер (17–21)», the eve reminder goes
    assert firsts(emulator, 708) == [
        "🔔 Завтра в 10:00 ваш ребёнок идёт на мероприятие: Профтур «Как собирают автомобиль»"
    ]
    clock.set(local(25, 8))
    await drain(relay, clock, rounds=3)  # Wednesday 08:00: the two-hour reminder cannot wait for 17:00
    assert firsts(emulator, 708)[1:] == [
        "🔔 Скоро начало — сегодня в 10:00 ваш ребёнок идёт на мероприятие: "
        "Профтур «Как собирают автомобиль», адрес: г. о. Тольятти, Южное шоссе, 36"
    ]
    clock.set(local(25, 16, 59))
    await drain(relay, clock, rounds=3)
    assert len(emulator.transcript(708)) == 2  # the news waits for the evening
    clock.set(local(25, 17))
    await drain(relay, clock, rounds=3)
    assert firsts(emulator, 708)[-1] == "Ярмарка вакансий в субботу"


async def test_a_morning_contact_time_holds_the_eve_reminder_when_the_event_is_late_enough(
    database,
    emulator,  # noqa: F811
    relay,  # noqa: F811
    clock,
):
    records = database.records
    person = await member(database, emulator, 709)
    await records.save_profile(person, {"display_name": "Пётр", "contact_time": "morning"})
    late = await records.create_event(CLI, draft(local(25, 15)))  # Wednesday 15:00
    early = await records.create_event(CLI, draft(local(25, 10)))  # Wednesday 10:00
    clock.set(local(23, 12))
    await records.sign_up(person, late.id)
    await records.sign_up(person, early.id)
    clock.set(local(24, 18))
    await sweep(database, clock)
    await drain(relay, clock, rounds=3)
    # Tuesday 18:00: the early event's eve reminder cannot wait for 09:00 (due by 08:00); the late one can
    assert firsts(emulator, 709) == ["🔔 Завтра в 10:00: Профтур «Как собирают автомобиль»"]
    clock.set(local(25, 9))
    await drain(relay, clock, rounds=3)
    assert "🔔 Сегодня в 15:00: Профтур «Как собирают автомобиль»" in firsts(emulator, 709)
