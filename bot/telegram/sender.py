"""``notifications.Sender`` over the Bot API: one proactive message, Telegram's answers mapped to outcomes.

Errors are read by ``bot.telegram.errors`` (the same verdicts as the interactive delivery): blocked (403,
400 "chat not found") ends the chat's messages; 429 reports ``retry_after`` for the relay to pause the
lane; 5xx and network errors are transient; any other refusal is final. The sender never retries itself:
the relay owns retries, so they are durable and counted.
"""

from __future__ import annotations

import logging

from aiogram import Bot

from bot.telegram.errors import ERRORS, Failure, Kind, classify
from bot.telegram.render import inline_keyboard, split_text
from dialogs.ui import Button
from notifications.sender import Blocked, Delivered, Message, Outcome, Rejected, Throttled, Transient

log = logging.getLogger(__name__)


class TelegramSender:
    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, message: Message) -> Outcome:
        keyboard = tuple((Button(label, payload),) for label, payload in message.buttons)
        chunks = split_text(message.text)
        try:
            sent = None
            for number, chunk in enumerate(chunks, start=1):
                last = number == len(chunks)
                sent = await self._bot.send_message(
                    int(message.chat_id),
                    chunk,
                    reply_markup=inline_keyboard(keyboard) if last else None,
                    disable_notification=message.silent,
                )
        except ERRORS as error:
            return _outcome(classify(error))
        return Delivered(str(sent.message_id) if sent is not None else None)


def _outcome(failure: Failure) -> Outcome:
    match failure.kind:
        case Kind.BLOCKED:
            return Blocked(failure.reason)
        case Kind.RETRY_AFTER:
            return Throttled(failure.retry_after)
        case Kind.TRANSIENT:
            return Transient(failure.reason)
    return Rejected(failure.reason)
