"""How each person wants to be reached: a delivery mode per category and their quiet hours."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import Row

from backend_client.errors import ConsentRequired
from backend_client.models import ConsentStatus
from backend_client.outreach import Category, DeliveryMode, NotificationSettings, QuietHours
from backend_client.quiet import minutes_of, time_of
from backend_client.sql.export import ExportSection
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.infra.dialects import upsert
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.tables import notification_modes, quiet_hours


def quiet_from(row: Row[Any]) -> QuietHours:
    """A ``quiet_hours`` row (minutes after local midnight) as ``QuietHours``."""
    return QuietHours(time_of(row.start_minute), time_of(row.end_minute))


async def settings_of(connection: DbConnection, person_id: int) -> NotificationSettings:
    modes = {
        Category(row.category): DeliveryMode(row.mode)
        for row in await connection.execute(
            select(notification_modes).where(notification_modes.c.person_id == person_id)
        )
    }
    row = (await connection.execute(select(quiet_hours).where(quiet_hours.c.person_id == person_id))).first()
    return NotificationSettings(modes, quiet_from(row) if row else None)


class SqlPreferences(SqlUseCases):
    async def notification_settings(self, person_id: int) -> NotificationSettings:
        async with self._engine.connect() as connection:
            return await settings_of(connection, person_id)

    async def set_delivery_mode(self, person_id: int, category: Category, mode: DeliveryMode) -> None:
        async with self._engine.begin() as connection:
            await self._require_consent(connection, person_id)
            statement = upsert(connection, notification_modes).values(
                person_id=person_id, category=category.value, mode=mode.value
            )
            await connection.execute(
                statement.on_conflict_do_update(
                    index_elements=[notification_modes.c.person_id, notification_modes.c.category],
                    set_={"mode": mode.value},
                )
            )
            await self._audit(
                connection, "notification_mode_set", actor=person_id, subject=person_id, category=category
            )

    async def set_quiet_hours(self, person_id: int, quiet: QuietHours | None) -> None:
        async with self._engine.begin() as connection:
            await self._require_consent(connection, person_id)
            await connection.execute(delete(quiet_hours).where(quiet_hours.c.person_id == person_id))
            if quiet is not None:
                await connection.execute(
                    quiet_hours.insert().values(
                        person_id=person_id,
                        start_minute=minutes_of(quiet.start),
                        end_minute=minutes_of(quiet.end),
                    )
                )
            await self._audit(connection, "quiet_hours_set", actor=person_id, subject=person_id)

    async def _require_consent(self, connection: DbConnection, person_id: int) -> None:
        person = await self._person(connection, person_id, lock=True)
        if person.consent is not ConsentStatus.GRANTED:
            raise ConsentRequired(str(person_id))


# «Мои данные»: the delivery mode per category and the quiet hours (None: the defaults for the age).
async def export_settings(connection: DbConnection, person_id: int) -> dict[str, Any]:
    settings = await settings_of(connection, person_id)
    quiet = settings.quiet
    return {
        "modes": {category.value: mode.value for category, mode in settings.modes.items()},
        "quiet_hours": {"start": quiet.start.isoformat("minutes"), "end": quiet.end.isoformat("minutes")}
        if quiet
        else None,
    }


EXPORT = (ExportSection("notifications", export_settings),)
