"""The slots operators publish, and what the booking reminders read.

An import is keyed by (municipality, service, start): a new slot gets its seats; a slot imported again
with another capacity gains seats or loses its free ones above the new capacity (a seat someone holds is
never taken from them). Removing a slot removes its seats (the reminder rule then wants nothing for it)
and, in the same transaction, puts a notice for each person who held a seat into the outbox.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy import and_, delete, func, insert, select, update

from backend_client.graduates.centres import BookingReminder, Service, Slot, SlotImport, SlotRow
from backend_client.outreach import Category, Notice, Priority
from backend_client.sql.enqueue import enqueue_in
from backend_client.sql.graduates.rows import slot_from, slots_query
from backend_client.sql.graduates.tables import centre_seats, centre_slots
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.infra.engine import DbConnection


class SqlCentreSlots(SqlUseCases):
    """``backend_client.ports.CentreSlots`` and ``CentreReminderSources``."""

    async def import_slots(self, rows: Iterable[SlotRow]) -> SlotImport:
        counts = {"added": 0, "changed": 0, "unchanged": 0}
        now = self._clock.now()
        async with self._engine.begin() as connection:
            for row in rows:
                counts[await _import_one(connection, row, now)] += 1
        return SlotImport(**counts)

    async def slots(self, *, municipality: str | None = None, since: datetime | None = None) -> list[Slot]:
        query = slots_query().order_by(centre_slots.c.starts_at, centre_slots.c.id)
        if municipality is not None:
            query = query.where(centre_slots.c.municipality == municipality)
        if since is not None:
            query = query.where(centre_slots.c.starts_at >= since)
        async with self._quick.connect() as connection:
            return [slot_from(row) for row in await connection.execute(query)]

    async def remove_slot(self, slot_id: int, *, told: Callable[[Slot], str] | None = None) -> int | None:
        async with self._engine.begin() as connection:
            found = (await connection.execute(slots_query().where(centre_slots.c.id == slot_id))).first()
            if found is None:
                return None
            holders = await connection.execute(
                select(centre_seats.c.person_id)
                .where(centre_seats.c.slot_id == slot_id, centre_seats.c.person_id.is_not(None))
                .order_by(centre_seats.c.person_id)
            )
            people = [int(row.person_id) for row in holders]
            if told is not None and people:
                # Told with the removal itself: a notice per person held, keyed so it is once only.
                now, text = self._clock.now(), told(slot_from(found))
                await enqueue_in(
                    connection, [_removed_notice(slot_id, person, text, now) for person in people], now
                )
            await connection.execute(delete(centre_seats).where(centre_seats.c.slot_id == slot_id))
            await connection.execute(delete(centre_slots).where(centre_slots.c.id == slot_id))
            return len(people) if told is not None else 0

    async def booking_reminders(self, *, starting_before: datetime) -> list[BookingReminder]:
        query = (
            select(
                centre_seats.c.person_id,
                centre_seats.c.slot_id,
                centre_seats.c.seat,
                centre_seats.c.version,
                centre_seats.c.booked_at,
                centre_slots.c.municipality,
                centre_slots.c.service,
                centre_slots.c.starts_at,
            )
            .select_from(centre_seats.join(centre_slots, centre_slots.c.id == centre_seats.c.slot_id))
            .where(
                centre_seats.c.person_id.is_not(None),
                centre_slots.c.starts_at > self._clock.now(),
                centre_slots.c.starts_at < starting_before,
            )
            .order_by(centre_slots.c.starts_at, centre_seats.c.slot_id, centre_seats.c.seat)
        )
        async with self._quick.connect() as connection:
            return [
                BookingReminder(
                    person_id=int(row.person_id),
                    slot_id=int(row.slot_id),
                    seat=int(row.seat),
                    version=int(row.version),
                    municipality=row.municipality,
                    service=Service(row.service),
                    starts_at=row.starts_at,
                    booked_at=row.booked_at,
                )
                for row in await connection.execute(query)
            ]


def _removed_notice(slot_id: int, person_id: int, text: str, now: datetime) -> Notice:
    return Notice(
        key=f"centre-removed:{slot_id}:{person_id}",
        person_id=person_id,
        category=Category.REMINDERS,
        text=text,
        not_before=now,
        priority=Priority.HIGH,
    )


async def _import_one(connection: DbConnection, row: SlotRow, now: datetime) -> str:
    same = and_(
        centre_slots.c.municipality == row.municipality,
        centre_slots.c.service == row.service.value,
        centre_slots.c.starts_at == row.starts_at,
    )
    found = (await connection.execute(select(centre_slots.c.id, centre_slots.c.capacity).where(same))).first()
    if found is None:
        slot_id = (
            await connection.execute(
                insert(centre_slots)
                .values(
                    municipality=row.municipality,
                    service=row.service.value,
                    starts_at=row.starts_at,
                    capacity=row.capacity,
                    imported_at=now,
                )
                .returning(centre_slots.c.id)
            )
        ).scalar_one()
        await _add_seats(connection, int(slot_id), 1, row.capacity)
        return "added"
    slot_id, capacity = int(found.id), int(found.capacity)
    if capacity == row.capacity:
        return "unchanged"
    if row.capacity > capacity:
        await _add_seats(connection, slot_id, capacity + 1, row.capacity)
    else:
        await connection.execute(
            delete(centre_seats).where(
                centre_seats.c.slot_id == slot_id,
                centre_seats.c.seat > row.capacity,
                centre_seats.c.person_id.is_(None),
            )
        )
    kept = (
        await connection.execute(select(func.count()).where(centre_seats.c.slot_id == slot_id))
    ).scalar_one()
    await connection.execute(
        update(centre_slots).where(centre_slots.c.id == slot_id).values(capacity=kept, imported_at=now)
    )
    return "changed"


async def _add_seats(connection: DbConnection, slot_id: int, first: int, last: int) -> None:
    await connection.execute(
        insert(centre_seats),
        [
            {"slot_id": slot_id, "seat": seat, "person_id": None, "version": 0}
            for seat in range(first, last + 1)
        ],
    )
