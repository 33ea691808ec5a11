"""The colleges catalogue: read by the conversations, replaced whole by operators."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import delete, insert, select

from backend_client.colleges.models import College, Program, StudyForm
from backend_client.sql.colleges.tables import colleges
from backend_client.sql.infra.base import SqlUseCases

MAX_SOURCE = 200


def _program_data(program: Program) -> dict[str, Any]:
    return {
        "code": program.code,
        "title": program.title,
        "form": program.form.value,
        "after_grade": program.after_grade,
        "months": program.months,
        "professions": list(program.professions),
        "targeted": program.targeted,
    }


def _program(data: dict[str, Any]) -> Program:
    return Program(
        code=data["code"],
        title=data["title"],
        form=StudyForm(data["form"]),
        after_grade=int(data["after_grade"]),
        months=int(data["months"]),
        professions=tuple(data.get("professions") or ()),
        targeted=data.get("targeted") or "",
    )


def _college(row: Any) -> College:
    return College(
        id=row.id,
        name=row.name,
        municipality=row.municipality,
        address=row.address,
        phone=row.phone,
        site=row.site,
        programs=tuple(_program(p) for p in row.programs),
        illustrative=bool(row.illustrative),
    )


class SqlColleges(SqlUseCases):
    async def colleges(
        self, *, municipality: str | None = None, profession: str | None = None
    ) -> list[College]:
        """Colleges by name; in one municipality, and teaching one profession of the career catalogue."""
        query = select(colleges).order_by(colleges.c.name, colleges.c.id)
        if municipality is not None:
            query = query.where(colleges.c.municipality == municipality)
        if profession is not None:
            query = query.where(colleges.c.professions.contains(f",{profession},", autoescape=True))
        async with self._quick.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [_college(r) for r in rows]

    async def college(self, college_id: str) -> College | None:
        query = select(colleges).where(colleges.c.id == college_id)
        async with self._quick.connect() as connection:
            row = (await connection.execute(query)).first()
        return _college(row) if row is not None else None

    async def college_places(self) -> dict[str, int]:
        """Municipality code -> how many colleges it has (only those with any)."""
        async with self._quick.connect() as connection:
            rows = (await connection.execute(select(colleges.c.municipality))).all()
        return dict(Counter(r.municipality for r in rows))

    async def replace_colleges(self, found: list[College], source: str) -> int:
        """The new catalogue replaces the old one whole, in one transaction; an empty one is refused."""
        if not found:
            raise ValueError("a colleges catalogue needs at least one college")
        now = self._clock.now()
        rows = [
            {
                "id": c.id,
                "name": c.name,
                "municipality": c.municipality,
                "address": c.address,
                "phone": c.phone,
                "site": c.site,
                "programs": [_program_data(p) for p in c.programs],
                "professions": "," + ",".join(sorted({i for p in c.programs for i in p.professions})) + ",",
                "illustrative": c.illustrative,
                "source": source[:MAX_SOURCE],
                "imported_at": now,
            }
            for c in found
        ]
        async with self._engine.begin() as connection:
            await connection.execute(delete(colleges))
            await connection.execute(insert(colleges), rows)
            await self._audit(connection, "colleges_imported", actor=None, subject=None, count=str(len(rows)))
        return len(rows)

    async def colleges_count(self) -> int:
        async with self._quick.connect() as connection:
            return len((await connection.execute(select(colleges.c.id))).all())
