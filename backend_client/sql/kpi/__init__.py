"""The pilot's KPI report (``KpiReports``): one section per group of indicators, read in one transaction.

A feature whose records feed an indicator adds its ``KpiSection`` (``section.py`` says what one is) to
``KPI_SECTIONS`` below, one line, in the order the report shows them.
"""

from __future__ import annotations

from backend_client.kpi import KpiQuery, KpiReport
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.kpi.graduates import GRADUATES_SECTION, OUTCOMES_SECTION
from backend_client.sql.kpi.practice import PRACTICE_SECTION
from backend_client.sql.kpi.pupils import CAREER, EVENTS
from backend_client.sql.kpi.section import KpiSection, tally

KPI_SECTIONS: tuple[KpiSection, ...] = (
    CAREER,
    EVENTS,
    PRACTICE_SECTION,
    GRADUATES_SECTION,
    OUTCOMES_SECTION,
)


class SqlKpiReports(SqlUseCases):
    async def kpi_report(self, query: KpiQuery) -> KpiReport:
        """Every section's figures as of one moment; nothing in them identifies a person."""
        if query.min_cell < 1:
            raise ValueError("min_cell must be at least 1")
        async with self._engine.begin() as connection:
            facts = [(section, await section.read(connection, query)) for section in KPI_SECTIONS]
        return KpiReport(query, tuple(tally(section, found, query) for section, found in facts))


__all__ = ["KPI_SECTIONS", "KpiSection", "SqlKpiReports"]
