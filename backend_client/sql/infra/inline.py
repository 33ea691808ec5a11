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

SQLite starts the WAL over only when a write begins while every frame is already copied. Under steady load
a background checkpoint never finishes between two commits, so the WAL grew without bound (333 MiB for a
3 MiB database after 3,000 people). Two things bound it now: the checkpointer empties the WAL once writes
pause for a round, and when the WAL passes ``WAL_SIZE_LIMIT`` the engine empties it itself between two
transactions (holding the turn, so its own writers wait on the loop instead of spinning in SQLite's busy
handler).
"""

from __future__ import annotations

import asyncio
import logging
import os
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
WAL_SIZE_LIMIT = 64 * 2**20  # bytes: journal_size_limit, and the size at which the engine empties the WAL
# How long emptying the WAL waits for other connections (another process's read, its checkpoint) before
# giving up until the next round: meanwhile new writers wait, so it is kept short.
TRUNCATE_WAIT = 0.25
_SIZE_CHECK_EVERY = 64  # write transactions between two looks at the WAL's size (a stat, ~1 µs)


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


def _wal_bytes(path: str) -> int:
    try:
        return os.path.getsize(f"{path}-wal")
    except OSError:  # no WAL (yet, or any more)
        return 0


def _checkpoint(connection: sqlite3.Connection, mode: str) -> tuple[int, int, int]:
    """(busy, frames in the WAL, frames copied); (1, -1, -1) when it could not run."""
    try:
        busy, frames, copied = connection.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
    except (
        sqlite3.Error
    ) as error:  # e.g. the disk is full, or another checkpoint runs: the next round retries
        log.warning("WAL checkpoint (%s) failed: %s", mode, error)
        return 1, -1, -1
    return busy, frames, copied


def truncate_wal_file(path: str) -> bool:
    """Copy the WAL of the database at ``path`` into it and empty the WAL; False when others kept it busy."""
    connection = sqlite3.connect(path, timeout=TRUNCATE_WAIT, isolation_level=None)
    try:
        done = _checkpoint(connection, "TRUNCATE")[0] == 0
    finally:
        connection.close()
    if not done:
        log.warning("the SQLite WAL was not emptied: another connection kept it busy; retried when idle")
    return done


class Checkpointer:
    """Copies the WAL into the database file every ``interval`` seconds, off the event loop.

    PASSIVE checkpoints never wait for locks, so the writer on the loop is never held up; the loop's own
    connection turns automatic checkpoints off (``wal_autocheckpoint=0``) once this runs. A round that
    finds no new frames since the last one (writes have paused) empties the WAL file (TRUNCATE); under
    steady writes the engine empties it (``truncate``) when it passes ``WAL_SIZE_LIMIT``.
    """

    def __init__(self, path: str, interval: float = CHECKPOINT_INTERVAL) -> None:
        self.path = path
        self._interval = interval
        self._frames_before = 0
        self._lock = threading.Lock()  # one checkpoint at a time on the one connection
        self._connection = sqlite3.connect(
            path, timeout=TRUNCATE_WAIT, isolation_level=None, check_same_thread=False
        )
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            while not self._stop.wait(self._interval):
                self.round()
            with self._lock:
                _checkpoint(self._connection, "PASSIVE")  # the last writes, before the engine closes
        finally:
            self._connection.close()

    def round(self) -> None:
        with self._lock:
            _busy, frames, copied = _checkpoint(self._connection, "PASSIVE")
            if frames > 0 and frames == copied == self._frames_before:
                frames = _checkpoint(self._connection, "TRUNCATE")[1]
            self._frames_before = frames

    def truncate(self) -> bool:
        """Empty the WAL now (from any thread but the loop's: it may wait ``TRUNCATE_WAIT``)."""
        with self._lock:
            done = _checkpoint(self._connection, "TRUNCATE")[0] == 0
            if done:
                self._frames_before = 0
        if not done:
            log.warning("the SQLite WAL was not emptied: another connection kept it busy; retried when idle")
        return done

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
        self._writes = 0

    def connection(self) -> Connection:
        if self._connection is None or self._connection.closed or self._connection.invalidated:
            self._connection = self.engine.connect()
            path = self.engine.url.database
            if path and path != ":memory:" and self._checkpointer is None:
                self._connection.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
                self._checkpointer = Checkpointer(path)
        return self._connection

    async def after_write(self) -> None:
        """Every ``_SIZE_CHECK_EVERY`` write transactions, empty a WAL that outgrew ``WAL_SIZE_LIMIT``."""
        self._writes += 1
        checkpointer = self._checkpointer
        due = checkpointer is not None and self._writes % _SIZE_CHECK_EVERY == 0
        if due and _wal_bytes(checkpointer.path) > WAL_SIZE_LIMIT:  # type: ignore[union-attr]
            await self.empty_wal()

    async def empty_wal(self) -> None:
        """Empty the WAL on the checkpointer's connection. The caller holds the turn, so the loop's own
        writers wait for it here instead of in SQLite's busy handler, which would block the loop."""
        if self._checkpointer is not None:
            await asyncio.to_thread(self._checkpointer.truncate)

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
            await self._shared.after_write()

    async def truncate_wal(self) -> None:
        """Copy the WAL into the database file and empty it (see ``engine.truncate_wal``)."""
        async with self._shared.turns.take():
            await self._shared.empty_wal()

    async def dispose(self) -> None:
        self._shared.close()
