"""The embedded core store: SQLAlchemy 2 async over SQLite (default) or PostgreSQL, migrated by Alembic.

``open_database(url, clock)`` gives a ``Database`` with ``records`` (``SqlRecords``, every port of
``backend_client.ports.Records``), ``conversations`` (``SqlConversationStore``), ``journal``
(``SqlUpdateJournal``), ``engine`` and ``close()``. ``migrate(url)`` upgrades the schema to the newest
revision.
"""

from backend_client.sql.conversations import SqlConversationStore
from backend_client.sql.database import Database, open_database
from backend_client.sql.infra.engine import DbConnection, SqlEngine
from backend_client.sql.infra.journal import SqlUpdateJournal
from backend_client.sql.infra.migrate import downgrade, migrate
from backend_client.sql.records import SqlRecords

__all__ = [
    "Database",
    "DbConnection",
    "SqlConversationStore",
    "SqlEngine",
    "SqlRecords",
    "SqlUpdateJournal",
    "downgrade",
    "migrate",
    "open_database",
]
