"""A per-person rate limit: a token bucket per conversation key, in this process's memory.

Each person may send ``burst`` messages or presses at once and ``per_second`` after that. The first input
over the limit gets one calm answer; later ones are dropped unanswered, without touching the store or the
NLU, until the bucket is full again (the person paused for ``burst / per_second`` seconds), when the next
flood would be answered again. Inputs that fit in the bucket meanwhile are handled as usual.

Defaults (see bot.settings): a burst of 20 covers an album of 10 photos (10 updates at once) plus a long
text Telegram split into several messages; 2 per second is faster than anyone types, and faster than
anyone can tap through a test, since each press waits for the next question to arrive.

A refused input is answered "handled" and its receipt is not recorded: it was never processed, so a
redelivery (after a restart) handled then is handled once, not twice, and recording it would cost the store
write the limit is there to save. One bucket per key, per instance: behind a load balancer each instance
counts on its own, which still bounds what one person costs each of them.

Memory is bounded: buckets are kept in the order they were last used, a full bucket means nothing (a
person never seen has one) and is forgotten, and beyond ``max_keys`` the longest-idle bucket goes first.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from dialogs.texts import t
from dialogs.ui import Outcome, Reply

MAX_KEYS = 50_000  # about 240 bytes each (a Telegram key): 12 MiB at worst


@dataclass(frozen=True, slots=True)
class RateLimit:
    burst: int = 20  # inputs at once
    per_second: float = 2.0  # sustained

    def __post_init__(self) -> None:
        if self.burst < 1 or self.per_second <= 0:
            raise ValueError("a rate limit needs a burst of at least 1 and a positive rate")

    @property
    def refill_seconds(self) -> float:
        """How long an empty bucket takes to fill again."""
        return self.burst / self.per_second


class Verdict(Enum):
    PASS = "pass"  # handle it
    WARN = "warn"  # over the limit: answer calmly, once
    DROP = "drop"  # over the limit, already told: ignore


class _Bucket:
    __slots__ = ("stamp", "tokens", "warned")

    def __init__(self, tokens: float, stamp: float) -> None:
        self.tokens = tokens
        self.stamp = stamp
        self.warned = False


class FloodGate:
    def __init__(
        self,
        limit: RateLimit,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = MAX_KEYS,
    ) -> None:
        self.limit = limit
        self._clock = clock
        self._max_keys = max_keys
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()  # least recently used first

    @property
    def tracked(self) -> int:
        """How many people's buckets are held (the others have full ones)."""
        return len(self._buckets)

    def admit(self, key: str) -> Verdict:
        now = self._clock()
        self._forget_full(now)
        limit = self.limit
        bucket = self._buckets.pop(key, None)
        if bucket is None:
            bucket = _Bucket(float(limit.burst), now)
        else:
            bucket.tokens = min(float(limit.burst), bucket.tokens + (now - bucket.stamp) * limit.per_second)
            bucket.stamp = now
            if bucket.tokens >= limit.burst:
                bucket.warned = False  # a full bucket: the flood is over
        self._buckets[key] = bucket  # now the most recently used
        if len(self._buckets) > self._max_keys:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return Verdict.PASS
        if bucket.warned:
            return Verdict.DROP
        bucket.warned = True
        return Verdict.WARN

    def check(self, key: str) -> Outcome | None:
        """None when the input may be handled; else the whole answer to it (the calm reply, or nothing)."""
        verdict = self.admit(key)
        if verdict is Verdict.PASS:
            return None
        if verdict is Verdict.WARN:
            return Outcome(replies=(Reply(t("engine.flood")),))
        return Outcome()

    def _forget_full(self, now: float) -> None:
        """Drop the idle buckets that have filled up again: the oldest first, so this stops at once."""
        buckets, full_after = self._buckets, self.limit.refill_seconds
        while buckets:
            oldest = next(iter(buckets.values()))
            if now - oldest.stamp < full_after:
                return
            buckets.popitem(last=False)
