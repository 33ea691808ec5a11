"""Conversation state between messages and the receipts of handled inbound updates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class StoredConversation:
    blob: str
    version: int


@dataclass(frozen=True, slots=True)
class Receipt:
    """One inbound update as the messenger numbered it. ``source`` names the bot: ids are per bot, and
    Telegram may restart them, so a receipt is remembered as an id, never as "the highest id seen"."""

    source: str
    update_id: int


class ConversationStore(Protocol):
    """Conversation state kept between messages, as an opaque blob with an optimistic version.

    A turn may carry the ``Receipt`` of the update that caused it: the store then records the receipt in
    the same atomic write as the state, so a redelivered update is recognised exactly when its effect on
    the conversation was kept (no "claimed but lost" window), and two deliveries racing each other commit
    once (the store decides; the loser raises DuplicateUpdate and writes nothing).

    The receipt also keeps the turn's ``replies`` (opaque text) until the transport calls
    ``replies_sent``: a redelivery of a turn whose replies never left finds them with
    ``unsent_replies``, and a sweep finds the ones no redelivery will come for with ``unsent``.
    """

    async def load(self, key: str) -> StoredConversation | None: ...

    async def save(
        self,
        key: str,
        blob: str,
        expected_version: int,
        receipt: Receipt | None = None,
        replies: str | None = None,
    ) -> int:
        """Store ``blob`` if the stored version is still ``expected_version`` (0: nothing stored yet).

        Returns the new version; raises ConversationConflict if someone else saved in between, and
        DuplicateUpdate if ``receipt`` was recorded before. Either way nothing is written.
        """
        ...

    async def delete(self, key: str, receipt: Receipt | None = None, replies: str | None = None) -> None:
        """Forget the conversation; with ``receipt`` as ``save`` does (DuplicateUpdate, nothing deleted)."""
        ...

    async def record(self, receipt: Receipt, replies: str | None = None) -> None:
        """Record the receipt of a turn that changed no state; DuplicateUpdate if it was recorded before."""
        ...

    async def handled(self, receipt: Receipt) -> bool:
        """Whether a turn with this receipt was committed (receipts are kept at least 24 hours)."""
        ...

    async def unsent_replies(self, receipt: Receipt) -> str | None:
        """The replies of a committed turn that were not yet reported sent; None when sent or unknown."""
        ...

    async def replies_sent(self, receipt: Receipt) -> None:
        """The messenger took the turn's replies: forget them."""
        ...

    async def unsent(self, source: str, before: datetime, limit: int = 100) -> list[tuple[Receipt, str]]:
        """Turns of ``source`` recorded before ``before`` whose replies were never reported sent, oldest
        first."""
        ...


class UpdateJournal(Protocol):
    """The receipts of handled inbound updates (``ConversationStore`` records them with each turn)."""

    async def prune(self, before: datetime) -> int:  # receipts, their unsent replies and press keys
        """Drop receipts older than ``before`` (Telegram keeps updates for 24 hours)."""
        ...
