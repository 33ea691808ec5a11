"""Domain types of the core records. Plain frozen dataclasses: no ORM object ever leaves the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Role(StrEnum):
    PUPIL = "pupil"
    COLLEGE_STUDENT = "college_student"
    UNIVERSITY_STUDENT = "university_student"
    GRADUATE = "graduate"
    PARENT = "parent"
    JOBSEEKER = "jobseeker"


class AgeBand(StrEnum):
    """Age decides the consent path (152-ФЗ, ГК РФ ст. 26 and 28)."""

    CHILD = "under_14"
    MINOR = "14_17"
    ADULT = "18_plus"

    @classmethod
    def of_age(cls, age: int) -> AgeBand:
        if age < 14:
            return cls.CHILD
        if age < 18:
            return cls.MINOR
        return cls.ADULT


class ConsentStatus(StrEnum):
    """Whether personal data of a person may be stored.

    NONE: not asked yet; DECLINED: the person said no (nothing personal is kept);
    AWAITING_GUARDIAN: a child under 14 waits for a parent; GRANTED: personal data may be stored.
    """

    NONE = "none"
    DECLINED = "declined"
    AWAITING_GUARDIAN = "awaiting_guardian"
    GRANTED = "granted"


class GivenBy(StrEnum):
    SELF = "self"
    GUARDIAN = "guardian"


class ConsentKind(StrEnum):
    PROCESSING = "processing"  # consent to processing of the subject's personal data
    GUARDIAN_CONFIRMATION = "guardian_confirmation"  # a parent confirms a 14–17-year-old's own consent


class InvitePurpose(StrEnum):
    CONSENT = "consent"  # child under 14: the parent consents on the child's behalf
    CONFIRM = "confirm"  # 14–17: the parent confirms the minor's own consent
    LINK = "link"  # a consenting person links a parent to their account


class InviteOutcome(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    role: Role | None
    age_band: AgeBand | None
    consent: ConsentStatus
    created_at: datetime

    @property
    def may_store_personal_data(self) -> bool:
        return self.consent is ConsentStatus.GRANTED


@dataclass(frozen=True, slots=True)
class ChannelAccount:
    channel: str
    external_id: str
    chat_id: str
    created_at: datetime
    blocked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Consent:
    id: int
    person_id: int
    kind: ConsentKind
    version: str
    given_at: datetime
    channel: str
    given_by: GivenBy
    guardian_id: int | None = None


@dataclass(frozen=True, slots=True)
class Invite:
    code: str
    child_id: int
    purpose: InvitePurpose
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    outcome: InviteOutcome | None = None

    def is_open(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at


@dataclass(frozen=True, slots=True)
class Profile:
    """The person's own answers. Every field is optional at the type level; the role decides what is asked."""

    person_id: int
    display_name: str | None = None
    birth_year: int | None = None
    municipality: str | None = None  # OKATO code of a Samara-region municipality
    institution: str | None = None  # school, college or university
    grade: int | None = None  # school grade 5–11
    course: int | None = None  # college or university course
    specialty: str | None = None
    interests: str | None = None
    contact_time: str | None = None  # preferred time for messages, see ContactTime
    updated_at: datetime | None = None

    @property
    def is_empty(self) -> bool:
        return self.display_name is None


PROFILE_FIELDS: tuple[str, ...] = (
    "display_name",
    "birth_year",
    "municipality",
    "institution",
    "grade",
    "course",
    "specialty",
    "interests",
    "contact_time",
)


class ContactTime(StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"
    ANY = "any"


@dataclass(frozen=True, slots=True)
class LinkedPerson:
    """Someone on the other side of a guardian link, as the viewer may see them."""

    person_id: int
    display_name: str | None
    linked_at: datetime


@dataclass(frozen=True, slots=True)
class InviteAnswer:
    invite: Invite
    linked: bool


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    action: str
    actor_id: int | None
    subject_id: int | None
    details: dict[str, str] = field(default_factory=dict)


# -- career tests -------------------------------------------------------------------------------------
class AttemptStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ABANDONED = "abandoned"  # the person gave up; the answers are dropped, the row counts for completion


@dataclass(frozen=True, slots=True)
class CareerAttempt:
    """One run of a career test. Instruments, scales and answer keys are opaque codes to the store."""

    id: int
    person_id: int
    instrument: str
    version: str
    status: AttemptStatus
    answers: tuple[str, ...]
    started_at: datetime
    updated_at: datetime
    finished_at: datetime | None = None
    scores: dict[str, int] = field(default_factory=dict)  # scale -> points, once completed
    code: str | None = None  # the leading letters, e.g. "SEA"
    leading: str | None = None  # the top scale id (what the aggregates count)
    verdict: str | None = None  # clear, flat, low, inconsistent


@dataclass(frozen=True, slots=True)
class CareerOutcome:
    """What scoring found, handed to the store to keep with the answers."""

    scores: dict[str, int]
    code: str
    leading: str
    verdict: str


@dataclass(frozen=True, slots=True)
class ChildCareer:
    """A linked child as their parent may see them: latest result per test, only if the child shares."""

    child_id: int
    display_name: str | None
    shared: bool
    latest: tuple[CareerAttempt, ...] = ()


@dataclass(frozen=True, slots=True)
class InDemandList:
    """The operator's list of the region's in-demand professions (catalogue ids)."""

    ids: frozenset[str]
    source: str
    imported_at: datetime


@dataclass(frozen=True, slots=True)
class InstrumentFigures:
    instrument: str
    started: int
    completed: int
    abandoned: int
    in_progress: int
    people: int  # distinct people with at least one completed attempt

    @property
    def completion_rate(self) -> float:
        return self.completed / self.started if self.started else 0.0


@dataclass(frozen=True, slots=True)
class LeadingCount:
    """How many people's latest result of ``instrument`` leads with ``leading`` in one group."""

    instrument: str
    dimension: str  # municipality, school or grade
    group: str  # the municipality code, the school as typed (normalised), the grade; "" when unknown
    leading: str
    count: int


@dataclass(frozen=True, slots=True)
class CareerReport:
    """Aggregates only: no ids, names or answers."""

    instruments: tuple[InstrumentFigures, ...]
    leading: tuple[LeadingCount, ...]
    pupils_8_9: int  # pupils whose profile says grade 8 or 9
    pupils_8_9_tested: int  # of them, with at least one completed test


class AskBand(StrEnum):
    """How sure the bot was of a free-text message: HIGH followed the intent, MEDIUM asked «Вы имели в
    виду…?», LOW gave the honest "I did not understand" answer."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True, slots=True)
class AskCount:
    """How many free-text messages of one (UTC) day were understood as ``intent`` with ``band``."""

    day: date
    intent: str
    band: AskBand
    count: int
