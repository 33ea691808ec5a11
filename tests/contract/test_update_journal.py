"""Receipts of inbound updates over SQLite and PostgreSQL: recorded with the turn's state, pruned by age.

The receipt rules every conversation store keeps (memory and Redis too) are in test_conversation_store.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from backend_client.errors import ConversationConflict, DuplicateUpdate
from backend_client.ports import Receipt


async def test_prune_forgets_old_receipts_only(database, clock):
    conversations = database.conversations
    await conversations.record(Receipt("telegram:1", 1))
    clock.advance(timedelta(hours=25))
    await conversations.save("telegram:7", "{}", 0, Receipt("telegram:1", 2))
    assert await database.journal.prune(clock.now() - timedelta(hours=24)) == 1
    assert not await conversations.handled(Receipt("telegram:1", 1))
    assert await conversations.handled(Receipt("telegram:1", 2))


async def test_a_failed_state_write_leaves_no_receipt(database):
    """The crash-between-claim-and-effect hole: the receipt commits only together with the state."""
    conversations = database.conversations
    await conversations.save("telegram:7", "первое", 0)
    receipt = Receipt("telegram:1", 10)
    with pytest.raises(ConversationConflict):
        await conversations.save("telegram:7", "второе", 0, receipt)  # the write fails: rolled back whole
    assert not await conversations.handled(receipt)
    assert await conversations.save("telegram:7", "второе", 1, receipt) == 2  # the redelivery is handled
    assert (await conversations.load("telegram:7")).blob == "второе"


async def test_racing_transactions_with_one_receipt_commit_once(database):
    receipt = Receipt("telegram:1", 5)
    results = await asyncio.gather(
        *(database.conversations.save(f"telegram:{n}", "x", 0, receipt) for n in range(5)),
        return_exceptions=True,
    )
    assert results.count(1) == 1
    assert all(isinstance(r, DuplicateUpdate) for r in results if r != 1)
    stored = [await database.conversations.load(f"telegram:{n}") for n in range(5)]
    assert sum(s is not None for s in stored) == 1
