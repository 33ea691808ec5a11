"""Many rows into one table at once, as fast as each engine allows.

Importing 100,000 vacancies writes some three million search postings; through SQLAlchemy's executemany
half of that time went into building each row's parameters. On the inline SQLite engine the rows go to
the sqlite3 driver's ``executemany`` directly (values converted by the columns' own bind processors, as
``prepared.py`` does); elsewhere SQLAlchemy's batched INSERT is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, insert

from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.infra.inline import InlineConnection


async def insert_many(
    connection: DbConnection, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """INSERT ``rows`` (tuples in the order of ``columns``) into ``table``."""
    if not rows:
        return
    if isinstance(connection, InlineConnection):
        processors = [table.c[name].type.bind_processor(connection.dialect) for name in columns]
        if any(processors):
            rows = [
                tuple(
                    value if bind is None else bind(value)
                    for value, bind in zip(row, processors, strict=True)
                )
                for row in rows
            ]
        marks = ", ".join("?" for _ in columns)
        connection.driver.executemany(
            f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})", rows
        )
        return
    await connection.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
