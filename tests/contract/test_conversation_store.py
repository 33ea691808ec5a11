"""One contract for every conversation store: memory, SQLite, PostgreSQL and Redis."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from redis.asyncio import Redis

from backend_client.errors import ConversationConflict, DuplicateUpdate
from backend_client.kv.redis_store import RedisConversationStore
from backend_client.ports import Receipt


async def test_missing_key_loads_nothing(conversation_store):
    assert await conversation_store.load("nobody") is None


async def test_round_trip_and_increasing_versions(conversation_store):
    version = 0
    for blob in ("первый", "второй", "третий"):
        version = await conversation_store.save("a", blob, version)
    assert version == 3
    stored = await conversation_store.load("a")
    assert (stored.blob, stored.version) == ("третий", 3)


async def test_unicode_and_large_blobs_survive(conversation_store):
    blob = '{"имя":"Аня 😀","ё":"\\u0000"}' + "ж🙂" * 20_000
    await conversation_store.save("telegram:1", blob, 0)
    assert (await conversation_store.load("telegram:1")).blob == blob


async def test_stale_version_conflicts(conversation_store):
    await conversation_store.save("a", "x", 0)
    with pytest.raises(ConversationConflict):
        await conversation_store.save("a", "y", 0)  # a second "first" save
    await conversation_store.save("a", "y", 1)
    with pytest.raises(ConversationConflict):
        await conversation_store.save("a", "z", 1)
    with pytest.raises(ConversationConflict):
        await conversation_store.save("a", "z", 7)  # a version from the future
    stored = await conversation_store.load("a")
    assert (stored.blob, stored.version) == ("y", 2)


async def test_updating_a_missing_conversation_conflicts(conversation_store):
    with pytest.raises(ConversationConflict):
        await conversation_store.save("gone", "x", 3)
    assert await conversation_store.load("gone") is None


async def test_delete_then_start_over(conversation_store):
    await conversation_store.save("a", "x", 0)
    await conversation_store.delete("a")
    await conversation_store.delete("a")  # idempotent
    assert await conversation_store.load("a") is None
    assert await conversation_store.save("a", "new", 0) == 1


async def test_keys_are_independent(conversation_store):
    await conversation_store.save("telegram:1", "t", 0)
    await conversation_store.save("vk:1", "v", 0)
    await conversation_store.delete("vk:1")
    assert (await conversation_store.load("telegram:1")).blob == "t"
    assert await conversation_store.load("vk:1") is None


async def test_concurrent_saves_with_one_version_let_exactly_one_win(conversation_store):
    await conversation_store.save("race", "start", 0)
    results = await asyncio.gather(
        *(conversation_store.save("race", f"writer {i}", 1) for i in range(5)), return_exceptions=True
    )
    assert results.count(2) == 1
    assert all(isinstance(r, ConversationConflict) for r in results if r != 2)
    winner = results.index(2)
    assert (await conversation_store.load("race")).blob == f"writer {winner}"


async def test_concurrent_first_saves_let_exactly_one_win(conversation_store):
    results = await asyncio.gather(
        *(conversation_store.save("new", f"writer {i}", 0) for i in range(5)), return_exceptions=True
    )
    assert results.count(1) == 1
    assert all(isinstance(r, ConversationConflict) for r in results if r != 1)


async def test_a_negative_version_is_a_programming_error(conversation_store):
    with pytest.raises(ValueError, match="expected_version"):
        await conversation_store.save("a", "x", -1)


# -- Redis only --------------------------------------------------------------------------------------
async def test_redis_keys_carry_the_prefix_and_the_ttl(redis_client):
    store = RedisConversationStore(redis_client, prefix="test:conv:", ttl=timedelta(minutes=5))
    await store.save("telegram:1", "x", 0)
    assert await redis_client.exists("test:conv:telegram:1")
    assert 0 < await redis_client.pttl("test:conv:telegram:1") <= 5 * 60 * 1000
    await redis_client.persist("test:conv:telegram:1")
    await store.save("telegram:1", "y", 1)  # every save renews the expiry
    assert await redis_client.pttl("test:conv:telegram:1") > 0
    forever = RedisConversationStore(redis_client, prefix="other:")
    await forever.save("telegram:1", "z", 0)
    assert await redis_client.pttl("other:telegram:1") == -1
    assert (await store.load("telegram:1")).blob == "y"  # prefixes keep stores apart


async def test_redis_store_reads_text_from_a_decoding_client(redis_client, redis_url):
    client = Redis.from_url(redis_url, decode_responses=True)
    try:
        store = RedisConversationStore(client, prefix="decoded:")
        await store.save("k", "Аня", 0)
        stored = await store.load("k")
        assert (stored.blob, stored.version) == ("Аня", 1)
        await store.delete("k")
    finally:
        await client.aclose()


# -- receipts: an update's id recorded in the same write as the state it changed -------------------------
async def test_a_receipt_is_recorded_once_per_source(conversation_store):
    first = Receipt("telegram:1", 10)
    assert not await conversation_store.handled(first)
    await conversation_store.save("a", "x", 0, first)
    assert await conversation_store.handled(first)
    assert not await conversation_store.handled(Receipt("telegram:2", 10))  # another bot, its own ids
    with pytest.raises(DuplicateUpdate):
        await conversation_store.save("a", "y", 1, first)
    stored = await conversation_store.load("a")
    assert (stored.blob, stored.version) == ("x", 1)  # the duplicate wrote nothing


async def test_a_conflicting_save_records_no_receipt(conversation_store):
    await conversation_store.save("a", "x", 0)
    receipt = Receipt("telegram:1", 11)
    with pytest.raises(ConversationConflict):
        await conversation_store.save("a", "y", 0, receipt)
    assert not await conversation_store.handled(receipt)


async def test_turns_without_a_state_change_record_their_receipt(conversation_store):
    await conversation_store.record(Receipt("telegram:1", 12))
    assert await conversation_store.handled(Receipt("telegram:1", 12))
    with pytest.raises(DuplicateUpdate):
        await conversation_store.record(Receipt("telegram:1", 12))


async def test_a_delete_with_a_seen_receipt_deletes_nothing(conversation_store):
    await conversation_store.save("a", "x", 0)
    await conversation_store.delete("a", Receipt("telegram:1", 13))
    assert await conversation_store.load("a") is None
    await conversation_store.save("a", "x", 0)
    with pytest.raises(DuplicateUpdate):
        await conversation_store.delete("a", Receipt("telegram:1", 13))
    assert await conversation_store.load("a") is not None


async def test_concurrent_turns_with_one_receipt_let_exactly_one_through(conversation_store):
    receipt = Receipt("telegram:1", 14)
    results = await asyncio.gather(
        *(conversation_store.save(f"k{n}", "x", 0, receipt) for n in range(5)),
        conversation_store.record(receipt),
        return_exceptions=True,
    )
    assert sum(not isinstance(r, DuplicateUpdate) for r in results) == 1


# -- unsent replies: kept with the receipt until the transport reports them sent -------------------------
FUTURE = datetime(2100, 1, 1, tzinfo=UTC)
PAST = datetime(2000, 1, 1, tzinfo=UTC)


async def test_replies_are_kept_with_their_receipt_until_sent(conversation_store):
    saved, recorded, deleted = Receipt("telegram:1", 20), Receipt("telegram:1", 21), Receipt("telegram:1", 22)
    await conversation_store.save("a", "x", 0, saved, '{"r":"сохранено"}')
    await conversation_store.record(recorded, '{"r":"записано"}')
    await conversation_store.delete("a", deleted, '{"r":"удалено"}')
    assert await conversation_store.unsent_replies(saved) == '{"r":"сохранено"}'
    assert await conversation_store.unsent_replies(recorded) == '{"r":"записано"}'
    assert await conversation_store.unsent_replies(deleted) == '{"r":"удалено"}'
    await conversation_store.replies_sent(saved)
    assert await conversation_store.unsent_replies(saved) is None
    assert await conversation_store.handled(saved)  # sent, still a duplicate if it comes again


async def test_unsent_lists_a_sources_oldest_unsent_turns(conversation_store):
    await conversation_store.record(Receipt("telegram:1", 30), "первый")
    await conversation_store.record(Receipt("telegram:1", 31))  # nothing to send
    await conversation_store.record(Receipt("telegram:2", 32), "другой бот")
    await conversation_store.record(Receipt("telegram:1", 33), "второй")
    assert await conversation_store.unsent("telegram:1", PAST) == []
    found = await conversation_store.unsent("telegram:1", FUTURE)
    assert found == [(Receipt("telegram:1", 30), "первый"), (Receipt("telegram:1", 33), "второй")]
    await conversation_store.replies_sent(Receipt("telegram:1", 30))
    assert await conversation_store.unsent("telegram:1", FUTURE, limit=5) == [
        (Receipt("telegram:1", 33), "второй")
    ]
    assert await conversation_store.unsent_replies(Receipt("telegram:9", 1)) is None  # unknown receipt


async def test_replies_sent_for_an_unknown_receipt_records_nothing(conversation_store):
    await conversation_store.replies_sent(Receipt("telegram:1", 40))
    assert not await conversation_store.handled(Receipt("telegram:1", 40))
