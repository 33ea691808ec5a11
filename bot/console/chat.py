"""The terminal chat loop: read a line, hand it to the engine, print the answer; until end of input.

At a terminal (stdin and stdout both TTYs) it prompts with "> " and the terminal echoes what is typed.
Otherwise (piped input, or output to a file) there is no prompt; each line read is echoed as "> line"
before the answer, so the output reads as a transcript. Blank lines are skipped: a messenger cannot
send an empty message either.
"""

from __future__ import annotations

import io
import logging
import sys
from pathlib import Path
from typing import Protocol, TextIO

from bot.console.documents import save_document
from bot.console.lines import read_line
from bot.console.options import CHANNEL, Options, to_incoming
from bot.console.render import render
from dialogs.texts import t
from dialogs.ui import Document, Incoming, Outcome

log = logging.getLogger(__name__)

PROMPT = "> "
DEFAULT_ACCOUNT = "local"
DEFAULT_EXPORT_DIR = Path("var/exports")


class DialogEngine(Protocol):
    async def handle(self, incoming: Incoming) -> Outcome: ...


async def run_console(
    engine: DialogEngine,
    *,
    account_id: str = DEFAULT_ACCOUNT,
    export_dir: Path = DEFAULT_EXPORT_DIR,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> None:
    """Chat as ``account_id`` on the "console" channel (its chat id is the same) until end of input."""
    source = stdin or _tolerant(sys.stdin)
    sink = stdout or _tolerant(sys.stdout)
    interactive = source.isatty() and sink.isatty()
    options = Options()

    def save(document: Document) -> Path:
        return save_document(document, export_dir)

    if interactive:
        _write(sink, t("console.banner"), "")
    log.info("console chat started channel=%s account=%s", CHANNEL, account_id)
    while True:
        if interactive:
            _write_raw(sink, PROMPT)
        line = await read_line(source)
        if line is None:
            break
        if not line.strip():
            continue
        if not interactive:
            _write(sink, f"{PROMPT}{line}")
        incoming = to_incoming(line, options, account_id)
        log.debug("console %s account=%s", incoming.kind, account_id)  # never the text itself
        outcome = await engine.handle(incoming)
        shown = render(outcome, save)
        options = options.after(shown.options, answered=bool(outcome.replies))
        _write(sink, *shown.lines)
    if interactive:
        _write(sink, "")  # leave the shell prompt on a line of its own after Ctrl-D


def _write(sink: TextIO, *lines: str) -> None:
    _write_raw(sink, "".join(f"{line}\n" for line in lines))


def _write_raw(sink: TextIO, text: str) -> None:
    sink.write(text)
    sink.flush()


def _tolerant(stream: TextIO) -> TextIO:
    """The process's stream, with undecodable bytes replaced instead of ending the chat with an error."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors="replace")
    return stream
