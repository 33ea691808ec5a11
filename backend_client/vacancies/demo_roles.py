"""The demo catalogue's roles (``data/demo_roles.yaml``): what the work is, what it pays, who may do it."""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from typing import Any

import yaml

from backend_client.vacancies.models import Employment, Hazard, Schedule, VacancyKind


@dataclass(frozen=True, slots=True)
class Role:
    title: str
    profession: str
    kind: VacancyKind
    sectors: tuple[str, ...]
    pay: tuple[int, int] | None  # roubles a month, from and to
    duties: str
    requirements: str
    skills: tuple[str, ...] = ()
    education: str = "Среднее профессиональное"
    experience: bool = False
    employment: Employment = Employment.FULL
    schedule: Schedule = Schedule.FULL_DAY
    min_age: int = 18
    hours: tuple[float, float] | None = None  # a day, a week
    hazards: frozenset[Hazard] = frozenset()
    copies: int = 8  # at how many employers of its sectors


_KNOWN = {field.name for field in fields(Role)}


def role_from(entry: dict[str, Any]) -> Role:
    unknown = set(entry) - _KNOWN
    if unknown:
        raise ValueError(f"unknown fields of a demo role: {sorted(unknown)}")
    values = dict(entry)
    values["kind"] = VacancyKind(values["kind"])
    values["sectors"] = tuple(values["sectors"])
    values["pay"] = tuple(values["pay"]) if values.get("pay") else None
    values["skills"] = tuple(values.get("skills", ()))
    values["employment"] = Employment(values.get("employment", Employment.FULL))
    values["schedule"] = Schedule(values.get("schedule", Schedule.FULL_DAY))
    values["hours"] = tuple(values["hours"]) if values.get("hours") else None
    values["hazards"] = frozenset(Hazard(h) for h in values.get("hazards", ()))
    return Role(**values)


@cache
def demo_roles() -> tuple[Role, ...]:
    text = resources.files("backend_client.vacancies").joinpath("data", "demo_roles.yaml").read_text("utf-8")
    return tuple(role_from(entry) for entry in yaml.safe_load(text)["roles"])
