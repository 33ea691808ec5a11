"""Shared fixtures: real SQLite and PostgreSQL stores, a real Redis server, and a manual clock.

PostgreSQL: FRONTDOOR_TEST_POSTGRES_URL, else a throwaway server started from the installed binaries
(initdb/pg_ctl on PATH or under /usr/lib/postgresql/*/bin; as root it runs as the ``postgres`` user).
Redis: FRONTDOOR_TEST_REDIS_URL, else a throwaway ``redis-server`` from PATH. A server that cannot be
reached skips the tests that need it, with the reason — unless CI or FRONTDOOR_REQUIRE_SERVICES is set,
where it fails them.
"""

from __future__ import annotations

import asyncio
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import TypeVar

import pytest
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from backend_client.clock import ManualClock
from backend_client.kv.memory import MemoryConversationStore
from backend_client.kv.redis_store import RedisConversationStore
from backend_client.sql import Database, migrate, open_database
from backend_client.sql.schema import metadata
from nlu.embedded import EmbeddedModel, load_or_train

POSTGRES_ENV = "FRONTDOOR_TEST_POSTGRES_URL"
REDIS_ENV = "FRONTDOOR_TEST_REDIS_URL"

T = TypeVar("T")


def services_required() -> bool:
    return bool(os.environ.get("CI") or os.environ.get("FRONTDOOR_REQUIRE_SERVICES"))


def unavailable(reason: str) -> None:
    if services_required():
        pytest.fail(f"{reason} (CI / FRONTDOOR_REQUIRE_SERVICES: the server is required)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def off_the_loop(function: Callable[[], T]) -> T:
    """Run blocking set-up on a worker thread: session fixtures may first be reached from an async
    fixture, inside the running loop, where ``asyncio.run`` refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(function).result()


@pytest.fixture(scope="session", autouse=True)
def nlu_model(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedModel:
    """The embedded NLU model, trained once per session (about a second) into a throwaway cache; every
    later ``load_or_train`` in this process, ``build_app`` included, gets this one from memory."""
    return load_or_train(tmp_path_factory.mktemp("nlu"))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


# -- PostgreSQL --------------------------------------------------------------------------------------
class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary folder, on a free loopback port, trusted local logins."""

    def __init__(self, binaries: Path, prefix: list[str], base: Path) -> None:
        self.binaries, self.prefix, self.base = binaries, prefix, base
        self.data = base / "data"
        self.port = free_port()
        self.url = f"postgresql+asyncpg://frontdoor@127.0.0.1:{self.port}/postgres"

    @staticmethod
    def binaries() -> Path | None:
        initdb = shutil.which("initdb")
        if initdb and shutil.which("pg_ctl"):
            return Path(initdb).resolve().parent
        versions = sorted(
            Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), reverse=True
        )
        return next((p for p in versions if (p / "initdb").exists() and (p / "pg_ctl").exists()), None)

    @classmethod
    def start(cls) -> ThrowawayPostgres:
        """Start a server or raise RuntimeError saying why not."""
        binaries = cls.binaries()
        if binaries is None:
            raise RuntimeError("no initdb/pg_ctl on PATH or under /usr/lib/postgresql/*/bin")
        prefix: list[str] = []
        owner: pwd.struct_passwd | None = None
        if os.geteuid() == 0:  # postgres refuses to run as root
            runuser = shutil.which("runuser")
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                owner = None
            if owner is None or runuser is None:
                raise RuntimeError("running as root without a postgres user (or runuser) to start a server")
            prefix = [runuser, "-u", "postgres", "--"]
        base = Path(tempfile.mkdtemp(prefix="frontdoor-pg-"))
        if owner is not None:
            os.chown(base, owner.pw_uid, owner.pw_gid)
        server = cls(binaries, prefix, base)
        try:
            server._run(
                "initdb",
                "-D",
                str(server.data),
                "-U",
                "frontdoor",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-locale",
                "-N",
            )
            options = (
                f"-p {server.port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off"
            )
            server._run(
                "pg_ctl",
                "-D",
                str(server.data),
                "-l",
                str(base / "server.log"),
                "-o",
                options,
                "-w",
                "-t",
                "30",
                "start",
            )
        except Exception:
            server.stop()
            raise
        return server

    def _run(self, tool: str, *args: str) -> None:
        command = [*self.prefix, str(self.binaries / tool), *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise RuntimeError(f"{tool} failed: {tail[0]}")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with suppress(Exception):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.base, ignore_errors=True)


