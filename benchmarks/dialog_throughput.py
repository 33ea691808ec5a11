"""Messages per second through the engine and the SQLite store, and the cost of stored conversations.

Many simulated people complete onboarding concurrently (greeting, role, age, consent, a full profile).
The same run is repeated with conversation state kept in process memory, as a baseline measured in the
same process, so the printed ratio shows what the SQL conversation store costs.

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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend_client.clock import SystemClock  # noqa: E402
from backend_client.kv.memory import MemoryConversationStore  # noqa: E402
from backend_client.ports import ConversationStore  # noqa: E402
from backend_client.sql import migrate, open_database  # noqa: E402
from dialogs.engine import Engine  # noqa: E402
from dialogs.state import ConversationState  # noqa: E402
from dialogs.testing import DialogClient  # noqa: E402

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


async def throughput(url: str, people: int, concurrency: int) -> None:
    database = await open_database(url, SystemClock())
    try:
        messages = people * len(SCRIPT)
        await run_people(Engine(database.records, database.conversations, SystemClock()), 20, 20, "warm")

        cpu0 = time.process_time()
        sql_wall = await run_people(
            Engine(database.records, database.conversations, SystemClock()), people, concurrency, "sql"
        )
        sql_cpu = time.process_time() - cpu0
        memory_store: ConversationStore = MemoryConversationStore()
        mem_wall = await run_people(
            Engine(database.records, memory_store, SystemClock()), people, concurrency, "mem"
        )
        print(f"people={people} concurrency={concurrency} messages per run={messages}")
        print(f"engine + SQLite records + SQLite state : {messages / sql_wall:8.0f} msg/s "
              f"({sql_wall:.2f} s wall, {sql_cpu:.2f} s CPU)")
        print(f"engine + SQLite records + memory state : {messages / mem_wall:8.0f} msg/s (baseline)")
        print(f"SQL state store costs                  : {sql_wall / mem_wall:8.2f}x the baseline time")
    finally:
        await database.close()


def sample_state() -> str:
    state = ConversationState(
        flow="profile",
        step="ask:specialty",
        data={"draft": {"display_name": "Олег", "birth_year": 2003, "municipality": "36401",
                        "institution": "Самарский университет"}},
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
    print(f"SQLite file growth per 10,000 conversations: {(after - before) / 2**20:6.2f} MiB "
          f"({(after - before) / count:.0f} bytes each; blob {len(blob.encode())} bytes)")

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
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        url = f"sqlite:///{path}"
        await asyncio.to_thread(migrate, url)
        print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
        await throughput(url, args.people, args.concurrency)
        await storage_per_10k(url, path)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the benchmark process: {peak:.0f} MiB")


if __name__ == "__main__":
    asyncio.run(main())
