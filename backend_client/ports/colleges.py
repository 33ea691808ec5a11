"""«Колледжи и техникумы»: the catalogue the conversations read and operators replace."""

from __future__ import annotations

from typing import Protocol

from backend_client.colleges.models import College


class CollegeCatalogue(Protocol):
    async def colleges(
        self, *, municipality: str | None = None, profession: str | None = None
    ) -> list[College]:
        """Colleges by name, filtered by municipality (OKATO code) and by a career catalogue profession."""
        ...

    async def college(self, college_id: str) -> College | None: ...

    async def college_places(self) -> dict[str, int]:
        """Municipality code -> number of colleges, for those with any."""
        ...


class CollegeImports(Protocol):
    async def replace_colleges(self, found: list[College], source: str) -> int:
        """Replace the whole catalogue in one transaction; returns how many colleges it holds."""
        ...

    async def colleges_count(self) -> int: ...
