"""``frontdoor report feedback`` over SQL: read from ``feedback_tickets`` only, which names nobody, so the
tickets of erased people still count (their text is gone)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from backend_client.broadcasts import Actor
from backend_client.feedback import FeedbackReport
from backend_client.sql.feedback.rows import OPEN
from backend_client.sql.feedback.tables import feedback_owners, feedback_tickets
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.operators import operator_check


class SqlFeedbackReports(SqlUseCases):
    async def feedback_report(self, actor: Actor, target: timedelta) -> FeedbackReport:
        now = self._clock.now()
        tickets = feedback_tickets
        async with self._engine.begin() as connection:
            await operator_check(connection, actor)
            rows = (
                await connection.execute(
                    select(
                        tickets.c.topic,
                        tickets.c.status,
                        tickets.c.opened_at,
                        tickets.c.first_answer_at,
                        tickets.c.rating,
                        feedback_owners.c.person_id,
                    ).outerjoin(feedback_owners, feedback_owners.c.ticket_id == tickets.c.id)
                )
            ).all()
        waits = sorted(
            (row.first_answer_at - row.opened_at).total_seconds() / 3600
            for row in rows
            if row.first_answer_at is not None
        )
        live_open = [row for row in rows if row.status == OPEN and row.person_id is not None]
        return FeedbackReport(
            by_topic=dict(Counter(row.topic for row in rows)),
            open=len(live_open),
            closed=len(rows) - len(live_open),
            answered=len(waits),
            overdue_open=sum(
                1 for r in live_open if r.first_answer_at is None and now - r.opened_at > target
            ),
            answered_late=sum(1 for hours in waits if hours > target.total_seconds() / 3600),
            median_first_answer=_quantile(waits, 0.5),
            p90_first_answer=_quantile(waits, 0.9),
            useful=sum(1 for row in rows if row.rating == 1),
            not_useful=sum(1 for row in rows if row.rating == -1),
            erased=sum(1 for row in rows if row.person_id is None),
        )


def _quantile(ordered: list[float], share: float) -> float | None:
    """The nearest-rank quantile of sorted values; None for none."""
    if not ordered:
        return None
    rank = max(1, -(-len(ordered) * share // 1))  # ceil(n × share), at least the first
    return ordered[int(rank) - 1]
