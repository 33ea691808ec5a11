"""Vacancy alerts: saved searches that write first (``backend_client/vacancies/alerts.py``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from backend_client.broadcasts import Actor
from backend_client.vacancies.alerts import (
    AlertContents,
    AlertFrequency,
    AlertMatchRun,
    AlertsReport,
    SavedSearch,
    UnsubscribeReason,
)
from backend_client.vacancies.models import VacancyQuery


class SavedSearches(Protocol):
    """A person's subscriptions («Подписаться на такие вакансии», «Мои подписки»)."""

    async def subscribe(
        self,
        person_id: int,
        query: VacancyQuery,
        *,
        exclude: str = "",
        frequency: AlertFrequency = AlertFrequency.INSTANT,
        press: str = "",
    ) -> SavedSearch:
        """Save the search (once per press; the same filters again give the first back). Raises
        ConsentRequired, EmptySearch (no words and no filter) and TooManySearches (MAX_SEARCHES)."""
        ...

    async def saved_searches(self, person_id: int) -> list[SavedSearch]:
        """Oldest first."""
        ...

    async def saved_search(self, person_id: int, search_id: int) -> SavedSearch:
        """Someone else's, or one deleted, raises SavedSearchNotFound."""
        ...

    async def change_search(
        self,
        person_id: int,
        search_id: int,
        *,
        query: VacancyQuery | None = None,
        exclude: str | None = None,
        frequency: AlertFrequency | None = None,
        paused: bool | None = None,
    ) -> SavedSearch:
        """Change what is given (SavedSearchNotFound, EmptySearch)."""
        ...

    async def delete_search(self, person_id: int, search_id: int) -> bool:
        """False when there was no such search of the person."""
        ...

    async def unsubscribe(self, person_id: int, search_id: int, *, press: str = "") -> int:
        """«Отписаться» under an alert: the search is deleted and the stop noted; the note's id is what
        ``unsubscribe_reason`` answers (a repeated press gets it again)."""
        ...

    async def unsubscribe_reason(
        self, person_id: int, unsubscribe_id: int, reason: UnsubscribeReason
    ) -> bool:
        """The optional reason, once (False when given already); «нашёл работу» counts as an outcome."""
        ...


class VacancyAlerts(Protocol):
    """What the conversation does with an alert that came."""

    async def alert(self, person_id: int, alert_id: int) -> AlertContents:
        """«Показать все»: the alert's vacancies open now (someone else's: SavedSearchNotFound)."""
        ...

    async def rate(self, person_id: int, vacancy_id: int, useful: bool) -> None:
        """👍/👎 on a vacancy an alert brought (AlertVacancyNotFound otherwise); ranks later alerts."""
        ...

    async def rate_alert(self, person_id: int, alert_id: int, useful: bool) -> int:
        """👍/👎 under an alert: recorded for each of its vacancies (AlertVacancyNotFound otherwise)."""
        ...

    async def opened(self, person_id: int, vacancy_id: int) -> bool:
        """The person opened a vacancy from an alert (counted once); False when none brought it."""
        ...


class AlertSubscriptions(SavedSearches, VacancyAlerts, Protocol):
    """Both sides the conversation uses: the subscriptions and the alerts that came."""


class AlertDelivery(Protocol):
    """What the relay reads when it sends an alert."""

    async def take_alert(self, notice: str) -> AlertContents | None:
        """The alert of an outbox notice as it goes out now, only vacancies still open; None: nothing
        to send (the relay withdraws the message)."""
        ...


class AlertMatching(Protocol):
    async def match_vacancies(self, vacancy_ids: Iterable[int]) -> AlertMatchRun:
        """Match the vacancies against the saved searches (imports do it as they commit)."""
        ...


class AlertReports(Protocol):
    async def alerts_report(self, actor: Actor) -> AlertsReport:
        """For operators (NotOperator otherwise)."""
        ...
