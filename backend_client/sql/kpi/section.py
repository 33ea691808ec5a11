"""What a KPI section is, and how its facts become suppressed counts.

A section reads *facts* from the records in the report's transaction: (indicator key, unit, municipality,
institution), one per person or per application that counts. ``tally`` then counts distinct units per
indicator, by municipality and by municipality and school, applies the municipality filter and suppresses
every cell under ``min_cell``. A section never formats or suppresses anything itself, so a new one (risk
assessed, routed to the centre, outcomes at 3/6/12 months …) is its reader and one line in ``KPI_SECTIONS``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, true

from backend_client.kpi import KpiCell, KpiIndicator, KpiQuery, KpiSectionFigures
from backend_client.sql.career_report import school_key
from backend_client.sql.infra.engine import DbConnection


@dataclass(frozen=True, slots=True)
class Fact:
    indicator: str
    unit: Hashable  # what is counted once: a person id, an application id
    municipality: str | None
    institution: str | None


Reader = Callable[[DbConnection, KpiQuery], Awaitable[Iterable[Fact]]]


@dataclass(frozen=True, slots=True)
class KpiSection:
    name: str
    title: str
    indicators: tuple[tuple[str, str], ...]  # (key, title) in the report's order
    read: Reader
    notes: tuple[str, ...] = ()


def within(column: Any, query: KpiQuery) -> ColumnElement[bool]:
    """``column`` in the report's period (no bound: no condition)."""
    condition: ColumnElement[bool] = true()
    if query.since is not None:
        condition = condition & (column >= query.since)
    if query.until is not None:
        condition = condition & (column < query.until)
    return condition


def tally(section: KpiSection, facts: Iterable[Fact], query: KpiQuery) -> KpiSectionFigures:
    units: dict[str, set[Hashable]] = defaultdict(set)
    places: dict[tuple[str, str], set[Hashable]] = defaultdict(set)
    schools: dict[tuple[str, str, str], set[Hashable]] = defaultdict(set)
    for fact in facts:
        place = fact.municipality or ""
        if query.municipality and place != query.municipality:
            continue
        units[fact.indicator].add(fact.unit)
        places[(fact.indicator, place)].add(fact.unit)
        schools[(fact.indicator, place, school_key(fact.institution))].add(fact.unit)
    least = query.min_cell
    indicators = tuple(
        KpiIndicator(
            key,
            title,
            _suppressed(len(units[key]), least),
            tuple(
                KpiCell(m, "", _suppressed(len(u), least)) for (i, m), u in sorted(places.items()) if i == key
            ),
            tuple(
                KpiCell(m, s, _suppressed(len(u), least))
                for (i, m, s), u in sorted(schools.items())
                if i == key
            ),
        )
        for key, title in section.indicators
    )
    return KpiSectionFigures(section.name, section.title, indicators, section.notes)


def _suppressed(count: int, min_cell: int) -> int | None:
    return None if 0 < count < min_cell else count
