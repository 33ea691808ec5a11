"""Running the VK bot: Bots Long Poll by default, the Callback API when a callback URL is configured; and,
when Telegram's token is set too, both transports in one process on one event loop, sharing the App and
one relay (VkSender and TelegramSender side by side)."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web
from vkbottle import API

from bot.app import App, build_app
from bot.healthz import stale_loops
from bot.outreach import reaching_out
from bot.resend import Resend
from bot.settings import Settings, VkSettings
from bot.telegram.runner import (
    TelegramBot,
    _serve_webhook,
    open_bot,
    poll,
    register_commands,
    telegram_operators,
)
from bot.telegram.runner import deep_link_maker as telegram_link
from bot.telegram.runner import wire as telegram_wire
from bot.telegram.sender import TelegramSender
from bot.vk.api import Community, call, close_api, open_api, resolve_community
from bot.vk.callback import callback_app
from bot.vk.delivery import VkDelivery
from bot.vk.front import VkFront
from bot.vk.longpoll import Cursor, LongPoll
from bot.vk.sender import VkSender
from notifications.sender import Sender

log = logging.getLogger(__name__)


@dataclass(slots=True)
class VkBot:
    api: API
    community: Community
    front: VkFront


def deep_link_maker(screen_name: str) -> Callable[[str], str]:
    def link(payload: str) -> str:
        return f"https://vk.me/{screen_name}?ref={payload}"

    return link


def wire(app: App, api: API, community: Community, *, backoff: float = 1.0) -> VkBot:
    source = f"vk:{community.id}"
    delivery = VkDelivery(api, app.database.records, source, backoff=backoff)
    return VkBot(api, community, VkFront(app.engine, delivery, app.database.records, community.id))


def long_poll(vk: VkBot, app: App, *, wait: int = 25, backoff: float = 1.0) -> LongPoll:
    cursor = Cursor(app.states, vk.community.id)
    return LongPoll(vk.api, vk.community.id, vk.front.handle, cursor, wait=wait, backoff=backoff)


async def confirmation_of(vk: VkBot, configured: str | None) -> str:
    if configured:
        return configured
    answer = await call(vk.api, "groups.getCallbackConfirmationCode", group_id=vk.community.id)
    return str(answer["code"])


async def serve(settings: Settings) -> None:
    """Production entry point: until SIGINT or SIGTERM, then finish the events in flight and stop."""
    config = settings.vk
    assert config.vk_token is not None
    api = open_api(config.vk_token.get_secret_value(), config.vk_api_url)
    telegram = _Telegram(settings) if settings.telegram.telegram_token is not None else None
    try:
        community = await resolve_community(api, config.vk_group_id)
        links = {"vk": deep_link_maker(community.screen_name)}
        senders: dict[str, Sender] = {"vk": VkSender(api)}
        if telegram is not None:
            links["telegram"] = await telegram.open()
        async with build_app(settings, deep_links=links) as app:
            vk = wire(app, api, community)
            owed: dict[str, Resend] = {vk.front.source: vk.front.resend}
            if telegram is not None:
                senders["telegram"] = await telegram.wire(app)
                owed.update(telegram.owed())
            async with reaching_out(app, senders, owed):
                gc.collect()  # as the Telegram runner does: start-up objects live for the whole run
                gc.freeze()
                stop = asyncio.Event()
                loop = asyncio.get_running_loop()
                for sig in (signal.SIGINT, signal.SIGTERM):
                    loop.add_signal_handler(sig, stop.set)
                async with asyncio.TaskGroup() as running:
                    running.create_task(_run_vk(vk, app, config, stop))
                    if telegram is not None:
                        running.create_task(telegram.run(stop))
    finally:
        await close_api(api)
        if telegram is not None:
            await telegram.close()


async def _run_vk(vk: VkBot, app: App, config: VkSettings, stop: asyncio.Event) -> None:
    if not config.vk_callback_url:
        log.info("vk long poll started community=%s", vk.community.id)
        await long_poll(vk, app, wait=config.vk_polling_wait).run(stop)
        return
    assert config.vk_callback_secret is not None
    confirmation = await confirmation_of(vk, config.vk_callback_confirmation)
    web_app = callback_app(
        vk.front,
        path=config.vk_callback_path,
        secret=config.vk_callback_secret.get_secret_value(),
        confirmation=confirmation,
        stale=stale_loops(app),
    )
    runner = web.AppRunner(web_app)
    await runner.setup()
    await web.TCPSite(runner, config.vk_listen_host, config.vk_listen_port).start()
    log.info("vk callback listening on %s:%s", config.vk_listen_host, config.vk_listen_port)
    await stop.wait()
    await runner.cleanup()  # waits for requests in flight


class _Telegram:
    """The Telegram side when both tokens are set, built from the Telegram runner's own pieces."""

    def __init__(self, settings: Settings) -> None:
        token = settings.telegram.telegram_token
        assert token is not None
        self._settings = settings
        self.bot = open_bot(token.get_secret_value(), settings.telegram.telegram_api_url)
        self._bot_id = 0
        self._wired: TelegramBot | None = None
        self._app: App | None = None

    async def open(self) -> Callable[[str], str]:
        me = await self.bot.get_me()
        self._bot_id = me.id
        return telegram_link(me.username or "")

    async def wire(self, app: App) -> Sender:
        self._wired = telegram_wire(app, self.bot, self._bot_id)
        self._app = app
        return TelegramSender(self.bot)

    def owed(self) -> dict[str, Resend]:
        """The sweep of this bot's owed replies (``bot.resend``)."""
        assert self._wired is not None
        return {self._wired.front.source: self._wired.front.resend}

    async def run(self, stop: asyncio.Event) -> None:
        """Inside ``reaching_out``: the configured operators are granted, so their menus can be set."""
        telegram = self._wired
        assert telegram is not None
        assert self._app is not None
        await register_commands(self.bot, await telegram_operators(self._app))
        tg = self._settings.telegram
        if tg.telegram_webhook_url:
            await _serve_webhook(telegram, self._settings, stop, stale_loops(self._app))
            return
        polling = asyncio.create_task(poll(telegram, polling_timeout=tg.telegram_polling_timeout))
        await stop.wait()
        await telegram.dispatcher.stop_polling()
        await polling

    async def close(self) -> None:
        await self.bot.session.close()
