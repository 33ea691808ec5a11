"""Career-test instruments as data: the schema of ``data/instruments/*.yaml`` and loading it.

Two item formats cover the methods we use: ``choice`` (pick one of 2–4 activities, each keyed to a scale,
one point) and ``rating`` (one statement keyed to a scale, answered on the instrument's scale of points).
Everything a person reads — items, answer labels, scale explanations, honest-result texts — is in the file,
so a third instrument is a new YAML file and catalogue tags, not new code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from itertools import combinations
from typing import Literal, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

SECONDS_PER_ITEM = 4  # the planning estimate the issue fixes for "how long does it take"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scale(_Strict):
    id: str = Field(pattern=r"^[A-Za-z_]{1,16}$")
    letter: str = Field(min_length=1, max_length=2)
    name: str
    about: str


class Choice(_Strict):
    text: str = Field(min_length=3, max_length=60)  # it is also a button label
    scale: str


class ChoiceItem(_Strict):
    choices: tuple[Choice, ...] = Field(min_length=2, max_length=4)


class RatingItem(_Strict):
    text: str = Field(min_length=3, max_length=120)
    scale: str


class AnswerOption(_Strict):
    label: str = Field(min_length=1, max_length=40)
    points: int


class Balance(_Strict):
    """A key design the data must meet: each scale offered ``per_scale`` times, each pair ``per_pair``."""

    per_scale: int = Field(gt=0)
    per_pair: int = Field(gt=0)


class ResultRules(_Strict):
    code_letters: int = Field(default=2, ge=1, le=3)
    flat_spread: int = Field(ge=0)  # top minus bottom at or below this: no leading type to speak of
    low_max: int | None = None  # the top score at or below this: hardly anything appeals
    circle: tuple[str, ...] | None = None  # scales in hexagon order: consistency of the top two


class ResultTexts(_Strict):
    flat: str
    low: str | None = None
    inconsistent: str | None = None


@dataclass(frozen=True, slots=True)
class Option:
    """One answer to one item, whatever the format: the key stored, its label, where its points go."""

    key: str
    label: str
    scale: str
    points: int


class Instrument(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,30}$")
    order: int = 0
    version: str = Field(min_length=1, max_length=16)
    kind: Literal["choice", "rating"]
    title: str
    button: str = Field(max_length=60)
    intro: str
    question: str
    scales: tuple[Scale, ...] = Field(min_length=2)
    items: tuple[ChoiceItem | RatingItem, ...] = Field(min_length=1)
    answers: tuple[AnswerOption, ...] = ()
    balance: Balance | None = None
    result: ResultRules
    texts: ResultTexts

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        ids = [s.id for s in self.scales]
        if len(set(ids)) != len(ids):
            raise ValueError("scale ids must be unique")
        self._check_items(set(ids))
        self._check_result(ids)
        return self

    def _check_items(self, ids: set[str]) -> None:
        item_type = ChoiceItem if self.kind == "choice" else RatingItem
        if not all(isinstance(item, item_type) for item in self.items):
            raise ValueError(f"every item of a {self.kind!r} instrument must be a {item_type.__name__}")
        if self.kind == "rating" and len(self.answers) < 2:
            raise ValueError("a rating instrument needs at least two answers")
        if self.kind == "choice" and self.answers:
            raise ValueError("a choice instrument takes its answers from the items")
        for item in self.items:
            scales = [c.scale for c in item.choices] if isinstance(item, ChoiceItem) else [item.scale]
            unknown = set(scales) - ids
            if unknown:
                raise ValueError(f"items refer to unknown scales {sorted(unknown)}")
            if isinstance(item, ChoiceItem) and len(set(scales)) != len(scales):
                raise ValueError("the choices of one item must belong to different scales")

    def _check_result(self, ids: list[str]) -> None:
        rules = self.result
        if rules.code_letters > len(ids):
            raise ValueError("code_letters exceeds the number of scales")
        if rules.circle is not None:
            if sorted(rules.circle) != sorted(ids):
                raise ValueError("circle must list every scale once")
            if self.texts.inconsistent is None:
                raise ValueError("an instrument with a circle needs texts.inconsistent")
        if rules.low_max is not None and self.texts.low is None:
            raise ValueError("an instrument with low_max needs texts.low")

    # -- reading the items ----------------------------------------------------------------------
    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.count * SECONDS_PER_ITEM / 60))

    def scale(self, scale_id: str) -> Scale:
        return next(s for s in self.scales if s.id == scale_id)

    def options(self, index: int) -> tuple[Option, ...]:
        item = self.items[index]
        if isinstance(item, ChoiceItem):
            return tuple(Option(str(n), c.text, c.scale, 1) for n, c in enumerate(item.choices, 1))
        return tuple(Option(str(n), a.label, item.scale, a.points) for n, a in enumerate(self.answers, 1))

    def option(self, index: int, key: str) -> Option | None:
        return next((o for o in self.options(index) if o.key == key), None)

    def prompt(self, index: int) -> str:
        """The item as the person reads it (choices are also listed, as button labels may be cut)."""
        item = self.items[index]
        if isinstance(item, RatingItem):
            return f"{self.question}\n\n«{item.text}»"
        letters = "АБВГ"
        lines = [f"{letters[n]}) {c.text}" for n, c in enumerate(item.choices)]
        return "\n".join([self.question, "", *lines])

    def item_text(self, index: int, key: str) -> str:
        """What an answer says about the person, for "why you got this": the activity chosen or rated."""
        item = self.items[index]
        if isinstance(item, RatingItem):
            return item.text
        option = self.option(index, key)
        return option.label if option else ""

    def max_score(self, scale_id: str) -> int:
        return sum(
            max((o.points for o in self.options(i) if o.scale == scale_id), default=0)
            for i in range(self.count)
        )

    def pair_counts(self) -> dict[frozenset[str], int]:
        """How often each pair of scales is contrasted within one choice item."""
        counts = {frozenset(pair): 0 for pair in combinations([s.id for s in self.scales], 2)}
        for item in self.items:
            if isinstance(item, ChoiceItem):
                for pair in combinations([c.scale for c in item.choices], 2):
                    counts[frozenset(pair)] += 1
        return counts

    def offer_counts(self) -> dict[str, int]:
        """How often each scale is offered as an alternative (choice) or asked about (rating)."""
        counts = dict.fromkeys((s.id for s in self.scales), 0)
        for index in range(self.count):
            for scale in {o.scale for o in self.options(index)}:
                counts[scale] += 1
        return counts


def _folder() -> Traversable:
    return resources.files("dialogs.career").joinpath("data", "instruments")


def parse_instrument(text: str) -> Instrument:
    """Validate one instrument file's text; raises pydantic.ValidationError (or ValueError)."""
    return Instrument.model_validate(yaml.safe_load(text))


@cache
def instruments() -> dict[str, Instrument]:
    """Every shipped instrument by id, in menu order."""
    found = [
        parse_instrument(entry.read_text(encoding="utf-8"))
        for entry in _folder().iterdir()
        if entry.name.endswith(".yaml")
    ]
    return {i.id: i for i in sorted(found, key=lambda i: (i.order, i.id))}


def instrument(instrument_id: str) -> Instrument | None:
    return instruments().get(instrument_id)
