"""``notifications.Sender`` over messages.send: one proactive message, VK's answers mapped to outcomes.

Errors are read by ``bot.vk.errors`` (the same verdicts as the interactive delivery): blocked ends the
person's messages, a pause (6: a second, 29: ten minutes) pauses the relay's lane, transient is retried
by the relay later, refused (911 keyboard, 914 too long, 100 parameters) is final. The sender never
retries itself: the relay owns retries, so they are durable.

Each part gets a random_id derived from (person, day, text, part): a relay that re-sends a message after a
crash the same day is deduplicated by VK, while the same reminder on another day still goes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime

from vkbottle import API

from bot.vk.api import call, random_id
from bot.vk.errors import ERRORS, Failure, Kind, classify
from bot.vk.render import CONTINUATION, chunks, keyboards
from dialogs.ui import Button
from notifications.sender import Blocked, Delivered, Message, Outcome, Rejected, Throttled, Transient

log = logging.getLogger(__name__)


def _today() -> date:
    return datetime.now(UTC).date()


class VkSender:
    def __init__(self, api: API, *, today: Callable[[], date] = _today) -> None:
        self._api = api
        self._today = today

    async def send(self, message: Message) -> Outcome:
        pages = keyboards(tuple((Button(label, payload),) for label, payload in message.buttons))
        parts = chunks(message.text)
        day = self._today().isoformat()
        sent = None
        # A keyboard longer than VK allows goes on under "…" messages of its own (``bot.vk.render``), so
        # an alert's buttons and the «не присылать такие» after them all arrive.
        pieces: list[tuple[str, str | None]] = [
            (part, pages[0] if number == len(parts) and pages else None)
            for number, part in enumerate(parts, 1)
        ]
        pieces += [(CONTINUATION, page) for page in pages[1:]]
        try:
            for number, (part, page) in enumerate(pieces, start=1):
                sent = await call(
                    self._api,
                    "messages.send",
                    peer_id=message.chat_id,
                    random_id=random_id("outbox", message.chat_id, day, message.text, number),
                    message=part,
                    keyboard=page,
                )
        except ERRORS as error:
            return _outcome(classify(error))
        return Delivered(str(sent) if sent is not None else None)


def _outcome(failure: Failure) -> Outcome:
    match failure.kind:
        case Kind.BLOCKED:
            return Blocked(failure.reason)
        case Kind.RETRY_AFTER:
            return Throttled(failure.retry_after)  # the whole lane waits
        case Kind.TRANSIENT:
            return Transient(failure.reason)
    return Rejected(failure.reason)
