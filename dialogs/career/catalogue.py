"""The professions catalogue (``data/professions.yaml``) and matching professions to a test result."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

Level = Literal["spo", "vo", "courses"]
MIN_MATCHES, MAX_MATCHES = 5, 8


class Profession(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,40}$")
    title: str = Field(min_length=2, max_length=80)
    tags: dict[str, tuple[str, ...]]  # instrument id -> its scales that fit, the main one first
    levels: tuple[Level, ...] = Field(min_length=1)
    path: str = Field(min_length=10, max_length=300)


class Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    professions: tuple[Profession, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Self:
        ids = [p.id for p in self.professions]
        if len(set(ids)) != len(ids):
            raise ValueError("profession ids must be unique")
        return self

    def get(self, profession_id: str) -> Profession | None:
        return next((p for p in self.professions if p.id == profession_id), None)


@dataclass(frozen=True, slots=True)
class Match:
    profession: Profession
    fit: int
    in_demand: bool


def parse_catalogue(text: str) -> Catalogue:
    return Catalogue.model_validate(yaml.safe_load(text))


@cache
def catalogue() -> Catalogue:
    data = resources.files("dialogs.career").joinpath("data", "professions.yaml")
    return parse_catalogue(data.read_text(encoding="utf-8"))


def fit(ranked: Sequence[str], tags: Sequence[str], letters: int) -> int:
    """How well a profession's scales fit the person's leading ones: weighted overlap of both orders.

    The first scale weighs ``letters``, the next one less, on both sides, so a profession whose main scale
    is the person's main scale ranks first (a Holland-style congruence) however many tags it has.
    """
    mine = {scale: letters - n for n, scale in enumerate(ranked[:letters])}
    theirs = {scale: letters - n for n, scale in enumerate(tags[:letters])}
    return sum(weight * theirs[scale] for scale, weight in mine.items() if scale in theirs)


def matches(
    instrument_id: str,
    ranked: Sequence[str],
    letters: int,
    in_demand: frozenset[str],
    limit: int = 6,
) -> list[Match]:
    """The best-fitting professions (between MIN_MATCHES and MAX_MATCHES of them when the catalogue has
    enough); ties go to in-demand professions, then to the catalogue order."""
    limit = max(MIN_MATCHES, min(MAX_MATCHES, limit))
    scored = []
    for order, profession in enumerate(catalogue().professions):
        value = fit(ranked, profession.tags.get(instrument_id, ()), letters)
        if value > 0:
            scored.append((-value, profession.id not in in_demand, order, profession, value))
    scored.sort(key=lambda entry: entry[:3])
    return [Match(p, value, p.id in in_demand) for *_, p, value in scored[:limit]]
