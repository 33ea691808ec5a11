"""Operators, campaigns and system messages."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from backend_client.broadcasts import (
    Actor,
    Audience,
    Campaign,
    CampaignDraft,
    CampaignStats,
    MaintenanceTexts,
    SystemMessage,
)


class Broadcasts(Protocol):
    """Operators and what they send. Every method taking an ``Actor`` checks the operator role in its own
    transaction (NotOperator) and writes the audit line there."""

    async def is_operator(self, channel: str, account_id: str) -> bool: ...

    async def grant_operator(self, channel: str, account_id: str, *, by: str) -> bool: ...

    async def revoke_operator(self, channel: str, account_id: str, *, by: str) -> bool: ...

    async def operator_accounts(self) -> list[tuple[str, str]]: ...

    async def audience_size(self, actor: Actor, audience: Audience) -> int: ...

    async def create_campaign(self, actor: Actor, draft: CampaignDraft) -> Campaign: ...

    async def campaign(self, actor: Actor, campaign_id: int) -> CampaignStats | None: ...

    async def recent_campaigns(self, actor: Actor, *, limit: int = 10) -> list[Campaign]: ...

    async def cancel_campaign(self, actor: Actor, campaign_id: int) -> int:
        """Withdraws what is not sent yet; CampaignClosed when it was already cancelled."""
        ...

    async def start_due_campaigns(self, *, limit: int = 10) -> list[int]:
        """Fan out campaigns whose time came; the ids started."""
        ...

    async def plan_maintenance(
        self, actor: Actor, starts_at: datetime, ends_at: datetime, texts: MaintenanceTexts
    ) -> SystemMessage:
        """NoticeTooShort unless announced 3 working days ahead; BadWindow for an empty or past window."""
        ...

    async def announce_emergency(self, actor: Actor, text: str) -> SystemMessage: ...

    async def cancel_system_message(
        self, actor: Actor, message_id: int, *, works_off: str, resolved: str | None = None
    ) -> bool:
        """Call a system message off; False when there is no open one with that id. Planned works: their
        reminders are withdrawn and, when people were told, ``works_off`` goes to everyone. An emergency:
        what has not gone yet is withdrawn and, only when given, ``resolved`` goes to everyone."""
        ...

    async def system_messages(self) -> list[SystemMessage]: ...

    async def maintenance_windows(self) -> list[tuple[datetime, datetime]]: ...
