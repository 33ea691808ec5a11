"""The terminal transport: rendering, number/label presses, documents, and a scripted session."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from bot.console.chat import run_console
from bot.console.render import Screen
from dialogs.ui import Button, Document, Incoming, IncomingKind, Outcome, Reply

ROOT = Path(__file__).resolve().parents[2]


class RecordingEngine:
    """A stand-in engine: answers with fixed buttons and records what the transport sent it."""

    def __init__(self) -> None:
        self.received: list[Incoming] = []

    async def handle(self, incoming: Incoming) -> Outcome:
        self.received.append(incoming)
        keyboard = ((Button("✅ Да", "tok-yes"),), (Button("Нет", "tok-no"),))
        document = Document("data.json", b"{}", "application/json") if incoming.text == "файл" else None
        return Outcome((Reply("Вопрос?", keyboard, document),), notice="ок" if incoming.button else "")


def test_screen_numbers_options_across_replies(tmp_path):
    screen = Screen()
    outcome = Outcome((Reply("A", ((Button("x", "1"),),)), Reply("B", ((Button("y", "2"),),))))
    lines = screen.show(outcome, tmp_path)
    assert "  1) x" in lines
    assert "  2) y" in lines
    assert screen.pressed("2") == Button("y", "2")
    assert screen.pressed(" Y ") == Button("y", "2")
    assert screen.pressed("3") is None
    assert screen.pressed("z") is None


async def test_lines_become_presses_or_text_and_documents_are_saved(tmp_path):
    engine = RecordingEngine()
    out = io.StringIO()
    await run_console(engine, stdin=io.StringIO("привет\n1\nда\nфайл\n"), stdout=out, export_dir=tmp_path)
    kinds = [(i.kind, i.button or i.text) for i in engine.received]
    assert kinds == [
        (IncomingKind.TEXT, "привет"),
        (IncomingKind.BUTTON, "tok-yes"),
        (IncomingKind.BUTTON, "tok-yes"),
        (IncomingKind.TEXT, "файл"),
    ]
    transcript = out.getvalue()
    assert "> привет" in transcript
    assert "(ок)" in transcript
    assert (tmp_path / "data.json").read_bytes() == b"{}"
    assert "документ сохранён" in transcript


def test_scripted_session_runs_as_a_subprocess(tmp_path):
    script = "\n".join(
        [
            "/start",
            "Выпускник",
            "23",
            "1",
            "Олег",
            "Кинель",
            "СамГТУ",
            "Информатика",
            "Пропустить",
            "пропустить",
            "/mydata",
            "1",
        ]
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDOOR_")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "chat",
            "--database",
            f"sqlite:///{tmp_path / 'chat.db'}",
            "--export-dir",
            str(tmp_path / "exports"),
        ],
        input=script + "\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Здравствуйте" in out
    assert "  1) Школьник (5–11 класс)" in out
    assert "Сохранил!" in out
    assert "Кинель" in out
    exported = list((tmp_path / "exports").glob("frontdoor-my-data-*.json"))
    assert len(exported) == 1
    assert "Олег" in exported[0].read_text(encoding="utf-8")
    assert "Олег" not in result.stderr  # nothing personal in logs
