"""«Мои данные»: the person's questionnaire answers (with their history) and their centre booking,
JSON-ready. ``EXPORT`` is what ``backend_client/sql/personal_data.py`` lists; erasure needs nothing here
(the answers cascade, the seat is freed: SET NULL)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from backend_client.sql.export import ExportSection, iso
from backend_client.sql.graduates.bookings import booking_in
from backend_client.sql.graduates.tables import graduate_survey_history, graduate_surveys
from backend_client.sql.infra.engine import DbConnection


async def survey_export(connection: DbConnection, person_id: int) -> dict[str, Any]:
    row = (
        await connection.execute(select(graduate_surveys).where(graduate_surveys.c.person_id == person_id))
    ).first()
    history = await connection.execute(
        select(graduate_survey_history)
        .where(graduate_survey_history.c.person_id == person_id)
        .order_by(graduate_survey_history.c.id)
    )
    return {
        "answers": dict(row.answers) if row is not None else None,
        "band": row.band if row is not None else None,
        "reasons": row.reasons.split(",") if row is not None and row.reasons else [],
        "updated_at": iso(row.updated_at) if row is not None else None,
        "history": [
            {"version": h.version, "answers": dict(h.answers), "band": h.band, "saved_at": iso(h.saved_at)}
            for h in history
        ],
    }


async def booking_export(connection: DbConnection, person_id: int) -> dict[str, Any] | None:
    booking = await booking_in(connection, person_id)
    if booking is None:
        return None
    return {
        "municipality": booking.slot.municipality,
        "service": booking.slot.service.value,
        "starts_at": iso(booking.slot.starts_at),
        "booked_at": iso(booking.booked_at),
    }


EXPORT = (
    ExportSection("graduate_survey", survey_export),
    ExportSection("centre_booking", booking_export),
)
