"""Data rights: everything about a person as JSON, and erasure that keeps only anonymous counters."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from backend_client.events import Signup
from backend_client.guardianship import GivenConsent, GuardianNotices
from backend_client.models import (
    AuditEntry,
    CareerAttempt,
    ChannelAccount,
    Consent,
    Invite,
    LinkedPerson,
    Person,
    Profile,
)
from backend_client.outreach import NotificationSettings
from backend_client.reference import municipality
from backend_client.sql import career, reads
from backend_client.sql.consents import consents_given_in, end_given_consents, scrub_name
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.infra.dialects import upsert
from backend_client.sql.infra.engine import DbConnection, truncate_wal
from backend_client.sql.preferences import settings_of
from backend_client.sql.signups import signups_in
from backend_client.sql.tables import audit_log, counters, people

log = logging.getLogger(__name__)


class SqlPersonalData(SqlUseCases):
    async def export(self, person_id: int) -> dict[str, Any]:
        """Everything stored about the person, JSON-ready (ISO-8601 times), read in one transaction.

        Holds the person, channel accounts, consents, the consents given as a guardian, profile
        (municipality code and name), linked guardians and children, invites the person issued,
        career-test attempts with answers and results, the sharing choice, sign-ups to events, and
        ``exported_at``. Raises PersonGone.
        """
        async with self._engine.begin() as connection:
            person = await self._person(connection, person_id)
            data = {
                "exported_at": _iso(self._clock.now()),
                "person": _person_data(person),
                "accounts": [_account_data(a) for a in await reads.accounts_of(connection, person_id)],
                "consents": [_consent_data(c) for c in await reads.consents_of(connection, person_id)],
                "consents_given_for_children": [
                    _given_data(g) for g in await consents_given_in(connection, person_id)
                ],
                "profile": _profile_data(await reads.profile_of(connection, person_id)),
                "guardians": [_linked_data(g) for g in await reads.guardians_of(connection, person_id)],
                "children": [_linked_data(c) for c in await reads.children_of(connection, person_id)],
                "invites": [_invite_data(i) for i in await reads.invites_of(connection, person_id)],
                "notifications": _settings_data(await settings_of(connection, person_id)),
                "career_tests": [_attempt_data(a) for a in await career.attempts_of(connection, person_id)],
                "career_shared_with_guardians": await career.shared(connection, person_id),
                "event_signups": [_signup_data(s) for s in await signups_in(connection, person_id)],
            }
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


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _person_data(person: Person) -> dict[str, Any]:
    return {
        "id": person.id,
        "role": person.role.value if person.role else None,
        "age_band": person.age_band.value if person.age_band else None,
        "consent": person.consent.value,
        "created_at": _iso(person.created_at),
    }


def _account_data(account: ChannelAccount) -> dict[str, Any]:
    return {
        "channel": account.channel,
        "external_id": account.external_id,
        "chat_id": account.chat_id,
        "created_at": _iso(account.created_at),
        "blocked_at": _iso(account.blocked_at),
    }


def _consent_data(consent: Consent) -> dict[str, Any]:
    return {
        "kind": consent.kind.value,
        "version": consent.version,
        "given_at": _iso(consent.given_at),
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
        "given_at": _iso(given.given_at),
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
        "updated_at": _iso(profile.updated_at),
    }


def _linked_data(other: LinkedPerson) -> dict[str, Any]:
    return {
        "person_id": other.person_id,
        "display_name": other.display_name,
        "linked_at": _iso(other.linked_at),
    }


def _invite_data(invite: Invite) -> dict[str, Any]:
    return {
        "code": invite.code,
        "purpose": invite.purpose.value,
        "created_at": _iso(invite.created_at),
        "expires_at": _iso(invite.expires_at),
        "used_at": _iso(invite.used_at),
        "outcome": invite.outcome.value if invite.outcome else None,
    }


def _settings_data(settings: NotificationSettings) -> dict[str, Any]:
    quiet = settings.quiet
    return {
        "modes": {category.value: mode.value for category, mode in settings.modes.items()},
        "quiet_hours": {"start": quiet.start.isoformat("minutes"), "end": quiet.end.isoformat("minutes")}
        if quiet
        else None,
    }


def _attempt_data(attempt: CareerAttempt) -> dict[str, Any]:
    return {
        "instrument": attempt.instrument,
        "version": attempt.version,
        "status": attempt.status.value,
        "answers": list(attempt.answers),
        "scores": dict(attempt.scores),
        "code": attempt.code,
        "verdict": attempt.verdict,
        "started_at": _iso(attempt.started_at),
        "finished_at": _iso(attempt.finished_at),
    }


def _signup_data(signup: Signup) -> dict[str, Any]:
    event = signup.event
    return {
        "event_id": event.id,
        "kind": event.kind.value,
        "title": event.title,
        "organisation": event.organisation,
        "starts_at": _iso(event.starts_at),
        "event_status": event.status.value,
        "status": signup.status.value,
        "signed_up_at": _iso(signup.created_at),
    }
