"""Opening the embedded store: one engine per process, and the repositories built on it."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from backend_client.calendar import WorkingDays
from backend_client.clock import Clock
from backend_client.sql.alerts.store import SqlVacancyAlerts
from backend_client.sql.broadcasts import SqlBroadcasts
from backend_client.sql.conversations import SqlConversationStore
from backend_client.sql.infra.engine import SqlEngine, create_engine
from backend_client.sql.infra.journal import SqlUpdateJournal
from backend_client.sql.leases import SqlLeases
from backend_client.sql.outbox import SqlOutbox
from backend_client.sql.records import SqlRecords
from backend_client.sql.reminder_sources import SqlReminderSources
from backend_client.sql.vacancies.catalogue import SqlVacancyCatalogue
from backend_client.sql.vacancies.store import SqlVacancies


@dataclass(frozen=True, slots=True)
class Database:
    """The open store. ``engine`` is for code with tables of its own (``async with engine.begin()``):
    SQLAlchemy's ``AsyncEngine`` for PostgreSQL and aiosqlite, ``InlineSqliteEngine`` (the same async
    surface) for the default ``sqlite://``."""

    engine: SqlEngine
    records: SqlRecords
    conversations: SqlConversationStore
    journal: SqlUpdateJournal
    outbox: SqlOutbox
    leases: SqlLeases
    broadcasts: SqlBroadcasts
    reminder_sources: SqlReminderSources
    vacancies: SqlVacancies  # «Работа и стажировки»: ``Vacancies``
    vacancy_catalogue: SqlVacancyCatalogue  # ``VacancyCatalogue``: importers and operators
    vacancy_alerts: (
        SqlVacancyAlerts  # saved searches that write first: ``SavedSearches``, ``VacancyAlerts`` …
    )

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
    engine = create_engine(url)
    return Database(
        engine,
        SqlRecords(engine, clock),
        SqlConversationStore(engine, clock),
        SqlUpdateJournal(engine, clock),
        SqlOutbox(engine, clock),
        SqlLeases(engine, clock),
        SqlBroadcasts(
            engine, clock, zone=zone or ZoneInfo("Europe/Samara"), days=days or WorkingDays.russian()
        ),
        SqlReminderSources(engine, clock),
        SqlVacancies(engine, clock),
        SqlVacancyCatalogue(engine, clock),
        SqlVacancyAlerts(engine, clock),
    )
