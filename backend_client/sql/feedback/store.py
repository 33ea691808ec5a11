"""«Обратная связь» over SQL, one class for the store: the person's side, the desk and the report."""

from __future__ import annotations

from backend_client.sql.feedback.desk import SqlFeedbackDesk
from backend_client.sql.feedback.report import SqlFeedbackReports
from backend_client.sql.feedback.tickets import SqlTickets


class SqlFeedback(SqlTickets, SqlFeedbackDesk, SqlFeedbackReports):
    """``backend_client.ports.Feedback`` (both sides) and ``FeedbackReports``."""
