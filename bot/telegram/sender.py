"""``notifications.Sender`` over the Bot API: one proactive message, Telegram's answers mapped to outcomes.

Errors are read once here (PLATFORMS.md §7.3): 403 (blocked, deactivated, kicked) and 400 "chat not found"
end the chat's messages; 429 reports ``retry_after`` for the relay to pause the lane; 5xx and network
errors are transient; any other 400 is a refusal that retrying cannot fix. The sender never retries
itself: the relay owns retries, so they are durable and counted.
"""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)

from bot.telegram.render import inline_keyboard, split_text
from dialogs.ui import Button
from notifications.sender import Blocked, Delivered, Message, Outcome, Rejected, Throttled, Transient

log = logging.getLogger(__name__)
GONE_CHAT = ("chat not found", "user is deactivated", "peer_id_invalid")


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
        except TelegramRetryAfter as error:
            return Throttled(float(error.retry_after))
        except TelegramForbiddenError as error:
            return Blocked(error.message)
        except TelegramBadRequest as error:
            if any(gone in error.message.lower() for gone in GONE_CHAT):
                return Blocked(error.message)
            return Rejected(error.message)
        except TelegramNotFound as error:
            return Blocked(error.message)
        except (TelegramServerError, TelegramNetworkError) as error:
            return Transient(error.message or type(error).__name__)
        except TimeoutError:
            return Transient("timeout")
        return Delivered(str(sent.message_id) if sent is not None else None)
