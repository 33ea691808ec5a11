"""What sending one reply came to, as the Telegram and VK deliveries report it to their caller."""

from __future__ import annotations

from enum import Enum


class Sent(Enum):
    DELIVERED = "delivered"  # every message of the reply went out
    BLOCKED = "blocked"  # the person blocked the bot (the account is marked): nothing to send again
    FAILED = "failed"  # refused, or retries used up: the reply (or its tail) is unsent; an apology was tried

    @property
    def unsent(self) -> bool:
        """Whether the reply is still owed to the person (a journal of pending replies sends it later)."""
        return self is Sent.FAILED
