"""Reading slots and seats: a slot with its taken seats counted, a booking with its slot."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, func, select

from backend_client.graduates.centres import Booking, Service, Slot
from backend_client.sql.graduates.tables import centre_seats, centre_slots

_TAKEN = (
    select(func.count())
    .where(centre_seats.c.slot_id == centre_slots.c.id, centre_seats.c.person_id.is_not(None))
    .correlate(centre_slots)
    .scalar_subquery()
    .label("taken")
)


def slots_query() -> Select[Any]:
    return select(*centre_slots.c, _TAKEN)


def slot_from(row: Any) -> Slot:
    return Slot(
        id=int(row.id),
        municipality=row.municipality,
        service=Service(row.service),
        starts_at=row.starts_at,
        capacity=int(row.capacity),
        taken=int(row.taken),
    )


def booking_query() -> Select[Any]:
    return select(
        *centre_slots.c,
        _TAKEN,
        centre_seats.c.seat,
        centre_seats.c.person_id,
        centre_seats.c.version,
        centre_seats.c.booked_at,
    ).select_from(centre_seats.join(centre_slots, and_(centre_slots.c.id == centre_seats.c.slot_id)))


def booking_from(row: Any) -> Booking:
    return Booking(
        person_id=int(row.person_id),
        slot=slot_from(row),
        seat=int(row.seat),
        version=int(row.version),
        booked_at=row.booked_at,
    )
