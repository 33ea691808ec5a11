"""Sending an engine ``Outcome`` through the Bot API, with Telegram's errors mapped in one place.

429 waits ``retry_after`` and retries a bounded number of times; 403 marks the account blocked and stops;
"message is not modified" counts as success; anything else is logged with the update id and the person
gets a calm apology.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.types import BufferedInputFile

from backend_client.ports import Accounts
from bot.telegram.render import MESSAGE_LIMIT, inline_keyboard, split_text
from dialogs.texts import t
from dialogs.ui import Outcome, Reply

log = logging.getLogger(__name__)

T = TypeVar("T")
CHANNEL = "telegram"
MAX_RETRIES = 3
CAPTION_LIMIT = 1024


def merge_texts(replies: tuple[Reply, ...]) -> list[Reply]:
    """Join a plain text reply with the one after it into one message (one notification, one API call).

    Only replies without buttons or documents are joined into the next, and only while the result fits
    in one message, so keyboards stay under the text they belong to.
    """
    merged: list[Reply] = []
    for reply in replies:
        if merged and _joinable(merged[-1], reply):
            first = merged[-1]
            merged[-1] = Reply(f"{first.text}\n\n{reply.text}", reply.keyboard, None, first.replace_pressed)
        else:
            merged.append(reply)
    return merged


def _joinable(first: Reply, second: Reply) -> bool:
    plain = not first.keyboard and first.document is None and second.document is None
    return plain and len(first.text) + 2 + len(second.text) <= MESSAGE_LIMIT


class Blocked(Exception):
    """The person blocked the bot: stop sending to this chat."""


class TelegramDelivery:
    def __init__(
        self,
        bot: Bot,
        accounts: Accounts,
        *,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self._bot = bot
        self._accounts = accounts
        self._sleep = sleep

    async def send(
        self,
        chat_id: int,
        account_id: str,
        outcome: Outcome,
        *,
        update_id: int,
        pressed_message_id: int | None,
    ) -> None:
        try:
            for index, reply in enumerate(merge_texts(outcome.replies)):
                edit = pressed_message_id if index == 0 and reply.replace_pressed else None
                await self._reply(chat_id, reply, edit)
        except Blocked:
            await self._accounts.set_blocked(CHANNEL, account_id, True)
        except TelegramAPIError as error:
            log.error("telegram send failed update=%s error=%s", update_id, type(error).__name__)
            await self.apologise(chat_id, account_id, update_id)

    async def apologise(self, chat_id: int, account_id: str, update_id: int) -> None:
        try:
            await self.call(lambda: self._bot.send_message(chat_id, t("engine.apology")))
        except Blocked:
            await self._accounts.set_blocked(CHANNEL, account_id, True)
        except TelegramAPIError:
            log.error("telegram apology failed update=%s", update_id)

    async def _reply(self, chat_id: int, reply: Reply, edit_message_id: int | None) -> None:
        markup = inline_keyboard(reply.keyboard)
        if reply.document is not None:
            document = BufferedInputFile(reply.document.content, filename=reply.document.filename)
            fits = len(reply.text) <= CAPTION_LIMIT
            await self.call(
                lambda: self._bot.send_document(
                    chat_id, document, caption=reply.text if fits else None, reply_markup=markup
                )
            )
            if not fits:
                await self._text(chat_id, reply.text, None, None)
            return
        await self._text(chat_id, reply.text, markup, edit_message_id)

    async def _text(self, chat_id: int, text: str, markup: Any, edit_message_id: int | None) -> None:
        chunks = split_text(text)
        for position, chunk in enumerate(chunks):
            keyboard = markup if position == len(chunks) - 1 else None
            if edit_message_id is not None and position == 0:
                await self.call(self._editor(chat_id, edit_message_id, chunk, keyboard))
            else:
                await self.call(self._sender(chat_id, chunk, keyboard))

    def _sender(self, chat_id: int, text: str, markup: Any) -> Callable[[], Awaitable[Any]]:
        return lambda: self._bot.send_message(chat_id, text, reply_markup=markup)

    def _editor(self, chat_id: int, message_id: int, text: str, markup: Any) -> Callable[[], Awaitable[Any]]:
        return lambda: self._bot.edit_message_text(
            text, chat_id=chat_id, message_id=message_id, reply_markup=markup
        )

    async def call(self, request: Callable[[], Awaitable[T]]) -> T | None:
        """One Bot API call with the error policy above; None when Telegram said "not modified"."""
        for attempt in range(MAX_RETRIES + 1):
            try:
                return await request()
            except TelegramRetryAfter as error:
                if attempt == MAX_RETRIES:
                    raise
                await self._sleep(error.retry_after)
            except TelegramForbiddenError as error:
                raise Blocked from error
            except TelegramBadRequest as error:
                if "message is not modified" in error.message:
                    return None
                raise
        raise AssertionError("unreachable")  # pragma: no cover
