"""A scripted terminal session against the REAL dialog engine and store, run like a user would.

The conversation texts belong to ``dialogs``; these tests assert generic things (exit status, a Russian
greeting, numbered options) plus what the transport itself promises (documents saved, quiet logs).
"""

from __future__ import annotations

import json
import re

import pytest

pytest.importorskip("dialogs.engine", reason="dialogs.engine is not built yet")

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
OPTION = re.compile(r"^  (\d+)\) \S", re.MULTILINE)


def test_a_short_conversation_completes(frontdoor, tmp_path):
    database = f"sqlite+aiosqlite:///{tmp_path / 't.db'}"
    result = frontdoor("chat", "--database", database, stdin="/start\n1\n/help\n")
    assert result.returncode == 0, result.stderr
    exchanges = result.stdout.split("> ")[1:]
    assert [exchange.splitlines()[0] for exchange in exchanges] == ["/start", "1", "/help"]
    greeting = exchanges[0]
    assert CYRILLIC.search(greeting)
    assert [int(number) for number in OPTION.findall(greeting)][:2] == [1, 2]  # numbered from 1
    assert all(len(exchange.splitlines()) > 1 for exchange in exchanges)  # every line got an answer
    assert result.stderr == ""


def test_a_profile_export_is_saved_and_logs_stay_free_of_personal_data(frontdoor, tmp_path):
    """Follows the current onboarding texts: adjust the script when the flows change."""
    script = [
        "/start",
        "Выпускник",
        "23",
        "Согласен(на)",
        "Олег",
        "Кинель",
        "СамГТУ",
        "Информатика",
        "Пропустить",
        "Пропустить",
        "/mydata",
        "Выгрузить в файл",
    ]
    result = frontdoor(
        "chat",
        "--database",
        f"sqlite:///{tmp_path / 'chat.db'}",
        "--export-dir",
        "exports",
        stdin="\n".join(script) + "\n",
        env={"FRONTDOOR_LOG_LEVEL": "DEBUG"},  # the most talkative logs still name no one
    )
    assert result.returncode == 0, result.stderr
    saved = re.findall(r"^\[документ сохранён: (.+)\]$", result.stdout, re.MULTILINE)
    assert len(saved) == 1, result.stdout[-2000:]
    exported = json.loads((tmp_path / saved[0]).read_text(encoding="utf-8"))
    assert "Олег" in json.dumps(exported, ensure_ascii=False)
    for personal in ("Олег", "СамГТУ", "Информатика"):
        assert personal not in result.stderr
