"""Running Alembic from code, so the CLI and tests need no alembic.ini at the repository root."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from backend_client.sql.database import async_url

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", async_url(url).replace("%", "%%"))
    config.attributes["configure_logger"] = False
    return config


def migrate(url: str, revision: str = "head") -> None:
    """Upgrade the database to ``revision``. Synchronous: from async code use ``asyncio.to_thread``."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)
