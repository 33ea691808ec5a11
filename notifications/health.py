"""Heartbeats of the background loops, for ``/healthz``.

Each loop beats after every pass it completes. A loop that has not completed one for longer than the
configured time (plus its own period: an hourly sweep is not late after five minutes) is stale, and the
process reports itself unhealthy, so an orchestrator or a person notices a relay stuck on a broken
database instead of learning it from an empty campaign.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(slots=True)
class _Watched:
    period: float  # seconds between two passes when all is well
    last: float  # monotonic seconds of the last completed pass (or of the start)


class Heartbeats:
    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._loops: dict[str, _Watched] = {}

    def watch(self, name: str, *, period: float = 0.0) -> None:
        """Start expecting passes of ``name``; the clock starts now (a loop is given time to begin)."""
        self._loops[name] = _Watched(period, self._monotonic())

    def forget(self, name: str) -> None:
        """The loop stopped on purpose: nothing is expected of it any more."""
        self._loops.pop(name, None)

    def beat(self, name: str) -> None:
        """A pass of ``name`` completed (a loop not watched yet starts being watched)."""
        watched = self._loops.get(name)
        if watched is None:
            self._loops[name] = _Watched(0.0, self._monotonic())
        else:
            watched.last = self._monotonic()

    def stale(self, after: float) -> list[str]:
        """Loops whose last completed pass is more than ``after`` seconds (plus their period) ago."""
        now = self._monotonic()
        return sorted(name for name, w in self._loops.items() if now - w.last > after + w.period)

    def ages(self) -> dict[str, float]:
        """Seconds since each loop's last completed pass."""
        now = self._monotonic()
        return {name: now - w.last for name, w in sorted(self._loops.items())}
