"""Consent to personal-data processing: given, declined, or waiting for a parent."""

from __future__ import annotations

from sqlalchemy import delete, insert, or_, select, update

from backend_client.errors import ConsentRequired, GuardianRequired
from backend_client.models import AgeBand, Consent, ConsentKind, ConsentStatus, GivenBy, Person
from backend_client.sql.base import SqlUseCases
from backend_client.sql.gateway import DbConnection
from backend_client.sql.tables import consents, guardian_links, people, profiles


class ConsentsSql(SqlUseCases):
    async def give_own_consent(self, person_id: int, *, version: str, channel: str) -> Person:
        """Record the person's own consent (14 and over). Repeating it with the same version adds nothing."""
        async with self._db.begin() as connection:
            person = await self._person(connection, person_id, lock=True)
            if person.age_band is AgeBand.CHILD:
                raise GuardianRequired(str(person_id))
            if person.age_band is None:
                raise ConsentRequired("age band unknown")
            same = select(consents.c.id).where(
                consents.c.person_id == person_id,
                consents.c.kind == ConsentKind.PROCESSING.value,
                consents.c.version == version,
                consents.c.given_by == GivenBy.SELF.value,
            )
            if (await connection.execute(same)).first() is None:
                await connection.execute(
                    insert(consents).values(
                        person_id=person_id,
                        kind=ConsentKind.PROCESSING.value,
                        version=version,
                        given_at=self._clock.now(),
                        channel=channel,
                        given_by=GivenBy.SELF.value,
                    )
                )
                await self._audit(
                    connection,
                    "consent_given",
                    actor=person_id,
                    subject=person_id,
                    version=version,
                    by="self",
                )
            await self._set_status(connection, person_id, ConsentStatus.GRANTED)
            return await self._person(connection, person_id)

    async def decline(self, person_id: int) -> Person:
        """The person says no: remove anything personal; role and age band stay so the menu still fits."""
        async with self._db.begin() as connection:
            await self._person(connection, person_id, lock=True)
            await self._forget_personal(connection, person_id)
            await self._set_status(connection, person_id, ConsentStatus.DECLINED)
            await self._audit(connection, "consent_declined", actor=person_id, subject=person_id)
            return await self._person(connection, person_id)

    async def await_guardian(self, person_id: int) -> Person:
        """A child under 14 waits for a parent's consent; only children take this path."""
        async with self._db.begin() as connection:
            person = await self._person(connection, person_id, lock=True)
            if person.age_band is not AgeBand.CHILD:
                raise ConsentRequired("only children under 14 wait for a guardian")
            await self._set_status(connection, person_id, ConsentStatus.AWAITING_GUARDIAN)
            await self._audit(connection, "guardian_consent_requested", actor=person_id, subject=person_id)
            return await self._person(connection, person_id)

    async def consents_of(self, person_id: int) -> list[Consent]:
        query = (
            select(consents)
            .where(consents.c.person_id == person_id)
            .order_by(consents.c.given_at, consents.c.id)
        )
        async with self._db.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [
            Consent(
                id=r.id,
                person_id=r.person_id,
                kind=ConsentKind(r.kind),
                version=r.version,
                given_at=r.given_at,
                channel=r.channel,
                given_by=GivenBy(r.given_by),
                guardian_id=r.guardian_id,
            )
            for r in rows
        ]

    @staticmethod
    async def _set_status(connection: DbConnection, person_id: int, status: ConsentStatus) -> None:
        await connection.execute(
            update(people).where(people.c.id == person_id).values(consent_status=status.value)
        )

    @staticmethod
    async def _forget_personal(connection: DbConnection, person_id: int) -> None:
        await connection.execute(delete(profiles).where(profiles.c.person_id == person_id))
        await connection.execute(delete(consents).where(consents.c.person_id == person_id))
        await connection.execute(
            delete(guardian_links).where(
                or_(guardian_links.c.guardian_id == person_id, guardian_links.c.child_id == person_id)
            )
        )
