"""``notifications.Sender`` over messages.send: one proactive message, VK's answers mapped to outcomes.

Errors are read once here (PLATFORMS.md §7.3): 901/902/900/18/7 and the gone-chat codes end the
person's messages; 6 (too many requests per second) reports a one-second pause for the relay's lane and
29 (method quota) a long one; 9 (flood control, per person) and 10 (internal) are transient; network
errors and timeouts too; anything else (911 keyboard, 914 too long, 100 parameters) is a refusal that
retrying cannot fix. The sender never retries itself: the relay owns retries, so they are durable.

Each part gets a random_id derived from (person, day, text, part): a relay that re-sends a message after a
crash the same day is deduplicated by VK, while the same reminder on another day still goes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime

from aiohttp import ClientError
from vkbottle import API, VKAPIError

from bot.vk.api import call, random_id
from bot.vk.render import chunks, keyboards
from dialogs.ui import Button
from notifications.sender import Blocked, Delivered, Message, Outcome, Rejected, Throttled, Transient

log = logging.getLogger(__name__)
GONE = frozenset({7, 18, 113, 900, 901, 902, 917, 936, 945, 946})
PAUSE = {6: 1.0, 29: 600.0}  # seconds the whole lane waits
TRANSIENT = frozenset({1, 9, 10})


def _today() -> date:
    return datetime.now(UTC).date()


class VkSender:
    def __init__(self, api: API, *, today: Callable[[], date] = _today) -> None:
        self._api = api
        self._today = today

    async def send(self, message: Message) -> Outcome:
        keyboard = tuple((Button(label, payload),) for label, payload in message.buttons)
        pages = keyboards(keyboard)
        parts = chunks(message.text)
        day = self._today().isoformat()
        sent = None
        try:
            for number, part in enumerate(parts, start=1):
                last = number == len(parts)
                sent = await call(
                    self._api,
                    "messages.send",
                    peer_id=message.chat_id,
                    random_id=random_id("outbox", message.chat_id, day, message.text, number),
                    message=part,
                    keyboard=pages[0] if last and pages else None,
                )
        except VKAPIError as error:
            return _outcome(error)
        except (ClientError, TimeoutError) as error:
            return Transient(type(error).__name__)
        return Delivered(str(sent) if sent is not None else None)


def _outcome(error: VKAPIError) -> Outcome:
    reason = f"{error.code}: {error.error_msg}"
    if error.code in GONE:
        return Blocked(reason)
    if error.code in PAUSE:
        return Throttled(PAUSE[error.code])
    if error.code in TRANSIENT:
        return Transient(reason)
    return Rejected(reason)
