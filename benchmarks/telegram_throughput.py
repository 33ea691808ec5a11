"""Updates per second through the whole Telegram stack, against a bare aiogram echo bot.

Both bots run behind the same webhook handler shape on loopback and answer through the same Bot API
emulator; the same driver posts the updates (concurrent across chats, one at a time per chat, as Telegram
delivers). Full stack: webhook -> aiogram -> update journal -> engine -> SQLite -> replies to the emulator.
Each simulated person completes onboarding and a profile by typing (11 updates).

    .venv/bin/python benchmarks/telegram_throughput.py [--users 150] [--concurrency 40]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import socket
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from aiogram import Bot, Dispatcher
from aiogram.types import Message
from aiohttp import ClientSession, web

from backend_client.clock import SystemClock
from backend_client.sql import migrate
from bot.app import build_app
from bot.settings import load_settings
from bot.telegram.runner import TelegramBot, open_bot, webhook_app, wire

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the emulator lives with the tests
from tests.telegram_emulator import TelegramEmulator

TOKEN = "123456:BENCH-token"
SECRET = "bench-secret"
SCRIPT = (
    "/start",
    "Выпускник",
    "23",
    "да",
    "Олег",
    "Кинель",
    "СамГТУ",
    "Информатика",
    "пропустить",
    "пропустить",
    "/menu",
)


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def serving(app: web.Application) -> AsyncIterator[str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = _port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}/hook"
    finally:
        await runner.cleanup()


def echo_bot(bot: Bot) -> TelegramBot:
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "?")

    return TelegramBot(bot, dispatcher, None)  # type: ignore[arg-type]


IDS = itertools.count(1)  # update ids unique across the whole run: a reused id is (rightly) dropped


async def drive(url: str, users: range, concurrency: int) -> float:
    """Post every user's script to the webhook; returns updates per second."""
    ids = IDS
    gate = asyncio.Semaphore(concurrency)
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}

    async def person(session: ClientSession, user_id: int) -> None:
        async with gate:
            for text in SCRIPT:
                message = {
                    "message_id": next(ids),
                    "date": int(time.time()),
                    "chat": {"id": user_id, "type": "private", "first_name": "Тест"},
                    "from": {"id": user_id, "is_bot": False, "first_name": "Тест"},
                    "text": text,
                }
                if text.startswith("/"):
                    message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
                async with session.post(
                    url, json={"update_id": next(ids), "message": message}, headers=headers
                ) as r:
                    assert r.status == 200, r.status

    async with ClientSession() as session:
        started = time.perf_counter()
        await asyncio.gather(*(person(session, user_id) for user_id in users))
        elapsed = time.perf_counter() - started
    return len(users) * len(SCRIPT) / elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=150)
    parser.add_argument("--concurrency", type=int, default=40)
    args = parser.parse_args()
    async with TelegramEmulator(TOKEN, spec_path=None) as emulator:
        for user_id in range(1, 2 * args.users + 21):
            emulator.user(user_id, started=True)  # people who already pressed Start
        bot = open_bot(TOKEN, emulator.base_url)
        try:
            async with serving(webhook_app(echo_bot(bot), path="/hook", secret=SECRET)) as url:
                await drive(url, range(2 * args.users + 11, 2 * args.users + 21), 10)  # same warm-up as below
                echo = await drive(url, range(1, args.users + 1), args.concurrency)
            with tempfile.TemporaryDirectory() as folder:
                db_url = f"sqlite:///{folder}/bench.db"
                await asyncio.to_thread(migrate, db_url)
                settings = load_settings().with_database(db_url)
                async with build_app(settings, clock=SystemClock()) as app:
                    full_bot = wire(app, bot, 123456)
                    async with serving(webhook_app(full_bot, path="/hook", secret=SECRET)) as url:
                        warm = range(2 * args.users + 1, 2 * args.users + 11)
                        await drive(url, warm, 10)
                        full = await drive(url, range(args.users + 1, 2 * args.users + 1), args.concurrency)
                sent = len(emulator.calls_to("sendMessage"))
                answered = {c.params["chat_id"] for c in emulator.calls_to("sendMessage")}
                measured = set(range(args.users + 1, 2 * args.users + 1))
                assert measured <= answered, "some simulated people got no answer"
                last = {uid: emulator.transcript(uid)[-1].get("text", "") for uid in measured}
                assert all("что хотите сделать" in text for text in last.values()), "a script did not finish"
        finally:
            await bot.session.close()
    print(
        f"machine: {os.cpu_count()} cores; users={args.users}, {len(SCRIPT)} updates each, "
        f"concurrency={args.concurrency}; replies sent in all: {sent}"
    )
    print(f"bare aiogram echo bot          : {echo:7.0f} updates/s")
    print(f"full stack (journal+engine+SQL): {full:7.0f} updates/s  -> {full / echo:.2f} of the echo bot")
    print(
        f"targets: >= 300 updates/s {'met' if full >= 300 else 'NOT met'}; "
        f">= 0.5 of echo {'met' if full >= 0.5 * echo else 'NOT met'}"
    )


if __name__ == "__main__":
    asyncio.run(main())
