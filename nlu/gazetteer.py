"""Catalogue entities (municipality, profession, organisation) found by lemma and by fuzzy match.

Each lookup entry and synonym is indexed by the lemmas of its words, so «сварщиком», «в Самаре» and
«Новокуйбышевске» resolve by their dictionary forms; misspellings («тольяти», «програмист») resolve by a
rapidfuzz ratio against the same index, with a cut-off that rises for short words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from nlu.text import Token, fold, forms, known, tokens
from nlu.types import Entity

MAX_WORDS = 4
FUZZY_MIN_CHARS = 5  # shorter words («курс», «тлт») must match exactly: fuzzy would hit common words


@dataclass(frozen=True, slots=True)
class Entry:
    entity: str
    value: str


def _key(words: Iterable[str]) -> str:
    return " ".join(words)


class Gazetteer:
    def __init__(self, lookups: Mapping[str, Sequence[str]], synonyms: Mapping[str, Sequence[str]]) -> None:
        owner = {fold(value): entity for entity, values in lookups.items() for value in values}
        self._index: dict[str, Entry] = {}
        for entity, values in lookups.items():
            for value in values:
                self._add(value, Entry(entity, value))
        for canonical, variants in synonyms.items():
            entity_type = owner.get(fold(canonical))
            if entity_type is None:
                continue  # a synonym of something that is no catalogue entity: not ours to extract
            for variant in variants:
                self._add(variant, Entry(entity_type, canonical))
        # Fuzzy matching compares single words; longer names match by lemmas.
        self._fuzzy_keys = [key for key in self._index if len(key) >= FUZZY_MIN_CHARS and " " not in key]
        self._fuzzy = lru_cache(maxsize=50_000)(self._fuzzy_uncached)

    def _add(self, name: str, entry: Entry) -> None:
        words = tokens(name)
        self._index.setdefault(_key(w.lemma for w in words), entry)
        self._index.setdefault(_key(w.text for w in words), entry)
        if len(words) == 1:  # «Отрадный»: pymorphy may lemmatise «в Отрадном» to «отрадное»
            for form in forms(words[0].text):
                self._index.setdefault(form, entry)

    def find(self, words: Sequence[Token]) -> list[Entity]:
        """Longest matches first, left to right, never overlapping."""
        found: list[Entity] = []
        taken = [False] * len(words)
        for size in range(min(MAX_WORDS, len(words)), 0, -1):
            for first in range(len(words) - size + 1):
                if any(taken[first : first + size]):
                    continue
                window = words[first : first + size]
                match = self._match(window)
                if match is None:
                    continue
                entry, score = match
                found.append(Entity(entry.entity, entry.value, window[0].start, window[-1].end, score))
                for index in range(first, first + size):
                    taken[index] = True
        return sorted(found, key=lambda e: e.start)

    def _match(self, window: Sequence[Token]) -> tuple[Entry, float] | None:
        for key in (_key(w.lemma for w in window), _key(w.text for w in window)):
            entry = self._index.get(key)
            if entry is not None:
                return entry, 1.0
        if len(window) > 1:  # fuzzy phrases would swallow prepositions: «в тольяти»
            return None
        surface = _key(w.text for w in window)
        if len(surface) < FUZZY_MIN_CHARS or any(ch.isdigit() for ch in surface) or known(surface):
            return None  # a dictionary word («тесте») is itself, not a misspelt «тестер»
        return self._fuzzy(surface)

    def _fuzzy_uncached(self, surface: str) -> tuple[Entry, float] | None:
        cutoff = 90.0 if len(surface) < 7 else 85.0
        best = process.extractOne(surface, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=cutoff)
        if best is None:
            return None
        key, score, _ = best
        return self._index[key], round(score / 100, 2)
