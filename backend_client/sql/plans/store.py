"""The graduates' plan and outcomes over SQL, one class for the store (``Database.plans``)."""

from __future__ import annotations

from backend_client.sql.plans.outcomes import SqlOutcomes
from backend_client.sql.plans.steps import SqlPlanSteps


class SqlPlans(SqlPlanSteps, SqlOutcomes):
    """``Plans``, ``PlanDesk``, ``Outcomes`` and the reminder rules' ``PlanReminderSources`` and
    ``CheckInSources`` (``backend_client/ports/plans.py``)."""
