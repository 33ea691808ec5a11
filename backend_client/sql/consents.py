"""Consent to personal-data processing: given, declined, or waiting for a parent."""

from __future__ import annotations

import logging

from sqlalchemy import bindparam, delete, insert, or_, select

from backend_client.errors import ConsentRequired, GuardianRequired, WrongAgeBand
from backend_client.models import AgeBand, Consent, ConsentKind, ConsentStatus, GivenBy, Person
from backend_client.sql import reads
from backend_client.sql.base import SqlUseCases
from backend_client.sql.engine import DbConnection
from backend_client.sql.prepared import Prepared
from backend_client.sql.tables import consents, guardian_links, profiles

log = logging.getLogger(__name__)


# Every adult's consent runs these: built once, not per call.
_OWN_CONSENT = Prepared(
    select(consents.c.id).where(
        consents.c.person_id == bindparam("b_person"),
        consents.c.kind == ConsentKind.PROCESSING.value,
        consents.c.version == bindparam("b_version"),
        consents.c.given_by == GivenBy.SELF.value,
    )
)
_GIVE_OWN_CONSENT = Prepared(
    insert(consents).values(
        person_id=bindparam("b_person"),
        kind=ConsentKind.PROCESSING.value,
        version=bindparam("b_version"),
        given_at=bindparam("b_at"),
        channel=bindparam("b_channel"),
        given_by=GivenBy.SELF.value,
    )
)


class ConsentsSql(SqlUseCases):
    async def give_own_consent(self, person_id: int, *, version: str, channel: str) -> Person:
        """Record the person's own consent (14 and over) and let personal data be stored.

        Raises GuardianRequired for a child under 14 (a parent consents through an invite) and
        ConsentRequired while the age band is unknown. Repeating the same version adds no second record.
        """
        async with self._engine.begin() as connection:
            person = await self._person(connection, person_id, lock=True)
            if person.age_band is AgeBand.CHILD:
                raise GuardianRequired(str(person_id))
            if person.age_band is None:
                raise ConsentRequired("age band unknown")
            own = {"b_person": person_id, "b_version": version}
            if not (await _OWN_CONSENT.run(connection, own)).rows:
                await _GIVE_OWN_CONSENT.run(
                    connection, {**own, "b_at": self._clock.now(), "b_channel": channel}
                )
                await self._audit(
                    connection,
                    "consent_given",
                    actor=person_id,
                    subject=person_id,
                    version=version,
                    by=GivenBy.SELF.value,
                )
            return await self._update_person(
                connection, person_id, consent_status=ConsentStatus.GRANTED.value
            )

    async def decline(self, person_id: int) -> Person:
        """The person says no: their profile, consents and guardian links are deleted.

        Role and age band stay (they are not personal data on their own) so the menu still fits.
        """
        async with self._engine.begin() as connection:
            await self._person(connection, person_id, lock=True)
            await forget_personal(connection, person_id)
            person = await self._update_person(
                connection, person_id, consent_status=ConsentStatus.DECLINED.value
            )
            await self._audit(connection, "consent_declined", actor=person_id, subject=person_id)
        log.info("consent declined person=%s", person_id)
        return person

    async def await_guardian(self, person_id: int) -> Person:
        """A child under 14 waits for a parent's consent; nothing personal is stored meanwhile.

        Raises WrongAgeBand for anyone not known to be under 14 (they consent themselves). A child whose
        parent has already consented stays GRANTED: withdrawing consent is ``decline``, not this.
        """
        async with self._engine.begin() as connection:
            person = await self._person(connection, person_id, lock=True)
            if person.age_band is not AgeBand.CHILD:
                raise WrongAgeBand("only children under 14 wait for a guardian")
            if person.consent in (ConsentStatus.GRANTED, ConsentStatus.AWAITING_GUARDIAN):
                return person
            await self._audit(connection, "guardian_consent_requested", actor=person_id, subject=person_id)
            return await self._update_person(
                connection, person_id, consent_status=ConsentStatus.AWAITING_GUARDIAN.value
            )

    async def consents_of(self, person_id: int) -> list[Consent]:
        """Consents recorded for the person, oldest first; empty for an unknown (or erased) person."""
        async with self._quick.connect() as connection:
            return await reads.consents_of(connection, person_id)


async def forget_personal(connection: DbConnection, person_id: int) -> None:
    """Delete what consent allowed us to keep: profile, consent records, links to parents or children."""
    await connection.execute(delete(profiles).where(profiles.c.person_id == person_id))
    await connection.execute(delete(consents).where(consents.c.person_id == person_id))
    await connection.execute(
        delete(guardian_links).where(
            or_(guardian_links.c.guardian_id == person_id, guardian_links.c.child_id == person_id)
        )
    )
