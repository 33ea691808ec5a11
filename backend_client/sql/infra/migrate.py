"""Running Alembic from code, so the CLI and tests need no alembic.ini at the repository root."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from alembic import command
from alembic.config import Config

from backend_client.sql.infra.urls import async_url, ensure_sqlite_folder

MIGRATIONS = Path(__file__).parent.parent / "migrations"  # backend_client/sql/migrations


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser interpolation: a literal % (URL-encoded passwords) must be doubled.
    config.set_main_option("sqlalchemy.url", async_url(url).replace("%", "%%"))
    return config


def _on_own_thread(step: Callable[[Config, str], None], url: str, revision: str) -> None:
    # env.py drives an async engine with asyncio.run(), which refuses to start inside a running loop;
    # a short-lived thread has none, so callers may be sync or async (await asyncio.to_thread(...)).
    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(step, alembic_config(url), revision).result()


def migrate(url: str, revision: str = "head") -> None:
    """Upgrade the database at ``url`` to ``revision`` (synchronous; creates a SQLite file's folder)."""
    ensure_sqlite_folder(url)
    _on_own_thread(command.upgrade, url, revision)


def downgrade(url: str, revision: str = "base") -> None:
    """Downgrade the database at ``url`` to ``revision`` (``base``: no tables at all)."""
    _on_own_thread(command.downgrade, url, revision)
