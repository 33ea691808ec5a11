"""The employment centre's booking race: N people press «Записаться» at once for slots with few seats.

Prints, per database, the bookings that won (must equal the seats), the time the whole race took and the
per-booking latency (median, p95) of the store's ``book`` — the conditional UPDATE that takes a free seat
(PostgreSQL: ``FOR UPDATE SKIP LOCKED``; SQLite: its one writer).

    .venv/bin/python benchmarks/centre_booking.py [--people 200] [--slots 10] [--seats 2]
        [--postgres postgresql+asyncpg://…/scratch] [--skip-sqlite]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from backend_client.clock import ManualClock
from backend_client.graduates.centres import Service, SlotFull, SlotRow
from backend_client.models import AgeBand, Role
from backend_client.sql import Database, migrate, open_database

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


async def fresh(url: str | None, workdir: Path, clock: ManualClock) -> Database:
    if url is None:
        url = f"sqlite:///{workdir / f'centre-{time.monotonic_ns()}.db'}"
    else:
        scratch = await open_database(url, clock)
        async with scratch.engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await scratch.close()
    await asyncio.to_thread(migrate, url)
    return await open_database(url, clock)


async def run(name: str, url: str | None, options: argparse.Namespace, workdir: Path) -> None:
    clock = ManualClock(NOW)
    database = await fresh(url, workdir, clock)
    try:
        rows = [
            SlotRow("36401", Service.CONSULTATION, NOW + timedelta(days=1, hours=i), options.seats)
            for i in range(options.slots)
        ]
        await database.graduates.import_slots(rows)
        slot_ids = [slot.id for slot in await database.graduates.slots()]
        people = []
        for i in range(options.people):
            person = await database.records.identify("bench", f"p{i}", f"p{i}")
            await database.records.choose_role(person.id, Role.GRADUATE, AgeBand.ADULT)
            people.append(await database.records.give_own_consent(person.id, version="v1", channel="bench"))
        latencies: list[float] = []

        async def book(index: int) -> bool:
            started = time.perf_counter()
            try:
                await database.graduates.book(
                    people[index].id, slot_ids[index % len(slot_ids)], press=f"b{index}"
                )
                return True
            except SlotFull:
                return False
            finally:
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        won = sum(await asyncio.gather(*(book(i) for i in range(len(people)))))
        took = time.perf_counter() - started
        seats = options.slots * options.seats
        taken = sum(slot.taken for slot in await database.graduates.slots())
        cut = statistics.quantiles(latencies, n=20)
        print(
            f"{name}: {len(people)} people for {seats} seats -> {won} booked ({taken} seats taken); "
            f"race {took * 1000:.0f} ms; book median {statistics.median(latencies) * 1000:.1f} ms, "
            f"p95 {cut[18] * 1000:.1f} ms"
        )
        assert won == taken == min(seats, len(people))
    finally:
        await database.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--slots", type=int, default=10)
    parser.add_argument("--seats", type=int, default=2)
    parser.add_argument("--postgres", help="a scratch PostgreSQL database (its schema is dropped)")
    parser.add_argument("--skip-sqlite", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if not options.skip_sqlite:
            asyncio.run(run("SQLite", None, options, Path(folder)))
        if options.postgres:
            asyncio.run(run("PostgreSQL", options.postgres, options, Path(folder)))


if __name__ == "__main__":
    main()
