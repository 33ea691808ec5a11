"""All entities of one text: catalogue look-ups, numbers (age, grade, course) and dates."""

from __future__ import annotations

from nlu.dates import dates
from nlu.gazetteer import Gazetteer
from nlu.numbers import numbers
from nlu.text import Token, fold, tokens
from nlu.training_data import TrainingData
from nlu.types import Entity

ENTITY_TYPES = (
    "profession",
    "municipality",
    "organisation",
    "date",
    "time",
    "age",
    "grade",
    "course",
    "job_filter",  # «без опыта», «удалённо», «неполный день»: the work search's filters
)


class EntityExtractor:
    def __init__(self, data: TrainingData) -> None:
        self._gazetteer = Gazetteer(data.lookups, data.synonyms)

    def extract(self, text: str, words: list[Token] | None = None) -> list[Entity]:
        folded = fold(text)
        words = tokens(text) if words is None else words
        # Patterns first: «9 класс» is a grade, not the organisation «Класс»; then catalogues around them.
        found = _without_overlaps(numbers(folded) + dates(folded))
        free = _outside(words, found)
        for run in _runs(free, words):
            found += self._gazetteer.find(run)
        return sorted(found, key=lambda e: e.start)


def _without_overlaps(entities: list[Entity]) -> list[Entity]:
    """Leftmost, then longest, wins. The kept ones go left to right, so only the last can overlap the next."""
    kept: list[Entity] = []
    for entity in sorted(entities, key=lambda e: (e.start, -(e.end - e.start))):
        if not kept or entity.start >= kept[-1].end:
            kept.append(entity)
    return kept


def _outside(words: list[Token], entities: list[Entity]) -> list[Token]:
    """Words that overlap none of ``entities`` (sorted, not overlapping): one pass, not words x entities."""
    free = []
    current = 0
    for word in words:
        while current < len(entities) and entities[current].end <= word.start:
            current += 1
        if current == len(entities) or word.end <= entities[current].start:
            free.append(word)
    return free


def _runs(free: list[Token], words: list[Token]) -> list[list[Token]]:
    """Consecutive free words, so that a catalogue name never spans a number or a date."""
    position = {id(w): i for i, w in enumerate(words)}
    runs: list[list[Token]] = []
    for word in free:
        if runs and position[id(runs[-1][-1])] + 1 == position[id(word)]:
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs
