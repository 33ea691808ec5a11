"""«Работа и стажировки» for the people who look for work: search, matching, applying, favourites.

Each public method is one use case in one transaction (reads on the single-statement view). Applications
and favourites are personal data: written only with consent, deleted with the person (FK cascade). An
application is one per person and vacancy (the unique pair), and a repeated press gets the first back.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update

from backend_client.errors import ConsentRequired
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.infra.dialects import upsert
from backend_client.sql.infra.engine import DbConnection
from backend_client.sql.infra.presses import earlier_result, effect_key, remember
from backend_client.sql.vacancies.matching import match_for
from backend_client.sql.vacancies.rows import application_from, select_full, vacancies_by_id, vacancy_from
from backend_client.sql.vacancies.search import search_page
from backend_client.sql.vacancies.seeker import seeker_facts
from backend_client.sql.vacancies.tables import applications, saved_vacancies, vacancies
from backend_client.vacancies.errors import ApplicationNotFound, VacancyClosed, VacancyNotFound
from backend_client.vacancies.minors import legal_for
from backend_client.vacancies.models import (
    FOLLOW_UP_AFTER,
    FOLLOW_UP_WINDOW,
    Application,
    ApplicationStatus,
    FollowUpTarget,
    Match,
    SeekerFacts,
    Vacancy,
    VacancyPage,
    VacancyQuery,
)

SAMARA = ZoneInfo("Europe/Samara")
MAX_MESSAGE = 500


class SqlVacancies(SqlUseCases):
    """``backend_client.ports.Vacancies`` and ``ApplicationFollowUps`` over SQLite or PostgreSQL."""

    def _today(self) -> date:
        return self._clock.now().astimezone(SAMARA).date()

    async def seeker(self, person_id: int) -> SeekerFacts:
        async with self._quick.connect() as connection:
            person = await self._person(connection, person_id)
            return await seeker_facts(connection, person, self._today())

    async def search(self, seeker: SeekerFacts, query: VacancyQuery) -> VacancyPage:
        async with self._quick.connect() as connection:
            return await search_page(connection, seeker, query, self._today())

    async def match(self, seeker: SeekerFacts, *, limit: int = 5, offset: int = 0) -> list[Match]:
        async with self._quick.connect() as connection:
            return await match_for(connection, seeker, self._today(), limit=limit, offset=offset)

    async def vacancy(self, vacancy_id: int) -> Vacancy | None:
        async with self._quick.connect() as connection:
            found = await vacancies_by_id(connection, [vacancy_id])
        return found[0] if found else None

    async def apply(self, person_id: int, vacancy_id: int, message: str, *, press: str) -> Application:
        now = self._clock.now()
        async with self._engine.begin() as connection:
            person = await self._person(connection, person_id, lock=True)
            if not person.may_store_personal_data:
                raise ConsentRequired(str(person_id))
            key = effect_key("vacancy.apply", press)
            await earlier_result(connection, key, now)  # the unique pair below decides; the press is noted
            first = await _application_for(connection, person_id, vacancy_id)
            if first is not None:
                return first  # a repeat, by this press or another: the first application stands
            vacancy = await _vacancy_in(connection, vacancy_id)
            facts = await seeker_facts(connection, person, self._today())
            if not vacancy.is_open or not legal_for(
                vacancy, facts.age, on=self._today(), studying=facts.studying
            ):
                raise VacancyClosed(str(vacancy_id))
            row = (
                await connection.execute(
                    applications.insert()
                    .values(
                        person_id=person_id,
                        vacancy_id=vacancy_id,
                        message=" ".join(message.split())[:MAX_MESSAGE],
                        status=ApplicationStatus.SENT.value,
                        created_at=now,
                    )
                    .returning(*applications.c)
                )
            ).one()
            await remember(connection, key, row.id)
            await self._audit(
                connection, "vacancy.apply", actor=person_id, subject=person_id, vacancy=str(vacancy_id)
            )
        return application_from(row)

    async def applications_of(self, person_id: int) -> list[Application]:
        async with self._quick.connect() as connection:
            return await applications_in(connection, person_id)

    async def answer_follow_up(self, person_id: int, application_id: int, answered: bool) -> Application:
        """Record «работодатель ответил?»; the latest answer counts (a «да» after a «нет» corrects it)."""
        now = self._clock.now()
        status = ApplicationStatus.ANSWERED if answered else ApplicationStatus.NO_ANSWER
        async with self._engine.begin() as connection:
            row = (
                await connection.execute(
                    update(applications)
                    .where(applications.c.id == application_id, applications.c.person_id == person_id)
                    .values(status=status.value, answered_at=now if answered else None, follow_up_at=now)
                    .returning(*applications.c)
                )
            ).first()
            if row is None:
                raise ApplicationNotFound(str(application_id))
            await self._audit(
                connection, "vacancy.follow_up", actor=person_id, subject=person_id, answer=status.value
            )
        return application_from(row)

    async def due_follow_ups(
        self, now: datetime, *, after: timedelta = FOLLOW_UP_AFTER, window: timedelta = FOLLOW_UP_WINDOW
    ) -> list[FollowUpTarget]:
        query = (
            select(applications, vacancies.c.title, vacancies.c.employer_name)
            .join(vacancies, vacancies.c.id == applications.c.vacancy_id)
            .where(
                applications.c.status == ApplicationStatus.SENT.value,
                applications.c.created_at <= now - after,
                applications.c.created_at > now - after - window,
            )
            .order_by(applications.c.created_at, applications.c.id)
        )
        async with self._quick.connect() as connection:
            rows = await connection.execute(query)
            return [
                FollowUpTarget(
                    row.id, row.person_id, row.vacancy_id, row.title, row.employer_name, row.created_at
                )
                for row in rows
            ]

    async def save(self, person_id: int, vacancy_id: int) -> bool:
        async with self._engine.begin() as connection:
            person = await self._person(connection, person_id)
            if not person.may_store_personal_data:
                raise ConsentRequired(str(person_id))
            await _vacancy_in(connection, vacancy_id)
            result = await connection.execute(
                upsert(connection, saved_vacancies)
                .values(person_id=person_id, vacancy_id=vacancy_id, saved_at=self._clock.now())
                .on_conflict_do_nothing()
            )
            return result.rowcount == 1

    async def unsave(self, person_id: int, vacancy_id: int) -> bool:
        async with self._quick.begin() as connection:
            result = await connection.execute(
                delete(saved_vacancies).where(
                    saved_vacancies.c.person_id == person_id, saved_vacancies.c.vacancy_id == vacancy_id
                )
            )
            return result.rowcount == 1

    async def saved(self, person_id: int) -> list[Vacancy]:
        async with self._quick.connect() as connection:
            return await saved_in(connection, person_id)


async def _vacancy_in(connection: DbConnection, vacancy_id: int) -> Vacancy:
    row = (await connection.execute(select_full().where(vacancies.c.id == vacancy_id))).first()
    if row is None:
        raise VacancyNotFound(str(vacancy_id))
    return vacancy_from(row)


async def _application_for(connection: DbConnection, person_id: int, vacancy_id: int) -> Application | None:
    row = (
        await connection.execute(
            select(applications).where(
                applications.c.person_id == person_id, applications.c.vacancy_id == vacancy_id
            )
        )
    ).first()
    return application_from(row) if row else None


async def applications_in(connection: DbConnection, person_id: int) -> list[Application]:
    """The person's applications, newest first."""
    query = (
        select(applications)
        .where(applications.c.person_id == person_id)
        .order_by(applications.c.created_at.desc(), applications.c.id.desc())
    )
    return [application_from(row) for row in await connection.execute(query)]


async def saved_in(connection: DbConnection, person_id: int) -> list[Vacancy]:
    """The person's favourites, the latest saved first, closed ones included."""
    query = (
        select_full()
        .join(saved_vacancies, saved_vacancies.c.vacancy_id == vacancies.c.id)
        .where(saved_vacancies.c.person_id == person_id)
        .order_by(saved_vacancies.c.saved_at.desc(), vacancies.c.id.desc())
    )
    return [vacancy_from(row) for row in await connection.execute(query)]
