"""How one engine ``Outcome`` looks in a terminal: texts, numbered options, saved documents, the notice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dialogs.texts import t
from dialogs.ui import Button, Document, Outcome


@dataclass(frozen=True, slots=True)
class Rendered:
    lines: tuple[str, ...]
    options: tuple[Button, ...]  # in the order shown: option N is options[N - 1]


def option_line(number: int, button: Button) -> str:
    return f"  {number}) {button.label}"


def render(outcome: Outcome, save: Callable[[Document], Path]) -> Rendered:
    """Lines to print, and the buttons they offer. Numbering runs on across all replies of the outcome,
    so every option on screen has its own number. Each reply ends with a blank line."""
    lines: list[str] = []
    options: list[Button] = []
    if outcome.notice:
        lines.append(f"({outcome.notice})")  # Telegram shows it as a toast on the pressed button
    for reply in outcome.replies:
        lines.append(reply.text)
        if reply.document is not None:
            lines.append(t("console.document_saved", path=save(reply.document)))
        for button in reply.buttons:
            options.append(button)
            lines.append(option_line(len(options), button))
        lines.append("")
    return Rendered(tuple(lines), tuple(options))
