"""Opening the store: engines per URL, SQLite tuning, the inline engine's transactions, UTC times."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.ext.asyncio import AsyncEngine

from backend_client.sql import Database, migrate, open_database
from backend_client.sql.database import Store
from backend_client.sql.infra.inline import Checkpointer, InlineSqliteEngine
from backend_client.sql.tables import conversations, counters


async def _pragmas(database) -> list[object]:
    async with database.engine.connect() as connection:
        return [
            (await connection.execute(text(f"PRAGMA {name}"))).scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        ]


@pytest.mark.parametrize(
    ("scheme", "engine_type"), [("sqlite", InlineSqliteEngine), ("sqlite+aiosqlite", AsyncEngine)]
)
async def test_sqlite_is_tuned_and_its_folder_created(tmp_path, clock, scheme, engine_type):
    url = f"{scheme}:///{tmp_path / 'var' / 'deeper' / 'frontdoor.db'}"
    await asyncio.to_thread(migrate, url)
    database = await open_database(url, clock)
    try:
        assert isinstance(database.engine, engine_type)
        assert await _pragmas(database) == ["wal", 1, 1, 5000]  # synchronous 1 = NORMAL
        await database.records.identify("test", "1", "1")
    finally:
        await database.close()
    assert (tmp_path / "var" / "deeper" / "frontdoor.db").exists()


async def test_opening_connects_to_nothing(tmp_path, clock):
    database = await open_database(f"sqlite:///{tmp_path / 'never' / 'used.db'}", clock)
    await database.close()
    assert not (tmp_path / "never" / "used.db").exists()


async def test_each_store_is_built_once_and_kept(tmp_path, clock):
    """``Database`` declares a store in one line (``Store``): built on first use, then the same object."""
    database = await open_database(f"sqlite:///{tmp_path / 'stores.db'}", clock)
    try:
        names = [name for name, value in vars(Database).items() if isinstance(value, Store)]
        assert {"records", "conversations", "journal", "outbox", "leases", "reminder_sources"} <= set(names)
        for name in [*names, "broadcasts"]:
            assert getattr(database, name) is getattr(database, name)
    finally:
        await database.close()


async def test_postgres_gets_the_asyncpg_engine(open_store):
    database = await open_store("postgres")
    assert isinstance(database.engine, AsyncEngine)
    assert database.engine.dialect.driver == "asyncpg"


async def test_a_failed_transaction_leaves_nothing_behind(database):
    async def count_then_fail() -> None:
        async with database.engine.begin() as connection:
            await connection.execute(insert(counters).values(name="x", value=1))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await count_then_fail()
    assert await database.records.counters() == {}


async def test_what_connect_writes_is_not_committed(database):
    async with database.engine.connect() as connection:
        await connection.execute(insert(counters).values(name="x", value=1))
    assert await database.records.counters() == {}


async def test_naive_times_are_refused(database):
    naive = datetime(2026, 9, 1, 9, 0)  # noqa: DTZ001 - the point of the test
    statement = insert(conversations).values(key="k", blob="b", version=1, updated_at=naive)
    async with database.engine.begin() as connection:
        with pytest.raises(StatementError, match="naive"):
            await connection.execute(statement)


async def test_times_are_stored_as_the_same_instant_in_utc(database):
    samara = datetime(2026, 9, 1, 13, 0, tzinfo=timezone(timedelta(hours=4)))
    async with database.engine.begin() as connection:
        await connection.execute(
            insert(conversations).values(key="k", blob="b", version=1, updated_at=samara)
        )
    async with database.engine.connect() as connection:
        stored = (await connection.execute(select(conversations.c.updated_at))).scalar_one()
    assert stored == samara
    assert stored.tzinfo is UTC


# -- the inline SQLite engine ------------------------------------------------------------------------
@pytest.fixture
async def inline(tmp_path, clock):
    url = f"sqlite:///{tmp_path / 'inline.db'}"
    await asyncio.to_thread(migrate, url)
    database = await open_database(url, clock)
    yield database
    await database.close()


async def test_nesting_transactions_in_one_task_is_an_error_not_a_hang(inline):
    async with inline.engine.begin():
        with pytest.raises(RuntimeError, match="nested"):
            async with inline.engine.connect():
                pass


async def test_a_task_awaiting_inside_a_transaction_makes_others_wait(inline):
    order: list[str] = []

    async def slow_writer() -> None:
        async with inline.engine.begin() as connection:
            await connection.execute(insert(counters).values(name="slow", value=1))
            order.append("slow writes")
            await asyncio.sleep(0.01)  # another task runs meanwhile, but may not share this transaction
            order.append("slow commits")

    async def reader() -> None:
        await asyncio.sleep(0)
        async with inline.engine.connect() as connection:
            rows = (await connection.execute(select(counters.c.name))).all()
        order.append(f"reader sees {len(rows)}")

    await asyncio.gather(slow_writer(), reader())
    assert order == ["slow writes", "slow commits", "reader sees 1"]


async def test_the_inline_engine_keeps_one_connection_and_leaves_checkpoints_to_a_thread(inline):
    async with inline.engine.connect() as first:
        autocheckpoint = (await first.execute(text("PRAGMA wal_autocheckpoint"))).scalar()
    async with inline.engine.begin() as second:
        assert second.sync_connection is first.sync_connection
    assert autocheckpoint == 0


async def test_a_transaction_that_fails_to_commit_is_rolled_back_and_the_connection_reused(inline):
    async def orphan_found_at_commit() -> None:
        async with inline.engine.begin() as connection:
            await connection.execute(text("PRAGMA defer_foreign_keys=ON"))
            await connection.execute(
                text(
                    "INSERT INTO channel_accounts (person_id, channel, external_id, chat_id, created_at)"
                    " VALUES (999, 'x', 'y', 'z', '2026-01-01')"
                )
            )

    with pytest.raises(IntegrityError):
        await orphan_found_at_commit()
    await inline.records.identify("test", "1", "1")  # the connection is usable and no transaction is open
    assert await inline.records.counters() == {}


def test_the_checkpointer_copies_the_wal_into_the_database_file(tmp_path):
    path = tmp_path / "wal.db"
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("PRAGMA journal_mode=WAL")
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute("CREATE TABLE t (x TEXT)")
        writer.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 200)
        before = path.stat().st_size
        checkpointer = Checkpointer(str(path), interval=0.01)
        try:
            deadline = time.monotonic() + 30  # a bound on waiting, not a figure under test
            while path.stat().st_size <= before and time.monotonic() < deadline:
                time.sleep(0.01)
        finally:
            checkpointer.stop()
        assert path.stat().st_size > before + 100_000
    finally:
        writer.close()
