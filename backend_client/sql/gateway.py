"""How use cases reach the database: ``connect()`` to read, ``begin()`` for one transaction.

Two implementations behind one shape:
- ``AsyncGateway`` wraps SQLAlchemy's ``AsyncEngine`` (PostgreSQL via asyncpg; SQLite via aiosqlite when
  the URL says ``sqlite+aiosqlite``).
- ``InlineSqliteGateway`` runs SQLite through SQLAlchemy's synchronous engine, inline on the event loop.
  Measured on the 2-core CI machine: a one-row read costs ~250 µs through the async layer (aiosqlite
  hops to a worker thread several times per statement) and ~40 µs inline. The embedded store issues
  short indexed statements only, and SQLite has a single writer anyway, so one connection used inline
  is both faster and simpler. This is the default for ``sqlite://`` URLs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Protocol

from sqlalchemy import Engine
from sqlalchemy.engine import Connection, Dialect, Result
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql import Executable


class DbConnection(Protocol):
    @property
    def dialect(self) -> Dialect: ...

    async def execute(self, statement: Executable, parameters: Any = None) -> Result[Any]: ...

    def begin_nested(self) -> Any: ...


class Gateway(Protocol):
    def connect(self) -> Any:
        """``async with gateway.connect() as connection``: reads, no commit."""
        ...

    def begin(self) -> Any:
        """``async with gateway.begin() as connection``: one transaction, committed on success."""
        ...

    async def dispose(self) -> None: ...


class AsyncGateway:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.connect() as connection:
            yield connection

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.begin() as connection:
            yield connection

    async def dispose(self) -> None:
        await self.engine.dispose()


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


class InlineConnection:
    """A synchronous SQLAlchemy connection with the awaitable surface the use cases expect."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    @property
    def dialect(self) -> Dialect:
        return self._connection.dialect

    async def execute(self, statement: Executable, parameters: Any = None) -> Result[Any]:
        return self._connection.execute(statement, parameters)

    def begin_nested(self) -> _InlineSavepoint:
        return _InlineSavepoint(self._connection)


class InlineSqliteGateway:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[InlineConnection]:
        with self.engine.connect() as connection:
            yield InlineConnection(connection)

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[InlineConnection]:
        with self.engine.begin() as connection:
            yield InlineConnection(connection)

    async def dispose(self) -> None:
        self.engine.dispose()
