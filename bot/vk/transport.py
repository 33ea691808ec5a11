"""VK as a ``bot.transport.Transport``: Bots Long Poll by default, the Callback API when a callback URL
is configured (the pieces are in ``bot.vk.runner``)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence

from aiohttp import ClientError
from vkbottle import VKAPIError

from bot.app import App
from bot.healthz import stale_loops
from bot.resend import Resend
from bot.settings import Settings, VkSettings
from bot.transport import DeepLink, Problem, Transport, listening
from bot.vk.api import Community, close_api, open_api, resolve_community
from bot.vk.callback import callback_app
from bot.vk.runner import VkBot, confirmation_of, deep_link_maker, long_poll, wire
from bot.vk.sender import VkSender
from notifications.sender import Sender

log = logging.getLogger(__name__)
AUTH_FAILED = 5


def from_settings(settings: Settings) -> Transport:
    return VkTransport(settings.vk)


def _code(error: BaseException) -> object:
    return getattr(error, "code", None)


class VkTransport:
    name = "vk"

    def __init__(self, config: VkSettings) -> None:
        assert config.vk_token is not None
        self._config = config
        self.api = open_api(config.vk_token.get_secret_value(), config.vk_api_url)
        self._community: Community | None = None
        self._wired: VkBot | None = None
        self._app: App | None = None
        api = config.vk_api_url
        self.problems: Sequence[Problem] = (
            Problem(
                VKAPIError,
                lambda _: "FRONTDOOR_VK_TOKEN was refused by VK (error 5)",
                config=True,
                matches=lambda error: _code(error) == AUTH_FAILED,
            ),
            Problem(VKAPIError, lambda error: f"VK refused to start the bot: error {_code(error)}"),
            Problem(
                (ClientError, TimeoutError),
                lambda error: f"cannot reach the VK API at {api}: {type(error).__name__}",
            ),
        )

    async def open(self) -> DeepLink:
        self._community = await resolve_community(self.api, self._config.vk_group_id)
        return deep_link_maker(self._community.screen_name)

    def wire(self, app: App) -> tuple[Sender, Mapping[str, Resend]]:
        assert self._community is not None
        self._wired = wire(app, self.api, self._community)
        self._app = app
        return VkSender(self.api), {self._wired.front.source: self._wired.front.resend}

    async def start(self) -> None:
        """Nothing to set up: VK has no command menu."""

    async def run(self, stop: asyncio.Event) -> None:
        vk, app, config = self._wired, self._app, self._config
        assert vk is not None
        assert app is not None
        if not config.vk_callback_url:
            log.info("vk long poll started community=%s", vk.community.id)
            await long_poll(vk, app, wait=config.vk_polling_wait).run(stop)
            return
        assert config.vk_callback_secret is not None
        web_app = callback_app(
            vk.front,
            path=config.vk_callback_path,
            secret=config.vk_callback_secret.get_secret_value(),
            confirmation=await confirmation_of(vk, config.vk_callback_confirmation),
            stale=stale_loops(app),
        )
        async with listening(web_app, config.vk_listen_host, config.vk_listen_port, "vk callback"):
            await stop.wait()

    async def close(self) -> None:
        await close_api(self.api)
