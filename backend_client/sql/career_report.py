"""Operators' side of the career tests: the in-demand professions list and aggregate figures."""

from __future__ import annotations

import re
from collections import Counter

from sqlalchemy import delete, insert, select

from backend_client.models import (
    AttemptStatus,
    CareerReport,
    InDemandList,
    InstrumentFigures,
    LeadingCount,
    Role,
)
from backend_client.sql.infra.base import SqlUseCases
from backend_client.sql.tables import career_attempts, in_demand_professions, people, profiles

NO_TYPE_VERDICTS = frozenset({"flat", "low"})  # results stored before the flow stopped naming a type for them
COVERED_GRADES = (8, 9)  # the pilot's indicator: grade 8–9 pupils covered by career testing


def school_key(institution: str | None) -> str:
    """Schools are typed by people: group «Школа №12», «школа № 12» and «Школа  №12» together."""
    if not institution:
        return ""
    text = institution.casefold().replace("ё", "е")
    text = re.sub(r"№\s*", "№ ", text)
    return re.sub(r"\s+", " ", text).strip()


class SqlInDemand(SqlUseCases):
    async def in_demand_list(self) -> InDemandList | None:
        query = select(in_demand_professions)
        async with self._quick.connect() as connection:
            rows = (await connection.execute(query)).all()
        if not rows:
            return None
        return InDemandList(
            frozenset(r.profession_id for r in rows), rows[0].source, max(r.imported_at for r in rows)
        )

    async def replace_in_demand(self, ids: frozenset[str], source: str) -> int:
        """The new list replaces the old one whole; an empty list is refused (ValueError)."""
        if not ids:
            raise ValueError("an in-demand list needs at least one profession")
        now = self._clock.now()
        async with self._engine.begin() as connection:
            await connection.execute(delete(in_demand_professions))
            await connection.execute(
                insert(in_demand_professions),
                [{"profession_id": i, "source": source[:200], "imported_at": now} for i in sorted(ids)],
            )
            await self._audit(connection, "in_demand_imported", actor=None, subject=None, count=str(len(ids)))
        return len(ids)


class SqlCareerReports(SqlUseCases):
    async def career_report(self) -> CareerReport:
        """Counts per test, and the leading type of each person's latest result by municipality, school
        and grade (from their current profile), read in one transaction. A result with no type (flat,
        empty or answered unread) is counted under "" — never as whichever scale happened to rank first."""
        attempts = (
            select(
                career_attempts.c.person_id,
                career_attempts.c.instrument,
                career_attempts.c.status,
                career_attempts.c.leading,
                career_attempts.c.verdict,
                profiles.c.municipality,
                profiles.c.institution,
                profiles.c.grade,
            )
            .select_from(career_attempts)
            .outerjoin(profiles, profiles.c.person_id == career_attempts.c.person_id)
            .order_by(career_attempts.c.finished_at, career_attempts.c.id)
        )
        pupils = (
            select(profiles.c.person_id)
            .select_from(profiles)
            .join(people, people.c.id == profiles.c.person_id)
            .where(people.c.role == Role.PUPIL.value, profiles.c.grade.in_(COVERED_GRADES))
        )
        async with self._engine.begin() as connection:
            rows = (await connection.execute(attempts)).all()
            covered = {r.person_id for r in (await connection.execute(pupils)).all()}

        statuses: dict[str, Counter[str]] = {}
        latest: dict[tuple[str, int], tuple[str, str, str, str]] = {}  # later rows overwrite earlier ones
        tested: set[int] = set()
        for r in rows:
            statuses.setdefault(r.instrument, Counter())[r.status] += 1
            if r.status == AttemptStatus.COMPLETED.value:
                tested.add(r.person_id)
                grade = "" if r.grade is None else str(r.grade)
                typed = r.verdict not in NO_TYPE_VERDICTS
                latest[(r.instrument, r.person_id)] = (
                    (r.leading or "") if typed else "",
                    r.municipality or "",
                    school_key(r.institution),
                    grade,
                )
        figures = tuple(
            InstrumentFigures(
                instrument=name,
                started=sum(counts.values()),
                completed=counts[AttemptStatus.COMPLETED.value],
                abandoned=counts[AttemptStatus.ABANDONED.value],
                in_progress=counts[AttemptStatus.IN_PROGRESS.value],
                people=sum(1 for instrument, _ in latest if instrument == name),
            )
            for name, counts in sorted(statuses.items())
        )
        groups: Counter[tuple[str, str, str, str]] = Counter()
        for (instrument, _), (leading, municipality, school, grade) in latest.items():
            for dimension, group in (("municipality", municipality), ("school", school), ("grade", grade)):
                groups[(instrument, dimension, group, leading)] += 1
        counts = tuple(LeadingCount(*key, count) for key, count in sorted(groups.items()))
        return CareerReport(figures, counts, len(covered), len(covered & tested))
