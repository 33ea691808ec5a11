"""Telegram's broadcast limits as token buckets on an injectable clock (Bots FAQ): about 30 messages/s
overall, 1 message/s per private chat with a short burst (3 here), 20 messages/min per group (chat_id < 0).
Only sends count, and a refused message uses no token. Off unless the emulator has ``rate_limits=True``."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(slots=True)
class Bucket:
    rate: float  # tokens per second
    capacity: float
    tokens: float
    stamp: float

    def wait(self, now: float) -> float:
        """Seconds until a token is there (0: one is there now)."""
        self.tokens = min(self.capacity, self.tokens + max(0.0, now - self.stamp) * self.rate)
        self.stamp = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


class RateLimits:
    def __init__(
        self,
        clock: Callable[[], float],
        *,
        overall_per_second: float = 30,
        private_burst: float = 3,
        group_per_minute: float = 20,
    ) -> None:
        self._clock = clock
        self._overall = Bucket(overall_per_second, overall_per_second, overall_per_second, clock())
        self._private_burst = private_burst
        self._group_per_minute = group_per_minute
        self._chats: dict[int, Bucket] = {}

    def retry_after(self, chat_id: int) -> int:
        """0 when a message to ``chat_id`` may go now (and it is counted), else whole seconds to wait."""
        now = self._clock()
        chat = self._chats.get(chat_id)
        if chat is None:
            if chat_id < 0:
                rate, capacity = self._group_per_minute / 60, self._group_per_minute
            else:
                rate, capacity = 1.0, self._private_burst
            chat = self._chats[chat_id] = Bucket(rate, capacity, capacity, now)
        wait = max(self._overall.wait(now), chat.wait(now))
        if wait > 0:
            return max(1, math.ceil(wait))
        self._overall.tokens -= 1
        chat.tokens -= 1
        return 0


class ManualSeconds:
    """A clock in seconds that moves only when told to: ``TelegramEmulator(clock=clock)``, then
    ``clock.advance(1.5)`` (or ``emulator.advance(1.5)``, which works with any clock)."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
