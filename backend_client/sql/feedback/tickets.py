"""A person's side of «Обратная связь» over SQL: open a ticket, add to it, close it, rate the answer.

Tickets are personal data: opened only with consent, and every read and change names the person, so
another person's ticket is never found. Opening is once per press (``Ctx.press``). Nothing here logs
what anyone wrote.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, update

from backend_client.errors import ConsentRequired
from backend_client.feedback import (
    MAX_COMMENT,
    MAX_TEXT,
    Author,
    Ticket,
    TicketClosed,
    TicketStatus,
    Topic,
)
from backend_client.models import ConsentStatus
from backend_client.sql.feedback.rows import OPEN, add_message, owned_ticket, ticket_from
from backend_client.sql.feedback.tables import feedback_owners, feedback_tickets
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.infra.presses import earlier_result, effect_key, remember


class SqlTickets(SqlUseCases):
    """The person's half of ``backend_client.ports.Feedback``."""

    async def open_ticket(
        self, person_id: int, topic: Topic, texts: Sequence[str], *, shared: bool, press: str = ""
    ) -> Ticket:
        """A new ticket with the person's messages; a repeat of the press returns the first one."""
        now = self._clock.now()
        async with self._engine.begin() as connection:
            person = await self._person(connection, person_id, lock=True)
            if person.consent is not ConsentStatus.GRANTED:
                raise ConsentRequired()
            key = effect_key("feedback.open", press)
            earlier = await earlier_result(connection, key, now)
            if earlier is not None:
                return ticket_from(await owned_ticket(connection, person_id, int(earlier)))
            kept = [text[:MAX_TEXT] for text in texts if text.strip()]
            ticket_id = (
                await connection.execute(
                    feedback_tickets.insert()
                    .values(
                        topic=topic.value,
                        status=OPEN,
                        opened_at=now,
                        messages_in=len(kept),
                        messages_out=0,
                    )
                    .returning(feedback_tickets.c.id)
                )
            ).scalar_one()
            await connection.execute(
                feedback_owners.insert().values(ticket_id=ticket_id, person_id=person_id, shared=shared)
            )
            for text in kept:
                await add_message(connection, ticket_id, person_id, Author.PERSON, text, now)
            await remember(connection, key, ticket_id)
            await self._audit(
                connection,
                "feedback.open",
                actor=person_id,
                subject=person_id,
                ticket=str(ticket_id),
                topic=topic.value,
            )
            return ticket_from(await owned_ticket(connection, person_id, ticket_id))

    async def open_ticket_of(self, person_id: int) -> Ticket | None:
        """The person's open ticket, the newest if there are several."""
        async with self._quick.connect() as connection:
            row = (
                await connection.execute(
                    select(feedback_tickets)
                    .join(feedback_owners, feedback_owners.c.ticket_id == feedback_tickets.c.id)
                    .where(feedback_owners.c.person_id == person_id, feedback_tickets.c.status == OPEN)
                    .order_by(feedback_tickets.c.id.desc())
                    .limit(1)
                )
            ).first()
        return ticket_from(row) if row is not None else None

    async def own_ticket(self, person_id: int, ticket_id: int) -> Ticket:
        """The person's ticket; TicketNotFound for another's or an unknown one."""
        async with self._quick.connect() as connection:
            return ticket_from(await owned_ticket(connection, person_id, ticket_id))

    async def add_to_ticket(self, person_id: int, ticket_id: int, text: str) -> Ticket:
        """Another message of the person to their open ticket; TicketClosed when it is closed."""
        now = self._clock.now()
        async with self._engine.begin() as connection:
            row = await owned_ticket(connection, person_id, ticket_id)
            if row.status != OPEN:
                raise TicketClosed(str(ticket_id))
            await add_message(connection, ticket_id, person_id, Author.PERSON, text[:MAX_TEXT], now)
            await connection.execute(
                update(feedback_tickets)
                .where(feedback_tickets.c.id == ticket_id)
                .values(messages_in=feedback_tickets.c.messages_in + 1)
            )
            await self._audit(
                connection, "feedback.add", actor=person_id, subject=person_id, ticket=str(ticket_id)
            )
            return ticket_from(await owned_ticket(connection, person_id, ticket_id))

    async def close_own_ticket(self, person_id: int, ticket_id: int) -> bool:
        """Close the person's ticket; False when it was closed already."""
        async with self._engine.begin() as connection:
            await owned_ticket(connection, person_id, ticket_id)
            closed = await connection.execute(
                update(feedback_tickets)
                .where(feedback_tickets.c.id == ticket_id, feedback_tickets.c.status == OPEN)
                .values(status=TicketStatus.CLOSED.value, closed_at=self._clock.now(), closed_by="person")
            )
            if closed.rowcount == 1:
                await self._audit(
                    connection, "feedback.close", actor=person_id, subject=person_id, ticket=str(ticket_id)
                )
            return closed.rowcount == 1

    async def rate_ticket(self, person_id: int, ticket_id: int, useful: bool) -> Ticket:
        """👍/👎 on the centre's answer (the latest press counts)."""
        async with self._engine.begin() as connection:
            await owned_ticket(connection, person_id, ticket_id)
            await connection.execute(
                update(feedback_tickets)
                .where(feedback_tickets.c.id == ticket_id)
                .values(rating=1 if useful else -1)
            )
            await self._audit(
                connection,
                "feedback.rate",
                actor=person_id,
                subject=person_id,
                ticket=str(ticket_id),
                rating="up" if useful else "down",
            )
            return ticket_from(await owned_ticket(connection, person_id, ticket_id))

    async def comment_rating(self, person_id: int, ticket_id: int, comment: str) -> None:
        async with self._engine.begin() as connection:
            await owned_ticket(connection, person_id, ticket_id)
            await connection.execute(
                update(feedback_owners)
                .where(feedback_owners.c.ticket_id == ticket_id)
                .values(comment=comment[:MAX_COMMENT])
            )

    async def ticket_counts(self, person_id: int) -> tuple[int, int]:
        """(all tickets, open ones) of the person: the line «Мои данные» shows."""
        async with self._quick.connect() as connection:
            row = (
                await connection.execute(
                    select(
                        func.count().label("all"),
                        func.count().filter(feedback_tickets.c.status == OPEN).label("open"),
                    )
                    .select_from(feedback_owners)
                    .join(feedback_tickets, feedback_tickets.c.id == feedback_owners.c.ticket_id)
                    .where(feedback_owners.c.person_id == person_id)
                )
            ).one()
        return int(row.all), int(row.open)
