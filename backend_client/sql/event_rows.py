"""Reading ``events`` rows, shared by the catalogue, the sign-ups and the reminder sources."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Row
from sqlalchemy.sql import Select

from backend_client.events import Event, EventAudience, EventKind, EventNotFound, EventStatus, SignupStatus
from backend_client.models import AgeBand, Role
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.tables import event_signups, events

ACTIVE = SignupStatus.ACTIVE.value
# Active sign-ups per event, as a correlated sub-query: the catalogue shows places left.
_COUNTED = event_signups.alias("counted")  # its own name: the outer query may join event_signups too
TAKEN_COUNT = (
    select(func.count())
    .where(_COUNTED.c.event_id == events.c.id, _COUNTED.c.status == ACTIVE)
    .correlate(events)
    .scalar_subquery()
)
TAKEN = TAKEN_COUNT.label("taken")


def event_from(row: Row[Any], taken: int | None = None) -> Event:
    """An ``events`` row; ``taken`` when the row was read without the sign-up count."""
    roles = tuple(Role(value) for value in row.roles.strip(",").split(",") if value)
    return Event(
        id=row.id,
        kind=EventKind(row.kind),
        title=row.title,
        organisation=row.organisation,
        municipality=row.municipality,
        address=row.address,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        capacity=row.capacity,
        audience=EventAudience(
            roles=roles,
            grade_from=row.grade_from,
            grade_to=row.grade_to,
            course_from=row.course_from,
            course_to=row.course_to,
            min_age_band=AgeBand(row.min_age_band) if row.min_age_band else None,
        ),
        status=EventStatus(row.status),
        version=row.version,
        taken=taken if taken is not None else int(row.taken or 0),
        created_at=row.created_at,
        updated_at=row.updated_at,
        external_id=row.external_id,
        cancelled_at=row.cancelled_at,
    )


def select_events() -> Select[Any]:
    return select(*events.c, TAKEN)


async def event_in(connection: DbConnection, event_id: int, *, lock: bool = False) -> Event:
    query = select_events().where(events.c.id == event_id)
    if lock and connection.dialect.name == "postgresql":
        query = select(events).where(events.c.id == event_id).with_for_update()
        row = (await connection.execute(query)).first()
        if row is None:
            raise EventNotFound(str(event_id))
        return event_from(row, taken=0)
    found = (await connection.execute(query)).first()
    if found is None:
        raise EventNotFound(str(event_id))
    return event_from(found)
