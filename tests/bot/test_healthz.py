"""``GET /healthz`` of both webhook servers, through the real aiohttp apps: 503 naming a stale loop."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from types import SimpleNamespace

import pytest
from aiogram import Dispatcher
from aiohttp import ClientSession, web

from bot.healthz import stale_loops
from bot.settings import HealthSettings
from bot.telegram.runner import TelegramBot, open_bot, webhook_app
from bot.vk.callback import callback_app
from notifications.health import Heartbeats


class Now:
    seconds = 0.0

    def __call__(self) -> float:
        return self.seconds


class NoFront:
    group_id = 1

    async def handle(self, event) -> None:  # no event reaches it here
        raise AssertionError(event)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(params=["telegram", "vk"])
async def served(request) -> AsyncIterator[tuple[str, Heartbeats, Now]]:
    now = Now()
    beats = Heartbeats(now)
    app = SimpleNamespace(
        settings=SimpleNamespace(health=HealthSettings(health_stale_after=60)), heartbeats=beats
    )
    bot = open_bot("123456:TEST-token", "http://127.0.0.1:9")  # never called
    if request.param == "telegram":
        telegram = TelegramBot(bot, Dispatcher(), front=None)  # type: ignore[arg-type]
        web_app = webhook_app(telegram, path="/hook", secret="s", stale=stale_loops(app))  # type: ignore[arg-type]
    else:
        web_app = callback_app(NoFront(), path="/hook", secret="s", confirmation="c", stale=stale_loops(app))  # type: ignore[arg-type]
    runner = web.AppRunner(web_app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}/healthz", beats, now
    finally:
        await runner.cleanup()
        await bot.session.close()


async def get(url: str) -> tuple[int, dict]:
    async with ClientSession() as session, session.get(url) as response:
        return response.status, await response.json()


async def test_healthz_is_503_and_names_the_loop_that_stopped_completing_passes(served):
    url, beats, now = served
    beats.watch("relay", period=1.0)
    beats.watch("sweep prune_journal", period=3600.0)
    assert await get(url) == (200, {"status": "ok"})
    now.seconds = 30.0
    beats.beat("relay")
    now.seconds = 90.0  # the relay's last pass 60 s ago: within 60 s + its 1 s period
    assert await get(url) == (200, {"status": "ok"})
    now.seconds = 95.0  # and now it is late; the hourly sweep is not
    assert await get(url) == (503, {"status": "unhealthy", "stale": ["relay"]})
    beats.beat("relay")  # a pass completed again
    assert await get(url) == (200, {"status": "ok"})
