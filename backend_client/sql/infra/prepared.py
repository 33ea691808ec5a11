"""Statements of the conversation hot path, compiled once and run on the sqlite3 driver by the inline engine.

Measured on the inline SQLite engine (2-core CI machine): a cached one-row read costs ~22 µs through
SQLAlchemy's ``execute`` and ~3.5 µs on the sqlite3 cursor; the difference is per-execute bookkeeping
(execution context, parameter and result set-up), paid by every statement of every Telegram update.
Elsewhere (PostgreSQL, aiosqlite) the same statement runs through SQLAlchemy as usual, so callers have one
code path, and values are converted by SQLAlchemy's own type processors, taken once from the statement.

Rows come back for SELECT and for RETURNING. A broken constraint raises SQLAlchemy's ``IntegrityError`` on
every engine, so callers catch one exception; other driver errors pass through untranslated.
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import ClauseElement, Executable

from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.infra.inline import InlineConnection

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class Ran:
    rows: Sequence[Any]  # rows with attribute access by column key, like SQLAlchemy's
    rowcount: int  # rows changed by an INSERT / UPDATE / DELETE


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # parameter names in the order of the ``?`` marks
    binds: tuple[Processor, ...]
    row: Any  # a namedtuple class over the result columns; None when the statement returns none
    results: tuple[Processor, ...]
    fixed: Mapping[str, Any]  # values written into the statement itself (``.values(kind="x")``)

    def arguments(self, parameters: Mapping[str, Any]) -> list[Any]:
        if self.fixed:
            parameters = {**self.fixed, **parameters}
        values = [parameters[name] for name in self.names]
        return [v if bind is None else bind(v) for v, bind in zip(values, self.binds, strict=True)]

    def rows(self, raw_rows: list[Any]) -> list[Any]:
        make, results = self.row._make, self.results
        return [
            make([v if p is None else p(v) for v, p in zip(raw, results, strict=True)]) for raw in raw_rows
        ]


class Prepared:
    """One Core statement with named ``bindparam`` parameters; ``await run(connection, parameters)``."""

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._inline: _Compiled | None = None

    async def run(self, connection: DbConnection, parameters: Mapping[str, Any]) -> Ran:
        if isinstance(connection, InlineConnection):
            compiled = self._inline or self._compile(connection.dialect)
            arguments = compiled.arguments(parameters)
            try:
                cursor = connection.driver.execute(compiled.sql, arguments)
            except sqlite3.IntegrityError as error:
                raise IntegrityError(compiled.sql, arguments, error, hide_parameters=True) from error
            rows = compiled.rows(cursor.fetchall()) if compiled.row is not None else ()
            return Ran(rows, cursor.rowcount)
        result = await connection.execute(self.statement, dict(parameters))
        return Ran(result.all() if result.returns_rows else (), result.rowcount)

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled: Any = cast(ClauseElement, self.statement).compile(dialect=dialect)
        names = tuple(compiled.positiontup or ())
        binds = tuple(compiled.binds[name].type.bind_processor(dialect) for name in names)
        fixed = {
            name: compiled.binds[name].effective_value for name in names if not compiled.binds[name].required
        }
        row: Any = None
        results: tuple[Processor, ...] = ()
        columns = list(getattr(self.statement, "exported_columns", ()))  # SELECT's, or RETURNING's
        if columns:
            row = _row_class([str(column.key) for column in columns])
            results = tuple(column.type.result_processor(dialect, None) for column in columns)
        self._inline = _Compiled(compiled.string, names, binds, row, results, fixed)
        return self._inline


def _row_class(keys: list[str]) -> Any:
    return namedtuple("Row", keys)  # fields known only at run time
