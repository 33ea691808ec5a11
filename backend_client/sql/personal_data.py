"""Data rights: everything about a person as JSON, and erasure that keeps only anonymous counters."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import delete, select

from backend_client.guardianship import GivenConsent, GuardianNotices
from backend_client.models import (
    AuditEntry,
    ChannelAccount,
    Consent,
    Invite,
    LinkedPerson,
    Person,
    Profile,
)
from backend_client.reference import municipality
from backend_client.sql import career, preferences, reads, signups
from backend_client.sql.alerts import export as alerts
from backend_client.sql.consents import consents_given_in, end_given_consents, scrub_name
from backend_client.sql.export import ExportSection, iso
from backend_client.sql.feedback import export as feedback
from backend_client.sql.graduates import export as graduates
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.infra.dialects import upsert
from backend_client.sql.infra.engine import DbConnection, truncate_wal
from backend_client.sql.plans import export as plans
from backend_client.sql.tables import audit_log, counters, people
from backend_client.sql.vacancies import export as vacancies

log = logging.getLogger(__name__)


# The core records of a person, each with its key in the export.
async def _accounts(connection: DbConnection, person_id: int) -> list[dict[str, Any]]:
    return [_account_data(a) for a in await reads.accounts_of(connection, person_id)]


async def _consents(connection: DbConnection, person_id: int) -> list[dict[str, Any]]:
    return [_consent_data(c) for c in await reads.consents_of(connection, person_id)]


async def _given(connection: DbConnection, person_id: int) -> list[dict[str, Any]]:
    return [_given_data(g) for g in await consents_given_in(connection, person_id)]


async def _profile(connection: DbConnection, person_id: int) -> dict[str, Any]:
    return _profile_data(await reads.profile_of(connection, person_id))


async def _guardians(connection: DbConnection, person_id: int) -> list[dict[str, Any]]:
    return [_linked_data(g) for g in await reads.guardians_of(connection, person_id)]


async def _children(connection: DbConnection, person_id: int) -> list[dict[str, Any]]:
    return [_linked_data(c) for c in await reads.children_of(connection, person_id)]


async def _invites(connection: DbConnection, person_id: int) -> list[dict[str, Any]]:
    return [_invite_data(i) for i in await reads.invites_of(connection, person_id)]


PEOPLE_EXPORT = (
    ExportSection("accounts", _accounts),
    ExportSection("consents", _consents),
    ExportSection("consents_given_for_children", _given),
    ExportSection("profile", _profile),
    ExportSection("guardians", _guardians),
    ExportSection("children", _children),
    ExportSection("invites", _invites),
)

# «Мои данные» export, in the file's order: the core records, then one line per feature that keeps
# personal data (its module's ``EXPORT``; backend_client/sql/export.py says what a section is).
EXPORT_SECTIONS: tuple[ExportSection, ...] = (
    *PEOPLE_EXPORT,
    *preferences.EXPORT,
    *career.EXPORT,
    *signups.EXPORT,
    *vacancies.EXPORT,
    *alerts.EXPORT,
    *graduates.EXPORT,
    *plans.EXPORT,
    *feedback.EXPORT,
)


class SqlPersonalData(SqlUseCases):
    async def export(self, person_id: int) -> dict[str, Any]:
        """Everything stored about the person, JSON-ready (ISO-8601 times), read in one transaction:
        ``exported_at``, the person, then every section of ``EXPORT_SECTIONS`` (channel accounts,
        consents, the consents given as a guardian, profile with the municipality's code and name,
        linked guardians and children, invites the person issued, the notification settings, career-test
        attempts and the sharing choice, sign-ups to events, applications to vacancies and favourites,
        vacancy alerts: subscriptions, the vacancies they brought, stopped subscriptions; the plan, the
        graduation date and the check-in answers).
        Raises PersonGone.
        """
        async with self._engine.begin() as connection:
            person = await self._person(connection, person_id)
            data: dict[str, Any] = {"exported_at": iso(self._clock.now()), "person": _person_data(person)}
            for section in EXPORT_SECTIONS:
                data[section.key] = await section.read(connection, person_id)
            await self._audit(connection, "data_exported", actor=person_id, subject=person_id)
        return data

    async def erase(self, person_id: int, *, reason: str, told: GuardianNotices | None = None) -> None:
        """Delete the person with their accounts, consents, profile, invites, links, career-test
        attempts, event sign-ups and outbox rows (foreign keys cascade), in one transaction.

        Nothing of theirs outlives them in other people's records: outbox rows to linked people that
        name them are withdrawn and blanked. Consents they gave as a guardian end with them
        (``end_given_consents``: a child under 14 waits for a parent again and is told, with ``told``).
        What stays: the counters ``people_erased`` and ``people_erased:<role>``, and an audit line with
        the old id and ``reason`` (a short code, never free text). Erasing an unknown person does nothing.
        """
        async with self._engine.begin() as connection:
            now = self._clock.now()
            await scrub_name(connection, person_id, now)
            await end_given_consents(connection, person_id, now, told=told, by_child=False)
            erased = (
                await connection.execute(
                    delete(people).where(people.c.id == person_id).returning(people.c.role)
                )
            ).first()
            if erased is None:
                return
            await _count(connection, "people_erased")
            await _count(connection, f"people_erased:{erased.role or 'unknown'}")
            await self._audit(connection, "data_erased", actor=person_id, subject=person_id, reason=reason)
        await truncate_wal(self._engine)  # SQLite: old WAL frames would keep the erased rows
        log.info("person erased id=%s", person_id)

    async def audit_log(self, limit: int = 100) -> list[AuditEntry]:
        """The latest ``limit`` audit lines, newest last."""
        query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
        async with self._quick.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [
            AuditEntry(r.id, r.at, r.action, r.actor_id, r.subject_id, dict(r.details or {}))
            for r in reversed(rows)
        ]

    async def counters(self) -> dict[str, int]:
        """Anonymous counters (such as erasures per role) by name."""
        async with self._quick.connect() as connection:
            rows = (await connection.execute(select(counters.c.name, counters.c.value))).all()
        return {r.name: r.value for r in rows}


async def _count(connection: DbConnection, name: str) -> None:
    statement = upsert(connection, counters).values(name=name, value=1)
    await connection.execute(
        statement.on_conflict_do_update(
            index_elements=[counters.c.name], set_={"value": counters.c.value + 1}
        )
    )


def _person_data(person: Person) -> dict[str, Any]:
    return {
        "id": person.id,
        "role": person.role.value if person.role else None,
        "age_band": person.age_band.value if person.age_band else None,
        "consent": person.consent.value,
        "created_at": iso(person.created_at),
    }


def _account_data(account: ChannelAccount) -> dict[str, Any]:
    return {
        "channel": account.channel,
        "external_id": account.external_id,
        "chat_id": account.chat_id,
        "created_at": iso(account.created_at),
        "blocked_at": iso(account.blocked_at),
    }


def _consent_data(consent: Consent) -> dict[str, Any]:
    return {
        "kind": consent.kind.value,
        "version": consent.version,
        "given_at": iso(consent.given_at),
        "channel": consent.channel,
        "given_by": consent.given_by.value,
        "guardian_id": consent.guardian_id,
    }


def _given_data(given: GivenConsent) -> dict[str, Any]:
    return {
        "child_id": given.child_id,
        "child_name": given.child_name,
        "kind": given.kind.value,
        "version": given.version,
        "given_at": iso(given.given_at),
    }


def _profile_data(profile: Profile) -> dict[str, Any]:
    place = municipality(profile.municipality) if profile.municipality else None
    return {
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
        "updated_at": iso(profile.updated_at),
    }


def _linked_data(other: LinkedPerson) -> dict[str, Any]:
    return {
        "person_id": other.person_id,
        "display_name": other.display_name,
        "linked_at": iso(other.linked_at),
    }


def _invite_data(invite: Invite) -> dict[str, Any]:
    return {
        "code": invite.code,
        "purpose": invite.purpose.value,
        "created_at": iso(invite.created_at),
        "expires_at": iso(invite.expires_at),
        "used_at": iso(invite.used_at),
        "outcome": invite.outcome.value if invite.outcome else None,
    }
