"""SQLite under several processes and after an erasure; what database errors may show.

Two engines on one file, each on its own thread and event loop (SQLite's locks between connections of one
process behave as between processes), stand for the bot plus the CLI or two terminal chats.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from backend_client.clock import ManualClock
from backend_client.models import AgeBand, Role
from backend_client.sql import open_database
from backend_client.sql.infra import inline
from backend_client.sql.infra.engine import truncate_wal
from backend_client.sql.infra.inline import WAL_SIZE_LIMIT, Checkpointer
from backend_client.sql.infra.prepared import Prepared
from backend_client.sql.tables import counters, people
from tests.conftest import sqlite_copy

TYPED = "Злата Секретова 8-927-000-00-00"  # what a person typed: must never reach a log or an error text


def _copy(request: pytest.FixtureRequest, path: Path, scheme: str) -> str:
    """A migrated database file at ``path`` (a copy of the session's template), opened with ``scheme``."""
    return sqlite_copy(request, path).replace("sqlite:", f"{scheme}:", 1)


def _hammer(url: str, rounds: int, errors: list[BaseException]) -> None:
    """Read-modify-write transactions, the shape of every use case: a read first, then writes."""

    async def run() -> None:
        database = await open_database(url, ManualClock())
        try:
            for _ in range(rounds):
                async with database.engine.begin() as connection:
                    current = (
                        await connection.execute(select(counters.c.value).where(counters.c.name == "n"))
                    ).scalar_one()
                    await connection.execute(
                        update(counters).where(counters.c.name == "n").values(value=current + 1)
                    )
        finally:
            await database.close()

    try:
        asyncio.run(run())
    except BaseException as error:  # reported to the test, which fails on it
        errors.append(error)


@pytest.mark.parametrize("scheme", ["sqlite", "sqlite+aiosqlite"])
async def test_two_processes_writing_one_file_never_see_database_is_locked(request, tmp_path, scheme):
    url = _copy(request, tmp_path / "shared.db", scheme)
    database = await open_database(url, ManualClock())
    async with database.engine.begin() as connection:
        await connection.execute(insert(counters).values(name="n", value=0))
    await database.close()

    rounds, errors = 300, []
    writers = [threading.Thread(target=_hammer, args=(url, rounds, errors)) for _ in range(2)]
    for writer in writers:
        writer.start()
    await asyncio.to_thread(lambda: [writer.join() for writer in writers])

    assert [str(error).splitlines()[0] for error in errors] == []
    database = await open_database(url, ManualClock())
    try:
        assert await database.records.counters() == {"n": 2 * rounds}  # and no update was lost
    finally:
        await database.close()


async def _pragma(database, name: str) -> object:
    async with database.engine.connect() as connection:
        return (await connection.execute(text(f"PRAGMA {name}"))).scalar()


@pytest.mark.parametrize("scheme", ["sqlite", "sqlite+aiosqlite"])
async def test_sqlite_limits_its_wal_and_zeroes_what_it_deletes(request, tmp_path, scheme, clock):
    url = _copy(request, tmp_path / "tuned.db", scheme)
    database = await open_database(url, clock)
    try:
        assert await _pragma(database, "journal_size_limit") == WAL_SIZE_LIMIT
        assert await _pragma(database, "secure_delete") == 1
    finally:
        await database.close()


def _files_hold(path: Path, needle: str) -> bool:
    data = needle.encode()
    return any(
        candidate.exists() and data in candidate.read_bytes()
        for candidate in (path, path.with_name(path.name + "-wal"))
    )


@pytest.mark.parametrize("scheme", ["sqlite", "sqlite+aiosqlite"])
async def test_an_erased_persons_words_leave_the_database_file_and_its_wal(request, tmp_path, scheme, clock):
    path = tmp_path / "erase.db"
    url = _copy(request, path, scheme)
    database = await open_database(url, clock)
    try:
        records = database.records
        person = await records.identify("test", "1", "1")
        await records.choose_role(person.id, Role.GRADUATE, AgeBand.ADULT)
        await records.give_own_consent(person.id, version="v1", channel="test")
        await records.save_profile(person.id, {"institution": TYPED})
        await truncate_wal(database.engine)  # the name is now in the database file itself
        assert _files_hold(path, TYPED)
        await records.erase(person.id, reason="test")
        assert not _files_hold(path, TYPED)  # neither the freed page nor an old WAL frame keeps it
    finally:
        await database.close()


def _wal_bytes(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def test_the_checkpointer_empties_the_wal_once_writes_stop(tmp_path):
    path = tmp_path / "idle.db"
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("PRAGMA journal_mode=WAL")
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute("CREATE TABLE t (x TEXT)")
        writer.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 200)
        assert _wal_bytes(path) > 100_000
        checkpointer = Checkpointer(str(path), interval=0.01)
        try:
            deadline = time.monotonic() + 30  # a bound on waiting, not a figure under test
            while _wal_bytes(path) > 0 and time.monotonic() < deadline:
                time.sleep(0.01)
        finally:
            checkpointer.stop()
        assert _wal_bytes(path) == 0
    finally:
        writer.close()


async def test_the_wal_stays_bounded_while_writes_never_pause(request, tmp_path, clock, monkeypatch):
    """Writes back to back leave the background checkpoint no moment in which the whole WAL is copied, so
    SQLite never starts it over (before: 333 MiB for a 3 MiB database); the engine empties it itself,
    between two transactions, once it passes the limit (1 MiB here, to keep the test short)."""
    limit = 2**20
    monkeypatch.setattr(inline, "WAL_SIZE_LIMIT", limit)
    path = tmp_path / "busy.db"
    url = _copy(request, path, "sqlite")
    database = await open_database(url, clock)
    row = {"role": None, "age_band": "x" * 3000, "consent_status": "none", "created_at": clock.now()}
    peak = 0
    try:
        for written in range(1, 3001):  # about 3 pages a transaction: 10x the limit, unchecked
            async with database.engine.begin() as connection:
                await connection.execute(insert(people).values(row))
                if written % 100 == 0:
                    await connection.execute(delete(people))
            peak = max(peak, _wal_bytes(path))
        assert peak < 4 * limit
    finally:
        await database.close()


async def test_a_failing_statement_shows_no_typed_value(database, caplog):
    statement = insert(counters).values(name=TYPED, value=None)  # NOT NULL: refused
    with caplog.at_level(logging.DEBUG), pytest.raises(DBAPIError) as caught:
        async with database.engine.begin() as connection:
            await connection.execute(statement)
    logging.getLogger("test").exception("step failed", exc_info=caught.value)
    assert TYPED not in str(caught.value)
    assert TYPED not in caplog.text


async def test_a_failing_prepared_statement_shows_no_typed_value(database):
    async with database.engine.begin() as connection:
        await connection.execute(insert(counters).values(name=TYPED, value=1))
    duplicate = Prepared(insert(counters))
    with pytest.raises(DBAPIError) as caught:
        async with database.engine.begin() as connection:
            await duplicate.run(connection, {"name": TYPED, "value": 2})
    assert TYPED not in str(caught.value)
