"""Operators, campaigns and system messages over SQL: ``SqlBroadcasts`` composes the three rooms.

``sql/operators.py`` holds the role and the check every operator use case makes first,
``sql/campaigns.py`` drafting and fanning out campaigns, ``sql/system_messages.py`` planned works and
emergencies (sent as campaigns).
"""

from __future__ import annotations

from backend_client.sql.campaigns import FAN_OUT_CHUNK
from backend_client.sql.operators import SqlOperators, operator_check
from backend_client.sql.system_messages import SqlSystemMessages

__all__ = ["FAN_OUT_CHUNK", "SqlBroadcasts", "operator_check"]


class SqlBroadcasts(SqlOperators, SqlSystemMessages):
    """``backend_client.ports.Broadcasts`` over SQLite or PostgreSQL:
    ``SqlBroadcasts(engine, clock, zone=..., days=...)``."""
