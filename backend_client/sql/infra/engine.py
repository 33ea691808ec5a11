"""The engine every SQL use case runs on, whichever database the URL names.

``SqlEngine`` is the async surface the store relies on: ``async with engine.connect()`` to read,
``async with engine.begin()`` for one transaction that commits on success, ``await connection.execute()``.

- ``postgresql://`` and ``sqlite+aiosqlite://`` give SQLAlchemy's own ``AsyncEngine``.
- ``sqlite://`` (the embedded default) gives ``InlineSqliteEngine``: the same surface over the synchronous
  driver, run inline on the event loop. See ``inline.py`` for why it is the default.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol

from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy import event
from sqlalchemy.engine import Connection, CursorResult, Dialect, ExceptionContext, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql import Executable

from backend_client.sql.infra.inline import WAL_SIZE_LIMIT, InlineSqliteEngine, truncate_wal_file
from backend_client.sql.infra.urls import async_url, backend_of, ensure_sqlite_folder, is_inline_sqlite

# WAL lets readers work while one writer commits; NORMAL sync survives process crashes (not power loss).
# journal_size_limit shrinks the WAL back whenever SQLite starts it over; secure_delete overwrites deleted
# rows with zeros, so an erased person's words do not stay behind in free pages. The page cache may grow
# to 64 MiB (SQLite's default is 2 MiB): a search walks index ranges of a large vacancy catalogue, and an
# import's batch rewrites pages all over the search index; with 2 MiB both re-read pages from the OS and
# the import spilled half-written pages to the WAL (a 100,000-vacancy import took a quarter longer).
_SQLITE_PRAGMAS = (
    "journal_mode=WAL",
    "synchronous=NORMAL",
    "foreign_keys=ON",
    "busy_timeout=5000",
    f"journal_size_limit={WAL_SIZE_LIMIT}",
    "secure_delete=ON",
    "cache_size=-65536",  # KiB
)
# Errors never repeat the bound values (what people typed) in their text, hence in logged tracebacks.
_QUIET = {"hide_parameters": True}


class DbConnection(Protocol):
    """What a use case may do with a connection (``AsyncConnection`` and ``InlineConnection`` both can)."""

    @property
    def dialect(self) -> Dialect: ...

    async def execute(self, statement: Executable, parameters: Any = None) -> CursorResult[Any]: ...

    def begin_nested(self) -> Any:
        """``async with connection.begin_nested()``: a savepoint that rolls back alone."""
        ...


class SqlEngine(Protocol):
    @property
    def dialect(self) -> Dialect: ...

    def connect(self) -> AbstractAsyncContextManager[DbConnection]:
        """``async with engine.connect() as connection``: reads; nothing is committed."""
        ...

    def begin(self) -> AbstractAsyncContextManager[DbConnection]:
        """``async with engine.begin() as connection``: one transaction, committed on success."""
        ...

    async def dispose(self) -> None: ...


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in _SQLITE_PRAGMAS:
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _driver_autocommit(dbapi_connection: Any, _record: Any) -> None:
    # Stop the sqlite3 module from opening transactions itself: it would do so only before the first
    # write, so the reads before it would run outside the transaction. We emit BEGIN explicitly instead.
    dbapi_connection.isolation_level = None


def _emit_begin(connection: Connection) -> None:
    # A write transaction takes the write lock up front. A deferred one that reads and then writes cannot
    # wait for the lock when another process wrote meanwhile: SQLite fails it at once ("database is
    # locked") instead of calling the busy handler. ``_WritesFirst.begin`` marks write transactions.
    immediate = connection.get_execution_options().get(_WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _hide_row_values(context: ExceptionContext) -> None:
    """PostgreSQL's DETAIL repeats the failing row or key («Failing row contains (…)», «Key (…)=(…)»): what
    people typed. Drop it from the error and from the driver's errors chained under it."""
    translated = context.original_exception
    source = translated.__cause__
    detail = getattr(source, "detail", None)
    if not detail:
        return
    shown = f"\nDETAIL:  {detail}"
    source.detail = None  # type: ignore[union-attr]  # asyncpg's errors keep it as a plain attribute
    for error in (translated, context.sqlalchemy_exception):
        if error is not None and error.args and isinstance(error.args[0], str):
            error.args = (error.args[0].replace(shown, ""), *error.args[1:])


_WRITE = "frontdoor_write"


class _WritesFirst(AsyncEngine):
    """aiosqlite's engine whose ``begin()`` starts with ``BEGIN IMMEDIATE`` (reads keep a deferred BEGIN)."""

    __slots__ = ()

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncConnection]:
        async with self.connect() as connection:
            await connection.execution_options(**{_WRITE: True})
            async with connection.begin():
                yield connection


def create_engine(url: str) -> SqlEngine:
    """The engine for ``url``. Creates the SQLite file's folder; connects lazily (nothing at import)."""
    if is_inline_sqlite(url):
        ensure_sqlite_folder(url)
        sync_engine = create_sync_engine(
            make_url(url).set(drivername="sqlite+pysqlite"),
            poolclass=StaticPool,  # one connection, used by one task at a time (InlineSqliteEngine locks)
            connect_args={"check_same_thread": False},
            **_QUIET,
        )
        event.listen(sync_engine, "connect", _driver_autocommit)
        event.listen(sync_engine, "connect", _tune_sqlite)
        return InlineSqliteEngine(sync_engine)
    if backend_of(url) == "sqlite":
        ensure_sqlite_folder(url)
        # One connection: SQLite has one writer anyway, and a second one would only wait for the lock.
        engine = create_async_engine(async_url(url), pool_size=1, max_overflow=0, **_QUIET)
        event.listen(engine.sync_engine, "connect", _driver_autocommit)
        event.listen(engine.sync_engine, "connect", _tune_sqlite)
        event.listen(engine.sync_engine, "begin", _emit_begin)
        return _WritesFirst(engine.sync_engine)
    # No pre-ping: it costs a round trip per checkout (it doubled the hot path's latency). A connection
    # dropped by a server restart fails one use case, and SQLAlchemy then replaces the whole pool.
    engine = create_async_engine(async_url(url), pool_size=10, max_overflow=10, pool_recycle=1800, **_QUIET)
    event.listen(engine.sync_engine, "handle_error", _hide_row_values)
    return engine


async def truncate_wal(engine: SqlEngine) -> None:
    """Copy SQLite's WAL into the database file and empty it, e.g. after an erasure, so the erased rows
    do not linger in old WAL frames; nothing on PostgreSQL. Gives up quietly (logged) when another
    process holds a read for long: the checkpointer empties an idle WAL anyway."""
    if isinstance(engine, InlineSqliteEngine):
        await engine.truncate_wal()
    elif isinstance(engine, AsyncEngine) and engine.dialect.name == "sqlite":
        path = engine.url.database
        if path and path != ":memory:":
            await asyncio.to_thread(truncate_wal_file, path)


def single_statements(engine: SqlEngine) -> SqlEngine:
    """A view of ``engine`` for reads and one-statement writes, which are atomic on their own.

    PostgreSQL and inline SQLite then send the statement alone, without BEGIN and COMMIT around it: one
    round trip instead of three on the hot paths (identify, conversation load and save). aiosqlite keeps
    its transactions (its BEGIN comes from an event that AUTOCOMMIT would not silence). Use ``begin()``
    for writes, ``connect()`` for reads.
    """
    if isinstance(engine, InlineSqliteEngine) or (
        isinstance(engine, AsyncEngine) and engine.dialect.name == "postgresql"
    ):
        return engine.execution_options(isolation_level="AUTOCOMMIT")
    return engine
