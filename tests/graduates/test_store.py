"""The graduates' store over SQLite and PostgreSQL: answers saved whole and re-scored, once per press;
slots imported, a seat per person, the booking race decided by the database, move and cancel, erasure."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from backend_client.errors import ConsentRequired
from backend_client.graduates.centres import (
    AlreadyBooked,
    NoBooking,
    Service,
    Slot,
    SlotFull,
    SlotGone,
    SlotRow,
)
from backend_client.graduates.survey import BadAnswers, Question
from backend_client.models import AgeBand, Role
from backend_client.outreach import Category
from backend_client.sql.tables import outbox
from tests.contract.test_records import adult

SAMARA = "36401"
AT_RISK = {
    "plans": "work",
    "job": "none",
    "search": "none",
    "demand": "low",
    "move": "no",
    "experience": "none",
    "practice": "none",
    "support": "consultation",
}


async def slot(database, clock, *, hours: int = 48, capacity: int = 2, service=Service.CONSULTATION) -> int:
    at = clock.now() + timedelta(hours=hours)
    await database.graduates.import_slots([SlotRow(SAMARA, service, at, capacity)])
    [found] = [s for s in await database.graduates.slots() if s.starts_at == at and s.service is service]
    return found.id


async def test_answers_are_saved_whole_and_re_scored(database):
    person = await adult(database.records, "g1")
    store = database.graduates
    saved = await store.save_survey(person.id, AT_RISK, press="p1")
    assert saved.version == 1
    assert saved.answers[Question.PLANS] == "work"
    again = await store.save_survey(person.id, {**AT_RISK, "search": "active"}, press="p1")  # a repeat
    assert again.version == 1
    assert again.answers[Question.SEARCH] == "none"
    changed = await store.save_survey(person.id, {"plans": "army", "support": "none"}, press="p2")
    assert changed.version == 2
    assert changed.answers == {Question.PLANS: "army", Question.SUPPORT: "none"}
    export = await database.records.export(person.id)
    assert export["graduate_survey"]["band"] == "deferred"
    assert [h["band"] for h in export["graduate_survey"]["history"]] == ["high", "deferred"]
    assert await store.delete_survey(person.id) is True
    assert await store.survey(person.id) is None
    assert await store.delete_survey(person.id) is False


@pytest.mark.parametrize(
    "answers",
    [
        {**AT_RISK, "search": "sometimes"},  # a code out of range
        {**AT_RISK, "mood": "fine"},  # a question that does not exist
        {"plans": "work", "job": "none"},  # unfinished
        {"plans": "army", "support": "none", "job": "none"},  # a question off the route
    ],
)
async def test_bad_answers_write_nothing(database, answers):
    person = await adult(database.records, "g2")
    await database.graduates.save_survey(person.id, AT_RISK)
    with pytest.raises(BadAnswers):
        await database.graduates.save_survey(person.id, answers)
    saved = await database.graduates.survey(person.id)
    assert saved is not None
    assert saved.version == 1


async def test_answers_need_consent(database):
    person = await database.records.identify("test", "g3", "g3")
    await database.records.choose_role(person.id, Role.GRADUATE, AgeBand.ADULT)
    with pytest.raises(ConsentRequired):
        await database.graduates.save_survey(person.id, AT_RISK)


async def test_import_is_keyed_by_place_service_and_time(database, clock):
    store = database.graduates
    at = clock.now() + timedelta(days=3)
    row = SlotRow(SAMARA, Service.PROFILING, at, 3)
    first = await store.import_slots([row, SlotRow(SAMARA, Service.TRAINING, at, 1)])
    assert (first.added, first.changed, first.unchanged) == (2, 0, 0)
    again = await store.import_slots([row, SlotRow(SAMARA, Service.TRAINING, at, 2)])
    assert (again.added, again.changed, again.unchanged) == (0, 1, 1)
    assert sorted(s.capacity for s in await store.slots(municipality=SAMARA)) == [2, 3]


async def test_book_move_cancel_once_per_press(database, clock):
    store = database.graduates
    person = await adult(database.records, "b1")
    first, second = await slot(database, clock, hours=30), await slot(database, clock, hours=50)
    booking = await store.book(person.id, first, press="x")
    assert (booking.slot.id, booking.seat, booking.slot.taken) == (first, 1, 1)
    assert (await store.book(person.id, first, press="x")).slot.id == first  # the repeat: same answer
    with pytest.raises(AlreadyBooked):
        await store.book(person.id, second, press="y")
    moved = await store.move_booking(person.id, second, press="m")
    assert moved.slot.id == second
    assert moved.version == 1
    assert [s.taken for s in await store.slots()] == [0, 1]
    assert await store.cancel_booking(person.id, press="c") is True
    assert await store.cancel_booking(person.id, press="c") is False
    assert await store.booking(person.id) is None
    with pytest.raises(NoBooking):
        await store.move_booking(person.id, first, press="m2")


async def test_full_and_vanished_slots_change_nothing(database, clock):
    store = database.graduates
    one = await slot(database, clock, capacity=1)
    other = await slot(database, clock, hours=60, capacity=1)
    taker, late = await adult(database.records, "f1"), await adult(database.records, "f2")
    await store.book(taker.id, one)
    with pytest.raises(SlotFull):
        await store.book(late.id, one)
    await store.book(late.id, other)
    with pytest.raises(SlotFull):  # moving into a full slot keeps the seat they had
        await store.move_booking(late.id, one)
    assert (await store.booking(late.id)).slot.id == other
    assert await store.remove_slot(other) == 0  # no text given: nobody told
    assert await store.booking(late.id) is None
    with pytest.raises(SlotGone):
        await store.book(late.id, other)
    clock.advance(timedelta(days=3))  # the slot has started: no longer bookable, nor a booking to move
    with pytest.raises(NoBooking):
        await store.move_booking(taker.id, one)
    with pytest.raises(SlotGone):
        await store.book(taker.id, one)


async def test_two_hundred_people_for_twenty_seats(database, clock):
    store = database.graduates
    slots = [await slot(database, clock, hours=24 + i, capacity=2) for i in range(10)]
    people = [await adult(database.records, f"r{i}") for i in range(200)]

    async def book(index: int) -> bool:
        try:
            await store.book(people[index].id, slots[index % 10], press=f"race{index}")
        except SlotFull:
            return False
        return True

    won = await asyncio.gather(*(book(i) for i in range(200)))
    assert sum(won) == 20
    assert [s.taken for s in await store.slots()] == [2] * 10
    holders = [b for p in people if (b := await store.booking(p.id)) is not None]
    assert len(holders) == 20
    assert len({(b.slot.id, b.seat) for b in holders}) == 20


async def test_erasure_frees_the_seat(database, clock):
    one = await slot(database, clock, capacity=1)
    person = await adult(database.records, "e1")
    await database.graduates.save_survey(person.id, AT_RISK)
    await database.graduates.book(person.id, one)
    await database.records.erase(person.id, reason="test")
    [left] = await database.graduates.slots()
    assert left.taken == 0
    other = await adult(database.records, "e2")
    assert (await database.graduates.book(other.id, one)).seat == 1


async def test_removing_a_slot_tells_each_person_booked_once(database, clock):
    """The operator withdraws a slot: everyone who held a seat gets one notice, in the same transaction."""
    store = database.graduates
    gone = await slot(database, clock, capacity=2)
    booked, elsewhere = await adult(database.records, "r1"), await adult(database.records, "r2")
    await store.book(booked.id, gone)
    await store.book(elsewhere.id, await slot(database, clock, hours=72))
    said: list[int] = []

    def told(removed: Slot) -> str:
        said.append(removed.id)
        return f"slot {removed.id} {removed.service.value} removed"

    assert await store.remove_slot(gone, told=told) == 1
    assert said == [gone]
    async with database.engine.connect() as connection:
        found = (
            await connection.execute(
                select(outbox.c.key, outbox.c.person_id, outbox.c.category, outbox.c.text).where(
                    outbox.c.key.startswith("centre-removed:")
                )
            )
        ).all()
    assert [(row.key, row.person_id, row.category, row.text) for row in found] == [
        (
            f"centre-removed:{gone}:{booked.id}|test",
            booked.id,
            Category.REMINDERS.value,
            f"slot {gone} consultation removed",
        )
    ]
    assert await store.remove_slot(gone, told=told) is None  # a second removal finds nothing, adds nothing
    async with database.engine.connect() as connection:
        count = select(func.count()).select_from(outbox).where(outbox.c.key.startswith("centre-removed:"))
        assert (await connection.execute(count)).scalar_one() == 1
