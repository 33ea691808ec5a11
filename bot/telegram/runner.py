"""The Telegram bot's pieces: the client, the wiring of the front, command menus, long polling and the
webhook endpoint (run by ``bot.telegram.transport`` under ``bot.serve``).

Acknowledgement (documented choice): an update is confirmed to Telegram only after the engine handled it
and its effects were committed. Polling runs with ``handle_as_tasks=False``, so the next getUpdates offset
confirms only finished updates; the webhook answers 200 only after handling (500 on failure, so Telegram
redelivers). The update's receipt commits with the conversation state: a crash before that commit leaves
the update to be handled on redelivery, a crash after it leads to a redelivery the engine recognises and
drops. The webhook checks the secret header before reading the body, then reads it through
``bot.webhook_body`` (size and nesting bounds: 413 / 400, never a 500 for bad input).
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from aiogram import Bot, Dispatcher
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import BotCommand, BotCommandScopeChat, Update
from aiohttp import web

from bot.app import App
from bot.healthz import StaleLoops
from bot.telegram.delivery import BACKOFF, CHANNEL, TelegramDelivery
from bot.telegram.front import TelegramFront
from bot.telegram.responses import pin_response_types
from bot.telegram.session import JsonSession
from bot.transport import endpoint_app
from bot.webhook_body import BadBody, read_json
from dialogs.commands import command_list

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]


@dataclass(slots=True)
class TelegramBot:
    bot: Bot
    dispatcher: Dispatcher
    front: TelegramFront


def open_bot(token: str, api_url: str) -> Bot:
    pin_response_types()
    session = JsonSession(api=TelegramAPIServer.from_base(api_url))
    return Bot(token, session=session)


def deep_link_maker(username: str) -> Callable[[str], str]:
    def link(payload: str) -> str:
        return f"https://t.me/{username}?start={payload}"

    return link


def wire(app: App, bot: Bot, bot_id: int, *, backoff: float = BACKOFF) -> TelegramBot:
    delivery = TelegramDelivery(bot, app.database.records, backoff=backoff)
    front = TelegramFront(app.engine, delivery, app.database.records, bot_id)
    # Conversation state lives in the engine's store: aiogram's FSM would only add a middleware per update.
    dispatcher = Dispatcher(disable_fsm=True)
    dispatcher.include_router(front.router())
    return TelegramBot(bot, dispatcher, front)


async def register_commands(bot: Bot, operators: Iterable[str] = ()) -> None:
    """The command menu for everyone, and in each operator's private chat (chat id = user id) the same
    plus /operator. Read at start-up: a role granted or revoked later shows in the menu after a restart,
    while the command itself follows the role at once (the desk checks it on every call)."""
    await bot.set_my_commands(_commands(operator=False))
    for account in operators:
        if account.isdecimal():
            scope = BotCommandScopeChat(chat_id=int(account))
            await bot.set_my_commands(_commands(operator=True), scope=scope)


def _commands(*, operator: bool) -> list[BotCommand]:
    return [BotCommand(command=name, description=text) for name, text in command_list(operator=operator)]


async def telegram_operators(app: App) -> list[str]:
    return [
        account
        for channel, account in await app.database.broadcasts.operator_accounts()
        if channel == CHANNEL
    ]


async def poll(telegram: TelegramBot, *, polling_timeout: int = 10) -> None:
    await telegram.bot.delete_webhook(drop_pending_updates=False)
    await telegram.dispatcher.start_polling(
        telegram.bot,
        handle_as_tasks=False,
        handle_signals=False,
        polling_timeout=polling_timeout,
        allowed_updates=ALLOWED_UPDATES,
        close_bot_session=False,
    )


def webhook_app(
    telegram: TelegramBot, *, path: str, secret: str, stale: StaleLoops | None = None
) -> web.Application:
    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return web.Response(status=401, text="unauthorized")
        try:  # the secret first: nobody else gets their body read or parsed
            body = await read_json(request)
        except BadBody as refused:
            return refused.response()
        try:
            update = Update.model_validate(body, context={"bot": telegram.bot})
        except ValueError:
            return web.Response(status=400, text="bad update")
        try:
            await telegram.dispatcher.feed_update(telegram.bot, update)
        except Exception:
            log.exception("webhook update %s failed", update.update_id)
            return web.Response(status=500, text="retry later")
        return web.Response(text="ok")

    return endpoint_app(path, receive, stale)
