"""Operator command-line inputs that used to fail silently: each is now understood or refused plainly."""

from __future__ import annotations

from pathlib import Path

from tests.bot.conftest import Frontdoor

# A graduate from Кинель, through the terminal chat (the README's own script).
KINEL_GRADUATE = "\n".join(
    (
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
        "",
    )
)


def _database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ops.db'}"


def test_a_municipality_is_given_by_name_as_in_the_bot(frontdoor: Frontdoor, tmp_path):
    database = _database(tmp_path)
    chat = frontdoor("chat", "--database", database, stdin=KINEL_GRADUATE)
    assert chat.returncode == 0, chat.stderr
    assert "Сохранил" in chat.stdout
    for name in ("Кинель", "г. о. Кинель", "36408"):
        preview = frontdoor("broadcast", "preview", "--municipality", name, "--database", database)
        assert preview.returncode == 0, preview.stderr
        assert "recipients now: 1" in preview.stdout, name
    elsewhere = frontdoor("broadcast", "preview", "--municipality", "в Самаре", "--database", database)
    assert "recipients now: 0" in elsewhere.stdout


def test_unknown_guessed_and_out_of_range_audiences_are_refused(frontdoor: Frontdoor, tmp_path):
    database = _database(tmp_path)
    unknown = frontdoor("broadcast", "preview", "--municipality", "Самарканд", "--database", database)
    assert unknown.returncode == 2
    assert "unknown municipality 'Самарканд'" in unknown.stderr
    guessed = frontdoor("broadcast", "preview", "--municipality", "Тольяти", "--database", database)
    assert guessed.returncode == 2
    assert "did you mean г. о. Тольятти?" in guessed.stderr
    grade = frontdoor("broadcast", "preview", "--grade", "15", "--database", database)
    assert grade.returncode == 2
    assert "grade 15 is out of range: 5 to 11" in grade.stderr
    course = frontdoor("broadcast", "preview", "--course", "0", "--database", database)
    assert course.returncode == 2
    assert "course 0 is out of range" in course.stderr


def test_a_campaign_in_the_past_or_without_text_is_refused_with_the_reason(frontdoor: Frontdoor, tmp_path):
    database = _database(tmp_path)
    past = frontdoor(
        "broadcast", "create", "--text", "Ярмарка", "--at", "2025-01-01T10:00", "--database", database
    )
    assert past.returncode == 2
    assert "--at 2025-01-01 10:00 is in the past" in past.stderr
    empty = frontdoor("broadcast", "create", "--text", "", "--database", database)
    assert empty.returncode == 2
    assert "--text is empty" in empty.stderr
    assert "bad_campaign" not in empty.stderr
    long = frontdoor("broadcast", "create", "--text", "я" * 3501, "--database", database)
    assert "--text is 3501 characters long; the limit is 3500" in long.stderr
    not_a_time = frontdoor("broadcast", "create", "--text", "x", "--at", "завтра", "--database", database)
    assert not_a_time.returncode == 2
    assert "'завтра' is not a time" in not_a_time.stderr
    listed = frontdoor("broadcast", "list", "--database", database)
    assert listed.stdout.strip() == ""  # nothing was scheduled, let alone sent now
