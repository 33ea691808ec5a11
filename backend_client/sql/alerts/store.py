"""Vacancy alerts over SQL, one class for the store: saved searches, delivery, the report and matching."""

from __future__ import annotations

from collections.abc import Iterable

from backend_client.sql.alerts.delivery import SqlAlertDelivery
from backend_client.sql.alerts.matching import match_in
from backend_client.sql.alerts.report import SqlAlertReports
from backend_client.sql.alerts.searches import SqlSavedSearches
from backend_client.vacancies.alerts import AlertMatchRun


class SqlVacancyAlerts(SqlSavedSearches, SqlAlertDelivery, SqlAlertReports):
    """``SavedSearches``, ``VacancyAlerts``, ``AlertDelivery``, ``AlertReports`` and ``AlertMatching``."""

    async def match_vacancies(self, vacancy_ids: Iterable[int]) -> AlertMatchRun:
        """Match these vacancies again in a transaction of their own (imports match as they commit:
        ``SqlVacancyCatalogue.upsert_vacancies``); pairs alerted before are not alerted again."""
        async with self._engine.begin() as connection:
            return await match_in(connection, vacancy_ids, self._clock.now())
