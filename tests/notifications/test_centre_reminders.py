"""Reminders of a centre booking on a manual clock, over SQLite and PostgreSQL: the day before at 18:00
and two hours before; a moved booking moves them, a cancelled one or a withdrawn slot withdraws them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backend_client.graduates.centres import Service, SlotRow
from notifications.moments import resolve
from notifications.rules import apply_rule
from notifications.rules.centre_reminders import CentreRemindersRule
from tests.contract.test_records import adult
from tests.notifications.test_event_reminders import rows

SAMARA = ZoneInfo("Europe/Samara")
MONDAY_NOON = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 12:00 in Samara
WEDNESDAY_10 = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)  # 10:00 in Samara
TOGLIATTI = "36440"


@pytest.fixture
def rule(database) -> CentreRemindersRule:
    return CentreRemindersRule(database.graduates, SAMARA)


async def slots(database, *starts: datetime) -> list[int]:
    rows_ = [SlotRow(TOGLIATTI, Service.PROFILING, at, 3) for at in starts]
    await database.graduates.import_slots(rows_)
    found = {slot.starts_at: slot.id for slot in await database.graduates.slots()}
    return [found[at] for at in starts]


async def test_the_day_before_and_two_hours_before(database, rule, clock):
    clock.set(MONDAY_NOON)
    [slot] = await slots(database, WEDNESDAY_10)
    person = await adult(database.records, "c1")
    booking = await database.graduates.book(person.id, slot)
    run = await apply_rule(rule, database.outbox, clock.now())
    assert run.enqueued == 2
    base = f"centre:{slot}:{booking.seat}:v1:{person.id}"
    found = await rows(database, "centre:")
    assert set(found) == {f"{base}:eve", f"{base}:soon"}
    status, at, text = found[f"{base}:eve"]
    assert (status, at) == ("pending", datetime(2026, 11, 24, 14, 0, tzinfo=UTC))  # Tuesday 18:00 local
    assert resolve(text, at, SAMARA).startswith("📅 Напоминаю: завтра в 10:00 — приём в центре занятости")
    assert "Профориентация и профилирование" in text
    assert "г. о. Тольятти" in text
    soon_at = found[f"{base}:soon"][1]
    assert soon_at == datetime(2026, 11, 25, 4, 0, tzinfo=UTC)  # 08:00 local
    assert resolve(found[f"{base}:soon"][2], soon_at, SAMARA).startswith("⏰ Сегодня в 10:00")
    assert (await apply_rule(rule, database.outbox, clock.now())).enqueued == 0  # idempotent


async def test_a_moved_booking_moves_its_reminders(database, rule, clock):
    clock.set(MONDAY_NOON)
    first, later = await slots(database, WEDNESDAY_10, WEDNESDAY_10 + timedelta(hours=1))
    person = await adult(database.records, "c2")
    await database.graduates.book(person.id, first)
    await apply_rule(rule, database.outbox, clock.now())
    moved = await database.graduates.move_booking(person.id, later)
    run = await apply_rule(rule, database.outbox, clock.now())
    assert (run.enqueued, run.withdrawn) == (2, 2)
    found = await rows(database, "centre:")
    pending = {key for key, (status, _, _) in found.items() if status == "pending"}
    base = f"centre:{later}:{moved.seat}:v1:{person.id}"
    assert pending == {f"{base}:eve", f"{base}:soon"}
    assert found[f"{base}:soon"][1] == datetime(2026, 11, 25, 5, 0, tzinfo=UTC)  # 09:00 local


async def test_cancelled_or_withdrawn_want_nothing(database, rule, clock):
    clock.set(MONDAY_NOON)
    one, other = await slots(database, WEDNESDAY_10, WEDNESDAY_10 + timedelta(hours=1))
    leaving, staying = await adult(database.records, "c3"), await adult(database.records, "c4")
    await database.graduates.book(leaving.id, one)
    await database.graduates.book(staying.id, other)
    assert (await apply_rule(rule, database.outbox, clock.now())).enqueued == 4
    await database.graduates.cancel_booking(leaving.id)
    await database.graduates.remove_slot(other)
    run = await apply_rule(rule, database.outbox, clock.now())
    assert (run.enqueued, run.withdrawn) == (0, 4)
    # booked again later: the seat's new version gets reminders of its own, the withdrawn ones stay so
    clock.set(MONDAY_NOON + timedelta(hours=1))
    again = await database.graduates.book(leaving.id, one)
    assert again.version == 2
    assert (await apply_rule(rule, database.outbox, clock.now())).enqueued == 2


async def test_late_bookings_and_far_slots(database, rule, clock):
    clock.set(datetime(2026, 11, 25, 3, 0, tzinfo=UTC))  # Wednesday 07:00, three hours before
    [soon, far] = await slots(database, WEDNESDAY_10, WEDNESDAY_10 + timedelta(days=7))
    first, second = await adult(database.records, "c5"), await adult(database.records, "c6")
    await database.graduates.book(first.id, soon)
    await database.graduates.book(second.id, far)
    await apply_rule(rule, database.outbox, clock.now())
    found = await rows(database, "centre:")
    assert [key.rpartition(":")[2] for key in found] == ["soon"]  # no eve for a late booking; far waits
    clock.set(WEDNESDAY_10 + timedelta(minutes=1))  # started: wanted no more, nothing withdrawn unsent
    assert (await apply_rule(rule, database.outbox, clock.now())).enqueued == 0
