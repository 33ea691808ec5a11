"""Input mapping: a typed line becomes a press of a shown option or a plain text message."""

from __future__ import annotations

from dataclasses import dataclass

from dialogs.ui import Button, Incoming, plain_label

CHANNEL = "console"


@dataclass(frozen=True, slots=True)
class Options:
    """The options of the latest answer that offered any, numbered from 1."""

    buttons: tuple[Button, ...] = ()

    def after(self, shown: tuple[Button, ...], answered: bool) -> Options:
        """The options once an outcome is shown: an answer replaces them (with none, if it offers none);
        an outcome with no replies at all (a notice only) leaves the earlier ones pressable."""
        return Options(shown) if answered else self

    def chosen(self, line: str) -> Button | None:
        """The option a line means: its number, or else its label (case, surrounding spaces and a leading
        icon ignored). None means the line is text."""
        typed = line.strip()
        if typed.isdecimal() and typed.isascii() and 1 <= int(typed) <= len(self.buttons):
            return self.buttons[int(typed) - 1]
        wanted = plain_label(typed)
        if not wanted:
            return None
        return next((button for button in self.buttons if plain_label(button.label) == wanted), None)


def to_incoming(line: str, options: Options, account_id: str) -> Incoming:
    button = options.chosen(line)
    if button is not None:
        return Incoming.press(CHANNEL, account_id, button.payload)
    return Incoming.message(CHANNEL, account_id, line)
