"""Checks of the training data that fail loudly instead of training a quietly worse model."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from nlu.entities import ENTITY_TYPES
from nlu.text import fold
from nlu.training_data import TrainingData

MIN_EXAMPLES = 40
_SPACES = re.compile(r"[\s.,!?…]+")


def same(text: str) -> str:
    """Two examples that differ only in case, ё/е or punctuation are the same example."""
    return _SPACES.sub(" ", fold(text)).strip()


def problems(data: TrainingData, required_intents: Iterable[str] = ()) -> list[str]:
    """Everything wrong with ``data``; empty when it may be trained on."""
    found: list[str] = []
    where: dict[str, list[str]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for example in data.examples:
        where[same(example.text)].append(example.intent)
        counts[example.intent] += 1
        found += [
            f"{example.intent}: unknown entity type {a.entity!r} in {example.text!r}"
            for a in example.entities
            if a.entity not in ENTITY_TYPES
        ]
    found += [
        f"example {text!r} is listed under several intents: {', '.join(sorted(set(intents)))}"
        for text, intents in where.items()
        if len(set(intents)) > 1
    ]
    # A repeat inside one intent teaches nothing and lets cross-validation test on a training example.
    found += [
        f"example {text!r} is listed {len(intents)} times under {intents[0]}"
        for text, intents in where.items()
        if len(intents) > 1 and len(set(intents)) == 1
    ]
    found += [
        f"intent {intent} has {count} examples; at least {MIN_EXAMPLES} are needed"
        for intent, count in counts.items()
        if count < MIN_EXAMPLES
    ]
    found += [
        f"intent {intent} is used by the dialogs but missing from the training data"
        for intent in sorted(set(required_intents) - set(counts))
    ]
    variants: dict[str, set[str]] = defaultdict(set)
    for canonical, items in data.synonyms.items():
        for item in items:
            variants[fold(item)].add(canonical)
    found += [
        f"synonym {variant!r} maps to several values: {', '.join(sorted(values))}"
        for variant, values in variants.items()
        if len(values) > 1
    ]
    for name, patterns in data.regexes.items():
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as error:
                found.append(f"regex {name}: {pattern!r} does not compile ({error})")
    return found
