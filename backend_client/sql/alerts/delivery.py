"""Alerts as they go out, and what people do with them: «показать все», 👍/👎, a vacancy opened.

The relay expands an alert's mark just before sending (``take_alert``). The first expansion of a notice
creates its ``vacancy_alerts`` row and claims the search's waiting items whose vacancies are still open;
later ones (the person's other messenger, a retry after an error) read the same alert again. Each time,
only the vacancies open now — and lawful for the person's age today — are listed, so a vacancy that
closed while the alert waited (quiet hours, the daily hour, planned works) is dropped, and an alert with
nothing left is not sent. Notices of one search that pile up before the first goes (two imports in a
night) collapse: the first claims every waiting item, the others find nothing and are withdrawn.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from backend_client.sql.alerts.rows import search_from
from backend_client.sql.alerts.tables import saved_searches, vacancy_alert_items, vacancy_alerts
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.infra.dialects import upsert
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.vacancies.rows import select_full, vacancy_from
from backend_client.sql.vacancies.seeker import seeker_facts
from backend_client.sql.vacancies.tables import vacancies
from backend_client.vacancies.alerts import (
    ALERT_ZONE,
    AlertContents,
    AlertVacancyNotFound,
    Feedback,
    SavedSearchNotFound,
    rank,
)
from backend_client.vacancies.minors import legal_for
from backend_client.vacancies.models import VacancyStatus
from backend_client.vacancies.terms import words

MAX_LISTED = 500  # vacancies of one alert read and ranked; «показать все» pages through these
HISTORY = 200  # the latest 👍/👎 that rank an alert


class SqlAlertDelivery(SqlUseCases):
    """``backend_client.ports.AlertDelivery`` and ``VacancyAlerts`` over SQLite or PostgreSQL."""

    async def take_alert(self, notice: str) -> AlertContents | None:
        """The alert of the outbox notice ``alert:<notice>`` as it goes out now; None: nothing to send
        (every vacancy closed, the search paused or deleted, or another notice took them first)."""
        search_id = int(notice.split(":", 1)[0])
        now = self._clock.now()
        async with self._engine.begin() as connection:
            alert = await _alert_by_notice(connection, notice)
            if alert is None:
                search = (
                    await connection.execute(select(saved_searches).where(saved_searches.c.id == search_id))
                ).first()
                if search is None or search.paused or not await _waiting(connection, search_id):
                    return None
                alert = await _create(connection, search, notice, now)
                await connection.execute(
                    update(vacancy_alert_items)
                    .where(
                        vacancy_alert_items.c.search_id == search_id,
                        vacancy_alert_items.c.alert_id.is_(None),
                        vacancy_alert_items.c.vacancy_id.in_(_open_ids()),
                    )
                    .values(alert_id=alert.id)
                )
            contents = await self._contents(connection, alert)
        if contents.search is None or not contents.vacancies:
            return None  # the subscription went after the alert was put together, or nothing is open
        return contents

    async def alert(self, person_id: int, alert_id: int) -> AlertContents:
        """«Показать все»: the alert's vacancies still open; someone else's raises SavedSearchNotFound."""
        async with self._quick.connect() as connection:
            alert = (
                await connection.execute(
                    select(vacancy_alerts).where(
                        vacancy_alerts.c.id == alert_id, vacancy_alerts.c.person_id == person_id
                    )
                )
            ).first()
            if alert is None:
                raise SavedSearchNotFound(f"alert {alert_id}")
            return await self._contents(connection, alert)

    async def rate(self, person_id: int, vacancy_id: int, useful: bool) -> None:
        """👍/👎 on a vacancy an alert brought (the latest press counts); any other: AlertVacancyNotFound."""
        async with self._quick.begin() as connection:
            result = await connection.execute(
                update(vacancy_alert_items)
                .where(*_sent(person_id, vacancy_id))
                .values(feedback=1 if useful else -1, feedback_at=self._clock.now())
            )
        if not result.rowcount:
            raise AlertVacancyNotFound(str(vacancy_id))

    async def rate_alert(self, person_id: int, alert_id: int, useful: bool) -> int:
        """«👍 Подходит / 👎 Не то» under an alert: the feedback of each of its vacancies (the latest press
        counts); how many. Someone else's alert, or one never sent: AlertVacancyNotFound."""
        async with self._quick.begin() as connection:
            result = await connection.execute(
                update(vacancy_alert_items)
                .where(
                    vacancy_alert_items.c.person_id == person_id, vacancy_alert_items.c.alert_id == alert_id
                )
                .values(feedback=1 if useful else -1, feedback_at=self._clock.now())
            )
        if not result.rowcount:
            raise AlertVacancyNotFound(f"alert {alert_id}")
        return int(result.rowcount)

    async def opened(self, person_id: int, vacancy_id: int) -> bool:
        """Note that the person opened a vacancy from an alert (the first time counts); False when no
        alert brought it to them."""
        async with self._quick.begin() as connection:
            result = await connection.execute(
                update(vacancy_alert_items)
                .where(*_sent(person_id, vacancy_id), vacancy_alert_items.c.opened_at.is_(None))
                .values(opened_at=self._clock.now())
            )
        return bool(result.rowcount)

    async def _contents(self, connection: DbConnection, alert: Any) -> AlertContents:
        search = None
        if alert.search_id is not None:
            query = select(saved_searches).where(saved_searches.c.id == alert.search_id)
            search = (await connection.execute(query)).first()
        rows = await connection.execute(
            select_full()
            .join(vacancy_alert_items, vacancy_alert_items.c.vacancy_id == vacancies.c.id)
            .where(
                vacancy_alert_items.c.alert_id == alert.id,
                vacancies.c.status == VacancyStatus.OPEN.value,
            )
            .order_by(vacancies.c.listed_at.desc(), vacancies.c.id.desc())
            .limit(MAX_LISTED)
        )
        found = [vacancy_from(row) for row in rows]
        person = await self._person(connection, alert.person_id)
        today = self._clock.now().astimezone(ALERT_ZONE).date()
        facts = await seeker_facts(connection, person, today)
        lawful = [v for v in found if legal_for(v, facts.age, on=today, studying=facts.studying)]
        history = await _history(connection, alert.person_id) if lawful else []
        saved = search_from(search) if search is not None else None
        return AlertContents(alert.id, alert.person_id, saved, tuple(rank(lawful, history)))


