"""Proactive messages in the terminal chat: printed with their buttons, which the next number presses."""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from zoneinfo import ZoneInfo

from backend_client.broadcasts import CLI
from bot.console.chat import run_console
from bot.console.sender import ConsoleSender, Screen
from notifications.ratelimit import MemoryRateLimiter
from notifications.relay import Relay
from notifications.sender import Delivered, Message, Transient
from tests.bot.fakes import ScriptedEngine

STOP = ("🔕 Не присылать такие", "~stop:news")


async def test_a_message_for_this_terminal_is_printed_with_numbered_buttons():
    out = io.StringIO()
    screen = Screen(out)
    sender = ConsoleSender(screen, "local")
    assert isinstance(await sender.send(Message("local", "Ярмарка вакансий", (STOP,))), Delivered)
    assert out.getvalue() == "\nЯрмарка вакансий\n  1) 🔕 Не присылать такие\n\n"
    assert screen.options.chosen("1").payload == "~stop:news"


async def test_a_message_for_another_console_account_waits_for_its_own_terminal():
    out = io.StringIO()
    sender = ConsoleSender(Screen(out), "local")
    assert isinstance(await sender.send(Message("someone-else", "Чужое", ())), Transient)
    assert out.getvalue() == ""


async def test_the_chat_runs_the_outreach_and_a_number_presses_the_messages_button(tmp_path):
    engine = ScriptedEngine()
    ran: list[str] = []

    @contextlib.asynccontextmanager
    async def reach_out(sender: ConsoleSender) -> AsyncIterator[None]:
        ran.append("started")
        await sender.send(Message("local", "Напоминание", (STOP,)))
        yield
        ran.append("stopped")

    out = io.StringIO()
    await run_console(engine, stdin=io.StringIO("1\n"), stdout=out, export_dir=tmp_path, reach_out=reach_out)
    assert ran == ["started", "stopped"]
    assert out.getvalue().startswith("\nНапоминание\n  1) 🔕 Не присылать такие\n\n> 1\n")
    assert engine.inputs == [("button", "~stop:news")]


async def test_two_terminal_chats_on_one_database_each_show_their_own_emergency(database, clock):
    """Five console accounts, two terminals open: each relay claims only its own account's rows, so
    nobody's copy is failed as «another terminal's chat»; the other three wait for their terminals."""
    for account in ("a", "b", "c", "d", "e"):
        await database.records.identify("console", account, account)
    await database.broadcasts.announce_emergency(CLI, "🚨 Аварийное сообщение: сбой входа")
    await database.broadcasts.start_due_campaigns()
    screens = {account: io.StringIO() for account in ("a", "b")}
    relays = [
        Relay(
            database.outbox,
            {"console": (sender := ConsoleSender(Screen(screens[account]), account))},
            MemoryRateLimiter(),
            clock,
            owner=f"chat-{account}",
            timezone=ZoneInfo("Europe/Samara"),
            chats=sender.chats,
        )
        for account in ("a", "b")
    ]
    for _ in range(3):
        for relay in relays:
            await relay.run_once()
        clock.advance(timedelta(seconds=30))
    assert all("сбой входа" in screen.getvalue() for screen in screens.values())
    assert await database.outbox.counts() == {"delivered": 2, "pending": 3}
    assert await database.outbox.failures() == {}


async def test_warnings_of_background_loops_go_to_the_log_file_not_into_the_chat(tmp_path):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stderr = Terminal()  # at a terminal, stderr is the same screen as the chat
    on_screen = logging.StreamHandler(stderr)
    root = logging.getLogger()
    root.addHandler(on_screen)

    @contextlib.asynccontextmanager
    async def reach_out(sender: ConsoleSender) -> AsyncIterator[None]:
        logging.getLogger("notifications.supervisor").warning("scheduler failed (1 in a row)")
        yield

    out = Terminal()
    log_file = tmp_path / "log" / "chat.log"
    try:
        await run_console(
            ScriptedEngine(),
            stdin=Terminal("привет\n"),
            stdout=out,
            export_dir=tmp_path,
            reach_out=reach_out,
            log_file=log_file,
        )
        assert on_screen in root.handlers  # given back when the chat ends
    finally:
        root.removeHandler(on_screen)
    assert "scheduler failed" not in out.getvalue() + stderr.getvalue()
    assert "scheduler failed" in log_file.read_text(encoding="utf-8")
    assert str(log_file) in out.getvalue()  # the banner says where the log is
