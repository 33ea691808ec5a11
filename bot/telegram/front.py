"""Telegram updates in, engine calls out. Mapping only: every decision lives in ``dialogs``.

Delivery is honest: messages and button presses reach the engine with a ``Receipt`` (bot, update_id),
which the engine records in the same transaction as the conversation state. A redelivered update (webhook
retry, a restart before the polling offset was confirmed) is therefore ignored exactly when the first
delivery's turn was committed, and handled again when a crash came before that. ``my_chat_member``
updates only set a flag, so repeating one is harmless and they carry no receipt.

Private chats only, for messages and button presses alike: a press on a keyboard that ended up in a group
is answered (so the button stops spinning) and otherwise ignored. The message handlers return what the
delivery reported (``bot.sent.Sent``; None when nothing was sent), for a caller that keeps unsent replies.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, ChatMemberUpdated, Message, Update

from backend_client.ports import Accounts, Receipt
from bot.sent import Sent
from bot.telegram.delivery import CHANNEL, TelegramDelivery
from dialogs.engine import Engine
from dialogs.pending import Unsent
from dialogs.ui import Incoming, Outcome

NOTICE_LIMIT = 200  # answerCallbackQuery.text


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
        bot_id: int,
    ) -> None:
        self._engine = engine
        self._delivery = delivery
        self._accounts = accounts
        self.source = f"telegram:{bot_id}"  # update ids are per bot

    def router(self) -> Router:
        router = Router(name="frontdoor")
        router.message.register(self.on_message, private_chat)
        router.callback_query.register(self.on_callback)
        router.my_chat_member.register(self.on_membership)
        return router

    async def on_message(self, message: Message, event_update: Update) -> Sent | None:
        if message.from_user is None:
            return None
        account = str(message.from_user.id)
        chat = str(message.chat.id)
        receipt = Receipt(self.source, event_update.update_id)
        incoming = (
            Incoming.message(CHANNEL, account, message.text, chat_id=chat, receipt=receipt)
            if message.text is not None
            else Incoming.unsupported(CHANNEL, account, chat_id=chat, receipt=receipt)
        )
        sent: list[Sent] = []

        async def send(outcome: Outcome) -> bool:
            result = await self._delivery.send(
                message.chat.id, account, outcome, update_id=event_update.update_id, pressed_message_id=None
            )
            sent.append(result)
            return not result.unsent

        await self._engine.deliver(incoming, send)  # not handled: a redelivery the first one answered
        return sent[0] if sent else None

    async def on_callback(self, query: CallbackQuery, event_update: Update) -> Sent | None:
        update_id = event_update.update_id
        pressed = query.message  # the message with the keyboard (InaccessibleMessage when too old)
        if pressed is None or pressed.chat.type != "private":
            # A keyboard that ended up in a group (or an inline message): nothing of a person's may be
            # shown there. Answered all the same, or the button keeps spinning.
            await self._delivery.answer_query(query.id, None, update_id=update_id)
            return None
        account = str(query.from_user.id)
        receipt = Receipt(self.source, update_id)
        sent: list[Sent] = []

        async def send(outcome: Outcome) -> bool:
            # Every callback query is answered; a refused answer (a press handled late) stops nothing.
            await self._delivery.answer_query(
                query.id, outcome.notice[:NOTICE_LIMIT] or None, update_id=update_id
            )
            result = await self._delivery.send(
                pressed.chat.id, account, outcome, update_id=update_id, pressed_message_id=pressed.message_id
            )
            sent.append(result)
            return not result.unsent

        incoming = Incoming.press(
            CHANNEL, account, query.data or "", chat_id=str(pressed.chat.id), receipt=receipt
        )
        await self._engine.deliver(incoming, send)  # not handled: a redelivery the first one answered
        return sent[0] if sent else None

    async def resend(self, receipt: Receipt, unsent: Unsent) -> bool:
        """Replies of an earlier update that never left (``bot.resend``); True unless they failed again."""
        chat = int(unsent.chat_id)
        result = await self._delivery.send(
            chat, unsent.account_id, unsent.outcome, update_id=receipt.update_id, pressed_message_id=None
        )
        return not result.unsent

    async def on_membership(self, update: ChatMemberUpdated) -> None:
        if update.chat.type != "private":
            return
        blocked = update.new_chat_member.status == "kicked"
        await self._accounts.set_blocked(CHANNEL, str(update.from_user.id), blocked)
