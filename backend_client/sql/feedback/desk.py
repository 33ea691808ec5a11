"""The operators' side of «Обратная связь» over SQL: the inbox, one ticket, «Взять», the answer, closing.

Every call checks the operator role in its own transaction first (``operator_check``), so a role revoked
while a screen was open stops the very next press, and writes an audit line with the operator's and the
person's ids (never a text). «Взять» is one conditional UPDATE: of two operators pressing at once the
database lets one through. The answer goes to the person through the outbox, in the same transaction, so
quiet hours, retries and every messenger of theirs apply; so does the word that the centre closed a ticket.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update

from backend_client.broadcasts import Actor
from backend_client.feedback import (
    HISTORY,
    INBOX_LIMIT,
    MAX_TEXT,
    Answered,
    Author,
    InboxLine,
    TakenByOther,
    TakeOutcome,
    TicketClosed,
    TicketNotFound,
    TicketStatus,
    TicketView,
    assignee,
)
from backend_client.outreach import Category, Notice, Priority
from backend_client.sql.enqueue import enqueue_in
from backend_client.sql.feedback.rows import OPEN, add_message, line_from, message_from, messages_of, owner_of
from backend_client.sql.feedback.tables import feedback_messages, feedback_owners, feedback_tickets
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.infra.presses import earlier_result, effect_key, remember
from backend_client.sql.operators import operator_check
from backend_client.sql.tables import people, profiles

NoticeText = Callable[[int, str], str]  # (ticket id, the operator's text) -> the message the person gets
ClosedText = Callable[[int], str]  # ticket id -> the message telling the person the centre closed it


class SqlFeedbackDesk(SqlUseCases):
    """The operators' half of ``backend_client.ports.Feedback``."""

    async def inbox(self, actor: Actor) -> list[InboxLine]:
        """Open tickets, oldest first (tickets of erased people are gone from it)."""
        async with self._engine.begin() as connection:
            await operator_check(connection, actor)
            rows = await connection.execute(
                select(feedback_tickets)
                .join(feedback_owners, feedback_owners.c.ticket_id == feedback_tickets.c.id)
                .where(feedback_tickets.c.status == OPEN)
                .order_by(feedback_tickets.c.opened_at, feedback_tickets.c.id)
                .limit(INBOX_LIMIT)
            )
            return [line_from(row) for row in rows]

    async def ticket_view(self, actor: Actor, ticket_id: int) -> TicketView:
        async with self._engine.begin() as connection:
            operator_id = await operator_check(connection, actor)
            row = await _ticket(connection, ticket_id)
            view = TicketView(
                line=line_from(row),
                status=TicketStatus(row.status),
                shared=row.shared,
                messages=await messages_of(connection, ticket_id),
            )
            if row.shared:
                view = await _with_shared(connection, view, row.person_id)
            await self._audit(
                connection, "feedback.view", actor=operator_id, subject=row.person_id, ticket=str(ticket_id)
            )
            return view

    async def take_ticket(self, actor: Actor, ticket_id: int) -> TakeOutcome:
        """«Взять»: the ticket is this operator's if nobody held it (one conditional UPDATE decides)."""
        me = assignee(actor.channel, actor.account_id)
        async with self._engine.begin() as connection:
            operator_id = await operator_check(connection, actor)
            row = await owner_of(connection, ticket_id)
            if row is None:
                raise TicketNotFound(str(ticket_id))
            taken = await connection.execute(
                update(feedback_tickets)
                .where(
                    feedback_tickets.c.id == ticket_id,
                    feedback_tickets.c.status == OPEN,
                    feedback_tickets.c.assigned_to.is_(None),
                )
                .values(assigned_to=me, assigned_at=self._clock.now())
            )
            if taken.rowcount == 1:
                await self._audit(
                    connection,
                    "feedback.take",
                    actor=operator_id,
                    subject=row.person_id,
                    ticket=str(ticket_id),
                )
                return TakeOutcome.TAKEN
            now = await owner_of(connection, ticket_id)
            if now is None or now.status != OPEN:
                return TakeOutcome.CLOSED
            return TakeOutcome.MINE if now.assigned_to == me else TakeOutcome.OTHER

    async def answer_ticket(self, actor: Actor, ticket_id: int, text: str, notice: NoticeText) -> Answered:
        """The operator's answer: kept with the ticket and queued for the person (signed by the centre, as
        ``notice`` words it). A free ticket is taken by the answer; one held by another operator is not
        answered (TakenByOther). Once per press."""
        me = assignee(actor.channel, actor.account_id)
        now = self._clock.now()
        async with self._engine.begin() as connection:
            operator_id = await operator_check(connection, actor)
            key = effect_key("feedback.answer", actor.press)
            earlier = await earlier_result(connection, key, now)
            if earlier is not None:
                return Answered(ticket_id, int(earlier))
            row = await _ticket(connection, ticket_id)
            if row.status != OPEN:
                raise TicketClosed(str(ticket_id))
            held = await connection.execute(
                update(feedback_tickets)
                .where(
                    feedback_tickets.c.id == ticket_id,
                    or_(feedback_tickets.c.assigned_to.is_(None), feedback_tickets.c.assigned_to == me),
                )
                .values(
                    assigned_to=me,
                    assigned_at=row.assigned_at or now,
                    messages_out=feedback_tickets.c.messages_out + 1,
                    first_answer_at=row.first_answer_at or now,
                )
            )
            if held.rowcount != 1:
                raise TakenByOther(str(ticket_id))
            kept = text.strip()[:MAX_TEXT]
            message_id = await add_message(connection, ticket_id, row.person_id, Author.CENTRE, kept, now)
            queued = await enqueue_in(
                connection,
                [
                    Notice(
                        key=f"feedback:{ticket_id}:{message_id}",
                        person_id=row.person_id,
                        category=Category.FEEDBACK,
                        text=notice(ticket_id, kept),
                        not_before=now,
                        priority=Priority.HIGH,
                    )
                ],
                now,
            )
            await remember(connection, key, queued)
            await self._audit(
                connection,
                "feedback.answer",
                actor=operator_id,
                subject=row.person_id,
                ticket=str(ticket_id),
                message=str(message_id),
            )
            return Answered(ticket_id, queued)

    async def close_ticket(self, actor: Actor, ticket_id: int, notice: ClosedText) -> bool:
        """Close a ticket from the desk; False when it was closed already. Another operator's is refused.
        The person is told (``notice`` words it) through the outbox in the same transaction, once: a
        ticket closed already, or by the person, tells nobody."""
        me = assignee(actor.channel, actor.account_id)
        now = self._clock.now()
        async with self._engine.begin() as connection:
            operator_id = await operator_check(connection, actor)
            row = await _ticket(connection, ticket_id)
            if row.assigned_to not in (None, me) and not actor.is_cli:
                raise TakenByOther(str(ticket_id))
            closed = await connection.execute(
                update(feedback_tickets)
                .where(feedback_tickets.c.id == ticket_id, feedback_tickets.c.status == OPEN)
                .values(status=TicketStatus.CLOSED.value, closed_at=now, closed_by="centre")
            )
            if closed.rowcount != 1:
                return False
            await enqueue_in(connection, [_closed_notice(row.person_id, ticket_id, notice, now)], now)
            await self._audit(
                connection, "feedback.close", actor=operator_id, subject=row.person_id, ticket=str(ticket_id)
            )
            return True


