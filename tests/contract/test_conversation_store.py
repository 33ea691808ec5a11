"""One contract for every conversation store: memory, SQLite, PostgreSQL and Redis."""

from __future__ import annotations

import asyncio

import pytest

from backend_client.errors import ConversationConflict


async def test_missing_key_loads_nothing(conversation_store):
    assert await conversation_store.load("nobody") is None


async def test_round_trip_and_versions(conversation_store):
    assert await conversation_store.save("a", "первый", 0) == 1
    assert await conversation_store.save("a", "второй 😀", 1) == 2
    stored = await conversation_store.load("a")
    assert (stored.blob, stored.version) == ("второй 😀", 2)


async def test_stale_version_conflicts(conversation_store):
    await conversation_store.save("a", "x", 0)
    with pytest.raises(ConversationConflict):
        await conversation_store.save("a", "y", 0)  # a second "first" save
    await conversation_store.save("a", "y", 1)
    with pytest.raises(ConversationConflict):
        await conversation_store.save("a", "z", 1)
    assert (await conversation_store.load("a")).blob == "y"


async def test_delete_then_start_over(conversation_store):
    await conversation_store.save("a", "x", 0)
    await conversation_store.delete("a")
    await conversation_store.delete("a")  # idempotent
    assert await conversation_store.load("a") is None
    assert await conversation_store.save("a", "new", 0) == 1


async def test_keys_are_independent(conversation_store):
    await conversation_store.save("telegram:1", "t", 0)
    await conversation_store.save("vk:1", "v", 0)
    assert (await conversation_store.load("telegram:1")).blob == "t"
    assert (await conversation_store.load("vk:1")).blob == "v"


async def test_concurrent_saves_with_one_version_let_exactly_one_win(conversation_store):
    await conversation_store.save("race", "start", 0)
    results = await asyncio.gather(
        *(conversation_store.save("race", f"writer {i}", 1) for i in range(5)), return_exceptions=True
    )
    winners = [r for r in results if r == 2]
    assert len(winners) == 1
    assert all(isinstance(r, ConversationConflict) for r in results if r != 2)
