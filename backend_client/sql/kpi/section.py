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
    indicators = tuple(
        _indicator(key, title, len(units[key]), places, schools, query.min_cell)
        for key, title in section.indicators
    )
    return KpiSectionFigures(section.name, section.title, indicators, section.notes)


def _indicator(
    key: str,
    title: str,
    total: int,
    places: dict[tuple[str, str], set[Hashable]],
    schools: dict[tuple[str, str, str], set[Hashable]],
    least: int,
) -> KpiIndicator:
    shown_total = _suppressed(total, least)
    counts = {m: len(u) for (i, m), u in sorted(places.items()) if i == key}
    shown_places = _protect(counts, shown_total is not None, least)
    by_school: list[KpiCell] = []
    for place, count in counts.items():
        inside = {s: len(u) for (i, m, s), u in sorted(schools.items()) if i == key and m == place}
        shown = _protect(inside, shown_places[place] is not None, least)
        if shown_places[place] is None and count >= least and None not in shown.values():
            # hidden only to protect a neighbour: its schools must not add up to it
            shown[min((c, s) for s, c in inside.items() if c)[1]] = None
        by_school += [KpiCell(place, school, value) for school, value in shown.items()]
    by_place = tuple(KpiCell(m, "", value) for m, value in shown_places.items())
    return KpiIndicator(key, title, shown_total, by_place, tuple(by_school))


def _protect(counts: dict[str, int], parent_shown: bool, least: int) -> dict[str, int | None]:
    """Suppress the small cells; and when exactly one of them is hidden under a total that is shown, hide
    the next smallest too, so that the hidden one is not the total minus the others."""
    shown = {name: _suppressed(count, least) for name, count in counts.items()}
    hidden = [name for name, value in shown.items() if value is None]
    if parent_shown and len(hidden) == 1:
        others = sorted((count, name) for name, count in counts.items() if count and shown[name] is not None)
        if others:
            shown[others[0][1]] = None
    return shown


def _suppressed(count: int, min_cell: int) -> int | None:
    return None if 0 < count < min_cell else count
