"""`frontdoor report alerts`: subscriptions, alerts sent, what came of them, and why people stopped."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import and_, func, select

from backend_client.broadcasts import Actor
from backend_client.sql.alerts.searches import FOUND_JOB_COUNTER
from backend_client.sql.alerts.tables import (
    alert_unsubscribes,
    saved_searches,
    vacancy_alert_items,
    vacancy_alerts,
)
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.operators import operator_check
from backend_client.sql.tables import counters
from backend_client.sql.vacancies.tables import applications
from backend_client.vacancies.alerts import AlertsReport

items = vacancy_alert_items


class SqlAlertReports(SqlUseCases):
    """``backend_client.ports.AlertReports`` over SQLite or PostgreSQL."""

    async def alerts_report(self, actor: Actor) -> AlertsReport:
        """Counts only, nothing about anyone; NotOperator for someone without the grant."""
        async with self._engine.begin() as connection:
            person = await operator_check(connection, actor)
            report = await _report(connection)
            await self._audit(connection, "alert.report", actor=person, subject=None)
        return report


async def _report(connection: DbConnection) -> AlertsReport:
    kinds: Counter[str] = Counter()
    places: Counter[str] = Counter()
    frequencies: Counter[str] = Counter()
    paused = Counter[bool]()
    rows = await connection.execute(
        select(
            saved_searches.c.kinds,
            saved_searches.c.municipality,
            saved_searches.c.frequency,
            saved_searches.c.paused,
            func.count(),
        ).group_by(
            saved_searches.c.kinds,
            saved_searches.c.municipality,
            saved_searches.c.frequency,
            saved_searches.c.paused,
        )
    )
    for kind_list, place, frequency, is_paused, count in rows:
        for kind in [k for k in kind_list.split(",") if k] or [""]:
            kinds[kind] += count
        places[place or ""] += count
        frequencies[frequency] += count
        paused[bool(is_paused)] += count
    applied = (
        select(func.count())
        .select_from(items)
        .join(
            applications,
            and_(
                applications.c.person_id == items.c.person_id,
                applications.c.vacancy_id == items.c.vacancy_id,
                applications.c.created_at >= items.c.matched_at,
            ),
        )
        .where(items.c.alert_id.is_not(None))
    )
    reasons = await connection.execute(
        select(alert_unsubscribes.c.reason, func.count()).group_by(alert_unsubscribes.c.reason)
    )
    found = select(counters.c.value).where(counters.c.name == FOUND_JOB_COUNTER)
    return AlertsReport(
        active=paused[False],
        paused=paused[True],
        by_kind=dict(kinds),
        by_municipality=dict(places),
        by_frequency=dict(frequencies),
        alerts_sent=await _scalar(connection, select(func.count()).select_from(vacancy_alerts)),
        vacancies_sent=await _count(connection, items.c.alert_id.is_not(None)),
        opened=await _count(connection, items.c.opened_at.is_not(None)),
        applications=await _scalar(connection, applied),
        useful=await _count(connection, items.c.feedback > 0),
        not_useful=await _count(connection, items.c.feedback < 0),
        unsubscribes={reason or "": int(count) for reason, count in reasons},
        found_job=await _scalar(connection, found),
    )


async def _count(connection: DbConnection, condition: Any) -> int:
    return await _scalar(connection, select(func.count()).select_from(items).where(condition))


async def _scalar(connection: DbConnection, query: Any) -> int:
    return int((await connection.execute(query)).scalar() or 0)
