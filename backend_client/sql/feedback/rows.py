"""Reading feedback rows into domain types, shared by both sides of the store."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from backend_client.feedback import (
    Author,
    InboxLine,
    Ticket,
    TicketMessage,
    TicketNotFound,
    TicketStatus,
    Topic,
)
from backend_client.sql.feedback.tables import feedback_messages, feedback_owners, feedback_tickets
from backend_client.sql.infra.engine import DbConnection

OPEN = TicketStatus.OPEN.value


def ticket_from(row: Any) -> Ticket:
    return Ticket(
        id=row.id,
        topic=Topic(row.topic),
        status=TicketStatus(row.status),
        opened_at=row.opened_at,
        answered=row.first_answer_at is not None,
        rating=row.rating,
    )


def line_from(row: Any) -> InboxLine:
    return InboxLine(
        id=row.id,
        topic=Topic(row.topic),
        opened_at=row.opened_at,
        messages=row.messages_in,
        assigned_to=row.assigned_to,
        answered=row.first_answer_at is not None,
    )


def message_from(row: Any) -> TicketMessage:
    return TicketMessage(Author(row.author), row.text, row.at)


async def owned_ticket(connection: DbConnection, person_id: int, ticket_id: int) -> Any:
    """The ticket's row if it is this person's; TicketNotFound otherwise (another's is never found)."""
    row = (
        await connection.execute(
            select(feedback_tickets)
            .join(feedback_owners, feedback_owners.c.ticket_id == feedback_tickets.c.id)
            .where(feedback_tickets.c.id == ticket_id, feedback_owners.c.person_id == person_id)
        )
    ).first()
    if row is None:
        raise TicketNotFound(str(ticket_id))
    return row


async def owner_of(connection: DbConnection, ticket_id: int) -> Any:
    """The ticket joined with its owner; None for an unknown ticket or one whose person was erased."""
    return (
        await connection.execute(
            select(feedback_tickets, feedback_owners.c.person_id, feedback_owners.c.shared)
            .join(feedback_owners, feedback_owners.c.ticket_id == feedback_tickets.c.id)
            .where(feedback_tickets.c.id == ticket_id)
        )
    ).first()


async def messages_of(connection: DbConnection, ticket_id: int) -> tuple[TicketMessage, ...]:
    rows = await connection.execute(
        select(feedback_messages)
        .where(feedback_messages.c.ticket_id == ticket_id)
        .order_by(feedback_messages.c.id)
    )
    return tuple(message_from(row) for row in rows)


async def add_message(
    connection: DbConnection, ticket_id: int, person_id: int, author: Author, text: str, at: Any
) -> int:
    result = await connection.execute(
        feedback_messages.insert()
        .values(ticket_id=ticket_id, person_id=person_id, author=author.value, text=text, at=at)
        .returning(feedback_messages.c.id)
    )
    return int(result.scalar_one())
