"""A stand-in dialog engine for transport tests: answers from a script and records what it received."""

from __future__ import annotations

from collections.abc import Callable

from dialogs.ui import Button, Document, Incoming, Outcome, Reply, column

YES = Button("✅ Да", "tok-yes")
NO = Button("Нет", "tok-no")
QUESTION = Reply("Вопрос?", column(YES, NO))


class ScriptedEngine:
    """``answer(incoming)`` decides each outcome; by default every message gets QUESTION back."""

    def __init__(self, answer: Callable[[Incoming], Outcome] | None = None) -> None:
        self.received: list[Incoming] = []
        self._answer = answer or (lambda _: Outcome((QUESTION,)))

    async def handle(self, incoming: Incoming) -> Outcome:
        self.received.append(incoming)
        return self._answer(incoming)

    @property
    def inputs(self) -> list[tuple[str, str]]:
        """What arrived, as (kind, token or text)."""
        return [(str(incoming.kind), incoming.button or incoming.text) for incoming in self.received]


def with_document(incoming: Incoming) -> Outcome:
    document = Document("my-data.json", b'{"ok": true}', "application/json")
    return Outcome((Reply("Вот файл.", document=document),))
