"""Domain errors. Each carries a stable ``code`` that the dialogs layer maps to a user-facing text."""

from __future__ import annotations


class DomainError(Exception):
    code = "domain_error"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.code)


class ConsentRequired(DomainError):
    """Personal data may not be stored for this person (no effective consent)."""

    code = "consent_required"


class InviteNotFound(DomainError):
    code = "invite_not_found"


class InviteExpired(DomainError):
    code = "invite_expired"


class InviteUsed(DomainError):
    code = "invite_used"


class OwnInvite(DomainError):
    """A person tried to answer an invite they issued themselves."""

    code = "own_invite"


class NotAGuardian(DomainError):
    code = "not_a_guardian"


class PersonGone(DomainError):
    """The person was erased while the conversation was going on."""

    code = "person_gone"


class ConversationConflict(Exception):
    """The stored conversation changed since it was loaded (another handler saved first)."""


class DuplicateUpdate(Exception):
    """The update's receipt was recorded before: another delivery of it was handled (nothing written)."""


class GuardianRequired(DomainError):
    """A child under 14 cannot consent alone: a parent must do it."""

    code = "guardian_required"


class WrongAgeBand(DomainError, ValueError):
    """The step does not fit the person's age band (e.g. only a child under 14 waits for a guardian).

    Flows never ask for such a step, so it keeps the generic ``domain_error`` code (and text).
    """
