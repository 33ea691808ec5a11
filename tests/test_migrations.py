"""Alembic migrations run both ways on SQLite and PostgreSQL and produce exactly the tables in code."""

from __future__ import annotations

import asyncio

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from backend_client.sql import downgrade, migrate
from backend_client.sql.tables import metadata


def _sync_url(url: str) -> str:
    return url.replace("+asyncpg", "+psycopg") if "+asyncpg" in url else url


def _differences(url: str) -> list[object]:
    async def compare() -> list[object]:
        from sqlalchemy.ext.asyncio import create_async_engine

        from backend_client.sql.database import async_url

        engine = create_async_engine(async_url(url))
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(
                    lambda sync: compare_metadata(MigrationContext.configure(sync), metadata)
                )
        finally:
            await engine.dispose()

    return asyncio.run(compare())


@pytest.fixture
def fresh_url(database_url):
    # The fixture hands out a migrated database; start from nothing for these tests.
    downgrade(database_url, "base")
    return database_url


def test_upgrade_downgrade_upgrade(fresh_url):
    migrate(fresh_url)
    assert _differences(fresh_url) == []
    downgrade(fresh_url, "base")
    migrate(fresh_url)
    assert _differences(fresh_url) == []


def test_sqlite_default_url_needs_no_driver(tmp_path):
    url = f"sqlite:///{tmp_path / 'new' / 'fresh.db'}"
    migrate(url)
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), metadata) == []
    finally:
        engine.dispose()
