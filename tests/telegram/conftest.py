"""The real aiogram bot wired as in production, talking to the emulator on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from aiohttp import web

from bot.app import build_app
from bot.settings import load_settings
from bot.telegram.runner import (
    TelegramBot,
    deep_link_maker,
    open_bot,
    poll,
    register_commands,
    webhook_app,
    wire,
)
from tests.telegram_emulator import TelegramEmulator

TOKEN = "123456:TEST-token"
SECRET = "webhook-secret_42"
BACKOFF = 0.01  # seconds before the first retry of a transient failure (0.5 s in production)


@dataclass(slots=True)
class Running:
    emulator: TelegramEmulator
    telegram: TelegramBot
    app: object
    webhook_url: str = ""


@pytest.fixture
async def emulator() -> AsyncIterator[TelegramEmulator]:
    async with TelegramEmulator(TOKEN) as running:
        yield running


@contextlib.asynccontextmanager
async def _bot(
    emulator: TelegramEmulator, database_url: str, clock
) -> AsyncIterator[tuple[TelegramBot, object]]:
    bot = open_bot(TOKEN, emulator.base_url)
    try:
        me = await bot.get_me()
        links = {"telegram": deep_link_maker(me.username or "")}
        async with build_app(
            # People here type at machine speed; the rate limit has its own tests (tests/flows/test_flood.py).
            load_settings().with_database(database_url),
            clock=clock,
            deep_links=links,
            rate_limited=False,
        ) as app:
            telegram = wire(app, bot, me.id, backoff=BACKOFF)
            await register_commands(bot)
            yield telegram, app
    finally:
        await bot.session.close()


@contextlib.asynccontextmanager
async def _polling(emulator, database_url, clock) -> AsyncIterator[Running]:
    async with _bot(emulator, database_url, clock) as (telegram, app):
        task = asyncio.create_task(poll(telegram, polling_timeout=1))
        try:
            yield Running(emulator, telegram, app)
        finally:
            await telegram.dispatcher.stop_polling()
            await asyncio.wait_for(task, 10)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.asynccontextmanager
async def _webhook(emulator, database_url, clock) -> AsyncIterator[Running]:
    async with _bot(emulator, database_url, clock) as (telegram, app):
        runner = web.AppRunner(webhook_app(telegram, path="/telegram/webhook", secret=SECRET))
        await runner.setup()
        port = _free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        url = f"http://127.0.0.1:{port}/telegram/webhook"
        await telegram.bot.set_webhook(url, secret_token=SECRET)
        try:
            yield Running(emulator, telegram, app, url)
        finally:
            await runner.cleanup()


# Each bot fixture takes ``database`` so the store starts empty (it truncates PostgreSQL between tests).
@pytest.fixture
async def polling(emulator, database, database_url, clock) -> AsyncIterator[Running]:
    async with _polling(emulator, database_url, clock) as running:
        yield running


@pytest.fixture
async def webhook(emulator, database, database_url, clock) -> AsyncIterator[Running]:
    async with _webhook(emulator, database_url, clock) as running:
        yield running


@pytest.fixture(params=["polling", "webhook"])
async def running(request, emulator, database, database_url, clock) -> AsyncIterator[Running]:
    """The bot in each delivery mode, for tests that must hold in both."""
    mode = _polling if request.param == "polling" else _webhook
    async with mode(emulator, database_url, clock) as bot:
        yield bot


async def answered(user, fragment: str, seconds: float = 10.0) -> str:
    """Wait until a reply to the user's last action contains ``fragment``; return that text."""
    await user.emulator.wait_for(lambda: user.seen(fragment), seconds)
    return next(text for text in reversed(user.replies) if fragment in text)
