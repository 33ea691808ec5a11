"""INSERT … ON CONFLICT DO NOTHING RETURNING for many rows at once, one parameter per column.

A multi-row VALUES statement carries a bound parameter per value, and SQLAlchemy compiles each such
statement afresh (its shape changes with the row count): at tens of thousands of rows the compiling
costs far more than the database's work. Here the rows travel as one array per column on PostgreSQL
(``unnest``) and as one JSON text on SQLite (``json_each``), so the statement's text depends only on
the table and the columns, is compiled once, and takes any number of rows. The values are converted by
the columns' own bind processors first, so they are stored exactly as an ordinary INSERT stores them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Table, TextClause, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect, Row

from backend_client.sql.infra.engine import DbConnection


async def insert_new(
    connection: DbConnection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    returning: Sequence[str],
) -> list[Row[Any]]:
    """Insert ``rows`` (tuples in the order of ``columns``), skipping those that conflict with a unique
    key; the ``returning`` columns of the rows inserted, in the order given."""
    if not rows:
        return []
    dialect = connection.dialect
    processors = [table.c[name].type.bind_processor(dialect) for name in columns]
    statement = _statement(table, tuple(columns), tuple(returning), dialect.name)
    if dialect.name == "postgresql":
        arrays = [
            [value if bind is None else bind(value) for value in column]
            for column, bind in zip(zip(*rows, strict=True), processors, strict=True)
        ]
        parameters: dict[str, Any] = {f"c{n}": array for n, array in enumerate(arrays)}
    else:
        converted = [
            [value if bind is None else bind(value) for value, bind in zip(row, processors, strict=True)]
            for row in rows
        ]
        parameters = {"rows": json.dumps(converted, ensure_ascii=False, default=_sqlite_value)}
    return list((await connection.execute(statement, parameters)).all())


async def insert_new_grouped(
    connection: DbConnection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    group: str,
    top: str,
) -> dict[Any, tuple[Any, int]]:
    """``insert_new`` when only a summary of what went in is wanted: for each value of the ``group``
    column among the rows inserted, (the greatest ``top``, how many). PostgreSQL sums them up itself (a
    data-modifying WITH), so a million inserted rows do not travel back; SQLite hands the rows over in
    process, and they are summed here."""
    if connection.dialect.name != "postgresql":
        found: dict[Any, tuple[Any, int]] = {}
        for key, value in await insert_new(connection, table, columns, rows, (group, top)):
            best, count = found.get(key, (value, 0))
            found[key] = (max(best, value), count + 1)
        return found
    if not rows:
        return {}
    inserted = _statement(table, tuple(columns), (group, top), "postgresql").text
    summed = text(
        f"WITH inserted AS ({inserted}) SELECT {group}, max({top}), count(*) FROM inserted GROUP BY {group}"
    )
    processors = [table.c[name].type.bind_processor(connection.dialect) for name in columns]
    arrays = [
        [value if bind is None else bind(value) for value in column]
        for column, bind in zip(zip(*rows, strict=True), processors, strict=True)
    ]
    parameters = {f"c{n}": array for n, array in enumerate(arrays)}
    result = await connection.execute(summed, parameters)
    return {key: (best, int(count)) for key, best, count in result}


@cache
def _statement(
    table: Table, columns: tuple[str, ...], returning: tuple[str, ...], dialect: str
) -> TextClause:
    names = ", ".join(columns)
    back = ", ".join(returning)
    if dialect == "postgresql":
        types = [_array_type(table, name) for name in columns]
        arrays = ", ".join(f"CAST(:c{n} AS {kind}[])" for n, kind in enumerate(types))
        source = f"SELECT * FROM unnest({arrays})"
    else:
        values = ", ".join(f"json_extract(value, '$[{n}]')" for n in range(len(columns)))
        source = f"SELECT {values} FROM json_each(:rows) WHERE true"  # WHERE: SQLite's ON CONFLICT parse
    return text(f"INSERT INTO {table.name} ({names}) {source} ON CONFLICT DO NOTHING RETURNING {back}")


def _sqlite_value(value: object) -> str:
    """What the sqlite3 driver's adapter stores for a datetime (the same text an ordinary INSERT gives)."""
    if isinstance(value, datetime):
        return value.isoformat(" ")
    raise TypeError(f"cannot store {type(value).__name__} through json_each")


def _array_type(table: Table, name: str) -> str:
    """The column's PostgreSQL type, as an array's element."""
    return str(table.c[name].type.compile(dialect=_POSTGRES))


_POSTGRES: Dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