def _open_ids() -> Any:
    return select(vacancies.c.id).where(vacancies.c.status == VacancyStatus.OPEN.value).scalar_subquery()


def _sent(person_id: int, vacancy_id: int) -> tuple[Any, ...]:
    return (
        vacancy_alert_items.c.person_id == person_id,
        vacancy_alert_items.c.vacancy_id == vacancy_id,
        vacancy_alert_items.c.alert_id.is_not(None),
    )


async def _alert_by_notice(connection: DbConnection, notice: str) -> Any:
    query = select(vacancy_alerts).where(vacancy_alerts.c.notice == notice)
    return (await connection.execute(query)).first()


async def _waiting(connection: DbConnection, search_id: int) -> bool:
    """Whether the search has items not sent yet whose vacancies are open."""
    query = (
        select(vacancy_alert_items.c.vacancy_id)
        .join(vacancies, vacancies.c.id == vacancy_alert_items.c.vacancy_id)
        .where(
            vacancy_alert_items.c.search_id == search_id,
            vacancy_alert_items.c.alert_id.is_(None),
            vacancies.c.status == VacancyStatus.OPEN.value,
        )
        .limit(1)
    )
    return (await connection.execute(query)).first() is not None


async def _create(connection: DbConnection, search: Any, notice: str, now: datetime) -> Any:
    """The notice's alert row; when another relay made it meanwhile, that one."""
    await connection.execute(
        upsert(connection, vacancy_alerts)
        .values(person_id=search.person_id, search_id=search.id, notice=notice, created_at=now)
        .on_conflict_do_nothing()
    )
    return await _alert_by_notice(connection, notice)


async def _history(connection: DbConnection, person_id: int) -> list[Feedback]:
    rows = await connection.execute(
        select(vacancy_alert_items.c.feedback, vacancies.c.employer_name, vacancies.c.title)
        .join(vacancies, vacancies.c.id == vacancy_alert_items.c.vacancy_id)
        .where(vacancy_alert_items.c.person_id == person_id, vacancy_alert_items.c.feedback.is_not(None))
        .order_by(vacancy_alert_items.c.feedback_at.desc())
        .limit(HISTORY)
    )
    return [Feedback(row.employer_name, frozenset(words(row.title)), row.feedback > 0) for row in rows]
