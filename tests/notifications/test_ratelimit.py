"""One contract for both rate limiters (memory and Redis), driven on virtual seconds."""

from __future__ import annotations

import itertools

import pytest

from notifications.ratelimit import TELEGRAM, Limits, MemoryRateLimiter, RedisRateLimiter

START = 1_000.0


@pytest.fixture(params=["memory", "redis"])
def limiter_for(request):
    client = request.getfixturevalue("redis_client") if request.param == "redis" else None
    built = itertools.count()

    def build(limits: Limits = TELEGRAM):
        if client is None:
            return MemoryRateLimiter(limits)
        return RedisRateLimiter(client, limits, prefix=f"test:rate:{next(built)}:")

    return build


async def sends_within(limiter, chats, seconds: float, step: float = 0.001) -> int:
    """How many messages go out in ``seconds`` when every chat always has one waiting."""
    now, sent, queue = START, 0, list(chats)
    while now < START + seconds:
        chat = queue[sent % len(queue)]
        wait = await limiter.reserve(chat, now)
        if wait <= 0:
            sent += 1
        else:
            now += max(wait, step)
    return sent


async def test_the_global_bucket_allows_the_burst_then_the_rate(limiter_for):
    limiter = limiter_for(Limits(per_second=25, burst=30))
    sent = await sends_within(limiter, [str(i) for i in range(10_000)], 10.0)
    assert 30 + 25 * 10 - 2 <= sent <= 30 + 25 * 10 + 1


async def test_one_private_chat_gets_at_most_one_message_a_second(limiter_for):
    limiter = limiter_for()
    assert await limiter.reserve("42", START) == 0
    assert await limiter.reserve("42", START + 0.5) == pytest.approx(0.5)
    assert await limiter.reserve("43", START + 0.5) == 0  # another chat is not held up
    assert await limiter.reserve("42", START + 1.0) == 0


async def test_a_group_gets_twenty_a_minute(limiter_for):
    limiter = limiter_for()
    sent = await sends_within(limiter, ["-100500"], 120.0)
    assert sent == 40
    fresh = limiter_for(Limits(group_per_minute=20))
    for second in range(20):
        assert await fresh.reserve("-7", START + second) == 0
    assert await fresh.reserve("-7", START + 20) == pytest.approx(40.0)


async def test_a_pause_holds_every_chat_and_never_shortens(limiter_for):
    limiter = limiter_for()
    await limiter.pause(START + 30)
    await limiter.pause(START + 5)
    assert await limiter.reserve("1", START) == pytest.approx(30)
    assert await limiter.reserve("-1", START + 29) == pytest.approx(1)
    assert await limiter.reserve("1", START + 30) == 0


async def test_a_refused_reservation_takes_nothing(limiter_for):
    limiter = limiter_for(Limits(per_second=1, burst=1))
    assert await limiter.reserve("1", START) == 0
    assert await limiter.reserve("2", START + 0.5) == pytest.approx(0.5)
    assert await limiter.reserve("2", START + 1.0) == 0
