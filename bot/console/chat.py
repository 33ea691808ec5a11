"""The terminal transport: one line in, the engine's answer out. Works with a TTY or piped stdin."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Protocol, TextIO

from bot.console.render import Screen
from dialogs.ui import Incoming, Outcome

CHANNEL = "console"


class Handles(Protocol):
    async def handle(self, incoming: Incoming) -> Outcome: ...


async def _read_line(stream: TextIO, prompt: bool) -> str | None:
    if prompt:
        try:
            return await asyncio.to_thread(input, "> ")
        except EOFError:
            return None
    line = await asyncio.to_thread(stream.readline)
    return line.rstrip("\n") if line else None


async def run_console(
    engine: Handles,
    *,
    account_id: str = "local",
    export_dir: Path = Path("var/exports"),
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> None:
    """Chat until end of input. With piped stdin each line is echoed as "> line" so transcripts read well."""
    source = stdin or sys.stdin
    sink = stdout or sys.stdout
    interactive = source.isatty() and sink.isatty()
    screen = Screen()
    if interactive:
        print("Frontdoor — чат в терминале. Напишите /start; выход — Ctrl+D.", file=sink)
    while (line := await _read_line(source, interactive)) is not None:
        if not interactive:
            print(f"> {line}", file=sink)
        button = screen.pressed(line)
        incoming = (
            Incoming.press(CHANNEL, account_id, button.payload)
            if button
            else Incoming.message(CHANNEL, account_id, line)
        )
        outcome = await engine.handle(incoming)
        print("\n".join(screen.show(outcome, export_dir)), file=sink, flush=True)
