"""Proactive messages in the terminal chat: printed with their buttons, which the next number presses."""

from __future__ import annotations

import contextlib
import io
from collections.abc import AsyncIterator

from bot.console.chat import run_console
from bot.console.sender import ConsoleSender, Screen
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
