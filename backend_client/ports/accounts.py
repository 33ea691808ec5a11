"""Who a person is to the records: their channel accounts, role, consents and guardians."""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from backend_client.guardianship import GivenConsent, GuardianNotices
from backend_client.models import (
    AgeBand,
    ChannelAccount,
    Consent,
    Invite,
    InviteAnswer,
    InvitePurpose,
    LinkedPerson,
    Person,
    Role,
)


class Accounts(Protocol):
    async def identify(self, channel: str, external_id: str, chat_id: str) -> Person:
        """The person behind a channel account; created on first contact with no personal data at all."""
        ...

    async def accounts_of(self, person_id: int) -> list[ChannelAccount]: ...

    async def set_blocked(self, channel: str, external_id: str, blocked: bool) -> None:
        """The messenger told us the person blocked (or unblocked) the bot."""
        ...


class Onboarding(Protocol):
    async def choose_role(self, person_id: int, role: Role, age_band: AgeBand) -> Person:
        """Record who the person is and their age band: the minimum needed to run the consent procedure."""
        ...


class Consents(Protocol):
    async def give_own_consent(self, person_id: int, *, version: str, channel: str) -> Person:
        """The person consents for themselves (14 and over)."""
        ...

    async def decline(self, person_id: int) -> Person:
        """The person refuses consent: anything personal already kept is removed."""
        ...

    async def await_guardian(self, person_id: int) -> Person:
        """A child under 14 asks a parent to consent; until then nothing personal is stored."""
        ...

    async def consents_of(self, person_id: int) -> list[Consent]: ...

    async def consents_given(self, guardian_id: int) -> list[GivenConsent]:
        """Consents and confirmations the guardian gave for children (what the guardian may withdraw)."""
        ...

    async def withdraw_given_consent(
        self, guardian_id: int, child_id: int, *, told: GuardianNotices | None = None
    ) -> bool:
        """The guardian withdraws what they gave for the child; a child under 14 waits for a parent
        again, their data deleted, and is told. False when there was nothing to withdraw."""
        ...


class Guardians(Protocol):
    async def create_invite(self, child_id: int, purpose: InvitePurpose, ttl: timedelta) -> Invite:
        """A one-time code the child passes to a parent; older open codes of that purpose stop working."""
        ...

    async def find_invite(self, code: str) -> Invite | None: ...

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
        """The parent answers; accepting records the guardian's consent or confirmation and links them.
        With ``told`` the child is told the answer through the outbox, in the same transaction.

        Raises InviteNotFound, InviteExpired, InviteUsed, OwnInvite, NotAGuardian.
        """
        ...

    async def children_of(self, guardian_id: int) -> list[LinkedPerson]: ...

    async def guardians_of(self, child_id: int) -> list[LinkedPerson]: ...

    async def unlink(
        self, guardian_id: int, child_id: int, *, actor_id: int, told: GuardianNotices | None = None
    ) -> bool:
        """Either side may remove a link; returns False when there was none. What the guardian gave for
        the child ends with it, and the other side is told (``told``)."""
        ...
