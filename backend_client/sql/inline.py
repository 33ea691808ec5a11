"""SQLite run inline on the event loop, behind the same async surface as SQLAlchemy's ``AsyncEngine``.

Measured on the 2-core CI machine: a one-row read costs ~250 µs through aiosqlite (several hops to its
worker thread per statement) and ~40 µs inline; the dialog benchmark runs 5-8x faster inline. The store
issues short indexed statements only and SQLite has one writer anyway, so one connection used inline is
both faster and simpler.

The one connection is handed to one task at a time (an asyncio lock), so a caller that awaits something
else inside a transaction makes the others wait instead of sharing its transaction. Write transactions
start with ``BEGIN IMMEDIATE``: they take SQLite's write lock up front, so a second process writing at the
same moment waits (busy_timeout) instead of failing halfway through a use case.

The connection stays open for the engine's life (no pool checkout per use case), and WAL checkpoints run
on a thread of their own (``Checkpointer``): a checkpoint fsyncs the database file, and inline on the loop
that stalled every conversation for milliseconds (up to 200 ms seen under load) every thousand pages.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.engine import Connection, CursorResult, Dialect
from sqlalchemy.sql import Executable

T = TypeVar("T")
log = logging.getLogger(__name__)
CHECKPOINT_INTERVAL = 1.0  # seconds; the WAL holds at most about this long's writes between checkpoints


class _InlineSavepoint:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._savepoint: Any = None

    async def __aenter__(self) -> _InlineSavepoint:
        self._savepoint = self._connection.begin_nested()
        return self

    async def __aexit__(self, kind: object, error: object, trace: object) -> None:
        if error is None:
            self._savepoint.commit()
        else:
            self._savepoint.rollback()


def _driver(connection: Connection) -> sqlite3.Connection:
    """The sqlite3 connection under ``connection``. BEGIN goes straight to it (~1 µs, against ~8 µs as a
    statement through SQLAlchemy); SQLAlchemy's own transaction starts with its first statement."""
    driver = connection.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver


class InlineConnection:
    """A synchronous SQLAlchemy connection with the awaitable surface of ``AsyncConnection``."""

    def __init__(self, connection: Connection) -> None:
        self.sync_connection = connection

    @property
    def dialect(self) -> Dialect:
        return self.sync_connection.dialect

    @property
    def driver(self) -> sqlite3.Connection:
        """The sqlite3 connection itself, for ``Prepared`` statements (inside this connection's turn)."""
        return _driver(self.sync_connection)

    async def execute(self, statement: Executable, parameters: Any = None) -> CursorResult[Any]:
        return self.sync_connection.execute(statement, parameters)

    async def scalar(self, statement: Executable, parameters: Any = None) -> Any:
        return self.sync_connection.scalar(statement, parameters)

    async def run_sync(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return function(self.sync_connection, *args, **kwargs)

    def begin_nested(self) -> _InlineSavepoint:
        return _InlineSavepoint(self.sync_connection)


class _Turns:
    """Hands the one connection to one task at a time."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._holder: asyncio.Task[Any] | None = None

    @asynccontextmanager
    async def take(self) -> AsyncIterator[None]:
        me = asyncio.current_task()
        if me is not None and me is self._holder:
            # Waiting for our own lock would hang forever: say what went wrong instead.
            raise RuntimeError("nested connect()/begin() on the inline SQLite engine within one task")
        async with self._lock:
            self._holder = me
            try:
                yield
            finally:
                self._holder = None


class Checkpointer:
    """Copies the WAL into the database file every ``interval`` seconds, off the event loop.

    PASSIVE checkpoints never wait for locks, so the writer on the loop is never held up; the loop's own
    connection turns automatic checkpoints off (``wal_autocheckpoint=0``) once this runs.
    """

    def __init__(self, path: str, interval: float = CHECKPOINT_INTERVAL) -> None:
        self._path = path
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        connection = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        try:
            while not self._stop.wait(self._interval):
                self.checkpoint(connection)
            self.checkpoint(connection)  # the last writes, before the engine closes
        finally:
            connection.close()

    @staticmethod
    def checkpoint(connection: sqlite3.Connection) -> None:
        try:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error as error:  # e.g. the disk is full: the next round tries again
            log.warning("WAL checkpoint failed: %s", error)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


class _Shared:
    """What the engine and its autocommit view share: the one connection, the turns, the checkpointer."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.turns = _Turns()
        self._connection: Connection | None = None
        self._checkpointer: Checkpointer | None = None

    def connection(self) -> Connection:
        if self._connection is None or self._connection.closed or self._connection.invalidated:
            self._connection = self.engine.connect()
            path = self.engine.url.database
            if path and path != ":memory:" and self._checkpointer is None:
                self._connection.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
                self._checkpointer = Checkpointer(path)
        return self._connection

    def reset(self, connection: Connection) -> None:
        """Ends whatever transaction is open; a connection that cannot even roll back is replaced."""
        try:
            connection.rollback()
            # SQLAlchemy rolls back only a transaction it knows of: not one whose BEGIN went to the driver
            # with no statement through SQLAlchemy after it, nor one after a failed COMMIT.
            driver = _driver(connection)
            if driver.in_transaction:
                driver.rollback()
        except Exception:
            log.exception("SQLite connection dropped after a failed rollback")
            connection.invalidate()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
        self.engine.dispose()


class InlineSqliteEngine:
    """``connect()``, ``begin()`` and ``dispose()`` like ``AsyncEngine``, over one SQLite connection."""

    def __init__(self, engine: Engine, *, autocommit: bool = False, shared: _Shared | None = None) -> None:
        self.sync_engine = engine
        self._autocommit = autocommit
        self._shared = shared or _Shared(engine)

    @property
    def dialect(self) -> Dialect:
        return self.sync_engine.dialect

    def execution_options(self, *, isolation_level: str) -> InlineSqliteEngine:
        """Like ``AsyncEngine.execution_options``; only ``isolation_level="AUTOCOMMIT"`` is known: a view
        that sends no BEGIN, so each statement is its own transaction (one statement instead of three)."""
        if isolation_level != "AUTOCOMMIT":
            raise ValueError(f"the inline SQLite engine knows only AUTOCOMMIT, not {isolation_level}")
        return InlineSqliteEngine(self.sync_engine, autocommit=True, shared=self._shared)

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[InlineConnection]:
        """Reads in one deferred transaction (one snapshot), rolled back on exit."""
        async with self._shared.turns.take():
            connection = self._shared.connection()
            try:
                if not self._autocommit:
                    _driver(connection).execute("BEGIN")
                yield InlineConnection(connection)
            finally:
                self._shared.reset(connection)

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[InlineConnection]:
        """One write transaction, committed when the block ends without an exception."""
        async with self._shared.turns.take():
            connection = self._shared.connection()
            try:
                if not self._autocommit:
                    _driver(connection).execute("BEGIN IMMEDIATE")
                yield InlineConnection(connection)
                if connection.in_transaction():  # statements ran through SQLAlchemy: its COMMIT ends it all
                    connection.commit()
                elif _driver(connection).in_transaction:  # only ``Prepared`` statements ran
                    _driver(connection).commit()
            except BaseException:
                self._shared.reset(connection)
                raise

    async def dispose(self) -> None:
        self._shared.close()
