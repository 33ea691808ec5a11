"""Operators reaching many people: campaigns, their audiences, and system messages with their rules.

A campaign is one text to an audience, due at a moment; when it starts, the store fans it out into the
outbox in one transaction. System messages («Сообщения системы») are built from campaigns: planned
maintenance becomes an announcement now, a reminder the day before and "works finished" after the
window; an emergency notice is one critical campaign that goes at once.

Calling off a system message means different things for the two kinds: planned works withdraw their
reminders and, if people were told, tell them the works are off; an emergency is not planned works, so
withdrawing it takes back what has not gone yet and tells nobody anything, unless the operator asks to
say the problem is fixed («неполадка устранена»). Both are numbered by the system message's id, in the
desk and on the command line alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from backend_client.calendar import WorkingDays
from backend_client.models import Role
from backend_client.outreach import Category, Priority

MIN_NOTICE_WORKING_DAYS = 3  # the regional system's rule for planned technical works
EVE_REMINDER_AT = time(12, 0)  # local time of the reminder on the day before the works
LATEST_ANNOUNCEMENT = time(21, 0)  # after this, minors' quiet hours hold the announcement to the next day
MAX_TEXT = 3500  # leaves room for the "why" line and the stop button under Telegram's 4096


class OperatorError(Exception):
    """An operator action the rules refuse; ``code`` picks the operator-facing text."""

    code = "operator_error"


class NotOperator(OperatorError):
    """The account does not hold the operator role (checked on every call, in the store)."""

    code = "not_operator"


class NoticeTooShort(OperatorError):
    """Planned works announced less than three working days ahead."""

    code = "notice_too_short"

    def __init__(self, earliest: date) -> None:
        super().__init__(f"earliest start {earliest.isoformat()}")
        self.earliest = earliest


class BadWindow(OperatorError):
    """The works end before they start, or start in the past."""

    code = "bad_window"


class BadCampaign(OperatorError):
    """Empty or too long text, or a start in the past."""

    code = "bad_campaign"


class CampaignClosed(OperatorError):
    """The campaign already finished or was cancelled."""

    code = "campaign_closed"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a messenger account (checked against the grants) or the command line."""

    channel: str
    account_id: str
    # The press behind this call (see backend_client/sql/infra/presses.py): a repeat of the same press gets
    # the first result back instead of acting again. Empty for the command line, where each call acts.
    press: str = ""

    @property
    def is_cli(self) -> bool:
        return self.channel == "cli"


CLI = Actor("cli", "cli")


@dataclass(frozen=True, slots=True)
class MaintenanceTexts:
    """The texts of a planned-works message, composed by the caller (texts live with the dialogs)."""

    announcement: str
    eve: str
    done: str


class CampaignStatus(StrEnum):
    SCHEDULED = "scheduled"  # waiting for ``not_before``
    SENDING = "sending"  # being fanned out into the outbox, chunk by chunk
    SENT = "sent"  # fanned out completely; delivery goes on in the outbox
    FINISHED = "finished"  # read, never stored: sent, and every outbox row of it is settled
    CANCELLED = "cancelled"


class CampaignKind(StrEnum):
    NEWS = "news"  # an operator's message to an audience
    MAINTENANCE = "maintenance"  # announcement of planned works
    MAINTENANCE_EVE = "maintenance_eve"  # the reminder the day before
    MAINTENANCE_DONE = "maintenance_done"  # works finished
    MAINTENANCE_CANCELLED = "maintenance_cancelled"
    EMERGENCY = "emergency"
    EMERGENCY_RESOLVED = "emergency_resolved"  # «неполадка устранена», when the operator asks for it


SYSTEM_KINDS = frozenset(CampaignKind) - {CampaignKind.NEWS}


