"""Running Alembic from code, so the CLI and tests need no alembic.ini at the repository root."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from alembic import command
from alembic.config import Config

from backend_client.sql.database import async_url, ensure_sqlite_folder

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", async_url(url).replace("%", "%%"))
    return config


def _on_own_thread(step: Callable[[Config, str], None], url: str, revision: str) -> None:
    # env.py drives an async engine with asyncio.run(), which refuses to start inside a running loop;
    # a short-lived thread has none, so callers may be sync or async alike.
    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(step, alembic_config(url), revision).result()


def migrate(url: str, revision: str = "head") -> None:
    """Upgrade the database at ``url`` to ``revision``."""
    ensure_sqlite_folder(url)
    _on_own_thread(command.upgrade, url, revision)


def downgrade(url: str, revision: str = "base") -> None:
    _on_own_thread(command.downgrade, url, revision)
