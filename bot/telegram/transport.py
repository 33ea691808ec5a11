"""Telegram as a ``bot.transport.Transport``: long polling by default, the webhook when a public URL is
configured (the pieces are in ``bot.telegram.runner``)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence

from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError

from bot.app import App
from bot.healthz import stale_loops
from bot.resend import Resend
from bot.settings import Settings, TelegramSettings
from bot.telegram.runner import (
    ALLOWED_UPDATES,
    TelegramBot,
    deep_link_maker,
    open_bot,
    poll,
    register_commands,
    telegram_operators,
    webhook_app,
    wire,
)
from bot.telegram.sender import TelegramSender
from bot.transport import DeepLink, Problem, Transport, listening
from notifications.sender import Sender

log = logging.getLogger(__name__)


def from_settings(settings: Settings) -> Transport:
    return TelegramTransport(settings.telegram)


class TelegramTransport:
    name = "telegram"

    def __init__(self, config: TelegramSettings) -> None:
        assert config.telegram_token is not None
        self._config = config
        self.bot = open_bot(config.telegram_token.get_secret_value(), config.telegram_api_url)
        self._bot_id = 0
        self._wired: TelegramBot | None = None
        self._app: App | None = None
        api = config.telegram_api_url
        self.problems: Sequence[Problem] = (
            Problem(
                TelegramUnauthorizedError,
                lambda _: "FRONTDOOR_TELEGRAM_TOKEN was refused by Telegram (401 Unauthorized)",
                config=True,
            ),
            Problem(
                TelegramNetworkError,
                lambda error: f"cannot reach the Telegram Bot API at {api}: {getattr(error, 'message', '')}",
            ),
        )

    async def open(self) -> DeepLink:
        me = await self.bot.get_me()
        self._bot_id = me.id
        return deep_link_maker(me.username or "")

    def wire(self, app: App) -> tuple[Sender, Mapping[str, Resend]]:
        self._wired = wire(app, self.bot, self._bot_id)
        self._app = app
        return TelegramSender(self.bot), {self._wired.front.source: self._wired.front.resend}

    async def start(self) -> None:
        assert self._app is not None
        await register_commands(self.bot, await telegram_operators(self._app))

    async def run(self, stop: asyncio.Event) -> None:
        telegram, config = self._wired, self._config
        assert telegram is not None
        assert self._app is not None
        if not config.telegram_webhook_url:
            polling = asyncio.create_task(poll(telegram, polling_timeout=config.telegram_polling_timeout))
            await stop.wait()
            await telegram.dispatcher.stop_polling()
            await polling
            return
        assert config.telegram_webhook_secret is not None
        secret = config.telegram_webhook_secret.get_secret_value()
        path = config.telegram_webhook_path
        web_app = webhook_app(telegram, path=path, secret=secret, stale=stale_loops(self._app))
        async with listening(web_app, config.telegram_listen_host, config.telegram_listen_port, "webhook"):
            await self.bot.set_webhook(
                config.telegram_webhook_url.rstrip("/") + path,
                secret_token=secret,
                allowed_updates=ALLOWED_UPDATES,
            )
            await stop.wait()

    async def close(self) -> None:
        await self.bot.session.close()
