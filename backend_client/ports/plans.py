"""The graduates' plan with deadlines and the outcome check-ins (``backend_client/plans.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from backend_client.broadcasts import Actor
from backend_client.plans import (
    CheckInTarget,
    Outcome,
    OutcomeStatus,
    PlanStep,
    StepDraft,
    StepImport,
    StepRow,
)


class Plans(Protocol):
    """The person's side: «Мой план», «сделано», the graduation date and the check-in answers."""

    async def plan_of(self, person_id: int) -> list[PlanStep]:
        """The nearest deadline first, done steps too."""
        ...

    async def mark_step_done(self, person_id: int, step_id: int) -> tuple[PlanStep, bool]:
        """(the step, whether this call closed it); StepNotFound for a step not the person's own."""
        ...

    async def graduation_of(self, person_id: int) -> date | None: ...

    async def set_graduation(self, person_id: int, graduated_on: date, *, today: date) -> None:
        """ConsentRequired; BadGraduation for a date out of range."""
        ...

    async def record_outcome(
        self, person_id: int, months: int, status: OutcomeStatus, *, today: date
    ) -> tuple[Outcome, bool]:
        """The first answer per check-in is kept: (it, whether this call recorded it). NotACheckIn,
        ConsentRequired."""
        ...

    async def outcomes_of(self, person_id: int) -> list[Outcome]: ...


class PlanDesk(Protocol):
    """Operators record the steps agreed with the employment centre (role checked in the transaction)."""

    async def add_step(
        self, actor: Actor, channel: str, account: str, draft: StepDraft, *, today: date
    ) -> tuple[PlanStep, bool]:
        """BadStep, PersonNotFound (no such account, or erased), ConsentRequired, NotOperator."""
        ...

    async def steps_for(self, actor: Actor, channel: str, account: str) -> list[PlanStep]: ...

    async def complete_step(self, actor: Actor, step_id: int) -> tuple[PlanStep, bool]: ...

    async def move_step(self, actor: Actor, step_id: int, due_on: date, *, today: date) -> PlanStep:
        """BadStep("due_in_past" | "done"), StepNotFound."""
        ...

    async def import_steps(self, actor: Actor, rows: Sequence[StepRow], *, today: date) -> StepImport:
        """All rows or none: PlanImportRefused lists every refused row."""
        ...


class PlanReminderSources(Protocol):
    async def open_steps_due(self, first: date, last: date) -> list[PlanStep]:
        """Open steps due from ``first`` to ``last`` (both included)."""
        ...


class CheckInSources(Protocol):
    async def check_in_targets(self, graduated_within: Sequence[tuple[date, date]]) -> list[CheckInTarget]:
        """People with consent who graduated within one of the (first, last) day ranges (both days
        included), with what they answered."""
        ...
