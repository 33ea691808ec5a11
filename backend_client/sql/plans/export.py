"""«Мои данные»: the person's plan steps, graduation date and check-in answers, JSON-ready. ``EXPORT`` is
listed in ``backend_client/sql/personal_data.py``; erasure needs nothing here (foreign keys cascade)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from backend_client.sql.export import ExportSection, iso
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.plans.tables import graduations, outcomes, plan_steps


async def plan_export(connection: DbConnection, person_id: int) -> dict[str, Any]:
    steps = await connection.execute(
        select(plan_steps).where(plan_steps.c.person_id == person_id).order_by(plan_steps.c.due_on)
    )
    graduated = (
        await connection.execute(select(graduations).where(graduations.c.person_id == person_id))
    ).first()
    answers = await connection.execute(
        select(outcomes).where(outcomes.c.person_id == person_id).order_by(outcomes.c.months)
    )
    return {
        "steps": [
            {
                "id": row.id,
                "text": row.text,
                "due_on": row.due_on.isoformat(),
                "place": row.place,
                "status": row.status,
                "done_at": iso(row.done_at),
                "created_at": iso(row.created_at),
            }
            for row in steps
        ],
        "graduated_on": graduated.graduated_on.isoformat() if graduated else None,
        "check_ins": [
            {"months": row.months, "answer": row.status, "answered_at": iso(row.answered_at)}
            for row in answers
        ],
    }


EXPORT = (ExportSection("plan", plan_export),)
