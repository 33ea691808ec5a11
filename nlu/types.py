"""What every NLU backend returns, in the shape of Rasa's ``/model/parse`` answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

OUT_OF_SCOPE = "out_of_scope"


@dataclass(frozen=True, slots=True)
class Entity:
    entity: str  # profession, municipality, organisation, date, time, age, grade, course, job_filter
    value: str  # the catalogue's name ("Тольятти", "сварщик") or a normalised value ("9", "weekday:fri")
    start: int  # character offsets into the parsed text
    end: int
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class IntentScore:
    name: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Parse:
    intent: str
    confidence: float
    ranking: tuple[IntentScore, ...] = ()  # best first, the top intent included
    entities: tuple[Entity, ...] = ()

    def first(self, entity: str) -> Entity | None:
        return next((e for e in self.entities if e.entity == entity), None)


class Understanding(Protocol):
    """One interface, several backends (embedded scikit-learn model, Rasa server)."""

    async def parse(self, text: str) -> Parse:
        """Raises NluUnavailable when the backend cannot answer (a Rasa server down, a broken answer)."""
        ...


class NluUnavailable(RuntimeError):
    """The backend could not answer; the message is one line and holds no user text."""
