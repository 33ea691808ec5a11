"""A college (or technical school) of the region and the specialties it teaches."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class StudyForm(StrEnum):
    FULL_TIME = "full_time"  # очная
    PART_TIME = "part_time"  # очно-заочная
    EXTRAMURAL = "extramural"  # заочная


@dataclass(frozen=True, slots=True)
class Program:
    code: str  # the specialty's code in the federal list of СПО, e.g. "15.02.16"
    title: str
    form: StudyForm
    after_grade: int  # admission after grade 9 or 11
    months: int  # length of study
    professions: tuple[str, ...] = ()  # ids of the career catalogue's professions it leads to
    targeted: str = ""  # «Целевое обучение»: who offers it and on what terms ("" — none listed)


@dataclass(frozen=True, slots=True)
class College:
    id: str  # the catalogue's own id: importing again replaces, never duplicates
    name: str
    municipality: str  # OKATO code
    address: str
    phone: str
    site: str
    programs: tuple[Program, ...]
    illustrative: bool  # demo data: names, addresses and contacts are not to be relied on

    def teaches(self, profession_id: str) -> tuple[Program, ...]:
        return tuple(p for p in self.programs if profession_id in p.professions)

    @property
    def targeted(self) -> tuple[Program, ...]:
        return tuple(p for p in self.programs if p.targeted)
