"""«Профтуры и профпробы» over SQL: ``SqlEvents`` composes the three rooms.

``sql/event_catalogue.py`` (operators and the import), ``sql/signups.py`` (people: what they may join,
signing up, cancelling) and ``SqlEventReminderSources`` in ``sql/reminder_sources.py`` (what event
reminders read); ``sql/event_rows.py`` holds the row reading they share.
"""

from __future__ import annotations

from backend_client.sql.event_catalogue import SqlEventCatalogue
from backend_client.sql.reminder_sources import SqlEventReminderSources
from backend_client.sql.signups import SqlSignups, signups_in

__all__ = ["SqlEvents", "signups_in"]


class SqlEvents(SqlSignups, SqlEventCatalogue, SqlEventReminderSources):
    """``backend_client.ports.Events``, ``EventCatalogue`` and ``EventReminderSources`` over SQLite or
    PostgreSQL."""
