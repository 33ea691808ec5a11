"""The person's own answers, stored only while their consent is in force."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from sqlalchemy import Integer, String, bindparam, insert, update

from backend_client.errors import ConsentRequired
from backend_client.models import PROFILE_FIELDS, ConsentStatus, Profile
from backend_client.sql import reads
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.infra.prepared import Prepared
from backend_client.sql.tables import profiles


def check_changes(changes: Mapping[str, Any]) -> None:
    """Refuse what the columns cannot hold, the same way on SQLite (which would store anything) and
    PostgreSQL. Flows validate what people type; this guards the store against programming errors."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    for name, value in changes.items():
        if value is None:
            continue
        column_type = profiles.c[name].type
        if isinstance(column_type, Integer) and (not isinstance(value, int) or isinstance(value, bool)):
            raise ValueError(f"{name} must be an integer")
        if isinstance(column_type, String):
            if not isinstance(value, str):
                raise ValueError(f"{name} must be text")
            if column_type.length is not None and len(value) > column_type.length:
                raise ValueError(f"{name} is longer than {column_type.length} characters")


@cache
def _profile_writes(fields: frozenset[str]) -> tuple[Prepared, Prepared]:
    """UPDATE and INSERT of ``fields`` (and ``updated_at``), built once per set of fields."""
    values = {name: bindparam(f"v_{name}", type_=profiles.c[name].type) for name in fields | {"updated_at"}}
    change = update(profiles).where(profiles.c.person_id == bindparam("v_person_id")).values(values)
    return Prepared(change), Prepared(insert(profiles).values(person_id=bindparam("v_person_id"), **values))


class SqlProfiles(SqlUseCases):
    async def get_profile(self, person_id: int) -> Profile:
        """The stored profile; an empty ``Profile(person_id)`` when nothing is stored."""
        async with self._quick.connect() as connection:
            return await reads.profile_of(connection, person_id)

    async def save_profile(self, person_id: int, changes: Mapping[str, Any]) -> Profile:
        """Store the given fields (others keep their value) and return the whole profile.

        Raises ValueError for unknown fields or values the columns cannot hold, ConsentRequired unless
        the person's consent is GRANTED, PersonGone for an unknown person. The audit line names the
        fields, never their values.
        """
        check_changes(changes)
        async with self._engine.begin() as connection:
            person = await self._person(connection, person_id, lock=True)
            if person.consent is not ConsentStatus.GRANTED:
                raise ConsentRequired(str(person_id))
            if changes:
                values = {f"v_{name}": value for name, value in changes.items()}
                values |= {"v_updated_at": self._clock.now(), "v_person_id": person_id}
                # UPDATE, else INSERT: no race, the person's row is held until commit. Not one
                # INSERT ... ON CONFLICT: SQLAlchemy 2.0 compiles those afresh on every call (~80 µs).
                change, create = _profile_writes(frozenset(changes))
                if (await change.run(connection, values)).rowcount == 0:
                    await create.run(connection, values)
                await self._audit(
                    connection,
                    "profile_updated",
                    actor=person_id,
                    subject=person_id,
                    fields=",".join(sorted(changes)),
                )
            return await reads.profile_of(connection, person_id)
