"""Outgoing rate limits, in one place: a global token bucket, spacing per private chat, a window per group.

Defaults follow Telegram's published guidance with headroom (PLATFORMS.md §7.1): broadcasts at 25
messages/s sustained with bursts to 30, leaving room under the ~30/s ceiling for interactive replies; at
least one second between messages to one private chat; 20 per minute to one group (chat ids below zero).
A 429 pauses the whole lane. Time is passed in (monotonic seconds), so a virtual clock can drive the
limiter in tests and benchmarks. Two implementations share one contract test: memory (one relay) and
Redis (several relays share the budget).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any, Protocol

from redis.asyncio import Redis


@dataclass(frozen=True, slots=True)
class Limits:
    per_second: float = 25.0
    burst: int = 30
    private_interval: float = 1.0
    group_per_minute: int = 20


TELEGRAM = Limits()


def is_group(chat_id: str) -> bool:
    return chat_id.startswith("-")


class RateLimiter(Protocol):
    async def reserve(self, chat_id: str, now: float) -> float:
        """0.0: the message may go now and its slot is taken. Otherwise the seconds to wait first."""
        ...

    async def pause(self, until: float) -> None:
        """Hold the whole lane until ``until`` (the messenger answered 429)."""
        ...


class MemoryRateLimiter:
    """For a single relay process. Not thread-safe; one event loop uses it."""

    def __init__(self, limits: Limits = TELEGRAM) -> None:
        self._limits = limits
        self._tokens = float(limits.burst)
        self._refilled = 0.0
        self._paused_until = 0.0
        self._private: dict[str, float] = {}  # chat -> when its next message may go
        self._groups: dict[str, deque[float]] = {}  # chat -> send times within the last minute

    async def reserve(self, chat_id: str, now: float) -> float:
        if now < self._paused_until:
            return self._paused_until - now
        wait = self._chat_wait(chat_id, now)
        if wait > 0:
            return wait
        limits = self._limits
        if now > self._refilled:
            self._tokens = min(float(limits.burst), self._tokens + (now - self._refilled) * limits.per_second)
            self._refilled = now
        if self._tokens < 1.0:
            return (1.0 - self._tokens) / limits.per_second
        self._tokens -= 1.0
        if is_group(chat_id):
            self._groups.setdefault(chat_id, deque()).append(now)
        else:
            self._private[chat_id] = now + limits.private_interval
        return 0.0

    def _chat_wait(self, chat_id: str, now: float) -> float:
        if not is_group(chat_id):
            return max(0.0, self._private.get(chat_id, 0.0) - now)
        sent = self._groups.get(chat_id)
        if sent is None:
            return 0.0
        while sent and sent[0] <= now - 60.0:
            sent.popleft()
        if len(sent) < self._limits.group_per_minute:
            return 0.0
        return sent[0] + 60.0 - now

    async def pause(self, until: float) -> None:
        self._paused_until = max(self._paused_until, until)


# KEYS: 1 lane hash (tokens, refilled, paused_until), 2 the chat's key.
# ARGV: now, chat kind ("p" private / "g" group), per_second, burst, private_interval, group_per_minute.
# Returns the wait in microseconds as an integer (0: reserved). One script, so relays cannot interleave.
_RESERVE = """
local now = tonumber(ARGV[1])
local lane = redis.call('HMGET', KEYS[1], 'tokens', 'refilled', 'paused_until')
local paused = tonumber(lane[3] or '0')
if now < paused then return math.ceil((paused - now) * 1e6) end
if ARGV[2] == 'p' then
  local next_at = tonumber(redis.call('GET', KEYS[2]) or '0')
  if now < next_at then return math.ceil((next_at - now) * 1e6) end
else
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - 60)
  if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[6]) then
    local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
    return math.ceil((tonumber(oldest[2]) + 60 - now) * 1e6)
  end
end
local rate, burst = tonumber(ARGV[3]), tonumber(ARGV[4])
local tokens = tonumber(lane[1] or ARGV[4])
local refilled = tonumber(lane[2] or '0')
if now > refilled then
  tokens = math.min(burst, tokens + (now - refilled) * rate)
  refilled = now
end
if tokens < 1 then
  redis.call('HSET', KEYS[1], 'tokens', tokens, 'refilled', refilled)
  return math.ceil((1 - tokens) / rate * 1e6)
end
redis.call('HSET', KEYS[1], 'tokens', tokens - 1, 'refilled', refilled)
if ARGV[2] == 'p' then
  redis.call('SET', KEYS[2], now + tonumber(ARGV[5]), 'PX', math.ceil(tonumber(ARGV[5]) * 1000) + 1000)
else
  redis.call('ZADD', KEYS[2], now, tostring(now) .. ':' .. redis.call('INCR', KEYS[1] .. ':seq'))
  redis.call('EXPIRE', KEYS[2], 120)
end
return 0
"""

_PAUSE = """
local current = tonumber(redis.call('HGET', KEYS[1], 'paused_until') or '0')
if tonumber(ARGV[1]) > current then redis.call('HSET', KEYS[1], 'paused_until', ARGV[1]) end
return 0
"""


class RedisRateLimiter:
    """Several relays share one budget through Redis; every decision is one atomic script call.

    All relays must pass the same kind of clock (wall-clock seconds in production).
    """

    def __init__(self, client: Redis, limits: Limits = TELEGRAM, prefix: str = "frontdoor:rate:") -> None:
        self._client = client
        self._limits = limits
        self._prefix = prefix
        self._reserve: Any = client.register_script(_RESERVE)
        self._pause: Any = client.register_script(_PAUSE)

    async def reserve(self, chat_id: str, now: float) -> float:
        limits = self._limits
        waited = await self._reserve(
            keys=[self._prefix + "lane", self._prefix + "chat:" + chat_id],
            args=[
                repr(now),
                "g" if is_group(chat_id) else "p",
                limits.per_second,
                limits.burst,
                limits.private_interval,
                limits.group_per_minute,
            ],
        )
        return int(waited) / 1e6

    async def pause(self, until: float) -> None:
        await self._pause(keys=[self._prefix + "lane"], args=[repr(until)])
