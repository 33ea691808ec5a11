"""«Мои данные»: the person's subscriptions, the vacancies alerts brought them (with their 👍/👎) and the
subscriptions they stopped, JSON-ready, read in the exporter's transaction. ``EXPORT`` is what
``backend_client/sql/personal_data.py`` lists; erasure needs nothing here (foreign keys cascade)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from backend_client.sql.alerts.rows import search_from
from backend_client.sql.alerts.tables import (
    alert_unsubscribes,
    saved_searches,
    vacancy_alert_items,
    vacancy_alerts,
)
from backend_client.sql.export import ExportSection, iso
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.vacancies.tables import vacancies

FEEDBACK = {1: "useful", -1: "not_useful"}


async def alerts_export(connection: DbConnection, person_id: int) -> dict[str, list[dict[str, Any]]]:
    return {
        "subscriptions": await _subscriptions(connection, person_id),
        "vacancies_alerted": await _alerted(connection, person_id),
        "unsubscribed": await _unsubscribed(connection, person_id),
    }


async def _subscriptions(connection: DbConnection, person_id: int) -> list[dict[str, Any]]:
    query = (
        select(saved_searches).where(saved_searches.c.person_id == person_id).order_by(saved_searches.c.id)
    )
    found = []
    for row in await connection.execute(query):
        saved = search_from(row)
        found.append(
            {
                "id": saved.id,
                "words": saved.query.text,
                "exclude_words": saved.exclude,
                "municipality": saved.query.municipality,
                "kinds": sorted(kind.value for kind in saved.query.kinds),
                "part_time": saved.query.part_time,
                "salary_from": saved.query.salary_from,
                "no_experience": saved.query.no_experience,
                "remote": saved.query.remote,
                "frequency": saved.frequency.value,
                "paused": saved.paused,
                "created_at": iso(saved.created_at),
            }
        )
    return found


async def _alerted(connection: DbConnection, person_id: int) -> list[dict[str, Any]]:
    items = vacancy_alert_items
    query = (
        select(
            items, vacancies.c.title, vacancies.c.employer_name, vacancy_alerts.c.created_at.label("sent_at")
        )
        .join(vacancies, vacancies.c.id == items.c.vacancy_id)
        .outerjoin(vacancy_alerts, vacancy_alerts.c.id == items.c.alert_id)
        .where(items.c.person_id == person_id)
        .order_by(items.c.matched_at, items.c.vacancy_id)
    )
    return [
        {
            "vacancy_id": row.vacancy_id,
            "vacancy": row.title,
            "employer": row.employer_name,
            "subscription_id": row.search_id,
            "matched_at": iso(row.matched_at),
            "sent_at": iso(row.sent_at),
            "opened_at": iso(row.opened_at),
            "feedback": FEEDBACK.get(row.feedback) if row.feedback is not None else None,
        }
        for row in await connection.execute(query)
    ]


async def _unsubscribed(connection: DbConnection, person_id: int) -> list[dict[str, Any]]:
    query = (
        select(alert_unsubscribes)
        .where(alert_unsubscribes.c.person_id == person_id)
        .order_by(alert_unsubscribes.c.id)
    )
    return [
        {"words": row.text, "municipality": row.municipality, "reason": row.reason, "at": iso(row.at)}
        for row in await connection.execute(query)
    ]


EXPORT = (ExportSection("vacancy_alerts", alerts_export),)
