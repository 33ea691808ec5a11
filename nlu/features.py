"""The text the classifier sees: lemmas, with entities replaced by their type.

«вакансии сварщика в тольяти» -> «вакансия ent_profession в ent_municipality»: the model learns that
someone asks for vacancies of *a* profession somewhere, not that «сварщик» means one intent.
"""

from __future__ import annotations

from nlu.entities import EntityExtractor
from nlu.text import tokens
from nlu.types import Entity


def model_text(text: str, extractor: EntityExtractor) -> tuple[str, list[Entity]]:
    words = tokens(text)
    entities = extractor.extract(text, words)
    parts: list[str] = []
    placed: set[int] = set()
    for word in words:
        inside = next((i for i, e in enumerate(entities) if e.start < word.end and word.start < e.end), None)
        if inside is None:
            parts.append("num" if word.text.isdigit() else word.lemma)
        elif inside not in placed:
            placed.add(inside)
            parts.append(f"ent_{entities[inside].entity}")
    return " ".join(parts), entities
