"""Proactive messages: the durable outbox, named leases and what reminder rules read."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from backend_client.outreach import Notice, OutboxStatus, OutgoingMessage


class Outbox(Protocol):
    """Durable proactive messages: one row per message to one channel account, sent by relays."""

    async def enqueue(self, notices: Sequence[Notice]) -> int:
        """Store notices for every unblocked account of each person; known keys are skipped. Rows added."""
        ...

    async def claim(
        self,
        *,
        owner: str,
        limit: int,
        lease: timedelta,
        channels: Collection[str] | None = None,
        chats: Collection[str] | None = None,
    ) -> list[OutgoingMessage]:
        """Take up to ``limit`` due rows for ``lease``: pending ones whose time came, and rows whose relay
        died (lease expired). Highest priority first. ``channels``: only rows for these messengers (a
        relay takes only what it can send; None: every channel); ``chats``: only rows for these chat ids
        (a terminal chat's relay serves its own account and leaves the others to their terminals)."""
        ...

    async def start_sending(self, message_id: int, *, owner: str) -> bool:
        """Mark the messenger call as under way; False when the row was withdrawn or the lease lost."""
        ...

    async def start_sending_many(self, message_ids: Sequence[int], *, owner: str) -> set[int]:
        """The same for a wave of rows at once; the ids that may be sent."""
        ...

    async def delivered(self, message_id: int, *, owner: str, sent_message_id: str | None) -> None: ...

    async def delivered_many(self, rows: Sequence[tuple[int, str | None]], *, owner: str) -> None:
        """Record a wave's deliveries: (row id, the messenger's message id) pairs."""
        ...

    async def finish(self, message_id: int, status: OutboxStatus, *, owner: str, reason: str = "") -> None:
        """A final outcome other than delivery: blocked, failed (with the reason), cancelled, expired."""
        ...

    async def postpone(self, message_id: int, *, owner: str, until: datetime, reason: str = "") -> None:
        """Give a claimed row back, due again at ``until`` (quiet hours, a pause, a retry)."""
        ...

    async def release(self, message_ids: Sequence[int], *, owner: str) -> int:
        """Give back at once the rows among these that ``owner`` claimed and has not started sending
        (its relay failed or stops), in their place in the queue; how many went back."""
        ...

    async def absorb_digest(self, message_id: int, *, owner: str, header: str, limit: int) -> str | None:
        """Fold the chat's other rows waiting for the digest hour into this claimed one; the new text."""
        ...

    async def stop_account(self, channel: str, chat_id: str, *, reason: str) -> int:
        """The person blocked the bot: every pending row for that chat ends as blocked."""
        ...

    async def cancel(self, keys: Iterable[str] = (), *, campaign_id: int | None = None) -> int:
        """Withdraw rows not yet sent, by notice key or by campaign."""
        ...

    async def pending_keys(self, prefix: str) -> set[str]:
        """Keys of notices under ``prefix`` with a row not sent yet (for rules to withdraw stale ones)."""
        ...

    async def counts(self, *, campaign_id: int | None = None) -> dict[str, int]: ...

    async def failures(self, *, campaign_id: int | None = None) -> dict[str, int]: ...

    async def next_due(self) -> datetime | None: ...

    async def forget_texts(self, finished_before: datetime, limit: int = 1000) -> int:
        """Blank the text of rows that ended before ``finished_before`` (retention); rows blanked."""
        ...


class Leases(Protocol):
    async def hold(self, name: str, holder: str, ttl: timedelta) -> bool:
        """Take or renew the named lease for ``ttl``; False while someone else holds it."""
        ...

    async def let_go(self, name: str, holder: str) -> None: ...


class ReminderSources(Protocol):
    """What reminder rules read from the records."""

    async def unfinished_starts(
        self, started_after: datetime, started_before: datetime
    ) -> list[tuple[int, str]]:
        """(person_id, "onboarding" | "profile") of people who began in the window and did not finish."""
        ...
