"""The pilot's KPI report: what it is asked for and what it answers, with small groups suppressed.

The figures are counts of people (or of applications) by municipality and school; a cell under
``min_cell`` is reported as suppressed (``count is None``), never as its value, so a school with two
tested pupils does not tell who they are; a neighbour is suppressed with it where the shown total would
give it away (``backend_client/sql/kpi/section.py``). Sections are listed in
``backend_client/sql/kpi/__init__.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

MIN_CELL = 5  # groups of fewer than five are shown as «<5»


@dataclass(frozen=True, slots=True)
class KpiQuery:
    since: datetime | None = None  # UTC, inclusive
    until: datetime | None = None  # UTC, exclusive
    municipality: str | None = None  # OKATO code of the person's profile
    min_cell: int = MIN_CELL


@dataclass(frozen=True, slots=True)
class KpiCell:
    municipality: str  # "" when not given
    school: str  # "" when not given (or in a municipality's total); grouped case- and spacing-blind
    count: int | None  # None: fewer than the report's min_cell (suppressed)


@dataclass(frozen=True, slots=True)
class KpiIndicator:
    key: str  # stable: "career.tested_8_9"
    title: str  # English, for the CLI; a panel translates by key
    total: int | None  # the region (or the chosen municipality), suppressed like any cell
    by_municipality: tuple[KpiCell, ...]  # school ""
    by_school: tuple[KpiCell, ...]  # within each municipality


@dataclass(frozen=True, slots=True)
class KpiSectionFigures:
    name: str
    title: str
    indicators: tuple[KpiIndicator, ...]
    notes: tuple[str, ...] = ()  # what the records cannot say yet (e.g. attendance is not recorded)


@dataclass(frozen=True, slots=True)
class KpiReport:
    query: KpiQuery
    sections: tuple[KpiSectionFigures, ...]

    def indicator(self, key: str) -> KpiIndicator | None:
        return next((i for s in self.sections for i in s.indicators if i.key == key), None)
