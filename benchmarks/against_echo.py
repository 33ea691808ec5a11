"""What the messenger benchmarks share: the script people type, loopback serving, alternating rounds of a
bare echo bot and the full stack, and the printed figures. Not a benchmark itself (`--help` only says so).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import os
import socket
import statistics
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import ClientSession, web

# Each simulated person completes onboarding and a profile by typing.
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
FINISHED = "что хотите сделать"  # the menu's question: the last answer every script ends with

Drive = Callable[[str, range, int], Awaitable[float]]  # (url, people, concurrency) -> events per second
Post = Callable[[ClientSession, str, int, str], Awaitable[None]]  # (session, url, person, text): one event


def driver(post: Post) -> Drive:
    """Every person types the whole script, one event at a time (as the messengers deliver them), people
    concurrently up to ``concurrency``; the drive returns events per second."""

    async def drive(url: str, users: range, concurrency: int) -> float:
        gate = asyncio.Semaphore(concurrency)

        async def person(session: ClientSession, user_id: int) -> None:
            async with gate:
                for text in SCRIPT:
                    await post(session, url, user_id, text)

        async with ClientSession() as session:
            started = time.perf_counter()
            await asyncio.gather(*(person(session, user_id) for user_id in users))
            elapsed = time.perf_counter() - started
        return len(users) * len(SCRIPT) / elapsed

    return drive


def options(description: str | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=150)
    parser.add_argument("--concurrency", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--no-freeze", dest="freeze", action="store_false", help="collect between rounds but freeze nothing"
    )
    return parser.parse_args()


def people_needed(args: argparse.Namespace) -> int:
    """How many distinct people the warm-up and all rounds use (ids 1..N), for an emulator to know them."""
    return (2 * args.rounds + 2) * (args.users + 10)


@asynccontextmanager
async def serving(app: web.Application) -> AsyncIterator[str]:
    """``app`` on a free loopback port; yields the URL of its ``/hook``."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}/hook"
    finally:
        await runner.cleanup()


def settle(freeze: bool) -> None:
    """Start each round from the same heap: freeze (as `frontdoor run` does after start-up) what the rounds
    before left behind, mostly the emulator's transcripts. Without it each full collection rescans a heap
    that grows round by round, a cost both bots pay alike, and later rounds drift towards a ratio of 1
    (Telegram, measured over ten rounds: echo 1,870 -> 1,030 updates/s, ratio 0.48 -> 0.64)."""
    gc.collect()
    if freeze:
        gc.freeze()


@dataclass
class Rounds:
    echo: list[float] = field(default_factory=list)
    full: list[float] = field(default_factory=list)
    measured: list[int] = field(default_factory=list)  # the people the full stack served

    @property
    def ratios(self) -> list[float]:
        return [f / e for f, e in zip(self.full, self.echo, strict=True)]


async def alternate(drive: Drive, echo_url: str, full_url: str, args: argparse.Namespace) -> Rounds:
    """A warm-up of both bots, then alternating rounds with fresh people each: a noisy neighbour on a
    shared machine slows both bots alike."""
    people = itertools.count(1)

    def crowd(size: int) -> range:
        first = next(people)
        for _ in range(size - 1):
            next(people)
        return range(first, first + size)

    for url in (echo_url, full_url):
        await drive(url, crowd(10), 10)  # imports, caches, first connections
    rounds = Rounds()
    for _ in range(args.rounds):
        settle(args.freeze)
        rounds.echo.append(await drive(echo_url, crowd(args.users), args.concurrency))
        users = crowd(args.users)
        rounds.measured.extend(users)
        settle(args.freeze)
        rounds.full.append(await drive(full_url, users, args.concurrency))
    return rounds


def report(rounds: Rounds, args: argparse.Namespace, *, unit: str, sent: str, echo: str, full: str) -> float:
    """Print the figures; returns the median ratio full / echo."""
    print(
        f"machine: {os.cpu_count()} cores; users={args.users} per round, {len(SCRIPT)} {unit} each, "
        f"concurrency={args.concurrency}, rounds={args.rounds}; {sent}"
    )
    print(f"{echo:<32}: {_figures(rounds.echo)} {unit}/s")
    print(f"{full:<32}: {_figures(rounds.full)} {unit}/s")
    ratio = statistics.median(rounds.ratios)
    print(f"{'full / echo per round':<32}: {_figures(rounds.ratios, '.2f')} -> median {ratio:.2f}")
    return ratio


def _figures(values: list[float], spec: str = ".0f") -> str:
    return " ".join(f"{value:{spec}}" for value in values)


if __name__ == "__main__":
    options("Shared by telegram_throughput.py and vk_throughput.py; run those.")
