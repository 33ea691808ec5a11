"""INSERT ... ON CONFLICT, which SQLite and PostgreSQL spell the same but SQLAlchemy builds per dialect."""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite

from backend_client.sql.infra.engine import DbConnection


def upsert(connection: DbConnection, table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT into ``table`` that accepts ``on_conflict_do_nothing`` / ``on_conflict_do_update``."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
