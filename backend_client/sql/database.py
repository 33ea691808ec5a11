"""Opening the embedded store: one gateway per process; SQLite tuned for a single writer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import StaticPool

from backend_client.clock import Clock
from backend_client.sql.conversations import SqlConversationStore
from backend_client.sql.gateway import AsyncGateway, Gateway, InlineSqliteGateway
from backend_client.sql.journal import SqlUpdateJournal
from backend_client.sql.records import SqlRecords


@dataclass(slots=True)
class Database:
    gateway: Gateway
    records: SqlRecords
    conversations: SqlConversationStore
    journal: SqlUpdateJournal

    async def close(self) -> None:
        await self.gateway.dispose()


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers work while one writer commits; NORMAL sync is durable across process crashes.
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=5000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def async_url(url: str) -> str:
    """The URL Alembic and the async engine use: drivers made explicit (aiosqlite, asyncpg)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.set(drivername="sqlite+aiosqlite").render_as_string(hide_password=False)
    if parsed.get_backend_name() == "postgresql":
        return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    return url


def ensure_sqlite_folder(url: str) -> None:
    """SQLite creates the file but not its folder (the default lives under var/)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def open_gateway(url: str) -> Gateway:
    parsed: URL = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return AsyncGateway(
            create_async_engine(async_url(url), pool_size=10, max_overflow=10, pool_pre_ping=True)
        )
    ensure_sqlite_folder(url)
    if parsed.get_driver_name() == "aiosqlite":
        engine = create_async_engine(url, pool_size=1, max_overflow=0)
        event.listen(engine.sync_engine, "connect", _tune_sqlite)
        return AsyncGateway(engine)
    sync_engine = create_sync_engine(
        parsed.set(drivername="sqlite+pysqlite"),
        poolclass=StaticPool,
        connect_args={"check_same_thread": False},
    )
    event.listen(sync_engine, "connect", _tune_sqlite)
    return InlineSqliteGateway(sync_engine)


async def open_database(url: str, clock: Clock) -> Database:
    """Open the store at ``url``: ``sqlite:///file.db`` (inline, the default), ``sqlite+aiosqlite:///...``
    or ``postgresql+asyncpg://...``."""
    gateway = open_gateway(url)
    return Database(
        gateway,
        SqlRecords(gateway, clock),
        SqlConversationStore(gateway, clock),
        SqlUpdateJournal(gateway, clock),
    )
