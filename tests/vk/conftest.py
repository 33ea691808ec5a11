"""The real VK transport (vkbottle's API client) wired as in production, talking to the emulator on
loopback: over Bots Long Poll, or over the Callback API with the emulator POSTing events."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from aiohttp import web

from bot.app import App, build_app
from bot.settings import load_settings
from bot.vk.api import close_api, open_api, resolve_community
from bot.vk.callback import callback_app
from bot.vk.runner import VkBot, deep_link_maker, long_poll, wire
from tests.vk_emulator import VkEmulator

TOKEN = "vk1.a.test-community-token"
SECRET = "callback-secret_42"
BACKOFF = 0.01  # seconds before the first retry of a throttled call (1 s in production)


@dataclass(slots=True)
class Running:
    emulator: VkEmulator
    vk: VkBot
    app: App
    callback_url: str = ""


@pytest.fixture
async def emulator() -> AsyncIterator[VkEmulator]:
    async with VkEmulator(TOKEN) as running:
        yield running


@contextlib.asynccontextmanager
async def _bot(emulator: VkEmulator, database_url: str, clock) -> AsyncIterator[tuple[VkBot, App]]:
    api = open_api(TOKEN, emulator.api_url)
    try:
        community = await resolve_community(api, None)
        links = {"vk": deep_link_maker(community.screen_name)}
        async with build_app(
            # People here type at machine speed; the rate limit has its own tests (tests/flows/test_flood.py).
            load_settings().with_database(database_url),
            clock=clock,
            deep_links=links,
            rate_limited=False,
        ) as app:
            yield wire(app, api, community, backoff=BACKOFF), app
    finally:
        await close_api(api)


@contextlib.asynccontextmanager
async def _polling(emulator, database_url, clock) -> AsyncIterator[Running]:
    async with _bot(emulator, database_url, clock) as (vk, app):
        stop = asyncio.Event()
        servers = len(emulator.calls_to("groups.getLongPollServer"))
        task = asyncio.create_task(long_poll(vk, app, wait=1, backoff=BACKOFF).run(stop))
        # On a first start the poll begins at VK's newest event: let it get there before people write.
        await emulator.wait_for(lambda: len(emulator.calls_to("groups.getLongPollServer")) > servers)
        try:
            yield Running(emulator, vk, app)
        finally:
            stop.set()
            await asyncio.wait_for(task, 10)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.asynccontextmanager
async def _callback(emulator, database_url, clock) -> AsyncIterator[Running]:
    async with _bot(emulator, database_url, clock) as (vk, app):
        web_app = callback_app(
            vk.front, path="/vk/callback", secret=SECRET, confirmation=emulator.confirmation
        )
        runner = web.AppRunner(web_app)
        await runner.setup()
        port = _free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        url = f"http://127.0.0.1:{port}/vk/callback"
        assert await emulator.use_callback(url, SECRET)
        try:
            yield Running(emulator, vk, app, url)
        finally:
            await runner.cleanup()


# Each bot fixture takes ``database`` so the store starts empty (it truncates PostgreSQL between tests).
@pytest.fixture
async def polling(emulator, database, database_url, clock) -> AsyncIterator[Running]:
    async with _polling(emulator, database_url, clock) as running:
        yield running


@pytest.fixture
async def callback(emulator, database, database_url, clock) -> AsyncIterator[Running]:
    async with _callback(emulator, database_url, clock) as running:
        yield running


@pytest.fixture(params=["polling", "callback"])
async def running(request, emulator, database, database_url, clock) -> AsyncIterator[Running]:
    """The bot in each delivery mode, for tests that must hold in both."""
    mode = _polling if request.param == "polling" else _callback
    async with mode(emulator, database_url, clock) as bot:
        yield bot


async def answered(user, fragment: str, seconds: float = 10.0) -> str:
    """Wait until a reply to the user's last action contains ``fragment``; return that text."""
    await user.emulator.wait_for(lambda: user.seen(fragment), seconds)
    return next(text for text in reversed(user.replies) if fragment in text)
