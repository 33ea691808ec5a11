"""The text the classifier sees: two views of one message, with entities replaced by their type.

«вакансии сварщика в тольяти» -> lemmas «вакансия ent_profession в ent_municipality» and surface
«вакансии ent_profession в ent_municipality»: the model learns that someone asks for vacancies of *a*
profession somewhere, not that «сварщик» means one intent. Lemmas pool the inflected forms; the surface keeps
what lemmatising throws away and the intents need («я записан» vs «запиши меня» share the lemma «записать»).
A lemma after «не» is marked («не_присылать»): «не присылайте вакансии» must not look like «присылайте».
"""

from __future__ import annotations

from typing import NamedTuple

from nlu.entities import EntityExtractor
from nlu.text import tokens
from nlu.types import Entity

_NEGATIONS = frozenset({"не", "ни"})


class ModelText(NamedTuple):
    lemmas: str
    surface: str


def model_text(text: str, extractor: EntityExtractor) -> tuple[ModelText, list[Entity]]:
    words = tokens(text)
    entities = extractor.extract(text, words)
    lemmas: list[str] = []
    surface: list[str] = []
    placed: set[int] = set()
    for word in words:
        inside = next((i for i, e in enumerate(entities) if e.start < word.end and word.start < e.end), None)
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
