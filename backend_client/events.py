"""«Профтуры и профпробы»: events at employers, who they are for, and people's sign-ups.

An event's ``version`` grows with every change that affects reminders (its time, its place, its
cancellation); reminder keys carry it, so a moved event's old reminders are withdrawn and new ones made.
Places are counted from active sign-ups inside the sign-up's own transaction (the event row locked), so
two people racing for the last place cannot both get it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from backend_client.broadcasts import OperatorError
from backend_client.errors import DomainError
from backend_client.models import AgeBand, Role

MAX_TITLE = 160
MAX_ADDRESS = 240
MAX_CAPACITY = 10_000
AGE_RANK = {AgeBand.CHILD: 0, AgeBand.MINOR: 1, AgeBand.ADULT: 2}


class EventKind(StrEnum):
    EXCURSION = "excursion"  # «профтур»: an excursion to an employer
    TRIAL = "trial"  # «профпроба»: a trial work session


class EventStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class SignupStatus(StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"


class SignupOutcome(StrEnum):
    """What ``sign_up`` did; the dialogs pick a text for each."""

    SIGNED_UP = "signed_up"
    ALREADY = "already"  # an active sign-up existed: nothing changed
    FULL = "full"
    CLOSED = "closed"  # cancelled, or already started
    NOT_FOR_YOU = "not_for_you"  # role, grade, course or age outside the audience


class EventNotFound(DomainError):
    code = "event_not_found"


class BadEvent(OperatorError):
    """An event the rules refuse: empty title, end before start, unknown municipality, bad capacity."""

    code = "bad_event"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class EventClosed(OperatorError):
    """The event was cancelled: it can be neither moved nor cancelled again."""

    code = "event_closed"


@dataclass(frozen=True, slots=True)
class EventAudience:
    """Who may sign up. Empty roles: everyone; ranges are inclusive and apply only when the profile says
    the grade or course (nobody is turned away for a field they did not fill in)."""

    roles: tuple[Role, ...] = ()
    grade_from: int | None = None
    grade_to: int | None = None
    course_from: int | None = None
    course_to: int | None = None
    min_age_band: AgeBand | None = None  # e.g. MINOR: a workshop trial from 14 only

    def admits(
        self, role: Role | None, age_band: AgeBand | None, grade: int | None, course: int | None
    ) -> bool:
        if self.roles and role not in self.roles:
            return False
        if self.min_age_band is not None and (
            age_band is None or AGE_RANK[age_band] < AGE_RANK[self.min_age_band]
        ):
            return False
        if grade is not None and not _within(grade, self.grade_from, self.grade_to):
            return False
        return course is None or _within(course, self.course_from, self.course_to)


def _within(value: int, low: int | None, high: int | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


@dataclass(frozen=True, slots=True)
class EventDraft:
    """An event as an operator or a catalogue import describes it (times aware, UTC or local)."""

    kind: EventKind
    title: str
    organisation: str
    municipality: str  # OKATO code
    address: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    audience: EventAudience = EventAudience()
    external_id: str | None = None  # the catalogue's own id: imports are idempotent by it


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    kind: EventKind
    title: str
    organisation: str
    municipality: str
    address: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    audience: EventAudience
    status: EventStatus
    version: int
    taken: int  # active sign-ups
    created_at: datetime
    updated_at: datetime
    external_id: str | None = None
    cancelled_at: datetime | None = None

    @property
    def places_left(self) -> int:
        return max(0, self.capacity - self.taken)


@dataclass(frozen=True, slots=True)
class Signup:
    event: Event
    person_id: int
    status: SignupStatus
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ImportResult:
    created: int = 0
    updated: int = 0  # moved or edited (a move bumps the version)
    unchanged: int = 0
    skipped: int = 0  # cancelled events are not revived by an import


@dataclass(frozen=True, slots=True)
class EventMove:
    """One move of an event (a new time or place): what it was before. ``version`` is the event's version
    the move made, so a notice of the move is keyed by it and sent once."""

    version: int
    starts_at: datetime
    municipality: str
    address: str
    moved_at: datetime


@dataclass(frozen=True, slots=True)
class ReminderTarget:
    """One active sign-up as reminder rules see it: the event, who signed up and their linked parents,
    and the event's moves since the sign-up (oldest first)."""

    event: Event
    person_id: int
    display_name: str | None
    signed_up_at: datetime
    guardian_ids: tuple[int, ...]
    moves: tuple[EventMove, ...] = ()


def check_draft(draft: EventDraft, known_municipality: bool) -> None:
    """Refuse what cannot be an event (BadEvent with a short reason code)."""
    if not draft.title.strip() or len(draft.title) > MAX_TITLE:
        raise BadEvent("title")
    if not draft.organisation.strip() or len(draft.organisation) > MAX_TITLE:
        raise BadEvent("organisation")
    if not draft.address.strip() or len(draft.address) > MAX_ADDRESS:
        raise BadEvent("address")
    if not known_municipality:
        raise BadEvent("municipality")
    if draft.starts_at.tzinfo is None or draft.ends_at.tzinfo is None:
        raise BadEvent("naive_time")
    if draft.ends_at <= draft.starts_at:
        raise BadEvent("ends_before_start")
    if not 1 <= draft.capacity <= MAX_CAPACITY:
        raise BadEvent("capacity")
