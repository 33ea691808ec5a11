"""The pilot's KPI report for operators (the CLI today, an operator panel later)."""

from __future__ import annotations

from typing import Protocol

from backend_client.kpi import KpiQuery, KpiReport


class KpiReports(Protocol):
    async def kpi_report(self, query: KpiQuery) -> KpiReport:
        """Counts by municipality and school for the query's period; cells under ``query.min_cell`` are
        suppressed (None). Nothing in the report identifies a person."""
        ...