def _closed_notice(person_id: int, ticket_id: int, notice: ClosedText, now: datetime) -> Notice:
    """The centre closed the ticket: one notice, keyed by the ticket (always-on, like the answers)."""
    return Notice(
        key=f"feedback-closed:{ticket_id}",
        person_id=person_id,
        category=Category.FEEDBACK,
        text=notice(ticket_id),
        not_before=now,
        priority=Priority.HIGH,
    )


async def _ticket(connection: DbConnection, ticket_id: int) -> Any:
    row = await owner_of(connection, ticket_id)
    if row is None:
        raise TicketNotFound(str(ticket_id))
    return row


async def _with_shared(connection: DbConnection, view: TicketView, person_id: int) -> TicketView:
    """The person's role, municipality and last earlier messages: only for a ticket they shared, and only
    of tickets before it (a later one, maybe not shared, stays out of an old ticket's view)."""
    who = (
        await connection.execute(
            select(people.c.role, profiles.c.municipality)
            .select_from(people)
            .outerjoin(profiles, profiles.c.person_id == people.c.id)
            .where(people.c.id == person_id)
        )
    ).first()
    earlier = await connection.execute(
        select(feedback_messages)
        .where(feedback_messages.c.person_id == person_id, feedback_messages.c.ticket_id < view.line.id)
        .order_by(feedback_messages.c.id.desc())
        .limit(HISTORY)
    )
    history = tuple(reversed([message_from(row) for row in earlier]))
    return TicketView(
        line=view.line,
        status=view.status,
        shared=True,
        messages=view.messages,
        role=who.role if who else None,
        municipality=who.municipality if who else None,
        history=history,
    )
