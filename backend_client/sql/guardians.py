"""Parents and children: one-time invites, the parent's answer, and the links both sides can remove."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update

from backend_client.errors import (
    ConsentRequired,
    InviteExpired,
    InviteNotFound,
    InviteUsed,
    NotAGuardian,
    OwnInvite,
)
from backend_client.guardianship import GuardianNotices
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
from backend_client.sql import reads
from backend_client.sql.consents import end_given_consents, system_notice
from backend_client.sql.enqueue import enqueue_in
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.infra.dialects import upsert
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.tables import consents, guardian_invites, guardian_links

log = logging.getLogger(__name__)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud and retyped
CODE_LENGTH = 10

_ACCEPTED_ACTION = {
    InvitePurpose.CONSENT: "guardian_consent_given",
    InvitePurpose.CONFIRM: "guardian_confirmed",
    InvitePurpose.LINK: "guardian_linked",
}
_CONSENT_KIND = {
    InvitePurpose.CONSENT: ConsentKind.PROCESSING,
    InvitePurpose.CONFIRM: ConsentKind.GUARDIAN_CONFIRMATION,
}


def normalise_code(code: str) -> str:
    """Codes are retyped by people: ignore case, spaces and dashes."""
    return code.strip().upper().replace(" ", "").replace("-", "")


def new_code() -> str:
    # 32^10 ≈ 10^15 codes: a collision with a stored one is not worth a retry loop.
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class SqlGuardians(SqlUseCases):
    async def create_invite(self, child_id: int, purpose: InvitePurpose, ttl: timedelta) -> Invite:
        """A one-time code the person passes to a parent; their older open codes of this purpose close.

        CONSENT (a child asks a parent to consent) needs the status AWAITING_GUARDIAN or DECLINED and sets
        AWAITING_GUARDIAN again; CONFIRM and LINK need GRANTED. Otherwise ConsentRequired.
        """
        now = self._clock.now()
        async with self._engine.begin() as connection:
            child = await self._person(connection, child_id, lock=True)
            if purpose is InvitePurpose.CONSENT:
                if child.consent not in (ConsentStatus.AWAITING_GUARDIAN, ConsentStatus.DECLINED):
                    raise ConsentRequired("a consent invite is for a child waiting for a parent")
                if child.consent is not ConsentStatus.AWAITING_GUARDIAN:
                    await self._update_person(
                        connection, child_id, consent_status=ConsentStatus.AWAITING_GUARDIAN.value
                    )
            elif child.consent is not ConsentStatus.GRANTED:
                raise ConsentRequired("links need the person's consent first")
            # Only the newest code works: an older one forwarded by mistake stops working.
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
            invite = Invite(new_code(), child_id, purpose, now, now + ttl)
            await connection.execute(
                insert(guardian_invites).values(
                    code=invite.code,
                    child_id=child_id,
                    purpose=purpose.value,
                    created_at=now,
                    expires_at=invite.expires_at,
                )
            )
            await self._audit(
                connection, "invite_created", actor=child_id, subject=child_id, purpose=purpose.value
            )
        return invite

    async def find_invite(self, code: str) -> Invite | None:
        """The invite behind a code as typed (used and expired ones too: check ``is_open``), or None."""
        query = select(guardian_invites).where(guardian_invites.c.code == normalise_code(code))
        async with self._quick.connect() as connection:
            row = (await connection.execute(query)).first()
        return reads.invite_from(row) if row else None

    async def answer_invite(
        self,
        code: str,
        guardian_id: int,
        *,
        accept: bool,
        version: str,
        channel: str,
        told: GuardianNotices | None = None,
    ) -> InviteAnswer:
        """A parent answers a code. Accepting records their consent (CONSENT) or confirmation (CONFIRM)
        and links them to the child; declining a CONSENT code marks the child's consent DECLINED. With
        ``told``, the child learns the answer to a CONSENT or CONFIRM code from the outbox, written in
        this transaction under a key of the code, so a repeated answer adds nothing.

        Raises InviteNotFound, InviteUsed, InviteExpired, OwnInvite, NotAGuardian (not a parent, or
        the parent's own consent is missing), PersonGone. Two parents answering one code at once: the
        conditional claim lets exactly one through, the other gets InviteUsed.
        """
        code = normalise_code(code)
        now = self._clock.now()
        outcome = InviteOutcome.ACCEPTED if accept else InviteOutcome.DECLINED
        async with self._engine.begin() as connection:
            invite = await self._usable_invite(connection, code, guardian_id, now, outcome)
            if invite.used_at is not None:
                # The same parent gave the same answer before: a double tap or a redelivery. Answer
                # as the first time, act no more.
                return InviteAnswer(invite, linked=accept)
            guardian = await self._person(connection, guardian_id)
            if guardian.role is not Role.PARENT or guardian.consent is not ConsentStatus.GRANTED:
                raise NotAGuardian(str(guardian_id))
            claimed = await connection.execute(
                update(guardian_invites)
                .where(guardian_invites.c.code == code, guardian_invites.c.used_at.is_(None))
                .values(used_at=now, used_by=guardian_id, outcome=outcome.value)
            )
            if claimed.rowcount != 1:
                raise InviteUsed(code)
            if accept:
                await self._accept(connection, invite, guardian_id, version, channel)
                action = _ACCEPTED_ACTION[invite.purpose]
            else:
                if invite.purpose is InvitePurpose.CONSENT:
                    await self._update_person(
                        connection, invite.child_id, consent_status=ConsentStatus.DECLINED.value
                    )
                action = "invite_declined"
            text = _told_text(told, invite.purpose, accept)
            if text:
                notice = system_notice(f"invite:{code}:{outcome.value}", invite.child_id, text, now)
                await enqueue_in(connection, [notice], now)
            await self._audit(
                connection, action, actor=guardian_id, subject=invite.child_id, purpose=invite.purpose.value
            )
        log.info("invite answered child=%s guardian=%s outcome=%s", invite.child_id, guardian_id, outcome)
        used = Invite(
            code, invite.child_id, invite.purpose, invite.created_at, invite.expires_at, now, outcome
        )
        return InviteAnswer(used, linked=accept)

    @staticmethod
    async def _usable_invite(
        connection: DbConnection, code: str, guardian_id: int, now: datetime, outcome: InviteOutcome
    ) -> Invite:
        """The invite to answer, or the one this guardian already answered so (``used_at`` set)."""
        query = select(guardian_invites).where(guardian_invites.c.code == code)
        if connection.dialect.name == "postgresql":
            query = query.with_for_update()  # a repeat waits for the first answer, then sees it
        row = (await connection.execute(query)).first()
        if row is None:
            raise InviteNotFound(code)
        invite = reads.invite_from(row)
        if invite.used_at is not None:
            if row.used_by == guardian_id and invite.outcome is outcome:
                return invite
            raise InviteUsed(code)
        if not invite.is_open(now):
            raise InviteExpired(code)
        if invite.child_id == guardian_id:
            raise OwnInvite(code)
        return invite

    async def _accept(
        self, connection: DbConnection, invite: Invite, guardian_id: int, version: str, channel: str
    ) -> None:
        kind = _CONSENT_KIND.get(invite.purpose)
        if kind is not None:
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
            await self._update_person(connection, invite.child_id, consent_status=ConsentStatus.GRANTED.value)
        # Linking twice (a second code answered by the same parent) keeps the first link.
        await connection.execute(
            upsert(connection, guardian_links)
            .values(guardian_id=guardian_id, child_id=invite.child_id, created_at=self._clock.now())
            .on_conflict_do_nothing(index_elements=["guardian_id", "child_id"])
        )

    async def children_of(self, guardian_id: int) -> list[LinkedPerson]:
        """The guardian's linked children with the names they gave, oldest link first."""
        async with self._quick.connect() as connection:
            return await reads.children_of(connection, guardian_id)

    async def guardians_of(self, child_id: int) -> list[LinkedPerson]:
        """The child's linked guardians with the names they gave, oldest link first."""
        async with self._quick.connect() as connection:
            return await reads.guardians_of(connection, child_id)

    async def unlink(
        self, guardian_id: int, child_id: int, *, actor_id: int, told: GuardianNotices | None = None
    ) -> bool:
        """Either side removes the link (anyone else: NotAGuardian); False when there was none.

        What the guardian gave for the child ends with the link (``end_given_consents``): a child under
        14 whose consent it was waits for a parent again, and the other side is told."""
        if actor_id not in (guardian_id, child_id):
            raise NotAGuardian(str(actor_id))
        async with self._engine.begin() as connection:
            result = await connection.execute(
                delete(guardian_links).where(
                    guardian_links.c.guardian_id == guardian_id, guardian_links.c.child_id == child_id
                )
            )
            removed = result.rowcount == 1
            if removed:
                other = child_id if actor_id == guardian_id else guardian_id
                await self._audit(connection, "guardian_unlinked", actor=actor_id, subject=other)
                await end_given_consents(
                    connection,
                    guardian_id,
                    self._clock.now(),
                    child_id=child_id,
                    told=told,
                    by_child=actor_id == child_id,
                )
        return removed


def _told_text(told: GuardianNotices | None, purpose: InvitePurpose, accept: bool) -> str:
    if told is None:
        return ""
    if purpose is InvitePurpose.CONSENT:
        return told.consent_given if accept else told.consent_refused
    if purpose is InvitePurpose.CONFIRM:
        return told.confirmed if accept else told.confirm_refused
    return ""
