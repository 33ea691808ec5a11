"""Opening the embedded store: one engine per process, and the repositories built on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Generic, TypeVar, overload
from zoneinfo import ZoneInfo

from backend_client.calendar import WorkingDays
from backend_client.clock import Clock
from backend_client.sql.alerts.store import SqlVacancyAlerts
from backend_client.sql.broadcasts import SqlBroadcasts
from backend_client.sql.colleges.store import SqlColleges
from backend_client.sql.conversations import SqlConversationStore
from backend_client.sql.feedback.store import SqlFeedback
from backend_client.sql.graduates.store import SqlGraduates
from backend_client.sql.infra.engine import SqlEngine, create_engine
from backend_client.sql.infra.journal import SqlUpdateJournal
from backend_client.sql.kpi import SqlKpiReports
from backend_client.sql.leases import SqlLeases
from backend_client.sql.outbox import SqlOutbox
from backend_client.sql.plans.store import SqlPlans
from backend_client.sql.records import SqlRecords
from backend_client.sql.reminder_sources import SqlReminderSources
from backend_client.sql.vacancies.catalogue import SqlVacancyCatalogue
from backend_client.sql.vacancies.store import SqlVacancies

T = TypeVar("T")


class Store(Generic[T]):
    """A store of the open database, built from its engine and clock on first use, then kept: a class
    attribute of ``Database`` (``vacancies = Store(SqlVacancies)``) is all a feature's store needs."""

    def __init__(self, make: Callable[[SqlEngine, Clock], T]) -> None:
        self._make = make
        self._name = ""

    def __set_name__(self, owner: type[Database], name: str) -> None:
        self._name = name

    @overload
    def __get__(self, database: None, owner: type[Database]) -> Store[T]: ...

    @overload
    def __get__(self, database: Database, owner: type[Database]) -> T: ...

    def __get__(self, database: Database | None, owner: type[Database]) -> Store[T] | T:
        if database is None:
            return self
        made = self._make(database.engine, database.clock)
        # Kept in the instance, which a later look-up reads first (as functools.cached_property does).
        database.__dict__[self._name] = made
        return made


@dataclass(frozen=True)
class Database:
    """The open store. ``engine`` is for code with tables of its own (``async with engine.begin()``):
    SQLAlchemy's ``AsyncEngine`` for PostgreSQL and aiosqlite, ``InlineSqliteEngine`` (the same async
    surface) for the default ``sqlite://``.

    Each store is one line below: ``name = Store(SqlClass)`` for a class built as ``SqlClass(engine,
    clock)`` (the ``SqlUseCases`` convention), built on first use and kept for the database's life. A
    feature adds its store the same way, and ``bot/wiring.py`` hands it to the flows that need it.
    """

    engine: SqlEngine
    clock: Clock
    zone: ZoneInfo  # the region's local time, for the maintenance-notice rule
    days: WorkingDays  # the production calendar, for the same rule

    records = Store(SqlRecords)
    conversations = Store(SqlConversationStore)
    journal = Store(SqlUpdateJournal)
    outbox = Store(SqlOutbox)
    leases = Store(SqlLeases)
    reminder_sources = Store(SqlReminderSources)
    vacancies = Store(SqlVacancies)  # «Работа и стажировки»: ``Vacancies``
    vacancy_catalogue = Store(SqlVacancyCatalogue)  # ``VacancyCatalogue``: importers and operators
    vacancy_alerts = Store(SqlVacancyAlerts)  # saved searches that write first: ``SavedSearches`` …
    colleges = Store(SqlColleges)  # «Колледжи и техникумы»: ``CollegeCatalogue``, ``CollegeImports``
    kpi = Store(SqlKpiReports)  # the pilot's KPI report: ``KpiReports``
    graduates = Store(SqlGraduates)  # «Анкета выпускника» and the centres' bookings: ``Graduates`` …
    plans = Store(SqlPlans)  # «Мой план» and the outcome check-ins: ``Plans``, ``PlanDesk`` …
    feedback = Store(SqlFeedback)  # «Обратная связь»: ``Feedback``, ``FeedbackReports``

    @cached_property
    def broadcasts(self) -> SqlBroadcasts:
        """Operators, campaigns and system messages (the one store that also needs the region's zone and
        calendar)."""
        return SqlBroadcasts(self.engine, self.clock, zone=self.zone, days=self.days)

    @property
    def events(self) -> SqlRecords:
        """«Профтуры и профпробы»: ``Events``, ``EventCatalogue`` and ``EventReminderSources`` (the records
        store implements them, so the conversations reach them through ``records``)."""
        return self.records

    @property
    def gateway(self) -> SqlEngine:
        """The former name of ``engine``, kept for code written against the first cut."""
        return self.engine

    async def close(self) -> None:
        await self.engine.dispose()


async def open_database(
    url: str, clock: Clock, *, zone: ZoneInfo | None = None, days: WorkingDays | None = None
) -> Database:
    """Open the store at ``url``; the schema must be migrated (``migrate``).

    ``sqlite:///path.db`` (the default: SQLite inline on the event loop, the fastest for one process),
    ``sqlite+aiosqlite:///path.db`` (SQLite through aiosqlite's worker thread) or
    ``postgresql+asyncpg://user:password@host/db`` (``postgresql://`` picks asyncpg too). SQLite
    connections use WAL, synchronous=NORMAL, foreign keys and a 5 s busy timeout; the file's folder is
    created. Nothing connects until the first use case runs. ``zone`` (Europe/Samara) and ``days`` (the
    Russian production calendar) decide the maintenance-notice rule.
    """
    return Database(
        create_engine(url),
        clock,
        zone=zone or ZoneInfo("Europe/Samara"),
        days=days or WorkingDays.russian(),
    )
