"""What the store tells the other side when a parent's consent or confirmation starts or ends.

The store writes these messages into the outbox in the same transaction as the consent record, so the
waiting side learns of it exactly when it happened. The words come from the dialogs layer (the store
knows no Russian); none of them names the other person, so a message never carries more about someone
than the recipient already knew.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from backend_client.models import ConsentKind


@dataclass(frozen=True, slots=True)
class GuardianNotices:
    """Texts of the proactive messages about a parent's consent (category "system")."""

    consent_given: str  # to a child under 14: the parent consented, continue
    consent_refused: str  # to a child under 14: the parent declined
    confirmed: str  # to a 14–17-year-old: the parent confirmed their consent
    confirm_refused: str  # to a 14–17-year-old: the parent declined to confirm
    consent_ended: str  # to a child under 14: the consent they were processed on ended, data deleted
    confirmation_ended: str  # to a 14–17-year-old: the parent's confirmation ended
    giver_unlinked: str  # to a parent: the child unlinked them, the consent they gave ended


@dataclass(frozen=True, slots=True)
class GivenConsent:
    """A consent (or confirmation) a parent gave for a linked child, as the parent may see it."""

    consent_id: int
    child_id: int
    child_name: str | None
    kind: ConsentKind
    version: str
    given_at: datetime
