"""One way to keep a background loop alive: the relay, the scheduler's lease and its sweeps all use it.

A pass that raises is logged at once with its traceback and tried again after a doubling pause (capped),
so a database or Redis that is away for a while costs a few log lines, not the loop; the pause starts
over after a pass that succeeds. Every completed pass beats the loop's heartbeat (``health``), so a loop
that keeps failing or hangs shows up in ``/healthz``. Cancellation is never swallowed: it is how a
process stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from notifications.health import Heartbeats

log = logging.getLogger(__name__)
T = TypeVar("T")
Waiter = Callable[[asyncio.Event, float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Backoff:
    first: float = 1.0
    cap: float = 60.0

    def after(self, failures: int) -> float:
        """The pause after ``failures`` failed passes in a row."""
        return float(min(self.cap, self.first * 2.0 ** max(0, failures - 1)))


@dataclass(frozen=True, slots=True)
class Retry:
    """A pass failed; the next try is due in ``after`` seconds."""

    after: float


async def wait_or_stop(stop: asyncio.Event, seconds: float) -> None:
    """Sleep ``seconds`` unless ``stop`` is set first (a pause of 0 still lets other tasks run)."""
    if seconds <= 0:
        await asyncio.sleep(0)
        return
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


class Supervisor:
    def __init__(
        self,
        heartbeats: Heartbeats | None = None,
        *,
        backoff: Backoff | None = None,
        wait: Waiter = wait_or_stop,
    ) -> None:
        self.heartbeats = heartbeats or Heartbeats()
        self._backoff = backoff or Backoff()
        self._wait = wait
        self._failures: dict[str, int] = {}

    def failures(self, name: str) -> int:
        """Failed passes of ``name`` in a row (0 after a pass that succeeded)."""
        return self._failures.get(name, 0)

    async def attempt(self, name: str, step: Callable[[], Awaitable[T]]) -> T | Retry:
        """One pass of ``name``: its result, or ``Retry`` (the error is logged) when it raised."""
        try:
            result = await step()
        except Exception:
            failures = self._failures[name] = self._failures.get(name, 0) + 1
            pause = self._backoff.after(failures)
            log.exception("%s failed (%d in a row); next try in %.0f s", name, failures, pause)
            return Retry(pause)
        failed = self._failures.pop(name, 0)
        if failed:
            log.warning("%s works again after %d failed passes", name, failed)
        self.heartbeats.beat(name)
        return result

    async def loop(
        self, name: str, step: Callable[[], Awaitable[float]], stop: asyncio.Event, *, period: float = 0.0
    ) -> None:
        """Pass after pass until ``stop`` is set. ``step`` returns the pause before the next pass (0: at
        once); ``period`` is how long a healthy loop may go between two passes (for the heartbeat)."""
        self.heartbeats.watch(name, period=period)
        try:
            while not stop.is_set():
                outcome = await self.attempt(name, step)
                await self._wait(stop, outcome.after if isinstance(outcome, Retry) else outcome)
        finally:
            if stop.is_set():  # a loop that ended any other way stays watched, and goes stale
                self.heartbeats.forget(name)
