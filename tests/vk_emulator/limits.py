"""VK's request limit for a community token, 20 requests per second (vk.com/dev/api_requests), as a
sliding one-second window on an injectable clock. Off unless the emulator has ``rate_limits=True``."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable


class RequestLimit:
    def __init__(self, clock: Callable[[], float], per_second: int = 20) -> None:
        self._clock = clock
        self._per_second = per_second
        self._stamps: deque[float] = deque()

    def allow(self) -> bool:
        """Whether one more request may go now (and count it); a refused request is not counted."""
        now = self._clock()
        while self._stamps and self._stamps[0] <= now - 1.0:
            self._stamps.popleft()
        if len(self._stamps) >= self._per_second:
            return False
        self._stamps.append(now)
        return True


class ManualSeconds:
    """A clock that moves only when told to: ``VkEmulator(clock=clock)``, then ``clock.advance(1.5)``."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
