"""Graduates' route to work: the individual plan agreed with the employment centre (ЦЗН) and the outcome
check-ins at 3, 6 and 12 months after graduation.

A plan step is one thing to do by a date («отправить резюме до 15.12»), optionally somewhere («ЦЗН
Тольятти, ул. …»). Operators record steps (the bot's ``/plan`` and ``frontdoor plan``); the person sees
them in «Мой план» and marks them done. Each move of a deadline grows the step's ``version``, which the
reminder rule puts in its keys, so a moved deadline moves its reminders.

The graduation date is not in the profile (it keeps a course, not when studies end, and a graduate's
profile has neither): it is the one field added for the check-ins, kept beside the plan (``graduations``)
and given by the person in «Мой план» («Когда вы окончили учёбу?», a month and year is enough; the first
of the month is kept). The check-ins are counted from it; without it none is sent. An outcome is one
answer per person and check-in, kept as given first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from backend_client.errors import DomainError
from backend_client.models import Role

MAX_STEP_TEXT = 300
MAX_PLACE = 200
CHECK_IN_MONTHS = (3, 6, 12)
CHECK_IN_WINDOW = timedelta(days=14)  # a check-in not answered within two weeks is asked no more
GRADUATION_PAST_YEARS = 5  # a graduation longer ago than this is not this product's business
GRADUATION_AHEAD_YEARS = 2  # a student may give the expected date


class StepStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


class OutcomeStatus(StrEnum):
    WORKING = "working"
    STUDYING = "studying"
    SERVING = "serving"  # military service
    SEARCHING = "searching"
    MATERNITY = "maternity"  # maternity or childcare leave
    OTHER = "other"


SETTLED = frozenset({OutcomeStatus.WORKING, OutcomeStatus.STUDYING, OutcomeStatus.SERVING})


@dataclass(frozen=True, slots=True)
class StepDraft:
    text: str
    due_on: date
    place: str = ""


@dataclass(frozen=True, slots=True)
class PlanStep:
    id: int
    person_id: int
    text: str
    due_on: date
    place: str
    status: StepStatus
    version: int
    created_at: datetime
    done_at: datetime | None = None

    @property
    def done(self) -> bool:
        return self.status is StepStatus.DONE


@dataclass(frozen=True, slots=True)
class Outcome:
    person_id: int
    months: int  # the check-in: 3, 6 or 12
    status: OutcomeStatus
    answered_at: datetime


@dataclass(frozen=True, slots=True)
class CheckInTarget:
    """A person with a graduation date and the check-ins they answered."""

    person_id: int
    graduated_on: date
    answered: frozenset[int]  # months of the check-ins answered
    settled: bool  # an answer said working, studying or serving: asked no more


@dataclass(frozen=True, slots=True)
class StepRow:
    """One row of an import: whose (``channel``, ``account``) and what."""

    channel: str
    account: str
    draft: StepDraft


@dataclass(frozen=True, slots=True)
class StepImport:
    created: int
    unchanged: int  # the same person, day and text were there already


class PlanImportRefused(Exception):
    """Rows the store refuses (unknown account, no consent, a bad step): ``problems`` is (row index,
    code) for every one of them; nothing was imported."""

    def __init__(self, problems: Sequence[tuple[int, str]]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = list(problems)


class BadStep(DomainError):
    """A step the rules refuse; ``code``: empty_text, too_long, due_in_past, place_too_long."""

    code = "bad_step"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class StepNotFound(DomainError):
    """No such step, or not the asker's: the same answer either way, so ids reveal nothing."""

    code = "step_not_found"


# Whose plans these are: the pilot routes graduating students and young graduates to the centre.
PLAN_ROLES = frozenset({Role.COLLEGE_STUDENT, Role.UNIVERSITY_STUDENT, Role.GRADUATE})


class NotAPlanRole(DomainError):
    """A pupil, a parent or another adult behind the account: no plan steps for them (a mistyped account)."""

    code = "not_a_plan_role"


class PersonNotFound(DomainError):
    """No person behind the account an operator named (never there, or erased with their data)."""

    code = "person_not_found"


class BadGraduation(DomainError):
    code = "bad_graduation"


class NotACheckIn(DomainError):
    """Months other than 3, 6 or 12, or a check-in not due yet."""

    code = "not_a_check_in"


def check_step(draft: StepDraft, today: date) -> None:
    """BadStep for what no store should keep: an empty or too long text, a deadline already gone."""
    if not draft.text.strip():
        raise BadStep("empty_text")
    if len(draft.text.strip()) > MAX_STEP_TEXT:
        raise BadStep("too_long")
    if len(draft.place.strip()) > MAX_PLACE:
        raise BadStep("place_too_long")
    if draft.due_on < today:
        raise BadStep("due_in_past")


def check_graduation(graduated_on: date, today: date) -> None:
    if not today.year - GRADUATION_PAST_YEARS <= graduated_on.year <= today.year + GRADUATION_AHEAD_YEARS:
        raise BadGraduation(graduated_on.isoformat())


def months_after(start: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


_DAY = re.compile(r"^\s*(\d{1,2})[./](\d{1,2})[./](\d{4})\s*$")
_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parse_day(text: str) -> date | None:
    """``20.12.2026``, ``20/12/2026`` or ``2026-12-20``; None when it is not a real day."""
    found = _DAY.match(text)
    try:
        if found:
            return date(int(found.group(3)), int(found.group(2)), int(found.group(1)))
        found = _ISO_DAY.match(text)
        if found:
            return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        return None
    return None
