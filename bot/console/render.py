"""Showing an engine ``Outcome`` in a terminal, and reading a typed line back as a message or a press."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dialogs.ui import Button, Outcome, plain_label


@dataclass(slots=True)
class Screen:
    """The options currently on screen: numbered in the order shown, across all replies of one answer."""

    options: list[Button] = field(default_factory=list)

    def show(self, outcome: Outcome, export_dir: Path) -> list[str]:
        lines: list[str] = []
        options: list[Button] = []
        if outcome.notice:
            lines.append(f"({outcome.notice})")
        for reply in outcome.replies:
            lines.append(reply.text)
            if reply.document is not None:
                export_dir.mkdir(parents=True, exist_ok=True)
                target = export_dir / Path(reply.document.filename).name
                target.write_bytes(reply.document.content)
                lines.append(f"[документ сохранён: {target}]")
            for button in reply.buttons:
                options.append(button)
                lines.append(f"  {len(options)}) {button.label}")
            lines.append("")
        if options or outcome.replies:
            self.options = options  # a plain answer with no buttons leaves earlier options pressable
        return lines

    def pressed(self, line: str) -> Button | None:
        """The option a line means: its number, or its label typed out (case, spaces and icon ignored)."""
        typed = line.strip()
        if typed.isdigit() and 1 <= int(typed) <= len(self.options):
            return self.options[int(typed) - 1]
        wanted = plain_label(typed)
        for button in self.options:
            if wanted and plain_label(button.label) == wanted:
                return button
        return None
