"""The VK bot's pieces: the wiring of the front, the long poll and the callback confirmation (run by
``bot.vk.transport`` under ``bot.serve``, beside Telegram when both tokens are set)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from vkbottle import API

from bot.app import App
from bot.vk.api import Community, call
from bot.vk.delivery import VkDelivery
from bot.vk.front import VkFront
from bot.vk.longpoll import Cursor, LongPoll


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
