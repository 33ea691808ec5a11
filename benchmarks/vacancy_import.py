"""How fast a «Работа России» region comes in: the emulated API on loopback (no politeness delay), the real
client, the pull and the real catalogue on SQLite (and PostgreSQL when FRONTDOOR_TEST_POSTGRES_URL is set).

Printed per database: a first full pull (every vacancy new), the same pull again (nothing changed), and
an incremental pull after 5 % of the vacancies changed — records a second for each, with the share of the
time spent waiting for pages; and, first, the mapping alone and the memory the drafts a pull buffers take.

    .venv/bin/python benchmarks/vacancy_import.py [--vacancies 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from backend_client.clock import ManualClock
from backend_client.http.trudvsem import TrudvsemClient
from backend_client.sql import migrate, open_database
from backend_client.vacancies.importers.pull import PullSummary, pull_trudvsem
from backend_client.vacancies.importers.trudvsem import draft_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: the repository's root
from tests.trudvsem_emulator import TrudvsemEmulator, record


async def _reset_postgres(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


class _Timed:
    """The source, with the time spent waiting for and reading pages added up."""

    def __init__(self, client: TrudvsemClient) -> None:
        self.client, self.seconds = client, 0.0

    async def pages(self, region, *, modified_from=None):  # type: ignore[no-untyped-def]
        pages = self.client.pages(region, modified_from=modified_from)
        while True:
            began = time.perf_counter()
            try:
                page = await anext(pages)
            except StopAsyncIteration:
                return
            self.seconds += time.perf_counter() - began
            yield page


async def _pull(
    api: TrudvsemEmulator, database, clock: ManualClock, **options
) -> tuple[PullSummary, float, float]:  # type: ignore[no-untyped-def]
    clock.advance(timedelta(minutes=5))
    async with TrudvsemClient(api.base_url, delay=0, timeout=60) as client:
        source = _Timed(client)
        began = time.perf_counter()
        summary = await pull_trudvsem(source, database.vacancy_catalogue, "63", clock=clock, **options)
        return summary, time.perf_counter() - began, source.seconds


def _line(what: str, summary: PullSummary, seconds: float, fetching: float) -> str:
    rate = summary.records / seconds if seconds else 0.0
    return (
        f"  {what:<22} {summary.records:>7} records {seconds:7.2f} s  {rate:8.0f} records/s  "
        f"(fetching {fetching / seconds:4.0%})  {summary.report}"
    )


async def _measure(name: str, url: str, count: int) -> None:
    clock = ManualClock()
    database = await open_database(url, clock)
    try:
        async with TrudvsemEmulator([record(n) for n in range(count)]) as api:
            first = await _pull(api, database, clock, full=True)
            again = await _pull(api, database, clock, full=True)
            cursor = await database.vacancy_catalogue.import_cursor("trudvsem")
            assert cursor is not None
            for n in range(0, count, 20):
                api.put(record(n, cursor + timedelta(hours=2), **{"job-name": f"Изменено {n}"}))
            delta = await _pull(api, database, clock)
    finally:
        await database.close()
    print(f"{name}: {count} vacancies")
    print(_line("first full pull", *first))
    print(_line("same pull again", *again))
    print(_line("incremental (5 %)", *delta))


def _buffered(count: int) -> None:
    """What a full pull holds until it writes: every draft of the region."""
    records = [record(n) for n in range(count)]
    tracemalloc.start()
    began = time.perf_counter()
    drafts = [draft_of(item) for item in records]
    seconds = time.perf_counter() - began
    size = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    print(
        f"mapping: {len(drafts)} records into drafts, {len(drafts) / seconds:.0f} records/s (traced); "
        f"the drafts hold {size / 2**20:.1f} MiB ({size / len(drafts) / 1024:.1f} KiB each)"
    )


async def main(count: int) -> None:
    _buffered(count)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'import.db'}"
        migrate(url)
        await _measure("SQLite", url, count)
    postgres = os.environ.get("FRONTDOOR_TEST_POSTGRES_URL")
    if postgres:
        await _reset_postgres(postgres)
        migrate(postgres)
        await _measure("PostgreSQL", postgres, count)
    else:
        print("PostgreSQL: skipped (FRONTDOOR_TEST_POSTGRES_URL unset)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vacancies", type=int, default=20_000)
    asyncio.run(main(parser.parse_args().vacancies))
