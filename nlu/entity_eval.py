"""How well entities are found: precision and recall per entity type against annotated examples.

An annotation counts as found when the extractor returns an entity of the same type whose span overlaps
it («[в пятницу](date)» and the extractor's «пятницу» agree); each annotation and each found entity is
used at most once. Values are not compared: the training data's short markup keeps the surface text
(«[сварщика](profession)»), not the catalogue value.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from nlu.entities import ENTITY_TYPES, EntityExtractor
from nlu.training_data import Example


@dataclass(frozen=True, slots=True)
class EntityFigures:
    entity: str  # an entity type, or "all" for the micro-average
    annotated: int
    found: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.annotated if self.annotated else 0.0


def entity_scores(examples: Sequence[Example], extractor: EntityExtractor) -> list[EntityFigures]:
    """Per entity type that occurs (annotated or found), in ENTITY_TYPES order, then "all"."""
    annotated: Counter[str] = Counter()
    found: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    for example in examples:
        unmatched = list(example.entities)
        annotated.update(a.entity for a in unmatched)
        for entity in extractor.extract(example.text):
            found[entity.entity] += 1
            match = next(
                (
                    a
                    for a in unmatched
                    if a.entity == entity.entity and a.start < entity.end and entity.start < a.end
                ),
                None,
            )
            if match is not None:
                unmatched.remove(match)
                correct[entity.entity] += 1
    kinds = [k for k in ENTITY_TYPES if annotated[k] or found[k]]
    kinds += sorted((set(annotated) | set(found)) - set(ENTITY_TYPES))
    rows = [EntityFigures(k, annotated[k], found[k], correct[k]) for k in kinds]
    total = EntityFigures("all", sum(annotated.values()), sum(found.values()), sum(correct.values()))
    return [*rows, total]


def format_entity_scores(title: str, rows: Sequence[EntityFigures]) -> str:
    lines = [
        f"== entities, {title}",
        f"{'':24}{'precision':>10}{'recall':>8}{'annotated':>11}{'found':>7}",
    ]
    lines += [
        f"  {r.entity:22}{r.precision:>10.3f}{r.recall:>8.3f}{r.annotated:>11}{r.found:>7}" for r in rows
    ]
    return "\n".join(lines)
