"""«Обратная связь»: what the feedback flow, the operators' desk and the command line use."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Protocol

from backend_client.broadcasts import Actor
from backend_client.feedback import (
    Answered,
    FeedbackReport,
    InboxLine,
    TakeOutcome,
    Ticket,
    TicketView,
    Topic,
)


class Tickets(Protocol):
    """A person's own tickets (each call names the person: another person's ticket is never found)."""

    async def open_ticket(
        self, person_id: int, topic: Topic, texts: Sequence[str], *, shared: bool, press: str = ""
    ) -> Ticket: ...

    async def open_ticket_of(self, person_id: int) -> Ticket | None: ...

    async def own_ticket(self, person_id: int, ticket_id: int) -> Ticket: ...

    async def add_to_ticket(self, person_id: int, ticket_id: int, text: str) -> Ticket: ...

    async def close_own_ticket(self, person_id: int, ticket_id: int) -> bool: ...

    async def rate_ticket(self, person_id: int, ticket_id: int, useful: bool) -> Ticket: ...

    async def comment_rating(self, person_id: int, ticket_id: int, comment: str) -> None: ...

    async def ticket_counts(self, person_id: int) -> tuple[int, int]: ...


class FeedbackDesk(Protocol):
    """The operators' inbox; every call checks the role in its own transaction (NotOperator)."""

    async def inbox(self, actor: Actor) -> list[InboxLine]: ...

    async def ticket_view(self, actor: Actor, ticket_id: int) -> TicketView: ...

    async def take_ticket(self, actor: Actor, ticket_id: int) -> TakeOutcome: ...

    async def answer_ticket(
        self, actor: Actor, ticket_id: int, text: str, notice: Callable[[int, str], str]
    ) -> Answered: ...

    async def close_ticket(self, actor: Actor, ticket_id: int, notice: Callable[[int], str]) -> bool:
        """Close it and tell the person once (``notice`` words it, by the ticket's number)."""
        ...


class FeedbackReports(Protocol):
    async def feedback_report(self, actor: Actor, target: timedelta) -> FeedbackReport: ...


class Feedback(Tickets, FeedbackDesk, Protocol):
    """Both sides, as the feedback flow uses them."""
