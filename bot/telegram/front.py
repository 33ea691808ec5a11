"""Telegram updates in, engine calls out. Mapping only: every decision lives in ``dialogs``.

Delivery is honest: each update id is claimed in the update journal before it is handled, so a
redelivered update (webhook retry, a restart before the polling offset was confirmed) is handled once;
a claim whose handling raised is released, so Telegram's redelivery gets another chance.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot, Router
from aiogram.types import CallbackQuery, ChatMemberUpdated, Message, TelegramObject, Update

from backend_client.ports import Accounts, UpdateJournal
from bot.telegram.delivery import CHANNEL, TelegramDelivery
from dialogs.engine import Engine
from dialogs.ui import Incoming

log = logging.getLogger(__name__)
NOTICE_LIMIT = 200  # answerCallbackQuery.text

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


async def private_chat(message: Message) -> bool:
    """The filter for messages. A coroutine on purpose: aiogram runs plain callables, magic filters
    (``F.chat.type == ...``) included, on a worker thread, a thread hop per message (~40 µs idle)."""
    return message.chat.type == "private"


class TelegramFront:
    def __init__(
        self,
        engine: Engine,
        delivery: TelegramDelivery,
        accounts: Accounts,
        journal: UpdateJournal,
        bot_id: int,
    ) -> None:
        self._engine = engine
        self._delivery = delivery
        self._accounts = accounts
        self._journal = journal
        self.source = f"telegram:{bot_id}"

    def router(self) -> Router:
        router = Router(name="frontdoor")
        router.message.register(self.on_message, private_chat)
        router.callback_query.register(self.on_callback)
        router.my_chat_member.register(self.on_membership)
        return router

    async def once(self, handler: Handler, update: TelegramObject, data: dict[str, Any]) -> Any:
        """Outer middleware on updates: claim the id first, release it if handling failed."""
        assert isinstance(update, Update)
        if not await self._journal.first_sighting(self.source, update.update_id):
            log.info("duplicate update %s ignored", update.update_id)
            return None
        try:
            return await handler(update, data)
        except Exception:
            await self._journal.release(self.source, update.update_id)
            raise

    async def on_message(self, message: Message, event_update: Update) -> None:
        if message.from_user is None:
            return
        account = str(message.from_user.id)
        chat = str(message.chat.id)
        incoming = (
            Incoming.message(CHANNEL, account, message.text, chat_id=chat)
            if message.text is not None
            else Incoming.unsupported(CHANNEL, account, chat_id=chat)
        )
        outcome = await self._engine.handle(incoming)
        await self._delivery.send(
            message.chat.id, account, outcome, update_id=event_update.update_id, pressed_message_id=None
        )

    async def on_callback(self, query: CallbackQuery, bot: Bot, event_update: Update) -> None:
        account = str(query.from_user.id)
        chat_id = query.message.chat.id if query.message else query.from_user.id
        outcome = await self._engine.handle(
            Incoming.press(CHANNEL, account, query.data or "", chat_id=str(chat_id))
        )
        # Every callback query is answered, or the button keeps spinning in the person's app.
        notice = outcome.notice[:NOTICE_LIMIT] or None
        await self._delivery.call(lambda: bot.answer_callback_query(query.id, text=notice))
        pressed = query.message.message_id if query.message else None
        await self._delivery.send(
            chat_id, account, outcome, update_id=event_update.update_id, pressed_message_id=pressed
        )

    async def on_membership(self, update: ChatMemberUpdated) -> None:
        if update.chat.type != "private":
            return
        blocked = update.new_chat_member.status == "kicked"
        await self._accounts.set_blocked(CHANNEL, str(update.from_user.id), blocked)
