"""Conversation state in process memory: the baseline for benchmarks and a store for throwaway runs."""

from __future__ import annotations

from datetime import datetime

from backend_client.clock import Clock, SystemClock
from backend_client.errors import ConversationConflict, DuplicateUpdate
from backend_client.ports import Receipt, StoredConversation


class MemoryConversationStore:
    """``ConversationStore`` in a dict. Nothing awaits between the check and the write, so concurrent
    saves in one event loop conflict exactly like the SQL and Redis stores. Receipts are kept for the
    store's life."""

    def __init__(self, clock: Clock | None = None) -> None:
        self._items: dict[str, StoredConversation] = {}
        self._receipts: set[Receipt] = set()
        self._unsent: dict[Receipt, tuple[datetime, str]] = {}  # in insertion (= time) order
        self._clock = clock or SystemClock()

    async def load(self, key: str) -> StoredConversation | None:
        return self._items.get(key)

    async def save(
        self,
        key: str,
        blob: str,
        expected_version: int,
        receipt: Receipt | None = None,
        replies: str | None = None,
    ) -> int:
        if expected_version < 0:
            raise ValueError("expected_version is 0 (nothing stored) or a version returned by save")
        current = self._items.get(key)
        if (current.version if current else 0) != expected_version:
            raise ConversationConflict(key)
        self._take(receipt, replies)
        self._items[key] = StoredConversation(blob, expected_version + 1)
        return expected_version + 1

    async def delete(self, key: str, receipt: Receipt | None = None, replies: str | None = None) -> None:
        self._take(receipt, replies)
        self._items.pop(key, None)

    async def record(self, receipt: Receipt, replies: str | None = None) -> None:
        self._take(receipt, replies)

    async def handled(self, receipt: Receipt) -> bool:
        return receipt in self._receipts

    async def unsent_replies(self, receipt: Receipt) -> str | None:
        pending = self._unsent.get(receipt)
        return pending[1] if pending else None

    async def replies_sent(self, receipt: Receipt) -> None:
        self._unsent.pop(receipt, None)

    async def unsent(self, source: str, before: datetime, limit: int = 100) -> list[tuple[Receipt, str]]:
        found = [
            (r, replies) for r, (at, replies) in self._unsent.items() if r.source == source and at < before
        ]
        return found[:limit]

    def _take(self, receipt: Receipt | None, replies: str | None) -> None:
        if receipt is None:
            return
        if receipt in self._receipts:
            raise DuplicateUpdate(f"{receipt.source}:{receipt.update_id}")
        self._receipts.add(receipt)
        if replies:
            self._unsent[receipt] = (self._clock.now(), replies)
