"""The inbound update journal over SQLite and PostgreSQL: claim once, release, prune."""

from __future__ import annotations

import asyncio
from datetime import timedelta


async def test_an_update_is_claimed_once_per_source(database):
    journal = database.journal
    assert await journal.first_sighting("telegram:1", 10)
    assert not await journal.first_sighting("telegram:1", 10)
    assert await journal.first_sighting("telegram:2", 10)  # another bot, its own ids


async def test_a_released_claim_can_be_taken_again(database):
    journal = database.journal
    await journal.first_sighting("telegram:1", 10)
    await journal.release("telegram:1", 10)
    await journal.release("telegram:1", 10)  # idempotent
    assert await journal.first_sighting("telegram:1", 10)


async def test_prune_forgets_old_claims_only(database, clock):
    journal = database.journal
    await journal.first_sighting("telegram:1", 1)
    clock.advance(timedelta(hours=25))
    await journal.first_sighting("telegram:1", 2)
    assert await journal.prune(clock.now() - timedelta(hours=24)) == 1
    assert await journal.first_sighting("telegram:1", 1)
    assert not await journal.first_sighting("telegram:1", 2)


async def test_concurrent_claims_of_one_update_let_one_through(database):
    results = await asyncio.gather(*(database.journal.first_sighting("telegram:1", 5) for _ in range(5)))
    assert results.count(True) == 1
