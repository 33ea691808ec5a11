"""How large SQLite's WAL grows under load, and how large it is once the load stops.

People onboard concurrently through the engine and the default inline SQLite store; a thread samples the
WAL file's size meanwhile (the event loop is busy with the load). Printed: messages per second, the
database's size, the WAL's peak during the load, its size right after the load and after a short pause.

    .venv/bin/python benchmarks/sqlite_wal.py [--people 3000] [--concurrency 100] [--pause 3]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import threading
from pathlib import Path

from backend_client.clock import SystemClock
from backend_client.sql import migrate, open_database
from bot.wiring import build_engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: the repository's root
from benchmarks.dialog_throughput import SCRIPT, run_people

MIB = 2**20


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


class _Sampler(threading.Thread):
    """The largest size ``path`` reached while it ran."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self._path = path
        self._stop_flag = threading.Event()
        self.peak = 0

    def run(self) -> None:
        while not self._stop_flag.wait(0.05):
            self.peak = max(self.peak, _size(self._path))

    def stop(self) -> int:
        self._stop_flag.set()
        self.join()
        return max(self.peak, _size(self._path))


async def measure(path: Path, people: int, concurrency: int, pause: float) -> None:
    wal = path.with_name(path.name + "-wal")
    database = await open_database(f"sqlite:///{path}", SystemClock())
    try:
        engine = build_engine(database, database.conversations, SystemClock())
        sampler = _Sampler(wal)
        sampler.start()
        wall = await run_people(engine, people, concurrency, "wal")
        peak = sampler.stop()
        after_load = _size(wal)
        await asyncio.sleep(pause)  # the idle checkpoint's moment
        after_pause = _size(wal)
        rate = people * len(SCRIPT) / wall
        print(f"people                {people} (concurrency {concurrency}), {rate:,.0f} messages/s")
        print(f"database file         {_size(path) / MIB:8.1f} MiB")
        print(f"WAL peak during load  {peak / MIB:8.1f} MiB")
        print(f"WAL after the load    {after_load / MIB:8.1f} MiB")
        print(f"WAL after {pause:g} s idle    {after_pause / MIB:8.1f} MiB")
    finally:
        await database.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--pause", type=float, default=3.0, help="seconds of idleness before the last look")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "wal.db"
        migrate(f"sqlite:///{path}")
        asyncio.run(measure(path, args.people, args.concurrency, args.pause))


if __name__ == "__main__":
    main()
