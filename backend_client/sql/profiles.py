"""The person's own answers, stored only while their consent is in force."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from backend_client.errors import ConsentRequired
from backend_client.models import PROFILE_FIELDS, ConsentStatus, Profile
from backend_client.sql.base import SqlUseCases
from backend_client.sql.tables import profiles

_GET = select(profiles).where(profiles.c.person_id == bindparam("person"))  # every menu shows it


class ProfilesSql(SqlUseCases):
    async def get_profile(self, person_id: int) -> Profile:
        async with self._db.connect() as connection:
            row = (
                await connection.execute(select(profiles).where(profiles.c.person_id == person_id))
            ).first()
        if row is None:
            return Profile(person_id)
        return Profile(**{name: getattr(row, name) for name in ("person_id", *PROFILE_FIELDS, "updated_at")})

    async def save_profile(self, person_id: int, changes: Mapping[str, Any]) -> Profile:
        unknown = set(changes) - set(PROFILE_FIELDS)
        if unknown:
            raise ValueError(f"not profile fields: {sorted(unknown)}")
        now = self._clock.now()
        async with self._db.begin() as connection:
            person = await self._person(connection, person_id, lock=True)
            if person.consent is not ConsentStatus.GRANTED:
                raise ConsentRequired(str(person_id))
            values = {**changes, "updated_at": now}
            result = await connection.execute(
                update(profiles).where(profiles.c.person_id == person_id).values(**values)
            )
            if result.rowcount == 0:
                await connection.execute(insert(profiles).values(person_id=person_id, **values))
            await self._audit(
                connection,
                "profile_updated",
                actor=person_id,
                subject=person_id,
                fields=",".join(sorted(changes)),
            )
        return await self.get_profile(person_id)
