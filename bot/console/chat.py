"""The terminal chat loop: read a line, hand it to the engine, print the answer; until end of input.

At a terminal (stdin and stdout both TTYs) it prompts with "> " and the terminal echoes what is typed.
Otherwise (piped input, or output to a file) there is no prompt; each line read is echoed as "> line"
before the answer, so the output reads as a transcript. Blank lines are skipped: a messenger cannot
send an empty message either.

Logs never land in the conversation. At a terminal, log records that would go to the terminal (stderr
shares the screen) go to ``log_file`` instead for the length of the chat (``var/log/chat.log``; the
banner says so), so the relay's or the scheduler's warnings (a database busy with another terminal's
chat, a retried pass) do not interrupt the person. With piped input the transcript is stdout and logs
stay on stderr, at WARNING unless ``FRONTDOOR_LOG_LEVEL`` says otherwise.
"""

from __future__ import annotations

import contextlib
import io
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Protocol, TextIO

from bot.console.documents import save_document
from bot.console.lines import read_line
from bot.console.options import CHANNEL, to_incoming
from bot.console.render import render
from bot.console.sender import ConsoleSender, Screen
from dialogs.texts import t
from dialogs.ui import Document, Incoming, Outcome

log = logging.getLogger(__name__)

PROMPT = "> "
DEFAULT_ACCOUNT = "local"
DEFAULT_EXPORT_DIR = Path("var/exports")
DEFAULT_LOG_FILE = Path("var/log/chat.log")


class DialogEngine(Protocol):
    async def handle(self, incoming: Incoming) -> Outcome: ...


Outreach = Callable[[ConsoleSender], AbstractAsyncContextManager[None]]


async def run_console(
    engine: DialogEngine,
    *,
    account_id: str = DEFAULT_ACCOUNT,
    export_dir: Path = DEFAULT_EXPORT_DIR,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    reach_out: Outreach | None = None,
    log_file: Path = DEFAULT_LOG_FILE,
) -> None:
    """Chat as ``account_id`` on the "console" channel (its chat id is the same) until end of input.

    ``reach_out``, when given, runs for the length of the chat with a sender that prints proactive
    messages for this account into the chat (the relay and the scheduler of ``frontdoor chat``)."""
    source = stdin or _tolerant(sys.stdin)
    sink = stdout or _tolerant(sys.stdout)
    interactive = source.isatty() and sink.isatty()
    screen = Screen(sink, prompt=PROMPT if interactive else "")
    with _logs_off_the_terminal(log_file) if interactive else contextlib.nullcontext():
        if interactive:
            screen.write(t("console.banner"), t("console.log_note", path=log_file), "")
        async with reach_out(ConsoleSender(screen, account_id)) if reach_out else contextlib.nullcontext():
            await _converse(engine, account_id, export_dir, source, screen, interactive)


async def _converse(
    engine: DialogEngine, account_id: str, export_dir: Path, source: TextIO, screen: Screen, interactive: bool
) -> None:
    def save(document: Document) -> Path:
        return save_document(document, export_dir)

    log.info("console chat started channel=%s account=%s", CHANNEL, account_id)
    while True:
        if interactive:
            screen.write_raw(PROMPT)
        line = await read_line(source)
        if line is None:
            break
        if not line.strip():
            continue
        if not interactive:
            screen.write(f"{PROMPT}{line}")
        incoming = to_incoming(line, screen.options, account_id)
        log.debug("console %s account=%s", incoming.kind, account_id)  # never the text itself
        outcome = await engine.handle(incoming)
        shown = render(outcome, save)
        screen.options = screen.options.after(shown.options, answered=bool(outcome.replies))
        screen.write(*shown.lines)
    if interactive:
        screen.write("")  # leave the shell prompt on a line of its own after Ctrl-D


@contextlib.contextmanager
def _logs_off_the_terminal(log_file: Path) -> Iterator[None]:
    """Log handlers that write to a terminal write to ``log_file`` instead until the block ends."""
    root = logging.getLogger()
    on_screen = [
        handler
        for handler in root.handlers
        if type(handler) is logging.StreamHandler and _is_terminal(handler.stream)
    ]
    if not on_screen:
        yield
        return
    log_file.parent.mkdir(parents=True, exist_ok=True)
    to_file = logging.FileHandler(log_file, encoding="utf-8")
    to_file.setFormatter(on_screen[0].formatter)
    to_file.setLevel(on_screen[0].level)
    for handler in on_screen:
        root.removeHandler(handler)
    root.addHandler(to_file)
    try:
        yield
    finally:
        root.removeHandler(to_file)
        to_file.close()
        for handler in on_screen:
            root.addHandler(handler)


def _is_terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except ValueError:  # a closed stream
        return False


def _tolerant(stream: TextIO) -> TextIO:
    """The process's stream, with undecodable bytes replaced instead of ending the chat with an error."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors="replace")
    return stream
