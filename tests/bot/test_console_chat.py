"""The terminal loop against a stand-in engine: transcript, presses, documents, TTY prompt, end of input."""

from __future__ import annotations

import asyncio
import io
import os
import threading

from bot.console.chat import run_console
from bot.console.lines import read_line
from dialogs.texts import t
from dialogs.ui import Incoming, Outcome, Reply
from tests.bot.fakes import QUESTION, ScriptedEngine, with_document

BANNER = t("console.banner")


class Terminal(io.StringIO):
    """A StringIO that says it is a TTY."""

    def isatty(self) -> bool:
        return True


async def chat(engine: ScriptedEngine, typed: str, tmp_path, *, tty: bool = False) -> str:
    stream = Terminal if tty else io.StringIO
    out = stream()
    await run_console(engine, stdin=stream(typed), stdout=out, export_dir=tmp_path / "exports")
    return out.getvalue()


async def test_piped_input_gives_a_transcript_with_echoed_lines(tmp_path):
    transcript = await chat(ScriptedEngine(), "привет\n2\n", tmp_path)
    assert transcript == ("> привет\nВопрос?\n  1) ✅ Да\n  2) Нет\n\n> 2\nВопрос?\n  1) ✅ Да\n  2) Нет\n\n")
    assert BANNER not in transcript


async def test_numbers_and_labels_press_and_the_rest_is_text(tmp_path):
    engine = ScriptedEngine()
    await chat(engine, "/start\n1\nнет\n3\nда, конечно\n", tmp_path)
    assert engine.inputs == [
        ("text", "/start"),
        ("button", "tok-yes"),
        ("button", "tok-no"),
        ("text", "3"),
        ("text", "да, конечно"),
    ]


async def test_the_first_line_is_text_even_if_it_looks_like_an_option(tmp_path):
    engine = ScriptedEngine()
    await chat(engine, "1\n", tmp_path)
    assert engine.inputs == [("text", "1")]


async def test_the_console_account_is_used_for_account_and_chat(tmp_path):
    engine = ScriptedEngine()
    await run_console(engine, account_id="alice", stdin=io.StringIO("hi\n"), stdout=io.StringIO())
    assert engine.received == [Incoming.message("console", "alice", "hi")]
    assert engine.received[0].chat_id == "alice"


async def test_blank_lines_are_not_sent(tmp_path):
    engine = ScriptedEngine()
    transcript = await chat(engine, "\n   \nпривет\n\n", tmp_path)
    assert engine.inputs == [("text", "привет")]
    assert transcript.startswith("> привет\n")


async def test_a_reply_without_buttons_makes_numbers_text_again(tmp_path):
    answers = iter([Outcome((QUESTION,)), Outcome((Reply("Сколько вам лет?"),)), Outcome((QUESTION,))])
    engine = ScriptedEngine(lambda _: next(answers))
    await chat(engine, "/start\n1\n2\n", tmp_path)
    assert engine.inputs == [("text", "/start"), ("button", "tok-yes"), ("text", "2")]


async def test_a_notice_only_outcome_keeps_the_options(tmp_path):
    answers = iter([Outcome((QUESTION,)), Outcome(notice="Уже выбрано"), Outcome((QUESTION,))])
    engine = ScriptedEngine(lambda _: next(answers))
    transcript = await chat(engine, "/start\n1\n2\n", tmp_path)
    assert engine.inputs[2] == ("button", "tok-no")
    assert "\n(Уже выбрано)\n" in transcript


async def test_documents_are_saved_into_the_export_folder(tmp_path):
    transcript = await chat(ScriptedEngine(with_document), "/mydata\n", tmp_path)
    saved = tmp_path / "exports" / "my-data.json"
    assert saved.read_bytes() == b'{"ok": true}'
    assert f"[документ сохранён: {saved}]" in transcript


async def test_a_terminal_gets_a_banner_and_prompts_but_no_echo(tmp_path):
    transcript = await chat(ScriptedEngine(), "привет\n", tmp_path, tty=True)
    assert transcript.startswith(BANNER + "\n" + t("console.log_note", path="var/log/chat.log") + "\n\n> ")
    assert "> привет" not in transcript  # the terminal itself shows what was typed
    assert transcript.endswith("\n> \n")  # a last prompt, then a clean line after Ctrl-D


async def test_crlf_input_is_read_as_plain_lines(tmp_path):
    engine = ScriptedEngine()
    await chat(engine, "привет\r\n1\r\n", tmp_path)
    assert engine.inputs == [("text", "привет"), ("button", "tok-yes")]


async def test_read_line_returns_lines_then_none_at_end_of_input():
    stream = io.StringIO("один\nдва")
    lines = [await read_line(stream) for _ in range(3)]
    assert lines == ["один", "два", None]


def test_a_blocked_read_does_not_hold_up_the_exit():
    """Ctrl-C cancels the chat while it waits for input; asyncio.run must not then wait for that read
    (it would, until the next Enter, if the read sat in the loop's default executor)."""
    reading, writing = os.pipe()
    stdin = os.fdopen(reading, encoding="utf-8")
    finished = threading.Event()

    async def interrupted_chat() -> None:
        task = asyncio.create_task(run_console(ScriptedEngine(), stdin=stdin, stdout=io.StringIO()))
        await asyncio.sleep(0.2)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    def main() -> None:
        asyncio.run(interrupted_chat())
        finished.set()

    worker = threading.Thread(target=main, daemon=True)
    worker.start()
    try:
        assert finished.wait(5), "asyncio.run waited for the blocked read"
    finally:
        os.close(writing)  # end of input releases the reading thread either way
        worker.join(5)
        stdin.close()
