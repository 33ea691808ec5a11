"""The embedded core store: SQLAlchemy 2 async over SQLite (default) or PostgreSQL, migrated by Alembic."""

from backend_client.sql.database import Database, open_database
from backend_client.sql.migrate import downgrade, migrate

__all__ = ["Database", "downgrade", "migrate", "open_database"]
