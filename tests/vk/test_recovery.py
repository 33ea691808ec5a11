"""Recovery: a Callback API bot that was down gets VK's retries, a long poll cursor older than VK's history
is followed on, and a burst over VK's 20 requests per second is ridden out with the same random_ids."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bot.vk.api import close_api, open_api
from bot.vk.callback import callback_app
from bot.vk.delivery import VkDelivery
from dialogs.ui import Button, Outcome, Reply
from tests.vk.conftest import SECRET, TOKEN, _bot, _polling, answered
from tests.vk_emulator import ManualSeconds, VkEmulator

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@contextlib.asynccontextmanager
async def _callback_on(port: int, emulator, database_url, clock) -> AsyncIterator[None]:
    async with _bot(emulator, database_url, clock) as (vk, _):
        app = callback_app(vk.front, path="/vk/callback", secret=SECRET, confirmation=emulator.confirmation)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        try:
            yield
        finally:
            await runner.cleanup()


async def test_events_sent_while_a_callback_bot_is_down_arrive_by_vks_retries(database, database_url, clock):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/vk/callback"
    async with VkEmulator(TOKEN, callback_backoff=0.05, callback_attempts=9) as emulator:
        user = emulator.user(2101)
        async with _callback_on(port, emulator, database_url, clock):
            assert await emulator.use_callback(url, SECRET)
            user.send("Начать")
            await answered(user, "кто вы")
            user.press("Выпускник")
            await answered(user, "Сколько вам лет")
        user.send("23")  # the bot is down: VK retries
        await emulator.wait_for(lambda: any(p.status == 0 for p in emulator.callback.posted))
        async with _callback_on(port, emulator, database_url, clock):
            await answered(user, "Вы согласны?")
        assert not emulator.callback.dropped


async def test_a_cursor_older_than_vks_history_is_followed_on(emulator, database, database_url, clock):
    user = emulator.user(2201)
    async with _polling(emulator, database_url, clock):
        user.send("Начать")
        await answered(user, "кто вы")
    emulator.forget_history()  # the bot was away longer than VK keeps events
    async with _polling(emulator, database_url, clock):
        user.press("Выпускник")
        await answered(user, "Сколько вам лет")


async def test_a_burst_over_twenty_requests_a_second_is_ridden_out(database):
    seconds = ManualSeconds()

    async def sleep(delay: float) -> None:
        seconds.advance(delay)  # time passes for VK while the bot waits

    async with VkEmulator(TOKEN, clock=seconds, rate_limits=True) as emulator:
        user = emulator.user(2301)
        user.send("Начать")
        api = open_api(TOKEN, emulator.api_url)
        delivery = VkDelivery(api, database.records, "vk:1", sleep=sleep)
        # thirty replies that cannot be joined (each has a button): thirty calls within one virtual second
        replies = tuple(Reply(f"Сообщение {n}", ((Button("Ок", f"tok{n}"),),)) for n in range(30))
        try:
            await delivery.send(2301, "2301", Outcome(replies), event_id="burst")
        finally:
            await close_api(api)
    assert 6 in [c.error_code for c in emulator.calls_to("messages.send")]
    assert [m.text for m in user.messages] == [f"Сообщение {n}" for n in range(30)]
