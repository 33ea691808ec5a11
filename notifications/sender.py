"""The port every messenger implements to deliver proactive messages, and the outcomes it reports.

A transport (``bot/telegram``, later VK) maps its API's answers onto these outcomes once; the relay
decides what each means for the outbox row, the account and the lane.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Message:
    """What goes out: the text (with the line saying why it came) and one-tap buttons."""

    chat_id: str
    text: str
    buttons: tuple[tuple[str, str], ...] = ()  # (label, payload)
    silent: bool = False  # delivered without a sound (critical messages at night)


@dataclass(frozen=True, slots=True)
class Delivered:
    message_id: str | None = None


@dataclass(frozen=True, slots=True)
class Blocked:
    """The person blocked the bot, deleted their account, or the chat is gone: stop writing to it."""

    reason: str


@dataclass(frozen=True, slots=True)
class Throttled:
    """The messenger asked to slow down: the whole lane waits ``retry_after`` seconds."""

    retry_after: float


@dataclass(frozen=True, slots=True)
class Transient:
    """A server error, a timeout or a broken connection: worth another try later."""

    reason: str


@dataclass(frozen=True, slots=True)
class Rejected:
    """The messenger refused this message for good (too long, bad markup): retrying cannot help."""

    reason: str


Outcome = Delivered | Blocked | Throttled | Transient | Rejected


class Sender(Protocol):
    async def send(self, message: Message) -> Outcome:
        """Send one message; never raises for API errors, it reports them as an outcome."""
        ...
