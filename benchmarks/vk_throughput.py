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

import asyncio
import itertools
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aiohttp import ClientSession

from backend_client.clock import SystemClock
from backend_client.sql import migrate
from bot.app import build_app
from bot.settings import load_settings
from bot.vk.api import Community, call, close_api, open_api, random_id
from bot.vk.callback import callback_app
from bot.vk.runner import wire

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the emulator lives with the tests
from benchmarks.against_echo import FINISHED, alternate, driver, options, people_needed, report, serving
from tests.vk_emulator import VkEmulator

TOKEN = "vk1.a.bench-community-token"
SECRET = "bench-secret"
EVENTS = itertools.count(1)  # event ids unique across the whole run: a reused id is (rightly) dropped


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


async def post_event(session: ClientSession, url: str, user_id: int, text: str) -> None:
    """One typed message, as the Callback API posts it."""
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


async def main() -> None:
    args = options(__doc__)
    async with VkEmulator(TOKEN, spec_path=None) as emulator:
        for user_id in range(1, people_needed(args) + 1):
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
                        rounds = await alternate(driver(post_event), echo_url, full_url, args)
            finally:
                await close_api(api)
        sent = len(emulator.calls_to("messages.send"))
        last = {uid: emulator.transcript(uid)[-1].text for uid in rounds.measured}
        assert all(FINISHED in text for text in last.values()), "a script did not finish"
    report(
        rounds,
        args,
        unit="events",
        sent=f"messages sent in all: {sent}",
        echo="bare echo bot (vkbottle API)",
        full="full stack (receipts+engine+SQL)",
    )


if __name__ == "__main__":
    asyncio.run(main())
