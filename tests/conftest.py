"""Shared fixtures: real SQLite and PostgreSQL stores, a real Redis server, and a manual clock.

PostgreSQL comes from FRONTDOOR_TEST_POSTGRES_URL (or a local default); Redis from
FRONTDOOR_TEST_REDIS_URL, else a throwaway ``redis-server`` started from PATH. When neither is reachable
the tests that need them are skipped with the reason — except in CI (CI or FRONTDOOR_REQUIRE_SERVICES
set), where a missing service fails the run.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy import text

from backend_client.clock import ManualClock
from backend_client.kv.memory import MemoryConversationStore
from backend_client.kv.redis_store import RedisConversationStore
from backend_client.ports import ConversationStore
from backend_client.sql import Database, migrate, open_database
from backend_client.sql.tables import metadata

DEFAULT_POSTGRES = "postgresql+asyncpg://frontdoor:frontdoor@127.0.0.1:5432/frontdoor_test"


def services_required() -> bool:
    return bool(os.environ.get("CI") or os.environ.get("FRONTDOOR_REQUIRE_SERVICES"))


def unavailable(reason: str) -> None:
    if services_required():
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


# -- PostgreSQL --------------------------------------------------------------------------------------
@cache
def _postgres() -> tuple[str | None, str]:
    """(url, "") when a PostgreSQL server answers and is migrated, else (None, why not).

    Runs in a worker thread: it may be first reached from an async fixture, inside a running loop.
    """
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(_prepare_postgres).result()


def _prepare_postgres() -> tuple[str | None, str]:
    url = os.environ.get("FRONTDOOR_TEST_POSTGRES_URL", DEFAULT_POSTGRES)

    async def reset_schema() -> None:
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine(url)
        try:
            async with engine.begin() as connection:
                await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                await connection.execute(text("CREATE SCHEMA public"))
        finally:
            await engine.dispose()

    try:
        asyncio.run(asyncio.wait_for(reset_schema(), timeout=10))
    except Exception as error:
        return None, f"PostgreSQL not reachable at {url.split('@')[-1]}: {type(error).__name__}"
    migrate(url)
    return url, ""


_TABLES = ", ".join(table.name for table in metadata.sorted_tables)


# -- SQLite ------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "frontdoor.db"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        url, why = _postgres()
        if url is None:
            unavailable(why)
        assert url is not None
        return url
    template: Path = request.getfixturevalue("sqlite_template")
    target = tmp_path / "frontdoor.db"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


@pytest.fixture
async def database(database_url: str, clock: ManualClock) -> AsyncIterator[Database]:
    db = await open_database(database_url, clock)
    if database_url.startswith("postgresql"):
        async with db.gateway.begin() as connection:
            await connection.execute(text(f"TRUNCATE {_TABLES} RESTART IDENTITY CASCADE"))
    try:
        yield db
    finally:
        await db.close()


@pytest.fixture
def records(database: Database):
    return database.records


# -- Redis -------------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    configured = os.environ.get("FRONTDOOR_TEST_REDIS_URL")
    if configured:
        yield configured
        return
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable("Redis not reachable: set FRONTDOOR_TEST_REDIS_URL or install redis-server")
    port = _free_port()
    server = subprocess.Popen(
        [str(binary), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        else:
            unavailable("throwaway redis-server did not start")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


@asynccontextmanager
async def _redis(url: str) -> AsyncIterator[Redis]:
    """A client on a flushed database, or a skip (a failure in CI) when the server does not answer."""
    client = Redis.from_url(url)
    try:
        await client.ping()
    except Exception as error:
        await client.aclose()
        unavailable(f"Redis not reachable at {url}: {type(error).__name__}")
    await client.flushdb()
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture
async def redis_client(redis_url: str) -> AsyncIterator[Redis]:
    async with _redis(redis_url) as client:
        yield client


# -- conversation stores -----------------------------------------------------------------------------
@pytest.fixture(params=["memory", "sqlite", "postgres", "redis"])
async def conversation_store(request: pytest.FixtureRequest, tmp_path: Path, clock: ManualClock):
    if request.param == "memory":
        yield MemoryConversationStore()
        return
    if request.param == "redis":
        async with _redis(request.getfixturevalue("redis_url")) as client:
            yield RedisConversationStore(client)
        return
    if request.param == "postgres":
        url, why = _postgres()
        if url is None:
            unavailable(why)
        assert url is not None
    else:
        template: Path = request.getfixturevalue("sqlite_template")
        shutil.copyfile(template, tmp_path / "conv.db")
        url = f"sqlite:///{tmp_path / 'conv.db'}"
    db = await open_database(url, clock)
    if url.startswith("postgresql"):
        async with db.gateway.begin() as connection:
            await connection.execute(text(f"TRUNCATE {_TABLES} RESTART IDENTITY CASCADE"))
    store: ConversationStore = db.conversations
    try:
        yield store
    finally:
        await db.close()
