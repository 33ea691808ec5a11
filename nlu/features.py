"""The text the classifier sees: two views of one message, with entities replaced by their type.

«вакансии сварщика в тольяти» -> lemmas «вакансия ent_profession в ent_municipality» and surface
«вакансии ent_profession в ent_municipality»: the model learns that someone asks for vacancies of *a*
profession somewhere, not that «сварщик» means one intent. Lemmas pool the inflected forms; the surface keeps
what lemmatising throws away and the intents need («я записан» vs «запиши меня» share the lemma «записать»).
A lemma after «не» is marked («не_присылать»): «не присылайте вакансии» must not look like «присылайте».

Both views are made from ``nlu.text.clip(text)`` only, and entities are found in it: the featuriser and the
extractors never see more than MAX_TEXT_CHARS characters, nor a word longer than MAX_WORD_CHARS.
"""

from __future__ import annotations

from typing import NamedTuple

from nlu.entities import EntityExtractor
from nlu.text import clip, tokens
from nlu.types import Entity

_NEGATIONS = frozenset({"не", "ни"})


class ModelText(NamedTuple):
    lemmas: str
    surface: str


def model_text(text: str, extractor: EntityExtractor) -> tuple[ModelText, list[Entity]]:
    """The two views of ``text`` and its entities (offsets into ``text``, of which only a prefix is read)."""
    text = clip(text)
    words = tokens(text)
    entities = extractor.extract(text, words)  # sorted and never overlapping
    lemmas: list[str] = []
    surface: list[str] = []
    placed: set[int] = set()
    current = 0  # words and entities both go left to right: one pass over each
    for word in words:
        while current < len(entities) and entities[current].end <= word.start:
            current += 1
        inside = current if current < len(entities) and entities[current].start < word.end else None
        if inside is None:
            number = word.text.isdigit()
            negated = bool(lemmas) and lemmas[-1] in _NEGATIONS
            lemmas.append("num" if number else ("не_" if negated else "") + word.lemma)
            surface.append("num" if number else word.text)
        elif inside not in placed:
            placed.add(inside)
            lemmas.append(f"ent_{entities[inside].entity}")
            surface.append(f"ent_{entities[inside].entity}")
    return ModelText(" ".join(lemmas), " ".join(surface)), entities
