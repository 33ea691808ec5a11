"""Many rows into one table at once, as fast as each engine allows.

Importing 100,000 vacancies writes some two million search postings; through SQLAlchemy's executemany
half of that time went into building each row's parameters. On the inline SQLite engine the rows go to
the sqlite3 driver's ``executemany`` directly (values converted by the columns' own bind processors, as
``prepared.py`` does, only where a column needs it). On PostgreSQL the rows, converted the same way, are
written with COPY on the transaction's own connection: several times faster than batched INSERTs, on
the client and on the server. Elsewhere (aiosqlite) SQLAlchemy's batched INSERT is used.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Boolean, Table, insert, text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection

from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.infra.inline import InlineConnection

Conversion = tuple[int, Callable[[Any], Any]]  # (position in the row, the column's bind processor)


async def insert_many(
    connection: DbConnection, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """INSERT ``rows`` (tuples in the order of ``columns``) into ``table``."""
    if not rows:
        return
    direct = isinstance(connection, InlineConnection) or (
        isinstance(connection, AsyncConnection) and connection.dialect.name == "postgresql"
    )
    if not direct:
        await connection.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    conversions = _conversions(table, columns, connection.dialect)
    if conversions:
        rows = [_converted(row, conversions) for row in rows]
    if isinstance(connection, InlineConnection):
        marks = ", ".join("?" for _ in columns)
        connection.driver.executemany(
            f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})", rows
        )
    elif isinstance(connection, AsyncConnection):
        await _copy(connection, table, columns, rows)


def _conversions(table: Table, columns: Sequence[str], dialect: Dialect) -> list[Conversion]:
    """The columns whose values the driver cannot take as they are. A bool is an int to sqlite3 and to
    asyncpg alike (stored as 1/0 and as a boolean), so Boolean's processor, a check per value, is skipped."""
    found: list[Conversion] = []
    for position, name in enumerate(columns):
        column_type = table.c[name].type
        bind = None if isinstance(column_type, Boolean) else column_type.bind_processor(dialect)
        if bind is not None:
            found.append((position, bind))
    return found


def _converted(row: tuple[Any, ...], conversions: list[Conversion]) -> tuple[Any, ...]:
    values = list(row)
    for position, bind in conversions:
        values[position] = bind(values[position])
    return tuple(values)


async def _copy(
    connection: AsyncConnection, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """COPY ``rows`` into ``table`` through asyncpg, inside the connection's open transaction."""
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection  # asyncpg's Connection
    if not driver.is_in_transaction():
        # SQLAlchemy starts the driver's transaction with the first statement: COPY alone would not.
        await connection.execute(text("SELECT 1"))
    assert driver.is_in_transaction(), "COPY outside the transaction would commit on its own"
    await driver.copy_records_to_table(table.name, records=rows, columns=list(columns))
