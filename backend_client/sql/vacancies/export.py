"""«Мои данные»: the person's applications and favourites, JSON-ready, read in the exporter's transaction.

``EXPORT`` is what ``backend_client/sql/personal_data.py`` lists; erasure needs nothing here (foreign
keys cascade from ``people``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from backend_client.sql.export import ExportSection, iso
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.vacancies.tables import applications, saved_vacancies, vacancies


async def applications_export(connection: DbConnection, person_id: int) -> list[dict[str, Any]]:
    """Every application of the person with the vacancy it went to, oldest first."""
    query = (
        select(applications, vacancies.c.title, vacancies.c.employer_name, vacancies.c.source_url)
        .join(vacancies, vacancies.c.id == applications.c.vacancy_id)
        .where(applications.c.person_id == person_id)
        .order_by(applications.c.created_at, applications.c.id)
    )
    return [
        {
            "id": row.id,
            "vacancy_id": row.vacancy_id,
            "vacancy": row.title,
            "employer": row.employer_name,
            "link": row.source_url,
            "message": row.message,
            "status": row.status,
            "applied_at": iso(row.created_at),
            "asked_if_answered_at": iso(row.follow_up_at),
            "answered_at": iso(row.answered_at),
        }
        for row in await connection.execute(query)
    ]


async def saved_export(connection: DbConnection, person_id: int) -> list[dict[str, Any]]:
    """The person's favourites, oldest first."""
    query = (
        select(saved_vacancies.c.saved_at, vacancies.c.id, vacancies.c.title, vacancies.c.employer_name)
        .join(vacancies, vacancies.c.id == saved_vacancies.c.vacancy_id)
        .where(saved_vacancies.c.person_id == person_id)
        .order_by(saved_vacancies.c.saved_at, vacancies.c.id)
    )
    return [
        {
            "vacancy_id": row.id,
            "vacancy": row.title,
            "employer": row.employer_name,
            "saved_at": iso(row.saved_at),
        }
        for row in await connection.execute(query)
    ]


EXPORT = (
    ExportSection("vacancy_applications", applications_export),
    ExportSection("saved_vacancies", saved_export),
)
