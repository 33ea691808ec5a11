"""Database URLs: which backend a URL names, the async driver to use, and the SQLite file's folder."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}


def backend_of(url: str) -> str:
    """``sqlite`` or ``postgresql`` (or whatever else the URL names)."""
    return make_url(url).get_backend_name()


def is_inline_sqlite(url: str) -> bool:
    """Plain ``sqlite://`` (or ``sqlite+pysqlite://``) URLs run inline; ``sqlite+aiosqlite`` does not."""
    parsed = make_url(url)
    return parsed.get_backend_name() == "sqlite" and parsed.get_driver_name() == "pysqlite"


def async_url(url: str) -> str:
    """The same database with its async driver made explicit (aiosqlite, asyncpg), as Alembic needs it."""
    parsed = make_url(url)
    driver = _ASYNC_DRIVERS.get(parsed.get_backend_name())
    if driver is None:
        return url
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL; None for other backends and in-memory databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def ensure_sqlite_folder(url: str) -> None:
    """SQLite creates the file but not its folder (the default lives under var/)."""
    path = sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
