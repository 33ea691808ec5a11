"""Sending an engine ``Outcome`` through the Bot API; Telegram's errors are read by ``bot.telegram.errors``
(the same verdicts as the relay's sender) and mapped here:

- 429 waits ``retry_after``; transient failures (5xx, network errors and timeouts, an answer that is not
  Telegram's JSON, e.g. a proxy's 502 page) wait a short doubling backoff (0.5 s, 1 s, 2 s); both share a
  bound of three retries per call. A retry after a timeout may show a message twice (Telegram may have
  taken the first try); not retrying would lose it.
- blocked (403, 400 "chat not found") marks the account blocked and stops; "message is not modified"
  counts as success.
- Anything else, or retries used up: logged with the update id and the person gets a calm apology.

Contract with the caller: ``send`` returns a ``Sent``. ``Sent.FAILED`` means the reply, or its tail, did
not reach the person (an apology was attempted, which does not change that): the caller keeps it to send
again. ``Sent.BLOCKED``: nothing to send again. Nothing but programming errors escapes ``send``.
``answer_query`` (answerCallbackQuery) never raises: an expired query ("query is too old", any press
handled late) or a failed answer is logged and the screen that follows is sent all the same.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiogram import Bot
from aiogram.types import BufferedInputFile

from backend_client.ports import Accounts
from bot.sent import Sent
from bot.telegram.errors import ERRORS, Kind, classify, not_modified
from bot.telegram.render import MESSAGE_LIMIT, inline_keyboard, split_text
from dialogs.texts import t
from dialogs.ui import Outcome, Reply

log = logging.getLogger(__name__)

T = TypeVar("T")
CHANNEL = "telegram"
MAX_RETRIES = 3
BACKOFF = 0.5  # seconds before the first retry of a transient failure, doubling
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
        backoff: float = BACKOFF,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self._bot = bot
        self._accounts = accounts
        self._backoff = backoff
        self._sleep = sleep

    async def send(
        self,
        chat_id: int,
        account_id: str,
        outcome: Outcome,
        *,
        update_id: int,
        pressed_message_id: int | None,
    ) -> Sent:
        try:
            for index, reply in enumerate(merge_texts(outcome.replies)):
                edit = pressed_message_id if index == 0 and reply.replace_pressed else None
                await self._reply(chat_id, reply, edit)
        except Blocked:
            await self._accounts.set_blocked(CHANNEL, account_id, True)
            return Sent.BLOCKED
        except ERRORS as error:
            log.error("telegram send failed update=%s error=%s", update_id, type(error).__name__)
            await self.apologise(chat_id, account_id, update_id)
            return Sent.FAILED
        return Sent.DELIVERED

    async def answer_query(self, query_id: str, notice: str | None, *, update_id: int) -> bool:
        """Answer a callback query (or the button keeps spinning); False, logged, when Telegram refused.
        Never raises: the caller goes on to send the screen that follows."""
        try:
            await self.call(lambda: self._bot.answer_callback_query(query_id, text=notice))
        except (Blocked, *ERRORS) as error:
            cause = error.__cause__ if isinstance(error, Blocked) else error
            log.warning("telegram callback answer failed update=%s error=%s", update_id, type(cause).__name__)
            return False
        return True

    async def apologise(self, chat_id: int, account_id: str, update_id: int) -> None:
        try:
            await self.call(lambda: self._bot.send_message(chat_id, t("engine.apology")))
        except Blocked:
            await self._accounts.set_blocked(CHANNEL, account_id, True)
        except ERRORS:
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
        delay = self._backoff
        for attempt in range(MAX_RETRIES + 1):
            last = attempt == MAX_RETRIES
            try:
                return await request()
            except ERRORS as error:
                if not_modified(error):
                    return None
                failure = classify(error)
                if failure.kind is Kind.BLOCKED:
                    raise Blocked from error
                if last or failure.kind not in (Kind.RETRY_AFTER, Kind.TRANSIENT):
                    raise
                if failure.kind is Kind.RETRY_AFTER:
                    await self._sleep(failure.retry_after)
                else:
                    await self._sleep(delay)
                    delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover
