"""What a person keeps with us: the profile, their personal data as a whole, notification choices."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from backend_client.guardianship import GuardianNotices
from backend_client.models import Profile
from backend_client.outreach import Category, DeliveryMode, NotificationSettings, QuietHours


class Profiles(Protocol):
    async def get_profile(self, person_id: int) -> Profile: ...

    async def save_profile(self, person_id: int, changes: Mapping[str, Any]) -> Profile:
        """Store validated profile fields in one transaction. Raises ConsentRequired without consent."""
        ...


class PersonalData(Protocol):
    async def export(self, person_id: int) -> dict[str, Any]:
        """Everything stored about the person, as JSON-ready data."""
        ...

    async def erase(self, person_id: int, *, reason: str, told: GuardianNotices | None = None) -> None:
        """Delete personal data, accounts and links; keep only anonymous counters and an audit line.
        Their name leaves other people's outbox rows; consents they gave for children end (``told``)."""
        ...


class NotificationPreferences(Protocol):
    async def notification_settings(self, person_id: int) -> NotificationSettings: ...

    async def set_delivery_mode(self, person_id: int, category: Category, mode: DeliveryMode) -> None:
        """The person's choice for one category. Raises ConsentRequired before consent."""
        ...

    async def set_quiet_hours(self, person_id: int, quiet: QuietHours | None) -> None:
        """Own quiet hours, or None to return to the default for the person's age."""
        ...