def _reset_schema(url: str) -> None:
    async def reset() -> None:
        engine = create_async_engine(url)
        try:
            async with engine.begin() as connection:
                await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                await connection.execute(text("CREATE SCHEMA public"))
        finally:
            await engine.dispose()

    asyncio.run(asyncio.wait_for(reset(), timeout=15))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A migrated PostgreSQL database for the whole session (its schema is dropped and rebuilt first)."""
    server: ThrowawayPostgres | None = None
    url = os.environ.get(POSTGRES_ENV, "")
    if not url:
        try:
            server = off_the_loop(ThrowawayPostgres.start)
        except Exception as error:
            unavailable(f"PostgreSQL not reachable: {POSTGRES_ENV} unset and no throwaway server ({error})")
        assert server is not None
        url = server.url
    try:
        try:
            off_the_loop(lambda: _reset_schema(url))
        except Exception as error:
            where = make_url(url).render_as_string(hide_password=True)
            unavailable(f"PostgreSQL not reachable at {where}: {type(error).__name__}: {error}")
        migrate(url)
        yield url
    finally:
        if server is not None:
            server.stop()


TABLES = ", ".join(table.name for table in metadata.sorted_tables)


async def clean_postgres(database: Database) -> None:
    """Empty every table in one statement: much faster than rebuilding the schema per test."""
    async with database.engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))


# -- SQLite ------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated file per session; each test gets a copy (a copy is far cheaper than migrating)."""
    path = tmp_path_factory.mktemp("template") / "frontdoor.db"
    migrate(f"sqlite:///{path}")
    return path


def sqlite_copy(request: pytest.FixtureRequest, target: Path) -> str:
    template: Path = request.getfixturevalue("sqlite_template")
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


@pytest.fixture(params=["sqlite", "postgres"], ids=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        return str(request.getfixturevalue("postgres_url"))
    return sqlite_copy(request, tmp_path / "frontdoor.db")


@pytest.fixture
async def database(database_url: str, clock: ManualClock) -> AsyncIterator[Database]:
    db = await open_database(database_url, clock)
    try:
        if database_url.startswith("postgresql"):
            await clean_postgres(db)
        yield db
    finally:
        await db.close()


@pytest.fixture
def records(database: Database):
    return database.records


# -- Redis -------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    configured = os.environ.get(REDIS_ENV)
    if configured:
        yield configured
        return
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable(f"Redis not reachable: {REDIS_ENV} unset and no redis-server on PATH")
    port = free_port()
    server = subprocess.Popen(
        [str(binary), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        if not wait_for_port(port, 10):
            unavailable("Redis not reachable: the throwaway redis-server did not start")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


@asynccontextmanager
async def flushed_redis(url: str) -> AsyncIterator[Redis]:
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
    async with flushed_redis(redis_url) as client:
        yield client


# -- any store, opened on demand -------------------------------------------------------------------
STORE_KINDS = ("sqlite", "aiosqlite", "postgres")


@pytest.fixture
async def open_store(
    request: pytest.FixtureRequest, tmp_path: Path, clock: ManualClock
) -> AsyncIterator[Callable[[str], Awaitable[Database]]]:
    """``await open_store(kind)``: a fresh, migrated store of one of STORE_KINDS, closed after the test.

    ``aiosqlite`` is SQLite through its worker thread (real interleaving, unlike the inline default).
    """
    opened: list[Database] = []

    async def open_kind(kind: str) -> Database:
        if kind == "postgres":
            url = str(request.getfixturevalue("postgres_url"))
        else:
            url = sqlite_copy(request, tmp_path / f"store-{len(opened)}.db")
            if kind == "aiosqlite":
                url = url.replace("sqlite://", "sqlite+aiosqlite://", 1)
        db = await open_database(url, clock)
        opened.append(db)
        if kind == "postgres":
            await clean_postgres(db)
        return db

    yield open_kind
    for db in opened:
        await db.close()


# -- conversation stores -----------------------------------------------------------------------------
@pytest.fixture(params=["memory", "sqlite", "postgres", "redis"])
async def conversation_store(request: pytest.FixtureRequest, open_store):
    if request.param == "memory":
        yield MemoryConversationStore()
    elif request.param == "redis":
        async with flushed_redis(request.getfixturevalue("redis_url")) as client:
            yield RedisConversationStore(client)
    else:
        yield (await open_store(request.param)).conversations