@dataclass(frozen=True, slots=True)
class Audience:
    """Who receives a campaign. Empty filters mean everyone; filters of different kinds combine with AND.

    News reaches only people who consented (their profile is what the filters read). System messages
    reach every account that has not blocked the bot: they are about the service itself.
    """

    roles: tuple[Role, ...] = ()
    municipalities: tuple[str, ...] = ()  # OKATO codes
    institutions: tuple[str, ...] = ()  # exact school / college names as in profiles
    grades: tuple[int, ...] = ()
    courses: tuple[int, ...] = ()
    all_accounts: bool = False  # system messages: consent is not required

    @property
    def everyone(self) -> bool:
        return not (self.roles or self.municipalities or self.institutions or self.grades or self.courses)

    def as_json(self) -> dict[str, object]:
        return {
            "roles": [role.value for role in self.roles],
            "municipalities": list(self.municipalities),
            "institutions": list(self.institutions),
            "grades": list(self.grades),
            "courses": list(self.courses),
            "all_accounts": self.all_accounts,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Audience:
        def items(name: str) -> list[object]:
            value = data.get(name) or []
            return list(value) if isinstance(value, list) else []

        return cls(
            roles=tuple(Role(str(role)) for role in items("roles")),
            municipalities=tuple(str(code) for code in items("municipalities")),
            institutions=tuple(str(name) for name in items("institutions")),
            grades=tuple(int(str(grade)) for grade in items("grades")),
            courses=tuple(int(str(course)) for course in items("courses")),
            all_accounts=bool(data.get("all_accounts", False)),
        )


@dataclass(frozen=True, slots=True)
class CampaignDraft:
    kind: CampaignKind
    text: str
    audience: Audience
    not_before: datetime
    system_message_id: int | None = None

    @property
    def category(self) -> Category:
        return Category.NEWS if self.kind is CampaignKind.NEWS else Category.SYSTEM

    @property
    def priority(self) -> Priority:
        if self.kind is CampaignKind.EMERGENCY:
            return Priority.CRITICAL
        return Priority.BULK if self.kind is CampaignKind.NEWS else Priority.HIGH

    @property
    def critical(self) -> bool:
        return self.kind is CampaignKind.EMERGENCY


@dataclass(frozen=True, slots=True)
class Campaign:
    id: int
    kind: CampaignKind
    text: str
    audience: Audience
    status: CampaignStatus
    not_before: datetime
    created_at: datetime
    recipients: int | None  # people reached by the fan-out (None until it starts)
    system_message_id: int | None = None


@dataclass(frozen=True, slots=True)
class CampaignStats:
    """Where a campaign's messages are: by outbox status, failures by reason, and rows held for the night."""

    campaign: Campaign
    by_status: dict[str, int] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)
    held_quiet: int = 0

    @property
    def queued(self) -> int:
        return sum(self.by_status.get(status, 0) for status in ("pending", "claimed", "sending"))


class SystemKind(StrEnum):
    MAINTENANCE = "maintenance"
    EMERGENCY = "emergency"


@dataclass(frozen=True, slots=True)
class SystemMessage:
    id: int
    kind: SystemKind
    text: str
    starts_at: datetime
    ends_at: datetime | None  # emergencies may have no known end
    created_at: datetime
    cancelled_at: datetime | None = None

    def current(self, now: datetime) -> bool:
        """Worth showing in the menu: not cancelled, and not over more than a day ago."""
        if self.cancelled_at is not None:
            return False
        end = self.ends_at or self.starts_at + timedelta(days=1)
        return now < end + timedelta(days=1)


def announcement_day(now: datetime, zone: ZoneInfo) -> date:
    """The local day people actually get an announcement made ``now`` (late evening goes next morning)."""
    local = now.astimezone(zone)
    return local.date() + timedelta(days=1) if local.time() >= LATEST_ANNOUNCEMENT else local.date()


def check_maintenance(
    now: datetime, starts_at: datetime, ends_at: datetime, zone: ZoneInfo, days: WorkingDays
) -> None:
    """Refuse a window that is empty, in the past, or announced less than 3 working days ahead.

    Counted conservatively: at least three whole working days must lie between the day people get the
    announcement and the day the works start (weekends, public holidays and moved days excluded).
    """
    if ends_at <= starts_at or starts_at <= now:
        raise BadWindow()
    announced = announcement_day(now, zone)
    start_day = starts_at.astimezone(zone).date()
    if days.between(announced, start_day) < MIN_NOTICE_WORKING_DAYS:
        raise NoticeTooShort(days.earliest_after(announced, MIN_NOTICE_WORKING_DAYS))


def eve_reminder_at(starts_at: datetime, zone: ZoneInfo) -> datetime:
    """Noon (local) of the day before the works start."""
    day_before = starts_at.astimezone(zone).date() - timedelta(days=1)
    return datetime.combine(day_before, EVE_REMINDER_AT, tzinfo=zone)


def check_text(text: str) -> str:
    cleaned = text.strip()
    if not cleaned or len(cleaned) > MAX_TEXT:
        raise BadCampaign()
    return cleaned
