"""Work offers: what the conversation asks of the catalogue, and what importers and operators write."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from backend_client.broadcasts import Actor
from backend_client.vacancies.models import (
    FOLLOW_UP_AFTER,
    FOLLOW_UP_WINDOW,
    Application,
    FollowUpTarget,
    ImportReport,
    Match,
    SeekerFacts,
    Vacancy,
    VacancyDraft,
    VacancyPage,
    VacancyQuery,
)


class Vacancies(Protocol):
    """Search, matching, applications and favourites for the people who look for work.

    Every read takes the seeker's facts, so a minor is only ever given what is legal at their age
    (``backend_client/vacancies/minors.py``); under 14, nothing."""

    async def seeker(self, person_id: int) -> SeekerFacts:
        """The person's facts from their profile and latest career test. Raises PersonGone."""
        ...

    async def search(self, seeker: SeekerFacts, query: VacancyQuery) -> VacancyPage:
        """Open vacancies for the query, newest first (text: best match first)."""
        ...

    async def match(self, seeker: SeekerFacts, *, limit: int = 5, offset: int = 0) -> list[Match]:
        """Open vacancies ranked for the person, each with its reasons."""
        ...

    async def vacancy(self, vacancy_id: int) -> Vacancy | None:
        """Any status: a closed one says so instead of disappearing."""
        ...

    async def apply(self, person_id: int, vacancy_id: int, message: str, *, press: str) -> Application:
        """One application per person and vacancy (a repeat returns the first). Raises ConsentRequired,
        VacancyClosed (or not legal for the person's age) and VacancyNotFound."""
        ...

    async def applications_of(self, person_id: int) -> list[Application]: ...

    async def answer_follow_up(self, person_id: int, application_id: int, answered: bool) -> Application:
        """«Работодатель ответил?»; someone else's application raises ApplicationNotFound."""
        ...

    async def save(self, person_id: int, vacancy_id: int) -> bool:
        """Add to «Избранное»; False when it was there already."""
        ...

    async def unsave(self, person_id: int, vacancy_id: int) -> bool: ...

    async def saved(self, person_id: int) -> list[Vacancy]:
        """Favourites, closed ones included (shown as closed)."""
        ...


class VacancyCatalogue(Protocol):
    """Importers and operators. An import is all or nothing: a batch with a problem writes nothing."""

    async def upsert_vacancies(self, drafts: Sequence[VacancyDraft]) -> ImportReport: ...

    async def close_missing(self, source: str, seen: Iterable[str], *, before: datetime) -> int:
        """Close the source's open vacancies not seen in a full pull that began at ``before``."""
        ...

    async def import_cursor(self, source: str) -> datetime | None:
        """The newest ``modified_at`` imported from the source: where an incremental pull resumes."""
        ...

    async def applications(
        self, actor: Actor, *, vacancy_id: int | None = None, employer_inn: str | None = None
    ) -> list[tuple[Application, Vacancy]]:
        """For operators (NotOperator otherwise)."""
        ...


class ApplicationFollowUps(Protocol):
    """What the follow-up reminder rule reads: «работодатель ответил?» a week after an application."""

    async def due_follow_ups(
        self, now: datetime, *, after: timedelta = FOLLOW_UP_AFTER, window: timedelta = FOLLOW_UP_WINDOW
    ) -> list[FollowUpTarget]:
        """Applications still SENT (never answered) and sent between ``now - after - window`` and
        ``now - after``, oldest first. One stays due until answered or out of the window, so a reminder
        held by quiet hours is not withdrawn; ``answer_follow_up`` ends it."""
        ...
