"""Events per second through the whole VK stack, against a bare echo bot on the same VK API emulator.

Both bots sit behind the same Callback API endpoint shape on loopback and answer through vkbottle's API
client to the same emulator; the same driver posts the events (concurrent across people, one at a time
per person, as the Callback API delivers). Full stack: callback -> receipts -> engine -> SQLite -> replies
with random_ids and inline keyboards. Each simulated person completes onboarding and a profile by typing
(11 events). The bots are measured in alternating rounds with fresh people each round; the verdict uses
the medians.

    .venv/bin/python benchmarks/vk_throughput.py [--users 150] [--concurrency 40] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import os
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from aiohttp import ClientSession, web

from backend_client.clock import SystemClock
from backend_client.sql import migrate
from bot.app import build_app
from bot.settings import load_settings
from bot.vk.api import Community, call, close_api, open_api, random_id
from bot.vk.callback import callback_app
from bot.vk.runner import wire

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the emulator lives with the tests
from tests.vk_emulator import VkEmulator

TOKEN = "vk1.a.bench-community-token"
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


class EchoFront:
    """The smallest VK bot: every message_new is answered with its own text."""

    group_id = 1

    def __init__(self, api: Any) -> None:
        self._api = api

    async def handle(self, event: Mapping[str, Any]) -> None:
        if event.get("type") != "message_new":
            return
        message = event["object"]["message"]
        await call(
            self._api,
            "messages.send",
            peer_id=message["peer_id"],
            random_id=random_id("echo", event["event_id"]),
            message=message["text"] or "?",
        )


EVENTS = itertools.count(1)  # event ids unique across the whole run: a reused id is (rightly) dropped


async def drive(url: str, users: range, concurrency: int) -> float:
    """POST every person's script to the callback endpoint; returns events per second."""
    gate = asyncio.Semaphore(concurrency)

    async def person(session: ClientSession, user_id: int) -> None:
        async with gate:
            for text in SCRIPT:
                number = next(EVENTS)
                message = {"id": number, "date": int(time.time()), "peer_id": user_id, "from_id": user_id}
                event = {
                    "type": "message_new",
                    "group_id": 1,
                    "event_id": f"bench{number:012x}",
                    "v": "5.199",
                    "secret": SECRET,
                    "object": {"message": message | {"text": text, "out": 0, "attachments": []}},
                }
                async with session.post(url, json=event) as response:
                    assert await response.text() == "ok", response.status

    async with ClientSession() as session:
        started = time.perf_counter()
        await asyncio.gather(*(person(session, user_id) for user_id in users))
        elapsed = time.perf_counter() - started
    return len(users) * len(SCRIPT) / elapsed


def settle(freeze: bool) -> None:
    """Start each round from the same heap (see benchmarks/telegram_throughput.py)."""
    gc.collect()
    if freeze:
        gc.freeze()


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=150)
    parser.add_argument("--concurrency", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-freeze", dest="freeze", action="store_false")
    args = parser.parse_args()
    people = itertools.count(1)

    def crowd(size: int) -> range:
        first = next(people)
        for _ in range(size - 1):
            next(people)
        return range(first, first + size)

    async with VkEmulator(TOKEN, spec_path=None) as emulator:
        for user_id in range(1, (2 * args.rounds + 2) * (args.users + 10) + 1):
            emulator.state.person(user_id).allowed = True  # people who already wrote to the community
        api = open_api(TOKEN, emulator.api_url)
        with tempfile.TemporaryDirectory() as folder:
            db_url = f"sqlite:///{folder}/bench.db"
            await asyncio.to_thread(migrate, db_url)
            settings = load_settings().with_database(db_url)
            try:
                async with build_app(settings, clock=SystemClock()) as app:
                    full_front = wire(app, api, Community(1, "bench")).front
                    echo_app = callback_app(EchoFront(api), path="/hook", secret=SECRET, confirmation="x")
                    full_app = callback_app(full_front, path="/hook", secret=SECRET, confirmation="x")
                    async with serving(echo_app) as echo_url, serving(full_app) as full_url:
                        for url in (echo_url, full_url):
                            await drive(url, crowd(10), 10)  # warm-up
                        echo: list[float] = []
                        full: list[float] = []
                        measured: list[int] = []
                        for _ in range(args.rounds):
                            settle(args.freeze)
                            echo.append(await drive(echo_url, crowd(args.users), args.concurrency))
                            users = crowd(args.users)
                            measured.extend(users)
                            settle(args.freeze)
                            full.append(await drive(full_url, users, args.concurrency))
            finally:
                await close_api(api)
        sent = len(emulator.calls_to("messages.send"))
        last = {uid: emulator.transcript(uid)[-1].text for uid in measured}
        assert all("что хотите сделать" in text for text in last.values()), "a script did not finish"
    ratios = [f / e for f, e in zip(full, echo, strict=True)]
    print(
        f"machine: {os.cpu_count()} cores; users={args.users} per round, {len(SCRIPT)} events each, "
        f"concurrency={args.concurrency}, rounds={args.rounds}; messages sent in all: {sent}"
    )
    print(f"bare echo bot (vkbottle API)    : {_figures(echo)} events/s")
    print(f"full stack (receipts+engine+SQL): {_figures(full)} events/s")
    ratio = statistics.median(ratios)
    print(f"full / echo per round           : {_figures(ratios, '.2f')} -> median {ratio:.2f}")


def _figures(values: list[float], spec: str = ".0f") -> str:
    return " ".join(f"{value:{spec}}" for value in values)


if __name__ == "__main__":
    asyncio.run(main())
