"""Alembic migrations run both ways on SQLite and PostgreSQL and produce exactly the tables in code."""

from __future__ import annotations

import asyncio

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from backend_client.sql import downgrade, migrate
from backend_client.sql.infra.urls import async_url
from backend_client.sql.schema import metadata


def _schema(url: str) -> tuple[set[str], list[object]]:
    """(tables in the database, differences between the database and ``metadata``)."""
    return _objects(url, indexes=False)


def _objects(url: str, *, indexes: bool) -> tuple[set[str], list[object]]:
    def look(connection: Connection) -> tuple[set[str], list[object]]:
        inspector = inspect(connection)
        found = set(inspector.get_table_names())
        if indexes:
            found |= {f"{t}.{i['name']}" for t in set(found) for i in inspector.get_indexes(t)}
        return found, compare_metadata(MigrationContext.configure(connection), metadata)

    async def run() -> tuple[set[str], list[object]]:
        engine = create_async_engine(async_url(url))
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(look)
        finally:
            await engine.dispose()

    return asyncio.run(run())


@pytest.fixture
def fresh_url(database_url):
    """The shared test database emptied to nothing, and migrated back afterwards for the next tests."""
    downgrade(database_url, "base")
    yield database_url
    migrate(database_url)


def test_upgrade_downgrade_upgrade(fresh_url):
    assert _schema(fresh_url)[0] <= {"alembic_version"}
    migrate(fresh_url)
    tables, differences = _schema(fresh_url)
    assert differences == []
    assert tables == {"alembic_version", *metadata.tables}
    downgrade(fresh_url, "base")
    assert _schema(fresh_url)[0] <= {"alembic_version"}
    migrate(fresh_url)
    assert _schema(fresh_url)[1] == []


def test_every_revision_steps_down_and_up(fresh_url):
    migrate(fresh_url)
    steps = [_objects(fresh_url, indexes=True)[0]]
    while steps[-1] - {"alembic_version"}:
        downgrade(fresh_url, "-1")
        steps.append(_objects(fresh_url, indexes=True)[0])
        assert steps[-1] < steps[-2], "each revision down removes tables or indexes of its own"
    assert len(steps) - 1 == 16  # one step per revision: 0016 … 0001
    migrate(fresh_url)
    assert _schema(fresh_url)[1] == []


def test_sqlite_default_url_needs_no_driver(tmp_path):
    url = f"sqlite:///{tmp_path / 'new' / 'fresh.db'}"
    migrate(url)  # creates the folder too
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), metadata) == []
    finally:
        engine.dispose()


async def test_migrate_may_be_called_from_async_code(tmp_path):
    url = f"sqlite:///{tmp_path / 'async.db'}"
    await asyncio.to_thread(migrate, url)
    migrate(url)  # even straight from the loop: Alembic runs on a thread of its own
    assert (tmp_path / "async.db").exists()
