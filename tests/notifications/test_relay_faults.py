"""The relay when what it stands on fails: a database that goes away, a rate limiter that errs in the middle
of a batch, a stop or a kill mid-batch. Real PostgreSQL (behind a proxy that can cut the network), real
Redis, the real aiogram client and the Bot API emulator.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import pytest
from redis.exceptions import RedisError
from sqlalchemy.engine import make_url

from backend_client.broadcasts import CLI, Audience, CampaignDraft, CampaignKind
from backend_client.sql import open_database
from bot.telegram.runner import open_bot
from bot.telegram.sender import TelegramSender
from notifications.ratelimit import MemoryRateLimiter, RedisRateLimiter
from notifications.relay import Relay, RelayPolicy
from notifications.supervisor import Backoff, Supervisor
from tests.conftest import clean_postgres
from tests.notifications.proxy import CuttableProxy
from tests.notifications.test_relay import NOON, SAMARA, TOKEN, Hangs, drain, member
from tests.telegram_emulator import TelegramEmulator

LANE = "frontdoor:rate:lane"


@pytest.fixture
async def emulator() -> AsyncIterator[TelegramEmulator]:
    async with TelegramEmulator(TOKEN) as running:
        yield running


async def until(condition: Callable[[], bool], *, rounds: int = 2000) -> None:
    """Wait for ``condition`` in short steps (never a fixed long sleep); fail if it never comes."""
    for _ in range(rounds):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the condition never came true")


async def campaign(database, text: str, clock) -> None:
    await database.broadcasts.create_campaign(
        CLI, CampaignDraft(CampaignKind.NEWS, text, Audience(), clock.now())
    )
    await database.broadcasts.start_due_campaigns()


def texts(emulator, user_id: int) -> list[str]:
    return [message["text"].split("\n")[0] for message in emulator.transcript(user_id)]


def virtual_relay(database, sender, limiter, clock, **policy) -> Relay:
    """A relay whose limiter seconds and waits follow the manual clock."""

    async def sleep(delay: float) -> None:
        clock.advance(timedelta(seconds=delay))

    return Relay(
        database.outbox,
        {"telegram": sender},
        limiter,
        clock,
        owner="relay-1",
        timezone=SAMARA,
        policy=RelayPolicy(**policy),
        monotonic=lambda: (clock.now() - NOON).total_seconds(),
        sleep=sleep,
    )


async def test_the_relay_outlives_a_database_that_goes_away_and_then_delivers_everything(
    postgres_url, emulator, clock
):
    clock.set(NOON)
    url = make_url(postgres_url)
    proxy = CuttableProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    direct = await open_database(postgres_url, clock)
    await clean_postgres(direct)
    through_proxy = await open_database(
        url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False), clock
    )
    bot = open_bot(TOKEN, emulator.base_url)
    supervisor = Supervisor(backoff=Backoff(first=0.01, cap=0.05))
    relay = Relay(
        through_proxy.outbox,
        {"telegram": TelegramSender(bot)},
        MemoryRateLimiter(),
        clock,
        owner="relay-1",
        timezone=SAMARA,
    )
    stop = asyncio.Event()
    running = asyncio.create_task(relay.run(stop, idle=0.01, supervisor=supervisor))
    try:
        proxy.break_connections()  # PostgreSQL is away while the relay is idle
        await until(lambda: supervisor.failures("relay") >= 5 or running.done())
        assert not running.done()  # the loop goes on, retrying
        proxy.restore()
        people = [await member(direct, emulator, 900 + n) for n in range(12)]
        await campaign(direct, "После сбоя", clock)
        await until(lambda: all(emulator.transcript(900 + n) for n in range(len(people))))
        stop.set()
        await running
    finally:
        stop.set()
        if not running.done():
            running.cancel()
        with contextlib.suppress(BaseException):
            await running
        await bot.session.close()
        await through_proxy.close()
        await proxy.stop()
    assert [texts(emulator, 900 + n) for n in range(12)] == [["После сбоя"]] * 12
    assert await direct.outbox.counts() == {"delivered": 12}
    assert supervisor.failures("relay") == 0  # and it says it recovered
    await direct.close()


class BreaksRedis:
    """Delivers ``before`` messages, then breaks the shared rate limit's key: the limiter's next script
    call errs (WRONGTYPE), as a Redis that fails in the middle of a batch would."""

    def __init__(self, inner: TelegramSender, redis, before: int) -> None:
        self.inner, self.redis, self.left = inner, redis, before

    async def send(self, message):
        self.left -= 1
        if self.left == 0:
            await self.redis.delete(LANE)
            await self.redis.set(LANE, "not a hash")
        return await self.inner.send(message)


async def test_a_rate_limiter_error_mid_batch_gives_the_rows_back_at_once_and_in_order(
    database, emulator, clock, redis_client
):
    clock.set(NOON)
    people = 20
    for n in range(people):
        await member(database, emulator, 950 + n)
    await campaign(database, "Первая", clock)
    bot = open_bot(TOKEN, emulator.base_url)
    try:
        sender = TelegramSender(bot)
        limiter = RedisRateLimiter(redis_client)
        relay = virtual_relay(database, BreaksRedis(sender, redis_client, before=5), limiter, clock, batch=50)
        with contextlib.suppress(RedisError):  # the pass fails (and its supervisor would retry it)
            await relay.run_once()
        counts = await database.outbox.counts()
        assert "claimed" not in counts  # nothing waits out the two-minute lease
        assert counts["pending"] >= people - 5 - RelayPolicy().concurrency
        assert counts["pending"] + counts["delivered"] == people
        clock.advance(timedelta(seconds=30))
        await campaign(database, "Вторая", clock)  # a later campaign must not overtake the first
        await redis_client.delete(LANE)  # Redis is back
        relay = virtual_relay(database, sender, limiter, clock, batch=50)
        await drain(relay, clock, rounds=10)
    finally:
        await bot.session.close()
    assert [texts(emulator, 950 + n) for n in range(people)] == [["Первая", "Вторая"]] * people
    assert await database.outbox.counts() == {"delivered": 2 * people}


async def test_a_stop_mid_batch_gives_the_rows_not_started_back(database, emulator, clock):
    clock.set(NOON)
    for n in range(12):
        await member(database, emulator, 820 + n)
    await campaign(database, "Ярмарка", clock)
    stop = asyncio.Event()
    bot = open_bot(TOKEN, emulator.base_url)
    try:
        inner = TelegramSender(bot)

        class StopsAfterThree:
            sent = 0

            async def send(self, message):
                self.sent += 1
                if self.sent == 3:
                    stop.set()  # SIGTERM while the batch is going out
                return await inner.send(message)

        relay = virtual_relay(database, StopsAfterThree(), MemoryRateLimiter(), clock, concurrency=1)
        await relay.run(stop, supervisor=Supervisor())
    finally:
        await bot.session.close()
    assert await database.outbox.counts() == {"delivered": 3, "pending": 9}


async def test_a_relay_killed_mid_sending_repeats_only_the_calls_under_way(database, emulator, clock):
    clock.set(NOON)
    for n in range(12):
        await member(database, emulator, 840 + n)
    await campaign(database, "Ярмарка", clock)
    bot = open_bot(TOKEN, emulator.base_url)
    try:
        sender = TelegramSender(bot)
        hangs = Hangs(sender, before=5)  # five answered, then every call hangs: the process dies there
        doomed = virtual_relay(database, hangs, MemoryRateLimiter(), clock)  # eight calls at a time
        task = asyncio.create_task(doomed.run_once())
        await hangs.hung.wait()
        # each answered call is recorded on its own, not when the calls beside it end (they never do)
        delivered: list[int] = []

        async def recorded() -> None:
            delivered.append((await database.outbox.counts()).get("delivered", 0))

        for _ in range(300):
            await recorded()
            if delivered[-1] == 5:
                break
            await asyncio.sleep(0.01)
        assert delivered[-1] == 5
        task.cancel()  # killed
        with contextlib.suppress(asyncio.CancelledError):
            await task
        counts = await database.outbox.counts()
        assert "claimed" not in counts
        assert counts.get("sending", 0) <= RelayPolicy().concurrency
        clock.advance(timedelta(minutes=3))  # the dead relay's lease runs out
        await drain(virtual_relay(database, sender, MemoryRateLimiter(), clock), clock, rounds=3)
    finally:
        await bot.session.close()
    assert [len(emulator.transcript(840 + n)) for n in range(12)] == [1] * 12  # none of the five twice
    assert await database.outbox.counts() == {"delivered": 12}
