"""Messages per second through the engine and the SQLite store, and the cost of stored conversations.

Many simulated people complete onboarding concurrently (greeting, role, age, consent, a full profile).
Two baselines run in the same process: the same store driven through aiosqlite (a worker thread per
connection, the classic async SQLite driver) and conversation state kept in process memory; the printed
ratios show what running SQLite inline gains and what the SQL conversation store costs.

    .venv/bin/python benchmarks/dialog_throughput.py [--people 400] [--concurrency 100]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from backend_client.clock import SystemClock
from backend_client.kv.memory import MemoryConversationStore
from backend_client.ports import ConversationStore
from backend_client.sql import migrate, open_database
from bot.wiring import build_engine
from dialogs.engine import Engine
from dialogs.state import ConversationState
from dialogs.testing import DialogClient

SCRIPT: tuple[tuple[str, str], ...] = (
    ("send", "/start"),
    ("press", "Выпускник"),
    ("send", "23"),
    ("press", "Согласен"),
    ("send", "Олег"),
    ("send", "в самаре"),
    ("send", "Самарский университет"),
    ("send", "Информатика"),
    ("press", "Пропустить"),
    ("press", "Пропустить"),
    ("send", "/menu"),
)


async def onboard(client: DialogClient) -> None:
    for kind, value in SCRIPT:
        await (client.send(value) if kind == "send" else client.press(value))
    assert "что хотите сделать" in client.text, client.transcript[-3:]


async def run_people(engine: Engine, people: int, concurrency: int, tag: str) -> float:
    gate = asyncio.Semaphore(concurrency)

    async def one(index: int) -> None:
        async with gate:
            await onboard(DialogClient(engine, account_id=f"{tag}-{index}", channel="bench"))

    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(people)))
    return time.perf_counter() - started


async def _rate(url: str, people: int, concurrency: int, tag: str, *, memory_state: bool = False) -> float:
    """Messages per second for ``people`` onboarding at once against the store at ``url``."""
    database = await open_database(url, SystemClock())
    try:
        states: ConversationStore = MemoryConversationStore() if memory_state else database.conversations
        engine = build_engine(database, states, SystemClock())
        await run_people(engine, 20, 20, f"warm-{tag}")
        wall = await run_people(engine, people, concurrency, tag)
    finally:
        await database.close()
    return people * len(SCRIPT) / wall


async def throughput(path: Path, people: int, concurrency: int) -> None:
    inline_url, threaded_url = f"sqlite:///{path}", f"sqlite+aiosqlite:///{path}"
    cpu = time.process_time()
    product = await _rate(inline_url, people, concurrency, "inline")
    cpu = time.process_time() - cpu
    threaded = await _rate(threaded_url, people, concurrency, "aiosqlite")
    memory = await _rate(inline_url, people, concurrency, "memory", memory_state=True)
    print(f"people={people} concurrency={concurrency} messages per run={people * len(SCRIPT)}")
    print(f"engine + SQLite (inline, the default)       : {product:7.0f} msg/s  (CPU {cpu:.2f} s)")
    gain = product / threaded
    print(f"engine + SQLite through aiosqlite (baseline): {threaded:7.0f} msg/s  -> inline is {gain:.1f}x")
    print(
        f"engine + SQLite records, state in memory    : {memory:7.0f} msg/s  -> SQL state costs "
        f"{memory / product:.2f}x"
    )
    print(f"target >= 1000 msg/s: {'met' if product >= 1000 else 'NOT met'}")


def sample_state() -> str:
    state = ConversationState(
        flow="profile",
        step="ask:specialty",
        data={
            "draft": {
                "display_name": "Олег",
                "birth_year": 2003,
                "municipality": "36401",
                "institution": "Самарский университет",
            }
        },
        buttons={f"tok{i:05d}": f"profile:skip:interests{i}" for i in range(2)},
    )
    return state.to_blob()


async def storage_per_10k(url: str, path: Path) -> None:
    count = 10_000
    blob = sample_state()
    database = await open_database(url, SystemClock())
    try:
        before = _db_bytes(path)
        for index in range(count):
            await database.conversations.save(f"bench:size-{index}", blob, 0)
        await database.close()
        after = _db_bytes(path)
    finally:
        await database.close()
    print(
        f"SQLite file growth per 10,000 conversations: {(after - before) / 2**20:6.2f} MiB "
        f"({(after - before) / count:.0f} bytes each; blob {len(blob.encode())} bytes)"
    )

    tracemalloc.start()
    store = MemoryConversationStore()
    base = tracemalloc.take_snapshot()
    for index in range(count):
        await store.save(f"bench:size-{index}", blob, 0)
    used = sum(stat.size_diff for stat in tracemalloc.take_snapshot().compare_to(base, "filename"))
    tracemalloc.stop()
    print(f"in-process memory per 10,000 conversations : {used / 2**20:6.2f} MiB")


def _db_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        url = f"sqlite:///{path}"
        await asyncio.to_thread(migrate, url)
        print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
        await throughput(path, args.people, args.concurrency)
        await storage_per_10k(url, path)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the benchmark process: {peak:.0f} MiB")


if __name__ == "__main__":
    asyncio.run(main())
