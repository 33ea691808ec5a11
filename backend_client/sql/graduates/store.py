"""The graduates' store, one class: the questionnaire, the bookings, the slots and the reminders' reads."""

from __future__ import annotations

from backend_client.sql.graduates.bookings import SqlCentreBookings
from backend_client.sql.graduates.slots import SqlCentreSlots
from backend_client.sql.graduates.surveys import SqlGraduateSurveys


class SqlGraduates(SqlGraduateSurveys, SqlCentreBookings, SqlCentreSlots):
    """``GraduateSurveys``, ``CentreBookings``, ``CentreSlots`` and ``CentreReminderSources``."""
