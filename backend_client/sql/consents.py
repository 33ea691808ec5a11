"""Consent to personal-data processing: given, declined, or waiting for a parent."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Table, and_, bindparam, delete, insert, or_, select, update

from backend_client.errors import ConsentRequired, GuardianRequired, WrongAgeBand
from backend_client.guardianship import GivenConsent, GuardianNotices
from backend_client.models import AgeBand, Consent, ConsentKind, ConsentStatus, GivenBy, Person
from backend_client.outreach import Category, Notice, Priority
from backend_client.sql import reads
from backend_client.sql.enqueue import enqueue_in, withdraw_naming
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.infra.prepared import Prepared
from backend_client.sql.schema import metadata
from backend_client.sql.tables import (
    consents,
    guardian_links,
    people,
    profiles,
)

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


class SqlConsents(SqlUseCases):
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
            await scrub_name(connection, person_id, self._clock.now())
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

    async def consents_given(self, guardian_id: int) -> list[GivenConsent]:
        """Consents and confirmations the guardian gave for children, oldest first."""
        async with self._quick.connect() as connection:
            return await consents_given_in(connection, guardian_id)

    async def withdraw_given_consent(
        self, guardian_id: int, child_id: int, *, told: GuardianNotices | None = None
    ) -> bool:
        """The guardian withdraws what they gave for the child (``end_given_consents``); False when
        there was nothing. Their own consent and data stay."""
        async with self._engine.begin() as connection:
            await self._person(connection, guardian_id, lock=True)
            ended = await end_given_consents(
                connection, guardian_id, self._clock.now(), child_id=child_id, told=told, by_child=False
            )
            if ended:
                await self._audit(
                    connection, "guardian_consent_withdrawn", actor=guardian_id, subject=child_id
                )
        return bool(ended)


# What a person keeps without consent: their row (role, age band), the messenger accounts we answer them
# on, a parent's invite codes, and the messages queued to them (the reminder rules withdraw those whose
# records go). A reference that does not own its row is kept too: the consents they gave for a child.
KEPT_WITHOUT_CONSENT = frozenset({"channel_accounts", "guardian_invites", "outbox"})
_NOT_OWNED = frozenset({("consents", "guardian_id")})


def _personal_references() -> list[tuple[Table, Column[Any], bool]]:
    """(table, column, whether the row is only freed) of every reference to ``people`` whose rows consent
    allowed, read from the schema, so a feature's new table is forgotten without a line here. Dependants
    come first (they may point at the rest)."""
    found = []
    for table in reversed(metadata.sorted_tables):
        if table.name in KEPT_WITHOUT_CONSENT:
            continue
        for key in table.foreign_keys:
            if key.column.table.name == "people" and (table.name, key.parent.name) not in _NOT_OWNED:
                found.append((table, key.parent, key.ondelete == "SET NULL"))
    return found


async def forget_personal(connection: DbConnection, person_id: int) -> None:
    """Delete what consent allowed us to keep: every row that belongs to the person (profile, consents,
    links to parents or children, tests, sign-ups, applications, saved searches, answers, plans, tickets,
    settings …); a row that only points at them (a centre's seat they held) is freed instead."""
    for table, column, freed in _personal_references():
        if freed:
            await connection.execute(update(table).where(column == person_id).values({column.name: None}))
        else:
            await connection.execute(delete(table).where(column == person_id))


async def linked_ids(connection: DbConnection, person_id: int) -> set[int]:
    """Everyone on the other side of the person's guardian links."""
    rows = await connection.execute(
        select(guardian_links.c.guardian_id, guardian_links.c.child_id).where(
            or_(guardian_links.c.guardian_id == person_id, guardian_links.c.child_id == person_id)
        )
    )
    return {r.child_id if r.guardian_id == person_id else r.guardian_id for r in rows}


async def scrub_name(connection: DbConnection, person_id: int, now: datetime) -> int:
    """Withdraw and blank what other people's outbox rows say about the person (their name in a
    parent's reminder), before the person's profile and links go. Rows of the person go with them."""
    profile = await reads.profile_of(connection, person_id)
    if not profile.display_name:
        return 0
    return await withdraw_naming(
        connection, profile.display_name, await linked_ids(connection, person_id), now
    )


async def consents_given_in(
    connection: DbConnection, guardian_id: int, child_id: int | None = None
) -> list[GivenConsent]:
    condition = consents.c.guardian_id == guardian_id
    if child_id is not None:
        condition = and_(condition, consents.c.person_id == child_id)
    query = (
        select(consents, profiles.c.display_name)
        .select_from(consents.outerjoin(profiles, profiles.c.person_id == consents.c.person_id))
        .where(condition, consents.c.given_by == GivenBy.GUARDIAN.value)
        .order_by(consents.c.given_at, consents.c.id)
    )
    return [
        GivenConsent(r.id, r.person_id, r.display_name, ConsentKind(r.kind), r.version, r.given_at)
        for r in (await connection.execute(query)).all()
    ]


def system_notice(key: str, person_id: int, text: str, now: datetime) -> Notice:
    return Notice(key, person_id, Category.SYSTEM, text, now, priority=Priority.HIGH)


async def end_given_consents(
    connection: DbConnection,
    guardian_id: int,
    now: datetime,
    *,
    child_id: int | None = None,
    told: GuardianNotices | None,
    by_child: bool,
) -> list[GivenConsent]:
    """The guardian's consents for children end (withdrawn, the guardian erased, or the link removed).

    A child under 14 whose processing rested on such a consent, with no other parent's consent left,
    goes back to waiting for a parent: what was kept on that consent is deleted (152-ФЗ ст. 21 ч. 5),
    names in other people's outbox rows included. A confirmation of a 14–17-year-old's own consent
    just ends. The other side is told in this transaction (``told``; ``by_child``: the child removed
    the link, so the guardian is told, else the child). Returns what ended.
    """
    ended = await consents_given_in(connection, guardian_id, child_id)
    if not ended:
        return []
    await connection.execute(delete(consents).where(consents.c.id.in_([c.consent_id for c in ended])))
    notices: list[Notice] = []
    for given in ended:
        child = given.child_id
        key = f"consent-ended:{given.consent_id}"
        processing = given.kind is ConsentKind.PROCESSING
        if processing and not await _processing_remains(connection, child):
            await scrub_name(connection, child, now)
            await forget_personal(connection, child)
            band = (await connection.execute(select(people.c.age_band).where(people.c.id == child))).scalar()
            # Under 14 a parent must consent again; someone older by now consents for themselves.
            waits = band in (None, AgeBand.CHILD.value)
            status = ConsentStatus.AWAITING_GUARDIAN if waits else ConsentStatus.NONE
            await SqlUseCases._update_person(connection, child, consent_status=status.value)
        if told is None:
            continue
        if by_child:  # the child knows: the guardian is told that what they gave ended
            if processing:
                notices.append(system_notice(f"{key}:{guardian_id}", guardian_id, told.giver_unlinked, now))
        else:
            text = told.consent_ended if processing else told.confirmation_ended
            notices.append(system_notice(f"{key}:{child}", child, text, now))
    await enqueue_in(connection, notices, now)
    log.info("guardian consents ended guardian=%s count=%s", guardian_id, len(ended))
    return ended


async def _processing_remains(connection: DbConnection, person_id: int) -> bool:
    """Whether a consent to processing is still in force: the person's own, or one whose guardian is
    still known (a record whose giver was erased before this rule existed does not count)."""
    query = select(consents.c.id).where(
        consents.c.person_id == person_id,
        consents.c.kind == ConsentKind.PROCESSING.value,
        or_(consents.c.given_by == GivenBy.SELF.value, consents.c.guardian_id.is_not(None)),
    )
    return (await connection.execute(query.limit(1))).first() is not None
