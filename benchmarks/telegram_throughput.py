"""Updates per second through the whole Telegram stack, against a bare aiogram echo bot.

Both bots run behind the same webhook handler shape on loopback and answer through the same Bot API
emulator; the same driver posts the updates (concurrent across chats, one at a time per chat, as Telegram
delivers). Full stack: webhook -> aiogram -> update journal -> engine -> SQLite -> replies to the emulator.
Each simulated person completes onboarding and a profile by typing (11 updates). The two bots are
measured in alternating rounds with fresh people each round; the figures are per round, the verdict uses
the medians.

    .venv/bin/python benchmarks/telegram_throughput.py [--users 150] [--concurrency 40] [--rounds 3]
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
import sys
import tempfile
import time
from pathlib import Path

from aiogram import Bot, Dispatcher
from aiogram.types import Message
from aiohttp import ClientSession

from backend_client.clock import SystemClock
from backend_client.sql import migrate
from bot.app import build_app
from bot.settings import load_settings
from bot.telegram.runner import TelegramBot, open_bot, webhook_app, wire

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the emulator lives with the tests
from benchmarks.against_echo import FINISHED, alternate, driver, options, people_needed, report, serving
from tests.telegram_emulator import TelegramEmulator

TOKEN = "123456:BENCH-token"
SECRET = "bench-secret"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
IDS = itertools.count(1)  # update ids unique across the whole run: a reused id is (rightly) dropped


def echo_bot(bot: Bot) -> TelegramBot:
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "?")

    return TelegramBot(bot, dispatcher, None)  # type: ignore[arg-type]


async def post_update(session: ClientSession, url: str, user_id: int, text: str) -> None:
    """One typed message, as Telegram posts it to a webhook."""
    message = {
        "message_id": next(IDS),
        "date": int(time.time()),
        "chat": {"id": user_id, "type": "private", "first_name": "Тест"},
        "from": {"id": user_id, "is_bot": False, "first_name": "Тест"},
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
    async with session.post(url, json={"update_id": next(IDS), "message": message}, headers=HEADERS) as r:
        assert r.status == 200, r.status


async def main() -> None:
    args = options(__doc__)
    async with TelegramEmulator(TOKEN, spec_path=None) as emulator:
        for user_id in range(1, people_needed(args) + 1):
            emulator.user(user_id, started=True)  # people who already pressed Start
        bot = open_bot(TOKEN, emulator.base_url)
        with tempfile.TemporaryDirectory() as folder:
            db_url = f"sqlite:///{folder}/bench.db"
            await asyncio.to_thread(migrate, db_url)
            settings = load_settings().with_database(db_url)
            try:
                async with (
                    build_app(settings, clock=SystemClock()) as app,
                    serving(webhook_app(echo_bot(bot), path="/hook", secret=SECRET)) as echo_url,
                    serving(webhook_app(wire(app, bot, 123456), path="/hook", secret=SECRET)) as full_url,
                ):
                    rounds = await alternate(driver(post_update), echo_url, full_url, args)
            finally:
                await bot.session.close()
        sent = len(emulator.calls_to("sendMessage"))
        last = {uid: emulator.transcript(uid)[-1].get("text", "") for uid in rounds.measured}
        assert all(FINISHED in text for text in last.values()), "a script did not finish"
    ratio = report(
        rounds,
        args,
        unit="updates",
        sent=f"replies sent in all: {sent}",
        echo="bare aiogram echo bot",
        full="full stack (journal+engine+SQL)",
    )
    best = statistics.median(rounds.full)
    print(
        f"targets: >= 300 updates/s {'met' if best >= 300 else 'NOT met'} (median {best:.0f}); "
        f">= 0.5 of echo {'met' if ratio >= 0.5 else 'NOT met'} (median {ratio:.2f})"
    )


if __name__ == "__main__":
    asyncio.run(main())
