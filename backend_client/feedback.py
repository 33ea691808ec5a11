"""«Обратная связь»: a person's tickets to the regional centre and the operators' answers (domain types).

A ticket is two things kept apart: its anonymous figures (topic, times, counts, the rating), which outlive
the person for the report, and its personal side (whose it is, what was written, the rating's comment),
which is erased with them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

MAX_TEXT = 2000  # characters of one message of a ticket (person's or operator's)
MAX_COMMENT = 500  # characters of a rating's comment
INBOX_LIMIT = 20  # open tickets an inbox lists at once (oldest first)
HISTORY = 6  # earlier messages of the person shown to the operator (with their consent)


class Topic(StrEnum):
    QUESTION = "question"
    COMPLAINT = "complaint"
    IDEA = "idea"
    BOT_ERROR = "bot_error"
    MY_DATA = "my_data"


class TicketStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Author(StrEnum):
    PERSON = "person"
    CENTRE = "centre"


class TakeOutcome(StrEnum):
    TAKEN = "taken"  # this operator holds it now
    MINE = "mine"  # they held it already
    OTHER = "other"  # another operator holds it
    CLOSED = "closed"  # closed, or gone with an erased person


class FeedbackError(Exception):
    """A ticket action the rules refuse."""


class TicketNotFound(FeedbackError):
    """No such ticket of this person (or at all): another person's ticket is never found."""


class TicketClosed(FeedbackError):
    """The ticket is closed: nothing more is added or answered."""


class TakenByOther(FeedbackError):
    """Another operator holds the ticket: this one may not answer or close it."""


@dataclass(frozen=True, slots=True)
class TicketMessage:
    author: Author
    text: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Ticket:
    """A person's own ticket, as they see it."""

    id: int
    topic: Topic
    status: TicketStatus
    opened_at: datetime
    answered: bool  # the centre has answered at least once
    rating: int | None = None  # 1 👍, -1 👎


@dataclass(frozen=True, slots=True)
class InboxLine:
    """One open ticket in an operator's inbox: figures only, no text."""

    id: int
    topic: Topic
    opened_at: datetime
    messages: int  # the person's messages
    assigned_to: str | None  # "channel:account" of the operator holding it
    answered: bool


@dataclass(frozen=True, slots=True)
class TicketView:
    """One ticket as an operator reads it. ``role``, ``municipality`` and ``history`` (the person's earlier
    messages to the centre) are filled only when the person agreed to share them."""

    line: InboxLine
    status: TicketStatus
    shared: bool
    messages: tuple[TicketMessage, ...]
    role: str | None = None
    municipality: str | None = None
    history: tuple[TicketMessage, ...] = ()


@dataclass(frozen=True, slots=True)
class Answered:
    """An operator's answer, queued: the ticket and the outbox rows it became (one per messenger)."""

    ticket_id: int
    queued: int


@dataclass(frozen=True, slots=True)
class FeedbackReport:
    """``frontdoor report feedback``: counts and times, nothing about anyone."""

    by_topic: dict[str, int] = field(default_factory=dict)
    open: int = 0
    closed: int = 0
    answered: int = 0
    overdue_open: int = 0  # open, unanswered, older than the target
    answered_late: int = 0  # first answer came after the target
    median_first_answer: float | None = None  # hours
    p90_first_answer: float | None = None  # hours
    useful: int = 0
    not_useful: int = 0
    erased: int = 0  # tickets whose person was erased (their text gone, their figures kept)


def assignee(channel: str, account_id: str) -> str:
    return f"{channel}:{account_id}"
