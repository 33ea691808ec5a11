"""Logging set-up: our records to stderr; libraries that would print SQL parameters stay at WARNING."""

from __future__ import annotations

import logging
import sys

QUIET_LIBRARIES = ("aiosqlite", "sqlalchemy", "asyncio", "aiogram.event", "alembic")


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger().level))
