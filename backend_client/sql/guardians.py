"""Parents and children: one-time invites, the parent's answer, and the links both sides can remove."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement

from backend_client.errors import (
    ConsentRequired,
    InviteExpired,
    InviteNotFound,
    InviteUsed,
    NotAGuardian,
    OwnInvite,
)
from backend_client.models import (
    ConsentKind,
    ConsentStatus,
    GivenBy,
    Invite,
    InviteAnswer,
    InviteOutcome,
    InvitePurpose,
    LinkedPerson,
    Role,
)
from backend_client.sql.base import SqlUseCases
from backend_client.sql.gateway import DbConnection
from backend_client.sql.tables import consents, guardian_invites, guardian_links, people, profiles

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud and retyped
CODE_LENGTH = 10


def normalise_code(code: str) -> str:
    return code.strip().upper().replace(" ", "").replace("-", "")


def _invite(row: Row[Any]) -> Invite:
    return Invite(
        code=row.code,
        child_id=row.child_id,
        purpose=InvitePurpose(row.purpose),
        created_at=row.created_at,
        expires_at=row.expires_at,
        used_at=row.used_at,
        outcome=InviteOutcome(row.outcome) if row.outcome else None,
    )


class GuardiansSql(SqlUseCases):
    async def create_invite(self, child_id: int, purpose: InvitePurpose, ttl: timedelta) -> Invite:
        now = self._clock.now()
        async with self._db.begin() as connection:
            child = await self._person(connection, child_id, lock=True)
            if purpose is InvitePurpose.CONSENT:
                if child.consent not in (ConsentStatus.AWAITING_GUARDIAN, ConsentStatus.DECLINED):
                    raise ConsentRequired("a consent invite is for a child waiting for a parent")
                await connection.execute(
                    update(people)
                    .where(people.c.id == child_id)
                    .values(consent_status=ConsentStatus.AWAITING_GUARDIAN.value)
                )
            elif child.consent is not ConsentStatus.GRANTED:
                raise ConsentRequired("links need the person's consent first")
            # Only the newest code of a purpose works: an older one forwarded by mistake stops working.
            await connection.execute(
                update(guardian_invites)
                .where(
                    guardian_invites.c.child_id == child_id,
                    guardian_invites.c.purpose == purpose.value,
                    guardian_invites.c.used_at.is_(None),
                    guardian_invites.c.expires_at > now,
                )
                .values(expires_at=now)
            )
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            await connection.execute(
                insert(guardian_invites).values(
                    code=code, child_id=child_id, purpose=purpose.value, created_at=now, expires_at=now + ttl
                )
            )
            await self._audit(
                connection, "invite_created", actor=child_id, subject=child_id, purpose=purpose.value
            )
        return Invite(code, child_id, purpose, now, now + ttl)

    async def find_invite(self, code: str) -> Invite | None:
        query = select(guardian_invites).where(guardian_invites.c.code == normalise_code(code))
        async with self._db.connect() as connection:
            row = (await connection.execute(query)).first()
        return _invite(row) if row else None

    async def answer_invite(
        self, code: str, guardian_id: int, *, accept: bool, version: str, channel: str
    ) -> InviteAnswer:
        code = normalise_code(code)
        now = self._clock.now()
        async with self._db.begin() as connection:
            row = (
                await connection.execute(select(guardian_invites).where(guardian_invites.c.code == code))
            ).first()
            if row is None:
                raise InviteNotFound(code)
            invite = _invite(row)
            if invite.used_at is not None:
                raise InviteUsed(code)
            if not invite.is_open(now):
                raise InviteExpired(code)
            if invite.child_id == guardian_id:
                raise OwnInvite(code)
            guardian = await self._person(connection, guardian_id)
            if guardian.role is not Role.PARENT or guardian.consent is not ConsentStatus.GRANTED:
                raise NotAGuardian(str(guardian_id))
            outcome = InviteOutcome.ACCEPTED if accept else InviteOutcome.DECLINED
            # The conditional update is the referee when two parents answer the same code at once.
            claimed = await connection.execute(
                update(guardian_invites)
                .where(guardian_invites.c.code == code, guardian_invites.c.used_at.is_(None))
                .values(used_at=now, used_by=guardian_id, outcome=outcome.value)
            )
            if claimed.rowcount != 1:
                raise InviteUsed(code)
            child_id = invite.child_id
            linked = False
            if accept:
                await self._record_guardian_consent(connection, invite, guardian_id, version, channel)
                linked = await self._link(connection, guardian_id, child_id)
                action = {
                    InvitePurpose.CONSENT: "guardian_consent_given",
                    InvitePurpose.CONFIRM: "guardian_confirmed",
                    InvitePurpose.LINK: "guardian_linked",
                }[invite.purpose]
            else:
                if invite.purpose is InvitePurpose.CONSENT:
                    await connection.execute(
                        update(people)
                        .where(people.c.id == child_id)
                        .values(consent_status=ConsentStatus.DECLINED.value)
                    )
                action = "invite_declined"
            await self._audit(
                connection, action, actor=guardian_id, subject=child_id, purpose=invite.purpose.value
            )
        updated = Invite(code, child_id, invite.purpose, invite.created_at, invite.expires_at, now, outcome)
        return InviteAnswer(updated, linked)

    async def _record_guardian_consent(
        self, connection: DbConnection, invite: Invite, guardian_id: int, version: str, channel: str
    ) -> None:
        if invite.purpose is InvitePurpose.LINK:
            return
        kind = (
            ConsentKind.PROCESSING
            if invite.purpose is InvitePurpose.CONSENT
            else ConsentKind.GUARDIAN_CONFIRMATION
        )
        await connection.execute(
            insert(consents).values(
                person_id=invite.child_id,
                kind=kind.value,
                version=version,
                given_at=self._clock.now(),
                channel=channel,
                given_by=GivenBy.GUARDIAN.value,
                guardian_id=guardian_id,
            )
        )
        if invite.purpose is InvitePurpose.CONSENT:
            await connection.execute(
                update(people)
                .where(people.c.id == invite.child_id)
                .values(consent_status=ConsentStatus.GRANTED.value)
            )

    async def _link(self, connection: DbConnection, guardian_id: int, child_id: int) -> bool:
        exists = select(guardian_links.c.child_id).where(
            guardian_links.c.guardian_id == guardian_id, guardian_links.c.child_id == child_id
        )
        if (await connection.execute(exists)).first() is not None:
            return True
        try:
            async with connection.begin_nested():
                await connection.execute(
                    insert(guardian_links).values(
                        guardian_id=guardian_id, child_id=child_id, created_at=self._clock.now()
                    )
                )
        except IntegrityError:
            pass  # linked by a concurrent answer: the link exists either way
        return True

    async def children_of(self, guardian_id: int) -> list[LinkedPerson]:
        return await self._linked(guardian_links.c.guardian_id, guardian_links.c.child_id, guardian_id)

    async def guardians_of(self, child_id: int) -> list[LinkedPerson]:
        return await self._linked(guardian_links.c.child_id, guardian_links.c.guardian_id, child_id)

    async def _linked(
        self, mine: ColumnElement[int], other: ColumnElement[int], person_id: int
    ) -> list[LinkedPerson]:
        query = (
            select(other.label("person_id"), profiles.c.display_name, guardian_links.c.created_at)
            .select_from(guardian_links)
            .outerjoin(profiles, profiles.c.person_id == other)
            .where(mine == person_id)
            .order_by(guardian_links.c.created_at)
        )
        async with self._db.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [LinkedPerson(r.person_id, r.display_name, r.created_at) for r in rows]

    async def unlink(self, guardian_id: int, child_id: int, *, actor_id: int) -> bool:
        if actor_id not in (guardian_id, child_id):
            raise NotAGuardian(str(actor_id))
        async with self._db.begin() as connection:
            result = await connection.execute(
                delete(guardian_links).where(
                    guardian_links.c.guardian_id == guardian_id, guardian_links.c.child_id == child_id
                )
            )
            removed = bool(result.rowcount == 1)
            if removed:
                other = child_id if actor_id == guardian_id else guardian_id
                await self._audit(connection, "guardian_unlinked", actor=actor_id, subject=other)
        return removed
