"""Career tests, the in-demand professions list and the operators' career report."""

from __future__ import annotations

from typing import Protocol

from backend_client.models import CareerAttempt, CareerOutcome, CareerReport, ChildCareer, InDemandList


class CareerTests(Protocol):
    """Career-test attempts: answers are saved one by one, so a test resumes where it stopped."""

    async def start_attempt(self, person_id: int, instrument: str, version: str) -> CareerAttempt:
        """A new attempt; an unfinished one of the same test is abandoned. Raises ConsentRequired."""
        ...

    async def open_attempt(self, person_id: int, instrument: str) -> CareerAttempt | None: ...

    async def attempt(self, person_id: int, attempt_id: int) -> CareerAttempt | None:
        """The person's own attempt by id (None for someone else's or an unknown one)."""
        ...

    async def attempts_of(self, person_id: int) -> list[CareerAttempt]:
        """Every attempt of the person, newest first."""
        ...

    async def record_answer(
        self, person_id: int, attempt_id: int, index: int, key: str
    ) -> CareerAttempt | None:
        """Answer item ``index``; None when the attempt is not open or that item is not the next one."""
        ...

    async def step_back(self, person_id: int, attempt_id: int) -> CareerAttempt | None:
        """Forget the last answer (to change it); None when the attempt is not open."""
        ...

    async def complete_attempt(
        self, person_id: int, attempt_id: int, outcome: CareerOutcome
    ) -> CareerAttempt | None: ...

    async def abandon_attempt(self, person_id: int, attempt_id: int) -> bool: ...

    async def share_career(self, person_id: int, allowed: bool) -> None:
        """Whether linked parents may see the latest result summary. Raises ConsentRequired."""
        ...

    async def career_shared(self, person_id: int) -> bool: ...

    async def children_career(self, guardian_id: int) -> list[ChildCareer]: ...


class InDemand(Protocol):
    async def in_demand_list(self) -> InDemandList | None:
        """The imported list, or None while the operator has not imported one."""
        ...

    async def replace_in_demand(self, ids: frozenset[str], source: str) -> int:
        """Replace the whole list in one transaction; returns how many professions it holds."""
        ...


class CareerReports(Protocol):
    async def career_report(self) -> CareerReport:
        """Aggregate figures for operators; nothing in them identifies a person."""
        ...
