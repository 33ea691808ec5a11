"""Proactive messages in the terminal: the relay's ``Sender`` for the "console" channel.

A reminder, a campaign or a system message is printed between the chat's own answers, with its buttons
as numbered options that the next typed number presses (the one-tap «Не присылать такие» included).
Only this terminal's own chat is shown here: the chat's relay claims only the rows of ``chats`` (this
account), so messages for other console accounts stay pending for their own terminals instead of being
tried here and failed. Should one reach this sender anyway, it is refused as transient and retried.
"""

from __future__ import annotations

from typing import TextIO

from bot.console.options import Options
from bot.console.render import option_line
from dialogs.ui import Button
from notifications.sender import Delivered, Message, Outcome, Transient


class Screen:
    """The terminal both the chat loop and proactive messages write to, and the options now on it."""

    def __init__(self, sink: TextIO, *, prompt: str = "") -> None:
        self.sink = sink
        self.options = Options()
        self._prompt = prompt  # shown again after a message that arrived while someone was typing

    def write(self, *lines: str) -> None:
        self.sink.write("".join(f"{line}\n" for line in lines))
        self.sink.flush()

    def write_raw(self, text: str) -> None:
        self.sink.write(text)
        self.sink.flush()

    def show_message(self, text: str, buttons: tuple[Button, ...]) -> None:
        lines = ["", text, *(option_line(n, b) for n, b in enumerate(buttons, start=1)), ""]
        self.write(*lines)
        if buttons:
            self.options = Options(buttons)
        if self._prompt:
            self.write_raw(self._prompt)


class ConsoleSender:
    def __init__(self, screen: Screen, chat_id: str) -> None:
        self._screen = screen
        self._chat_id = chat_id

    @property
    def chats(self) -> tuple[str, ...]:
        """The chat ids this terminal shows: what its relay claims (``Relay(chats=...)``)."""
        return (self._chat_id,)

    async def send(self, message: Message) -> Outcome:
        if message.chat_id != self._chat_id:
            return Transient("another terminal's chat")
        buttons = tuple(Button(label, payload) for label, payload in message.buttons)
        self._screen.show_message(message.text, buttons)
        return Delivered()
