"""Data rights: everything about a person as JSON, and erasure that keeps only anonymous counters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from backend_client.models import AuditEntry
from backend_client.reference import municipality
from backend_client.sql.accounts import AccountsSql
from backend_client.sql.consents import ConsentsSql
from backend_client.sql.gateway import DbConnection
from backend_client.sql.guardians import GuardiansSql
from backend_client.sql.profiles import ProfilesSql
from backend_client.sql.tables import audit_log, counters, guardian_invites, people


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


class PersonalDataSql(AccountsSql, ConsentsSql, GuardiansSql, ProfilesSql):
    async def export(self, person_id: int) -> dict[str, Any]:
        async with self._db.connect() as connection:
            person = await self._person(connection, person_id)
            invites = (
                await connection.execute(
                    select(guardian_invites).where(guardian_invites.c.child_id == person_id)
                )
            ).all()
        profile = await self.get_profile(person_id)
        place = municipality(profile.municipality) if profile.municipality else None
        data: dict[str, Any] = {
            "exported_at": self._clock.now().isoformat(),
            "person": {
                "id": person.id,
                "role": person.role.value if person.role else None,
                "age_band": person.age_band.value if person.age_band else None,
                "consent": person.consent.value,
                "created_at": person.created_at.isoformat(),
            },
            "accounts": [
                {
                    "channel": a.channel,
                    "external_id": a.external_id,
                    "created_at": _iso(a.created_at),
                    "blocked_at": _iso(a.blocked_at),
                }
                for a in await self.accounts_of(person_id)
            ],
            "consents": [
                {
                    "kind": c.kind.value,
                    "version": c.version,
                    "given_at": _iso(c.given_at),
                    "channel": c.channel,
                    "given_by": c.given_by.value,
                }
                for c in await self.consents_of(person_id)
            ],
            "profile": None
            if profile.is_empty and profile.updated_at is None
            else {
                "display_name": profile.display_name,
                "birth_year": profile.birth_year,
                "municipality": profile.municipality,
                "municipality_name": place.title if place else None,
                "institution": profile.institution,
                "grade": profile.grade,
                "course": profile.course,
                "specialty": profile.specialty,
                "interests": profile.interests,
                "contact_time": profile.contact_time,
                "updated_at": _iso(profile.updated_at),
            },
            "guardians": [
                {"display_name": g.display_name, "linked_at": _iso(g.linked_at)}
                for g in await self.guardians_of(person_id)
            ],
            "children": [
                {"display_name": c.display_name, "linked_at": _iso(c.linked_at)}
                for c in await self.children_of(person_id)
            ],
            "invites": [
                {
                    "purpose": i.purpose,
                    "created_at": _iso(i.created_at),
                    "expires_at": _iso(i.expires_at),
                    "used_at": _iso(i.used_at),
                    "outcome": i.outcome,
                }
                for i in invites
            ],
        }
        async with self._db.begin() as connection:
            await self._audit(connection, "data_exported", actor=person_id, subject=person_id)
        return data

    async def erase(self, person_id: int, *, reason: str) -> None:
        """Delete the person and everything hanging off them; idempotent for an already erased person."""
        async with self._db.begin() as connection:
            row = (await connection.execute(select(people.c.role).where(people.c.id == person_id))).first()
            if row is None:
                return
            await connection.execute(delete(people).where(people.c.id == person_id))
            await self._count(connection, "people_erased")
            await self._count(connection, f"people_erased:{row.role or 'unknown'}")
            await self._audit(connection, "data_erased", actor=person_id, subject=person_id, reason=reason)

    @staticmethod
    async def _count(connection: DbConnection, name: str) -> None:
        dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(counters).values(name=name, value=1)
        statement = statement.on_conflict_do_update(
            index_elements=[counters.c.name], set_={"value": counters.c.value + 1}
        )
        await connection.execute(statement)

    async def audit_log(self, limit: int = 100) -> list[AuditEntry]:
        query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
        async with self._db.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [
            AuditEntry(r.id, r.at, r.action, r.actor_id, r.subject_id, dict(r.details or {}))
            for r in reversed(rows)
        ]

    async def counters(self) -> dict[str, int]:
        async with self._db.connect() as connection:
            rows = (await connection.execute(select(counters))).all()
        return {r.name: r.value for r in rows}
