"""Domain types of everything that reaches out first: outbox messages, categories, preferences, quiet hours.

A producer (a campaign, a reminder rule, a system message) describes a ``Notice`` for one person; the store
turns it into one outbox row per channel account of that person, in the producer's own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from enum import IntEnum, StrEnum

from backend_client.models import ContactTime


class Category(StrEnum):
    """What a proactive message is about; each person chooses per category how to receive it."""

    REMINDERS = "reminders"
    EVENTS = "events"  # «профтуры» and «профпробы» the person (or their child) signed up for
    VACANCIES = "vacancies"
    NEWS = "news"
    SYSTEM = "system"
    FEEDBACK = "feedback"  # the centre's answer to the person's own ticket: a reply, not a subscription


# Categories the person did not subscribe to and cannot switch off or gather into a digest: they still
# wait for quiet hours and planned works, but carry no «не присылать такие».
ALWAYS_ON = frozenset({Category.FEEDBACK})


class DeliveryMode(StrEnum):
    INSTANT = "instant"
    DIGEST = "digest"  # gathered into one message a day
    OFF = "off"


class Priority(IntEnum):
    """Lower goes first when several messages are due at once."""

    CRITICAL = 0  # emergency notices: regardless of preferences, still silent at night
    HIGH = 1  # reminders of something the person signed up for
    NORMAL = 2
    BULK = 3  # campaigns to many people


DIGEST_REASON = "daily digest"  # why a row waits for the evening: the digest hour gathers such rows


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for its time (not_before), or for a lease to expire
    CLAIMED = "claimed"  # a relay holds it (lease) but has not called the messenger yet
    SENDING = "sending"  # the messenger call is under way: a crash now leaves the outcome unknown
    DELIVERED = "delivered"
    BLOCKED = "blocked"  # the person blocked the bot (or the chat is gone)
    FAILED = "failed"  # the messenger refused it for good, or retries ran out; see ``last_error``
    CANCELLED = "cancelled"  # withdrawn (campaign cancelled, record cancelled, preference off)
    EXPIRED = "expired"  # its moment passed before it could go
    MERGED = "merged"  # went out inside the day's digest message (``last_error`` names that row)

    @property
    def final(self) -> bool:
        return self not in {OutboxStatus.PENDING, OutboxStatus.CLAIMED, OutboxStatus.SENDING}


@dataclass(frozen=True, slots=True)
class QuietHours:
    """Local times between which nothing but critical messages is sent (the window may cross midnight)."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start == self.end:
            raise ValueError("quiet hours need a start different from the end")


MINOR_QUIET_HOURS = QuietHours(time(21, 0), time(9, 0))
ADULT_QUIET_HOURS = QuietHours(time(22, 0), time(8, 0))


@dataclass(frozen=True, slots=True)
class Notice:
    """One proactive message for one person, before it is fanned out to their channel accounts.

    ``key`` identifies the message for de-duplication: the same key is enqueued once, however often a
    producer runs. Rules put the record's version in it, so a moved date gives a new key.
    """

    key: str
    person_id: int
    category: Category
    text: str
    not_before: datetime
    priority: Priority = Priority.NORMAL
    critical: bool = False
    expires_at: datetime | None = None
    campaign_id: int | None = None


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """A claimed outbox row with what the relay needs to decide and to send."""

    id: int
    person_id: int | None
    channel: str
    chat_id: str
    category: Category
    text: str
    critical: bool
    attempts: int
    expires_at: datetime | None
    mode: DeliveryMode  # the person's choice for this category
    quiet: QuietHours  # the person's quiet hours (their own, or the default for their age)
    contact: ContactTime | None = None  # «Удобное время для сообщений» from the profile, if chosen


@dataclass(frozen=True, slots=True)
class NotificationSettings:
    """A person's choices: a mode per category (missing means instant) and their quiet hours."""

    modes: dict[Category, DeliveryMode] = field(default_factory=dict)
    quiet: QuietHours | None = None  # None: the default for the person's age

    def mode(self, category: Category) -> DeliveryMode:
        return self.modes.get(category, DeliveryMode.INSTANT)
