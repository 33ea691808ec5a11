"""«Мои данные»: the person's tickets with everything written in them, JSON-ready, read in the exporter's
transaction. ``EXPORT`` is what ``backend_client/sql/personal_data.py`` lists. Erasure needs nothing here:
the owners' and messages' rows cascade with the person, and the anonymous ticket rows keep the figures."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from backend_client.sql.export import ExportSection, iso
from backend_client.sql.feedback.rows import messages_of
from backend_client.sql.feedback.tables import feedback_owners, feedback_tickets
from backend_client.sql.infra.engine import DbConnection

RATINGS = {1: "useful", -1: "not_useful"}


async def feedback_export(connection: DbConnection, person_id: int) -> list[dict[str, Any]]:
    rows = await connection.execute(
        select(feedback_tickets, feedback_owners.c.shared, feedback_owners.c.comment)
        .join(feedback_owners, feedback_owners.c.ticket_id == feedback_tickets.c.id)
        .where(feedback_owners.c.person_id == person_id)
        .order_by(feedback_tickets.c.id)
    )
    found = []
    for row in rows.all():
        messages = await messages_of(connection, row.id)
        found.append(
            {
                "ticket": row.id,
                "topic": row.topic,
                "status": row.status,
                "opened_at": iso(row.opened_at),
                "closed_at": iso(row.closed_at),
                "shared_with_operator": row.shared,
                "rating": RATINGS.get(row.rating) if row.rating is not None else None,
                "rating_comment": row.comment,
                "messages": [
                    {"from": message.author.value, "text": message.text, "at": iso(message.at)}
                    for message in messages
                ],
            }
        )
    return found


EXPORT = (ExportSection("feedback", feedback_export),)
