"""Booking a seat at the employment centre: the database decides who gets the last one.

A booking takes the lowest free seat of the slot with one conditional UPDATE (``person_id IS NULL`` is
checked again on the row it changes); on PostgreSQL the seat is chosen with ``FOR UPDATE SKIP LOCKED``
so concurrent bookers take different seats instead of queueing on one, on SQLite the one writer
serialises them. No free seat: SlotFull, nothing written. The unique index on ``person_id`` keeps one seat
per person. Each change is keyed by its press (``presses.py``): a repeat answers without acting.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, select, update
from sqlalchemy.exc import IntegrityError

from backend_client.errors import ConsentRequired
from backend_client.graduates.centres import (
    AlreadyBooked,
    Booking,
    NoBooking,
    Service,
    Slot,
    SlotFull,
    SlotGone,
)
from backend_client.models import ConsentStatus
from backend_client.sql.graduates.rows import booking_from, booking_query, slot_from, slots_query
from backend_client.sql.graduates.tables import centre_seats, centre_slots
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.infra.presses import earlier_result, effect_key, remember


class SqlCentreBookings(SqlUseCases):
    """``backend_client.ports.CentreBookings``."""

    async def open_slots(self, municipality: str, service: Service, *, limit: int = 8) -> list[Slot]:
        query = (
            slots_query()
            .where(
                centre_slots.c.municipality == municipality,
                centre_slots.c.service == service.value,
                centre_slots.c.starts_at > self._clock.now(),
            )
            .order_by(centre_slots.c.starts_at, centre_slots.c.id)
        )
        async with self._quick.connect() as connection:
            found = [slot_from(row) for row in await connection.execute(query)]
        return [slot for slot in found if slot.free > 0][:limit]

    async def booking(self, person_id: int) -> Booking | None:
        async with self._quick.connect() as connection:
            return await booking_in(connection, person_id)

    async def book(self, person_id: int, slot_id: int, *, press: str = "") -> Booking:
        try:
            return await self._change(person_id, slot_id, press, moving=False)
        except IntegrityError:  # another press of theirs took a seat meanwhile
            raise AlreadyBooked(str(person_id)) from None

    async def move_booking(self, person_id: int, slot_id: int, *, press: str = "") -> Booking:
        return await self._change(person_id, slot_id, press, moving=True)

    async def _change(self, person_id: int, slot_id: int, press: str, *, moving: bool) -> Booking:
        now = self._clock.now()
        async with self._engine.begin() as connection:
            person = await self._person(connection, person_id, lock=True)
            if person.consent is not ConsentStatus.GRANTED:
                raise ConsentRequired(str(person_id))
            key = effect_key("centre_move" if moving else "centre_book", press)
            if await earlier_result(connection, key, now) is None:
                current = await _upcoming_in(connection, person_id, now)
                if moving and current is None:
                    raise NoBooking(str(person_id))
                if not moving and current is not None:
                    raise AlreadyBooked(str(person_id))
                await _check_slot(connection, slot_id, now)
                if current is not None and current.slot.id == slot_id:
                    return current  # moved to where it is: nothing to do
                await _free(connection, person_id)  # the current seat, or one whose day has passed
                await _take(connection, person_id, slot_id, now)
                await remember(connection, key, slot_id)
                action = "centre.move" if moving else "centre.book"
                await self._audit(connection, action, actor=person_id, subject=person_id, slot=str(slot_id))
            booking = await booking_in(connection, person_id)
        if booking is None:  # a repeated press after a cancellation
            raise NoBooking(str(person_id))
        return booking

    async def cancel_booking(self, person_id: int, *, press: str = "") -> bool:
        now = self._clock.now()
        async with self._engine.begin() as connection:
            await self._person(connection, person_id, lock=True)
            key = effect_key("centre_cancel", press)
            if await earlier_result(connection, key, now) is not None:
                return False
            freed = await _free(connection, person_id)
            await remember(connection, key, int(freed))
            if freed:
                await self._audit(connection, "centre.cancel", actor=person_id, subject=person_id)
            return freed


async def booking_in(connection: DbConnection, person_id: int) -> Booking | None:
    row = (await connection.execute(booking_query().where(centre_seats.c.person_id == person_id))).first()
    return booking_from(row) if row is not None else None


async def _upcoming_in(connection: DbConnection, person_id: int, now: datetime) -> Booking | None:
    """The person's booking unless its time has passed: a past appointment blocks no new one."""
    booking = await booking_in(connection, person_id)
    return booking if booking is not None and booking.slot.starts_at > now else None


async def _check_slot(connection: DbConnection, slot_id: int, now: datetime) -> None:
    starts = (
        await connection.execute(select(centre_slots.c.starts_at).where(centre_slots.c.id == slot_id))
    ).scalar()
    if starts is None or starts <= now:
        raise SlotGone(str(slot_id))


async def _free(connection: DbConnection, person_id: int) -> bool:
    freed = await connection.execute(
        update(centre_seats)
        .where(centre_seats.c.person_id == person_id)
        .values(person_id=None, booked_at=None)
    )
    return bool(freed.rowcount)


async def _take(connection: DbConnection, person_id: int, slot_id: int, now: datetime) -> None:
    """The lowest free seat of the slot, or SlotFull (the whole transaction is rolled back)."""
    free = and_(centre_seats.c.slot_id == slot_id, centre_seats.c.person_id.is_(None))
    seat = select(centre_seats.c.seat).where(free).order_by(centre_seats.c.seat).limit(1)
    if connection.dialect.name == "postgresql":
        seat = seat.with_for_update(skip_locked=True)
    taken = await connection.execute(
        update(centre_seats)
        .where(free, centre_seats.c.seat == seat.scalar_subquery())
        .values(person_id=person_id, booked_at=now, version=centre_seats.c.version + 1)
    )
    if not taken.rowcount:
        raise SlotFull(str(slot_id))
